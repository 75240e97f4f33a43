import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Address } from "viem";
import { databaseEngines, freshDatabase } from "../../../test/helpers/databases.js";
import { openDatabase } from "../node/database.js";
import { ledgerKpis } from "../node/ledger/kpis.js";
import { KPIS_YEAR_START, QUIET_DAYS, kpisProgram, kpisYear } from "../node/ledger/kpisFixture.js";
import { syntheticRows } from "../node/ledger/ledgerFixture.js";
import type { LedgerEntriesTable, LedgerTables } from "../node/ledger/schema.js";
import { fillLedger, ledgerCli as cli, syntheticProgram, writeRecord } from "./__fixtures__/ledgerCli.js";

const DAY = 86_400;
const program = syntheticProgram(kpisProgram, `0x${"6b".repeat(20)}`);
const wallet = (i: number) => `0x${i.toString(16).padStart(40, "0")}` as Address;
const rows = syntheticRows(kpisProgram, kpisYear(), KPIS_YEAR_START);

/** A purposes change of `member` (1: rewards, 2: analytics) placed just after the entries of `day`. */
function purposes(member: Address, before: number, after: number, day: number): LedgerEntriesTable {
  const last = rows.filter((r) => Number(r.block_time) < KPIS_YEAR_START + day * DAY).at(-1);
  const [row] = syntheticRows(kpisProgram, [
    {
      kind: before === 0 ? "consent.granted" : "consent.changed",
      actor: member,
      amount: BigInt(after),
      args: JSON.stringify({ wallet: member, oldPurposes: String(before), newPurposes: String(after) }),
    },
  ]);
  return {
    ...row!,
    tx_hash: `0x${"c0".repeat(12)}${member.slice(-20)}${day.toString(16).padStart(20, "0")}`.slice(0, 66),
    block_number: last?.block_number ?? "0",
    block_time: last?.block_time ?? String(KPIS_YEAR_START),
    log_index: 999,
  };
}

for (const engine of databaseEngines()) {
  describe(`cli: punchcard ledger kpis, and consent in what is per member (${engine})`, () => {
    let db: string;
    let base: string[];
    const sqlOf = (query: string) => cli(["sql", ...base.slice(1), "--format", "json", query]);

    before(async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-kpis-"));
      db = await freshDatabase(engine);
      // Members 1 to 6 give analytics at the start; member 1 withdraws it on day 100.
      const consents = [1, 2, 3, 4, 5, 6].map((i) => purposes(wallet(i), 0, 3, 0));
      await fillLedger(db, rows, [...consents, purposes(wallet(1), 3, 1, 100)]);
      base = ["kpis", "--program", writeRecord(dir, program), "--db", db];
    });

    it("prints a year's KPIs by week as ledgerKpis computes them, JSON in smallest units, a table in BEANS", async () => {
      const args = [...base, "--from", "2026-01-01", "--to", "2027-01-01", "--value-per-point", "0.01"];
      const json = await cli([...args, "--format", "json"]);
      expect(json.code, json.stderr).to.equal(0);
      const database = openDatabase<LedgerTables>(db);
      const expected = await ledgerKpis(database, {
        program,
        from: KPIS_YEAR_START,
        to: Date.UTC(2027, 0, 1) / 1000,
        by: "week",
        pointsDecimals: 2,
        valuePerPoint: "0.01",
      });
      await database.destroy();
      const printed = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
      expect(printed.map((r) => r.period)).to.deep.equal(expected.map((k) => k.period));
      expect(printed.map((r) => r.points_outstanding)).to.deep.equal(
        expected.map((k) => (k.outstanding === null ? null : Number(k.outstanding))),
      );
      expect(printed.map((r) => r.liability)).to.deep.equal(expected.map((k) => k.liability));
      const table = await cli([...args, "--by", "month"]);
      const march = table.stdout.split("\n").find((l) => l.startsWith("2026-03"))!;
      const [, , , , , issued] = march.split(" | ").map((c) => c.trim());
      expect(issued).to.match(/^\d+(\.\d{1,2})?$/);
    });

    it("hides, as <5, every figure of a week where four members acted (one of them withdrew analytics)", async () => {
      const quiet = new Date((KPIS_YEAR_START + (QUIET_DAYS.from + 1) * DAY) * 1000).toISOString().slice(0, 10);
      const week = await cli([...base, "--from", quiet, "--by", "week", "--to", "2026-07-27", "--format", "csv"]);
      const [header, row] = week.stdout.trim().split("\n");
      const cell = (name: string) => row!.split(",")[header!.split(",").indexOf(name)];
      expect([cell("points_issued"), cell("points_redeemed"), cell("active_members_7d")]).to.deep.equal(["", "", ""]);
      expect(cell("points_outstanding")).to.match(/^\d+$/);
    });

    it("drops a member who withdrew analytics from per-member rows after the withdrawal, and from members", async () => {
      const withdrawn = purposes(wallet(1), 3, 1, 100).block_time;
      const flows = async (when: string) =>
        JSON.parse(
          (
            await sqlOf(
              `SELECT count(*) AS n FROM points_flows WHERE member = '${wallet(1)}' AND block_time ${when} ${withdrawn}`,
            )
          ).stdout,
        ) as Array<{ n: number | string }>;
      expect(Number((await flows("<"))[0]!.n)).to.be.greaterThan(0);
      expect(Number((await flows(">="))[0]!.n)).to.equal(0);
      const members = JSON.parse((await sqlOf("SELECT member FROM members ORDER BY member")).stdout) as Array<{ member: string }>;
      expect(members.map((m) => m.member)).to.deep.equal([2, 3, 4, 5, 6].map(wallet));
      // Member 2 never withdrew: their flows run all year.
      const two = JSON.parse(
        (await sqlOf(`SELECT count(*) AS n FROM points_flows WHERE member = '${wallet(2)}'`)).stdout,
      ) as Array<{
        n: number | string;
      }>;
      expect(Number(two[0]!.n)).to.equal(
        rows.filter(
          (r) =>
            r.actor === wallet(2) && r.kind.startsWith("points.") && r.kind !== "points.minted" && r.kind !== "points.burned",
        ).length,
      );
    });

    it("ledger stats --from --to --by week --json prints the same KPI rows as ledger kpis", async () => {
      const span = ["--from", "2026-01-01", "--to", "2026-04-01", "--by", "week"];
      const stats = await cli(["stats", ...base.slice(1), ...span, "--json"]);
      expect(stats.code, stats.stderr).to.equal(0);
      const kpis = await cli([...base, ...span, "--format", "json"]);
      expect(JSON.parse(stats.stdout)).to.deep.equal(JSON.parse(kpis.stdout));
      expect((JSON.parse(stats.stdout) as unknown[]).length).to.equal(14);
    });

    it("refuses stats over a block number where a date is asked, and --json beside another --format", async () => {
      for (const bad of [
        ["stats", ...base.slice(1), "--from", "100"],
        ["stats", ...base.slice(1), "--to", "2026-02-30x"],
        ["stats", ...base.slice(1), "--from", "2026-01-01", "--json", "--format", "csv"],
      ]) {
        const run = await cli(bad);
        expect(run.code, bad.join(" ")).to.equal(2);
      }
    });

    it("refuses a period, dates or a value it cannot read", async () => {
      for (const bad of [
        ["--by", "year"],
        ["--from", "2026-13-40"],
        ["--to", "last week"],
        ["--value-per-point", "one cent"],
        ["--from", "2026-05-01", "--to", "2026-04-01"],
      ]) {
        const run = await cli([...base, ...bad]);
        expect(run.code, bad.join(" ")).to.equal(2);
      }
    });
  });
}
