import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { sql, type Kysely } from "kysely";
import { formatUnits } from "viem";
import { databaseEngines, freshDatabase } from "../../../../../test/helpers/databases.js";
import { openDatabase } from "../../database.js";
import { codeOf, insertRows, syntheticProgram, syntheticRows, type SyntheticEvent } from "../ledgerFixture.js";
import { migrateLedger, type LedgerTables } from "../schema.js";
import { analyticsHistory, analyticsProgram, analyticsRows, analyticsWallets } from "./analyticsFixture.js";
import { ANALYTICS_VIEWS_V1, analyticsViewsV1, unitsSql } from "./analyticsViewsV1.js";
import { recordLedgerUnits } from "./ledgerUnits.js";

const SNAPSHOT = path.join(__dirname, "analyticsViews.columns.json");
const { ada, bob, cy } = analyticsWallets;
const lower = (a: string) => a.toLowerCase();

type Row = Record<string, unknown>;
async function rows(db: Kysely<LedgerTables>, query: string): Promise<Row[]> {
  return (await sql.raw<Row>(query).execute(db)).rows;
}

/** Every view's columns in order, as the engine reports them. */
async function viewColumns(db: Kysely<LedgerTables>): Promise<Record<string, string[]>> {
  const tables = await db.introspection.getTables();
  return Object.fromEntries(
    tables
      .filter((t) => t.isView)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((t) => [t.name, t.columns.map((c) => c.name)]),
  );
}

/**
 * A seeded history in two programs over 12 wallets: rows of every per-member kind, and purposes changes (any of the 16
 * masks, some in the same block as the rows they govern, some by wallets that never act) granting, changing and
 * withdrawing analytics again and again.
 */
function consentChurn(program: ReturnType<typeof syntheticProgram>, seed: number): ReturnType<typeof syntheticRows> {
  const random = (n: number) => {
    seed = (seed * 48271) % 2147483647;
    return seed % n;
  };
  const wallet = () => `0x${(0xa00 + random(12)).toString(16).padStart(40, "0")}` as const;
  const events: SyntheticEvent[] = [{ kind: "series.created", actor: null, seriesId: 1n, args: '{"name":"Cup"}' }];
  for (let i = 0; i < 400; i++) {
    const blocks = random(3) === 0 ? 0 : 1;
    const r = random(10);
    const actor = wallet();
    if (r < 3) {
      const purposes = random(16);
      const kind = ["consent.granted", "consent.changed", "consent.revoked"][random(3)]!;
      events.push({ kind, actor, amount: BigInt(purposes), args: JSON.stringify({ oldPurposes: String(random(16)) }), blocks });
    } else if (r < 4) events.push({ kind: "stamp.minted", actor, tokenId: BigInt(i), seriesId: 1n, blocks });
    else if (r < 5) events.push({ kind: "stamp.transferred", actor, counterparty: wallet(), tokenId: 1n, seriesId: 1n, blocks });
    else if (r < 6) {
      const price = BigInt(1 + random(99)) * 10n ** 16n;
      events.push({
        kind: "order.filled",
        actor,
        counterparty: wallet(),
        tokenId: 1n,
        seriesId: 1n,
        amount: price,
        royalty: 1n,
        fee: 2n,
        currency: `0x${"00".repeat(20)}`,
        blocks,
      });
    } else if (r < 8) {
      const kind = ["points.rewarded", "points.transferred", "points.redeemed"][random(3)]!;
      events.push({
        kind,
        actor,
        counterparty: kind === "points.transferred" ? wallet() : null,
        amount: BigInt(1 + random(500)),
        code: codeOf("coffee"),
        blocks,
      });
    } else if (r < 9) {
      events.push({
        kind: "journey.completed",
        actor,
        counterparty: random(2) === 0 ? wallet() : null,
        amount: 50n,
        code: codeOf("ten"),
        args: '{"voucherId":"7","stamps":"10"}',
        blocks,
      });
    } else events.push({ kind: "perk.claimed", actor, amount: 30n, code: codeOf("latte"), args: '{"period":"3"}', blocks });
  }
  return syntheticRows(program, events);
}

for (const engine of databaseEngines()) {
  describe(`sdk/node: the analysts' schema (${engine})`, () => {
    let db: Kysely<LedgerTables>;
    const { before, after } = analyticsHistory();
    const all = analyticsRows([...before, ...after]);

    beforeEach(async () => {
      db = openDatabase<LedgerTables>(await freshDatabase(engine));
      await migrateLedger(db);
      await recordLedgerUnits(db, {
        program: analyticsProgram,
        units: { pointsSymbol: "BEANS", pointsDecimals: 2, nativeSymbol: "ETH", nativeDecimals: 18 },
      });
    });
    afterEach(async () => db.destroy());

    it("keeps every view's columns as pinned in analyticsViews.columns.json (a migration may add a view, never drop or rename a column)", async () => {
      const columns = await viewColumns(db);
      if (process.env.UPDATE_VIEW_SNAPSHOT === "1") fs.writeFileSync(SNAPSHOT, `${JSON.stringify(columns, null, 2)}\n`);
      const pinned = JSON.parse(fs.readFileSync(SNAPSHOT, "utf8")) as Record<string, string[]>;
      for (const [view, names] of Object.entries(pinned)) {
        expect(columns[view], `view ${view}`).to.not.equal(undefined);
        // A later version may append columns; the pinned ones stay, in order, with their names.
        expect(columns[view]!.slice(0, names.length), `columns of ${view}`).to.deep.equal(names);
      }
      expect(Object.keys(pinned)).to.have.members([...ANALYTICS_VIEWS_V1]);
    });

    it("fails the pin when a view loses a column (what a careless later migration would do)", async () => {
      await sql.raw("DROP VIEW referrals").execute(db);
      await sql.raw("CREATE VIEW referrals AS SELECT program, block_number FROM ledger_entries").execute(db);
      const columns = await viewColumns(db);
      const pinned = JSON.parse(fs.readFileSync(SNAPSHOT, "utf8")) as Record<string, string[]>;
      expect(columns.referrals).to.not.deep.equal(pinned.referrals);
    });

    it("writes amounts as decimal text in the program's units, exact for any uint256 (as viem's formatUnits)", async () => {
      const cases: Array<[bigint, number]> = [
        [0n, 0],
        [0n, 18],
        [5n, 2],
        [1_500_000n, 6],
        [10n ** 17n, 18],
        [123_456_789n, 0],
        [2n ** 256n - 1n, 18],
        [2n ** 256n - 1n, 36],
        [10n ** 36n, 36],
        [1n, 36],
      ];
      for (const [raw, decimals] of cases) {
        const [row] = await rows(db, `SELECT ${unitsSql(`'${raw}'`, String(decimals))} AS v`);
        expect(row!.v, `${raw} with ${decimals}`).to.equal(formatUnits(raw, decimals));
      }
    });

    it("shows one row per thing that happened, with names and units, for members who gave the analytics purpose", async () => {
      await insertRows(db, all.slice(0, before.length));
      const key = `31337:${lower(analyticsProgram.stamps)}`;

      expect(await rows(db, "SELECT program, member FROM members ORDER BY member")).to.deep.equal([
        { program: key, member: lower(ada) },
        { program: key, member: lower(cy) },
      ]);
      const minted = await rows(db, "SELECT member, token_id, series_id, series_name, happened_at FROM stamps_minted");
      expect(minted).to.deep.equal([
        {
          member: lower(ada),
          token_id: "1000000001",
          series_id: "1",
          series_name: "Coffee Cup",
          happened_at: minted[0]!.happened_at,
        },
      ]);
      expect(minted[0]!.happened_at).to.match(/^2023-11-14 \d\d:\d\d:\d\d$/);
      // bob never gave analytics: his side of a transfer or a trade is NULL, the row stays (it is the market's).
      expect(await rows(db, "SELECT from_wallet, to_wallet, series_name FROM stamp_transfers")).to.deep.equal([
        { from_wallet: null, to_wallet: lower(ada), series_name: "Coffee Cup" },
      ]);
      expect(
        await rows(
          db,
          "SELECT kind, seller, buyer, currency, currency_symbol, price, price_raw, royalty, fee, fee_raw FROM trades ORDER BY block_number",
        ),
      ).to.deep.equal([
        {
          kind: "listing",
          seller: null,
          buyer: lower(ada),
          currency: "0x0000000000000000000000000000000000000000",
          currency_symbol: "ETH",
          price: "0.1",
          price_raw: "100000000000000000",
          royalty: "0.005",
          fee: "0.001",
          fee_raw: "1000000000000000",
        },
        {
          kind: "swap",
          seller: lower(ada),
          buyer: null,
          currency: lower(analyticsProgram.points),
          currency_symbol: "BEANS",
          price: null,
          price_raw: null,
          royalty: "2.5",
          fee: "1",
          fee_raw: "100",
        },
      ]);
      const flows = await rows(
        db,
        "SELECT flow, member, points, points_raw, reason, pending_until FROM points_flows ORDER BY block_number",
      );
      const credited = all.find((r) => r.kind === "points.credited")!;
      expect(flows).to.deep.equal([
        { flow: "earned", member: lower(ada), points: "150", points_raw: "15000", reason: "welcome", pending_until: null },
        {
          flow: "bought",
          member: lower(ada),
          points: "250",
          points_raw: "25000",
          reason: credited.code,
          pending_until: flows[1]!.pending_until,
        },
        // A reason that is not text is shown as its hex.
        {
          flow: "earned",
          member: lower(cy),
          points: "5",
          points_raw: "500",
          reason: `0x${"ff".repeat(32)}`,
          pending_until: null,
        },
      ]);
      // Points.creditPurchase: 00:00 UTC after the pending days (2), counted from the credit's day.
      const day = Math.floor(Number(credited.block_time) / 86_400);
      expect(Number(flows[1]!.pending_until)).to.equal((day + 3) * 86_400);
      expect(await rows(db, "SELECT tier, threshold, threshold_raw FROM tiers ORDER BY tier")).to.deep.equal([
        { tier: engine === "postgres" ? "1" : 1, threshold: "100", threshold_raw: "10000" },
        { tier: engine === "postgres" ? "2" : 2, threshold: "500", threshold_raw: "50000" },
      ]);
      expect(await rows(db, "SELECT member, perk_name, period, points_burned, stamp_burned FROM perk_claims")).to.deep.equal([
        {
          member: lower(ada),
          perk_name: "free-coffee",
          period: engine === "postgres" ? "3" : 3,
          points_burned: "50",
          stamp_burned: null,
        },
      ]);
      expect(await rows(db, "SELECT member, journey_name, stamps, points, referee FROM journey_completions")).to.deep.equal([
        {
          member: lower(ada),
          journey_name: "refer-a-friend",
          stamps: engine === "postgres" ? "1" : 1,
          points: "20",
          referee: null,
        },
      ]);
      expect(await rows(db, "SELECT referrer, referee, journey_name, points FROM referrals")).to.deep.equal([
        { referrer: lower(ada), referee: null, journey_name: "refer-a-friend", points: "20" },
      ]);
      expect(
        await rows(db, "SELECT member, purpose, state, by_whom FROM consent_changes ORDER BY block_number, purpose"),
      ).to.deep.equal([
        { member: lower(ada), purpose: "analytics", state: "on", by_whom: "member" },
        { member: lower(ada), purpose: "rewards", state: "on", by_whom: "member" },
        { member: lower(cy), purpose: "analytics", state: "on", by_whom: "member" },
        { member: lower(cy), purpose: "marketing", state: "on", by_whom: "member" },
        { member: lower(cy), purpose: "rewards", state: "on", by_whom: "member" },
        { member: lower(cy), purpose: "marketing", state: "off", by_whom: "guardian" },
      ]);
      expect(await rows(db, "SELECT version FROM analytics_schema_version")).to.deep.equal([{ version: 3 }]);
    });

    it("drops a member who withdrew analytics from every per-member row after the withdrawal, and from members", async () => {
      await insertRows(db, all);
      expect((await rows(db, "SELECT member FROM members")).map((r) => r.member)).to.deep.equal([lower(cy)]);
      // Rows from when ada consented stay (she consented then); her redemption after the withdrawal is not shown.
      const flows = await rows(db, "SELECT flow, member FROM points_flows ORDER BY block_number");
      expect(flows.map((r) => r.flow)).to.deep.equal(["earned", "bought", "earned"]);
      expect(flows.some((r) => r.flow === "redeemed")).to.equal(false);
      // The withdrawal itself is per-member data of a member who no longer consents: not shown.
      const changes = await rows(db, "SELECT member, purpose, state FROM consent_changes WHERE member = '" + lower(ada) + "'");
      expect(changes.every((r) => r.state === "on")).to.equal(true);
      // bob (rewards only) never appears in any per-member column.
      for (const view of ["stamps_minted", "points_flows", "perk_claims", "journey_completions", "consent_changes"]) {
        expect(await rows(db, `SELECT * FROM ${view} WHERE member = '${lower(bob)}'`), view).to.deep.equal([]);
      }
    });

    it("gives every view the very rows version 1 gave (a join on analytics periods, not a lookup per row), through consent that comes and goes", async () => {
      const [one, two] = [syntheticProgram(31337, `0x${"9c".repeat(20)}`), syntheticProgram(31337, `0x${"9d".repeat(20)}`)];
      await insertRows(db, [...consentChurn(one, 7), ...consentChurn(two, 11), ...all]);
      // Version 1 beside version 2, under other names: its views read only tables, never another view.
      for (const view of analyticsViewsV1(engine))
        await sql.raw(view.sql.replace(`CREATE VIEW ${view.name} AS`, `CREATE VIEW v1_${view.name} AS`)).execute(db);
      let perMember = 0;
      for (const view of ANALYTICS_VIEWS_V1.filter((v) => v !== "analytics_schema_version")) {
        const columns = (await viewColumns(db))[view]!;
        const order = columns.map((_, i) => i + 1).join(", ");
        const now = await rows(db, `SELECT * FROM ${view} ORDER BY ${order}`);
        expect(now, view).to.deep.equal(await rows(db, `SELECT * FROM v1_${view} ORDER BY ${order}`));
        if (["members", "stamps_minted", "points_flows", "perk_claims", "journey_completions"].includes(view))
          perMember += now.length;
      }
      // The history holds consented rows and withdrawn ones: the comparison is not of two empty views.
      expect(perMember).to.be.greaterThan(50);
      const [{ n }] = (await rows(db, "SELECT count(*) AS n FROM ledger_entries WHERE kind = 'points.rewarded'")) as [
        { n: unknown },
      ];
      expect(Number(perMember)).to.be.lessThan(Number(n) * 5);
    });

    if (engine === "sqlite") {
      it("asks for no wallet's consent row by row: no view's plan runs a subquery per row over the purposes changes", async () => {
        for (const view of ANALYTICS_VIEWS_V1) {
          const plan = (await rows(db, `EXPLAIN QUERY PLAN SELECT * FROM ${view}`)).map((r) => String(r.detail));
          const perRow = plan.findIndex(
            (line, i) => /CORRELATED/.test(line) && /ledger_entries_purposes/.test(plan[i + 1] ?? ""),
          );
          expect(perRow, `${view}:\n${plan.join("\n")}`).to.equal(-1);
        }
      });

      it("reads a member's rows from their analytics periods through the member-kind index, never every row of the view's kinds", async () => {
        const planOf = async (view: string) =>
          (await rows(db, `EXPLAIN QUERY PLAN SELECT * FROM ${view}`)).map((r) => String(r.detail)).join("\n");
        for (const view of ["stamps_minted", "points_flows", "perk_claims", "journey_completions", "consent_changes"]) {
          const plan = await planOf(view);
          expect(plan, view).to.match(
            /SEARCH e USING INDEX ledger_entries_member_kind \(actor=\? AND program=\? AND kind=\? AND block_number>\?/,
          );
          expect(plan, view).not.to.match(/SEARCH e USING INDEX ledger_entries_kind \(kind=\?\)/);
        }
        // members: each consented wallet's first joining row from the index, no grouping of every joining row.
        const members = await planOf("members");
        expect(members).to.match(
          /SEARCH j USING COVERING INDEX ledger_entries_member_kind \(actor=\? AND program=\? AND kind=\?\)/,
        );
        expect(members).not.to.match(/GROUP BY|ledger_entries_kind_time/);
        // The index leads with the wallet, so a query of one program's kind keeps the (program, kind, time) index.
        const byKind = (
          await rows(
            db,
            "EXPLAIN QUERY PLAN SELECT block_number, log_index FROM ledger_entries WHERE program = 'p' AND kind = 'points.terms'",
          )
        )
          .map((r) => String(r.detail))
          .join("\n");
        expect(byKind).not.to.include("ledger_entries_member_kind");
      });
    }

    it("pairs a partner exchange's redemption in one program with its credit in another (same transaction), never a plain redemption", async () => {
      const partner = syntheticProgram(31337, `0x${"9c".repeat(20)}`);
      const exchange = `0x${"ee".repeat(20)}` as const;
      const agreement = `0x${"0".repeat(62)}07` as const;
      const receipt = `0x${"3d".repeat(32)}` as const;
      await insertRows(db, all);
      await recordLedgerUnits(db, {
        program: { ...partner, points: `0x${"9d".repeat(20)}` },
        units: { pointsSymbol: "MILES", pointsDecimals: 0, nativeSymbol: "ETH", nativeDecimals: 18 },
      });
      // One conversion: ada's 12.00 BEANS move to the exchange and are redeemed in A; B credits her 3 MILES.
      const [moved, redeemed] = syntheticRows(analyticsProgram, [
        { kind: "points.transferred", actor: exchange, counterparty: ada, amount: 1_200n },
        { kind: "points.redeemed", actor: exchange, amount: 1_200n, code: agreement, blocks: 0 },
      ]);
      const [linked, granted, credited] = syntheticRows(partner, [
        { kind: "consent.linked", actor: ada, code: codeOf("ada-b") },
        { kind: "consent.granted", actor: ada, amount: 3n, args: JSON.stringify({ oldPurposes: "0", newPurposes: "3" }) },
        { kind: "points.credited", actor: ada, amount: 3n, code: receipt },
      ]);
      const tx = `0x${"cc".repeat(32)}`;
      const at = { block_number: "900", block_time: "1800000000" };
      await insertRows(db, [
        { ...linked!, block_number: "800" },
        { ...granted!, block_number: "800" },
        { ...moved!, ...at, tx_hash: tx, log_index: 0 },
        { ...redeemed!, ...at, tx_hash: tx, log_index: 1 },
        { ...credited!, ...at, tx_hash: tx, log_index: 2 },
      ]);
      const key = (p: { chainId: number; stamps: string }) => `${p.chainId}:${lower(p.stamps)}`;
      expect(
        await rows(
          db,
          "SELECT program, agreement_id, exchange, to_program, member, points_out, points_out_raw, points_in, receipt_id FROM exchange_conversions",
        ),
      ).to.deep.equal([
        {
          program: key(analyticsProgram),
          agreement_id: agreement,
          exchange: lower(exchange),
          to_program: key(partner),
          member: lower(ada),
          points_out: "12",
          points_out_raw: "1200",
          points_in: "3",
          receipt_id: receipt,
        },
      ]);
      // ada's consent in B is what names her: without the analytics purpose there, the row stays and she is NULL.
      await sql.raw(`DELETE FROM ledger_entries WHERE kind = 'consent.granted' AND program = '${key(partner)}'`).execute(db);
      expect((await rows(db, "SELECT member FROM exchange_conversions")).map((r) => r.member)).to.deep.equal([null]);
      // In B's points flows the credit is a conversion, not a purchase (shown while ada consented there).
      await insertRows(db, [{ ...granted!, block_number: "800" }]);
      expect(await rows(db, `SELECT flow, points FROM points_flows WHERE program = '${key(partner)}'`)).to.deep.equal([
        { flow: "converted", points: "3" },
      ]);
    });
  });
}
