/**
 * The KPI queries at scale: each KPI function of `sdk/src/node/ledger/kpis*.ts` timed (best and median of 3) for a
 * year by week (and by day and month) on the synthetic 1,000,000-row ledger the figures bench builds (stats.ts).
 * Target: < 1,000 ms per query on SQLite and Postgres.
 *
 *   npx ts-node --transpile-only bench/ledger/kpis.ts [rows] [sqlite file]   (PUNCHCARD_PG_URL adds Postgres)
 *
 * With a SQLite file that already holds a ledger, it is reused (no insert); BENCH_KPIS_REBUILD=1 rebuilds it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql, type Kysely } from "kysely";
import { openDatabase } from "../../sdk/src/node/database";
import { ledgerKpis, type KpiPeriod } from "../../sdk/src/node/ledger/kpis";
import { kpiCohorts } from "../../sdk/src/node/ledger/kpisCohorts";
import { kpiEngagement } from "../../sdk/src/node/ledger/kpisEngagement";
import { kpiMarket, kpiSeries } from "../../sdk/src/node/ledger/kpisMarket";
import { kpiTierMigration } from "../../sdk/src/node/ledger/kpisTiers";
import { kpiRfm } from "../../sdk/src/node/ledger/kpisRfm";
import { refreshFigures } from "../../sdk/src/node/ledger/ledgerFigures";
import { syntheticProgram } from "../../sdk/src/node/ledger/ledgerFixture";
import { migrateLedger, type LedgerTables } from "../../sdk/src/node/ledger/schema";
import { programKey } from "../../sdk/src/node/ledger/syncLedger";
import { benchStatsAtScale } from "./stats";

/** The program of the synthetic ledger (as stats.ts writes it). */
export const SCALE_PROGRAM = syntheticProgram(31337, `0x${"5a".repeat(20)}`);

export interface KpiTiming {
  engine: string;
  rows: number;
  query: string;
  /** Each of the 3 timed runs, ms. */
  runsMs: number[];
  /** The CPU ms of this process in each run: the whole query on SQLite (it runs in this process), the client's part on Postgres. */
  cpuMs: number[];
}

const DAY = 86_400;

/** The KPI queries the bench times, each over the ledger's first year. */
function queries(from: number): Array<{ name: string; run: (db: Kysely<LedgerTables>) => Promise<unknown> }> {
  const year = { program: SCALE_PROGRAM, from, to: from + 365 * DAY, pointsDecimals: 18, valuePerPoint: "0.01" };
  const withPoints = { ...year, program: { ...SCALE_PROGRAM, points: `0x${"ee".repeat(20)}` as const } };
  const kpis = (by: KpiPeriod) => ({
    name: `ledgerKpis, a year by ${by}`,
    run: (db: Kysely<LedgerTables>) => ledgerKpis(db, { ...year, by }),
  });
  return [
    kpis("week"),
    kpis("day"),
    kpis("month"),
    { name: "kpiCohorts, a year of join weeks", run: (db) => kpiCohorts(db, year) },
    { name: "kpiRfm, every member", run: (db) => kpiRfm(db, { program: SCALE_PROGRAM }) },
    // The dashboard's other queries, a year by week as it asks them (the market needs the points' address, which the
    // synthetic ledger's swaps are priced in).
    { name: "kpiMarket, a year by week", run: (db) => kpiMarket(db, { ...withPoints, by: "week" }) },
    { name: "kpiSeries, a year by week", run: (db) => kpiSeries(db, { ...withPoints, by: "week" }) },
    { name: "kpiEngagement, a year by week", run: (db) => kpiEngagement(db, { ...year, by: "week" }) },
    { name: "kpiTierMigration, a year", run: (db) => kpiTierMigration(db, year) },
  ];
}

/**
 * Times every KPI query on a database that holds the synthetic ledger (its running figures applied first, as a sync
 * leaves them, and timed apart).
 *
 * @example
 * const timings = await benchKpisAtScale("sqlite", "/tmp/stats.sqlite");
 */
export async function benchKpisAtScale(engine: string, location: string, log = console.log): Promise<KpiTiming[]> {
  const db = openDatabase<LedgerTables>(location);
  try {
    await migrateLedger(db);
    const key = programKey(SCALE_PROGRAM);
    const tb = performance.now();
    await db.transaction().execute((trx) => refreshFigures(trx, key));
    log(`${engine}: figures (with the KPI rollups) up to date in ${((performance.now() - tb) / 1000).toFixed(1)} s`);
    const [{ rows, first }] = (
      await sql<{ rows: string | number; first: string | number }>`
        SELECT count(*) AS rows, min(block_time) AS first FROM ledger_entries WHERE program = ${key}`.execute(db)
    ).rows as [{ rows: string | number; first: string | number }];
    const timings: KpiTiming[] = [];
    for (const query of queries(Math.floor(Number(first) / DAY) * DAY)) {
      const runsMs: number[] = [];
      const cpuMs: number[] = [];
      for (let run = 0; run < 3; run++) {
        const t = performance.now();
        const cpu = process.cpuUsage();
        await query.run(db);
        const used = process.cpuUsage(cpu);
        runsMs.push(performance.now() - t);
        cpuMs.push((used.user + used.system) / 1000);
      }
      const ms = (values: number[]) => values.map((v) => v.toFixed(0)).join(" / ");
      log(`${engine}: ${query.name}: ${ms(runsMs)} ms (CPU ${ms(cpuMs)} ms), load ${os.loadavg()[0]!.toFixed(1)}`);
      timings.push({ engine, rows: Number(rows), query: query.name, runsMs, cpuMs });
    }
    return timings;
  } finally {
    await db.destroy();
  }
}

/** The rows of the markdown table. */
export function kpisAtScaleMarkdown(timings: KpiTiming[]): string[] {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return [
    "## The KPI queries at scale",
    "",
    "Each KPI function on the same synthetic ledger (a year of activity), over its first year, three runs after the",
    "running figures and KPI rollups are up to date (a sync keeps them so). Target: < 1,000 ms per query.",
    "",
    "| database | rows | query | median (ms) | runs (ms) | CPU of this process (ms) |",
    "|---|---:|---|---:|---|---|",
    ...timings.map(
      (t) =>
        `| ${t.engine} | ${t.rows} | ${t.query} | ${median(t.runsMs).toFixed(0)} | ${t.runsMs.map((ms) => ms.toFixed(0)).join(", ")} | ${t.cpuMs.map((ms) => ms.toFixed(0)).join(", ")} |`,
    ),
    "",
  ];
}

if (require.main === module) {
  const count = Number(process.argv[2] ?? 1_000_000);
  const file = process.argv[3] ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-kpis-")), "ledger.sqlite");
  (async () => {
    const timings: KpiTiming[] = [];
    if (process.env.BENCH_ENGINES !== "postgres") {
      if (!fs.existsSync(file) || process.env.BENCH_KPIS_REBUILD === "1") {
        fs.rmSync(file, { force: true });
        await benchStatsAtScale("sqlite", file, count);
      }
      timings.push(...(await benchKpisAtScale("sqlite", file)));
    }
    if (process.env.PUNCHCARD_PG_URL) {
      if (process.env.BENCH_KPIS_REBUILD === "1") await benchStatsAtScale("postgres", process.env.PUNCHCARD_PG_URL, count);
      timings.push(...(await benchKpisAtScale("postgres", process.env.PUNCHCARD_PG_URL)));
    }
    console.log(kpisAtScaleMarkdown(timings).join("\n"));
  })().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
