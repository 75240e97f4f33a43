/**
 * The analysts' outputs at scale: a synthetic ledger of 1,000,000 rows inserted directly (no chain), then the Parquet
 * export of every view (`punchcard ledger parquet`, target < 10 s) and the dashboard's build (`punchcard ledger
 * dashboard`, target < 5 s) timed on it.
 *
 *   npx ts-node --transpile-only bench/ledger/analystOutputs.ts [rows]     (PUNCHCARD_PG_URL adds Postgres)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../../sdk/src/node/database";
import { migrateLedger, type LedgerTables } from "../../sdk/src/node/ledger/schema";
import { runLedgerDashboard } from "../../sdk/src/cli/ledgerDashboard";
import { runLedgerParquet } from "../../sdk/src/cli/ledgerParquet";
import { openLedgerViews } from "../../sdk/src/cli/ledgerSql";
import { refreshFiguresIfBehind } from "../../sdk/src/node/ledger/ledgerFigures";
import { syntheticProgram } from "../../sdk/src/node/ledger/ledgerFixture";
import { programKey } from "../../sdk/src/node/ledger/syncLedger";
import { ANALYTICS_VIEWS_V1 as ANALYTICS_VIEWS } from "../../sdk/src/node/ledger/views/analyticsViewsV1";
import { writeViewsParquet } from "../../sdk/src/node/ledger/viewsParquet";
import { recordFromProgram } from "../../sdk/src/program";
import { insertSyntheticLedger } from "./syntheticLedger";

/** One view at scale: its rows, the seconds to read them all, and the seconds to write them as Parquet. */
export interface ViewAtScale {
  view: string;
  rows: number;
  readSeconds: number;
  parquetSeconds: number;
}

export interface AnalystOutputsAtScale {
  engine: string;
  rows: number;
  /** Bringing the running figures and KPI rollups up to date over every row at once (a sync does it batch by batch). */
  figuresSeconds: number;
  /** Building the dashboard (a year by week), seconds, and the page's size. */
  dashboardSeconds: number;
  dashboardBytes: number;
  /** Writing every view as Parquet, seconds (NaN: not run), and the rows written over all views. */
  parquetSeconds: number;
  parquetRows: number;
  parquetBytes: number;
  /** Each view on its own (NaN: not run). */
  views: ViewAtScale[];
}

/**
 * Builds the synthetic ledger in a database (dropping the ledger's tables first on Postgres) and times the Parquet
 * export of every view on it.
 *
 * @example
 * const result = await benchAnalystOutputs("sqlite", "/tmp/outputs.sqlite", 1_000_000);
 */
export async function benchAnalystOutputs(
  engine: string,
  location: string,
  count: number,
  log = console.log,
): Promise<AnalystOutputsAtScale> {
  const program = {
    ...syntheticProgram(31337, `0x${"5a".repeat(20)}`),
    points: `0x${"ee".repeat(20)}`,
    market: `0x${"7c".repeat(20)}`,
    consent: `0x${"8d".repeat(20)}`,
    rewards: `0x${"9e".repeat(20)}`,
  } as const;
  const db = openDatabase<LedgerTables>(location);
  let figuresSeconds: number;
  try {
    // BENCH_REUSE=1 with a database that holds the rows already: time the outputs again without inserting.
    const reuse = process.env.BENCH_REUSE === "1" && (engine === "postgres" || fs.existsSync(location));
    if (reuse) {
      log(`${engine}: reusing the ledger at ${engine === "sqlite" ? location : "PUNCHCARD_PG_URL"}`);
      // Migrated before anything is timed: a migration that adds an index or a view is not the outputs' time.
      const tm = performance.now();
      await migrateLedger(db);
      log(`${engine}: migrated in ${((performance.now() - tm) / 1000).toFixed(1)} s`);
    } else await insertSyntheticLedger(db, engine, program, count, log);
    // A synced ledger has its figures and rollups up to date: brought there first and timed apart, so the dashboard's
    // time is the dashboard's (a reader catches them up only when rows were written without a sync, as here).
    const tf = performance.now();
    await refreshFiguresIfBehind(db, programKey(program));
    figuresSeconds = (performance.now() - tf) / 1000;
    log(`${engine}: figures and KPI rollups brought up to date in ${figuresSeconds.toFixed(1)} s`);
  } finally {
    await db.destroy();
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-analyst-"));
  const record = path.join(dir, "program.json");
  fs.writeFileSync(
    record,
    JSON.stringify(
      recordFromProgram(program, {
        brand: "Bench Coffee",
        network: "bench",
        configHash: `0x${"00".repeat(32)}`,
        deployer: `0x${"01".repeat(20)}`,
        units: { pointsSymbol: "BEANS", pointsDecimals: 18, nativeSymbol: "ETH", nativeDecimals: 18 },
      }),
    ),
  );
  try {
    const td = performance.now();
    const page = path.join(dir, "dashboard.html");
    await runLedgerDashboard({ program: record, db: location, out: page, by: "week" }, () => {});
    const dashboardSeconds = (performance.now() - td) / 1000;
    const dashboardBytes = fs.statSync(page).size;
    log(`${engine}: dashboard (a year by week) built in ${dashboardSeconds.toFixed(1)} s`);
    // BENCH_OUTPUTS=dashboard: the dashboard only.
    const base = { engine, rows: count, figuresSeconds, dashboardSeconds, dashboardBytes };
    if (process.env.BENCH_OUTPUTS === "dashboard")
      return { ...base, parquetSeconds: NaN, parquetRows: 0, parquetBytes: 0, views: [] };
    const t0 = performance.now();
    const files = await runLedgerParquet({ program: record, db: location, out: path.join(dir, "parquet") }, () => {});
    const parquetSeconds = (performance.now() - t0) / 1000;
    const parquetRows = files.reduce((n, f) => n + f.rows, 0);
    const parquetBytes = files.reduce((n, f) => n + fs.statSync(f.file).size, 0);
    log(`${engine}: ${files.length} views, ${parquetRows} rows written as Parquet in ${parquetSeconds.toFixed(1)} s`);
    const views = await eachView(record, location, path.join(dir, "each"), log);
    return { ...base, parquetSeconds, parquetRows, parquetBytes, views };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The dashboard and Parquet timings on each target database (a SQLite file beside the target's, or the Postgres
 * URL), none when `count` is 0: what `npm run bench:ledger` reports in its own section.
 *
 * @example
 * const outputs = await analystOutputsAtScale([{ engine: "sqlite", location: "/tmp/ledger.sqlite" }], 1_000_000);
 */
export async function analystOutputsAtScale(
  targets: Array<{ engine: string; location: string }>,
  count: number,
  log: (line: string) => void = console.log,
): Promise<AnalystOutputsAtScale[]> {
  const results: AnalystOutputsAtScale[] = [];
  for (const target of count > 0 ? targets : []) {
    const location = target.engine === "sqlite" ? `${target.location}.outputs` : target.location;
    results.push(await benchAnalystOutputs(target.engine, location, count, log));
  }
  return results;
}

/**
 * Each view on its own, through the read-only connection `ledger parquet` uses: a full read (`SELECT *`), then its
 * Parquet file. Where the time goes when the whole export is slow.
 */
async function eachView(record: string, location: string, dir: string, log: (line: string) => void): Promise<ViewAtScale[]> {
  const ledger = await openLedgerViews({ program: record, db: location });
  try {
    const views: ViewAtScale[] = [];
    for (const view of ANALYTICS_VIEWS) {
      const tr = performance.now();
      const { rows } = await ledger.query(`SELECT * FROM ${view}`);
      const readSeconds = (performance.now() - tr) / 1000;
      const tp = performance.now();
      await writeViewsParquet(ledger, { dir, views: [view] });
      const parquetSeconds = (performance.now() - tp) / 1000;
      log(`  ${view}: ${rows.length} rows, read ${readSeconds.toFixed(2)} s, Parquet ${parquetSeconds.toFixed(2)} s`);
      views.push({ view, rows: rows.length, readSeconds, parquetSeconds });
    }
    return views;
  } finally {
    await ledger.close();
  }
}

/** The rows of the markdown table. */
export function analystOutputsMarkdown(results: AnalystOutputsAtScale[]): string[] {
  return [
    "## The analysts' outputs at scale",
    "",
    "On the same kind of synthetic ledger: `punchcard ledger dashboard` (a year by week; target < 5 s) and",
    "`punchcard ledger parquet` (every view as a Parquet file, through the read-only connection, consent rules",
    "applied; target < 10 s) at 1,000,000 rows.",
    "",
    "| database | ledger rows | figures caught up (s) | dashboard (s) | page (KB) | Parquet: rows over all views | Parquet: size (MB) | Parquet: time (s) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    ...results.map(
      (r) =>
        `| ${r.engine} | ${r.rows} | ${r.figuresSeconds.toFixed(1)} | ${r.dashboardSeconds.toFixed(1)} | ${(r.dashboardBytes / 1024).toFixed(0)} | ${r.parquetRows} | ${(r.parquetBytes / 2 ** 20).toFixed(1)} | ${Number.isNaN(r.parquetSeconds) ? "not run" : r.parquetSeconds.toFixed(1)} |`,
    ),
    "",
    "Each view on its own (a full read, then its Parquet file, which reads it again):",
    "",
    "| database | view | rows | read (s) | Parquet (s) |",
    "|---|---|---:|---:|---:|",
    ...results.flatMap((r) =>
      r.views.map(
        (v) => `| ${r.engine} | ${v.view} | ${v.rows} | ${v.readSeconds.toFixed(2)} | ${v.parquetSeconds.toFixed(2)} |`,
      ),
    ),
    "",
  ];
}

if (require.main === module) {
  const count = Number(process.argv[2] ?? 1_000_000);
  (async () => {
    const results = [];
    if (process.env.BENCH_ENGINES !== "postgres") {
      const location =
        process.env.BENCH_OUTPUTS_DB ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-outputs-")), "ledger.sqlite");
      results.push(await benchAnalystOutputs("sqlite", location, count));
    }
    if (process.env.PUNCHCARD_PG_URL) results.push(await benchAnalystOutputs("postgres", process.env.PUNCHCARD_PG_URL, count));
    console.log(analystOutputsMarkdown(results).join("\n"));
  })().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
