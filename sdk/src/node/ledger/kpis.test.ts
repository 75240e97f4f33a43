import { expect } from "chai";
import type { Kysely } from "kysely";
import { formatUnits, parseUnits } from "viem";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { openDatabase } from "../database.js";
import {
  ACTIVITY_KINDS,
  JOIN_KINDS,
  KPI_MIN_GROUP,
  ledgerKpis,
  nextPeriod,
  periodStart,
  type KpiPeriod,
  type KpiRow,
} from "./kpis.js";
import { KPIS_YEAR_START, QUIET_DAYS, kpisProgram, kpisYear } from "./kpisFixture.js";
import { refreshFigures, resetFigures } from "./ledgerFigures.js";
import { insertRows, syntheticRows } from "./ledgerFixture.js";
import { migrateLedger, type LedgerTables } from "./schema.js";
import type { LedgerEntriesTable } from "./schema.js";
import { programKey } from "./syncLedger.js";

const DAY = 86_400;
const rows = syntheticRows(kpisProgram, kpisYear(), KPIS_YEAR_START);

/**
 * The KPIs as a plain fold over the decoded entries, one period at a time, straight from each KPI's definition: the
 * reference the SQL is checked against.
 */
function foldKpis(entries: readonly LedgerEntriesTable[], by: KpiPeriod, from: number, to: number, value?: string): KpiRow[] {
  const t = (e: LedgerEntriesTable) => Number(e.block_time);
  const amount = (e: LedgerEntriesTable) => BigInt(e.amount ?? "0");
  // No one behind a figure shows it (nothing happened); 1 to 4 members hide it.
  const hidden = <T>(members: Set<string>, figure: T) => (members.size === 0 || members.size >= KPI_MIN_GROUP ? figure : null);
  const count = (n: number) => (n === 0 || n >= KPI_MIN_GROUP ? n : null);
  const ratio = (a: bigint, b: bigint) => (b === 0n ? null : Number((a * 1_000_000n) / b) / 1_000_000);
  const sumOf = (kind: string, keep: (e: LedgerEntriesTable) => boolean, size = amount) => {
    const members = new Set<string>();
    let total = 0n;
    for (const e of entries) {
      if (e.kind !== kind || !keep(e)) continue;
      members.add(e.actor!);
      total += size(e);
    }
    return { total, members };
  };
  const burnedOf = (e: LedgerEntriesTable) => BigInt((JSON.parse(e.args) as { burned: string }).burned);
  const joined = new Map<string, number>();
  for (const e of entries)
    if ((JOIN_KINDS as readonly string[]).includes(e.kind) && !joined.has(e.actor!)) joined.set(e.actor!, t(e));
  const out: KpiRow[] = [];
  for (let start = periodStart(from, by); start < to; start = nextPeriod(start, by)) {
    const end = nextPeriod(start, by);
    const inPeriod = (e: LedgerEntriesTable) => t(e) >= start && t(e) < end;
    const before = (e: LedgerEntriesTable) => t(e) < end;
    const active = (days: number) => {
      const members = new Set<string>();
      for (const e of entries) {
        const day = Math.floor(t(e) / DAY);
        if ((ACTIVITY_KINDS as readonly string[]).includes(e.kind) && day >= end / DAY - days && day < end / DAY)
          members.add(e.actor!);
      }
      return count(members.size);
    };
    const issued = sumOf("points.minted", inPeriod);
    const redeemed = sumOf("points.redeemed", inPeriod);
    const minted = sumOf("points.minted", before);
    const burned = sumOf("points.burned", before);
    const redeemedSoFar = sumOf("points.redeemed", before).total;
    const expiredSoFar = sumOf("points.expired", before).total;
    const reversedSoFar = sumOf("points.purchase.reversed", before, burnedOf).total;
    const outstanding = hidden(minted.members, minted.total - burned.total);
    const worth = value === undefined ? undefined : parseUnits(value, 18);
    const issuedShown = hidden(issued.members, issued.total);
    const redeemedShown = hidden(redeemed.members, redeemed.total);
    out.push({
      start,
      end,
      period: new Date(start * 1000).toISOString().slice(0, by === "month" ? 7 : 10),
      newMembers: count([...joined.values()].filter((j) => j >= start && j < end).length),
      active7d: active(7),
      active30d: active(30),
      active90d: active(90),
      issued: issuedShown,
      redeemed: redeemedShown,
      expired: (({ total, members }) => hidden(members, total))(sumOf("points.expired", inPeriod)),
      reversed: (({ total, members }) => hidden(members, total))(sumOf("points.purchase.reversed", inPeriod, burnedOf)),
      outstanding,
      breakageRate: outstanding === null ? null : ratio(minted.total - redeemedSoFar - reversedSoFar, minted.total),
      earnBurnRatio: issuedShown === null || redeemedShown === null ? null : ratio(redeemedShown, issuedShown),
      liability: outstanding === null || worth === undefined ? null : formatUnits(outstanding * worth, 2 + 18),
      liabilityExpected:
        outstanding === null || worth === undefined || redeemedSoFar + expiredSoFar === 0n
          ? null
          : formatUnits((outstanding * worth * redeemedSoFar) / (redeemedSoFar + expiredSoFar), 2 + 18),
    });
  }
  return out;
}

for (const engine of databaseEngines()) {
  describe(`sdk/node: ledger KPIs over time (${engine})`, () => {
    let db: Kysely<LedgerTables>;
    before(async () => {
      db = openDatabase<LedgerTables>(await freshDatabase(engine));
      await migrateLedger(db);
      await insertRows(db, rows);
    });
    after(async () => db.destroy());

    const year = { from: KPIS_YEAR_START, to: KPIS_YEAR_START + 365 * DAY };
    // Days over the first quarter only: the fold reads every entry per period, and a year of days is 365 periods.
    for (const [by, days] of [
      ["day", 90],
      ["week", 365],
      ["month", 365],
    ] as const) {
      it(`equals a plain fold over the decoded entries, by ${by}, over ${days} days`, async () => {
        const span = { from: KPIS_YEAR_START, to: KPIS_YEAR_START + days * DAY };
        const kpis = await ledgerKpis(db, { program: kpisProgram, ...span, by, pointsDecimals: 2, valuePerPoint: "0.01" });
        const fold = foldKpis(rows, by, span.from, span.to, "0.01");
        expect(kpis.length).to.equal(fold.length);
        for (let i = 0; i < fold.length; i++) expect(kpis[i], `${by} ${fold[i]!.period}`).to.deep.equal(fold[i]);
        // Not a comparison of two empty answers: most periods show their figures.
        expect(kpis.filter((k) => k.issued !== null && k.outstanding !== null && k.liability !== null).length).to.be.greaterThan(
          fold.length / 2,
        );
      });
    }

    it("counts a window that starts mid-year from everything before it (outstanding, breakage)", async () => {
      const from = KPIS_YEAR_START + 100 * DAY;
      const to = from + 60 * DAY;
      const kpis = await ledgerKpis(db, { program: kpisProgram, from, to, by: "week", pointsDecimals: 2 });
      const fold = foldKpis(rows, "week", from, to);
      expect(kpis.length).to.equal(fold.length);
      for (let i = 0; i < fold.length; i++) expect(kpis[i], fold[i]!.period).to.deep.equal(fold[i]);
      expect(kpis[0]!.period).to.equal("2026-04-06");
    });

    it("hides every figure of a week where fewer than 5 members act, and shows the busy weeks beside it", async () => {
      const quietWeek = KPIS_YEAR_START + (QUIET_DAYS.from + 4) * DAY;
      const kpis = await ledgerKpis(db, {
        program: kpisProgram,
        from: quietWeek,
        to: quietWeek + 1,
        by: "week",
        pointsDecimals: 2,
      });
      expect(kpis).to.have.length(1);
      const [week] = kpis;
      // Four members earned, bought and redeemed that week: the week's flows and its 7-day actives describe them.
      expect([week!.issued, week!.redeemed, week!.active7d, week!.earnBurnRatio]).to.deep.equal([null, null, null, null]);
      // What is over everyone since the start (outstanding, 90-day actives) still shows.
      expect(week!.outstanding === null, "outstanding").to.equal(false);
      expect(week!.active90d).to.be.at.least(KPI_MIN_GROUP);
      const busy = await ledgerKpis(db, { program: kpisProgram, ...year, by: "week", pointsDecimals: 2 });
      expect(busy.find((k) => k.period === "2026-03-02")!.issued === null).to.equal(false);
    });

    it("shows no liability without a value per point, and the liability at it to the smallest unit", async () => {
      const [plain] = await ledgerKpis(db, { program: kpisProgram, ...year, by: "month", pointsDecimals: 2 });
      expect([plain!.liability, plain!.liabilityExpected]).to.deep.equal([null, null]);
      const [valued] = await ledgerKpis(db, {
        program: kpisProgram,
        ...year,
        by: "month",
        pointsDecimals: 2,
        valuePerPoint: "0.015",
      });
      expect(valued!.liability).to.equal(formatUnits(valued!.outstanding! * 15n, 2 + 3));
    });

    it("keeps its rollups exact batch by batch, as a sync writes, and rebuilds them after a reorg rolls blocks back", async () => {
      // The last test of the suite: it empties the database the others read.
      const batched = db;
      const key = programKey(kpisProgram);
      const refresh = () => batched.transaction().execute((trx) => refreshFigures(trx, key));
      await batched.deleteFrom("ledger_entries").execute();
      await batched.transaction().execute((trx) => resetFigures(trx, key));
      // Batches of uneven size: a day, a week and a member's state span several of them.
      // A sync writes whole blocks: each cut moves on to the next block's first row.
      const blockStart = (i: number) => {
        while (i < rows.length && i > 0 && rows[i]!.block_number === rows[i - 1]!.block_number) i++;
        return i;
      };
      const cuts = [0, 37, 400, 401, 1_900, 3_000, rows.length].map(blockStart);
      for (let i = 1; i < cuts.length; i++) {
        await insertRows(batched, rows.slice(cuts[i - 1], cuts[i]));
        await refresh();
      }
      const span = { from: KPIS_YEAR_START, to: KPIS_YEAR_START + 365 * DAY };
      const weekly = (db: Kysely<LedgerTables>) =>
        ledgerKpis(db, { program: kpisProgram, ...span, by: "week", pointsDecimals: 2, valuePerPoint: "0.01" });
      expect(await weekly(batched)).to.deep.equal(foldKpis(rows, "week", span.from, span.to, "0.01"));

      // A reorg: the blocks after the middle of the year leave the chain; the new chain has every third row fewer.
      const fork = Number(rows[Math.floor(rows.length / 2)]!.block_number);
      await batched.transaction().execute(async (trx) => {
        await trx.deleteFrom("ledger_entries").where("block_number", ">", String(fork)).execute();
        await resetFigures(trx, key);
        await refreshFigures(trx, key);
      });
      const kept = rows.filter((r, i) => Number(r.block_number) <= fork || i % 3 !== 0);
      const replayed = kept.filter((r) => Number(r.block_number) > fork);
      for (let i = 0; i < replayed.length; i += 500) {
        await insertRows(batched, replayed.slice(i, i + 500));
        await refresh();
      }
      const after = await weekly(batched);
      expect(after).to.deep.equal(foldKpis(kept, "week", span.from, span.to, "0.01"));
      expect(after).to.not.deep.equal(foldKpis(rows, "week", span.from, span.to, "0.01"));
    });
  });
}
