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
import type { Kysely } from "kysely";
import { migrateLedger, openDatabase, type LedgerTables } from "@punchcard/sdk/node";
import { runLedgerDashboard } from "../../sdk/src/cli/ledgerDashboard";
import { runLedgerParquet } from "../../sdk/src/cli/ledgerParquet";
import { FIGURE_TABLES } from "../../sdk/src/node/ledger/ledgerFigures";
import { insertRows, syntheticProgram, syntheticRows } from "../../sdk/src/node/ledger/ledgerFixture";
import { recordFromProgram, type Program } from "../../sdk/src/program";
import { syntheticHistory } from "./stats";

export interface AnalystOutputsAtScale {
  engine: string;
  rows: number;
  /** Building the dashboard (a year by week), seconds, and the page's size. */
  dashboardSeconds: number;
  dashboardBytes: number;
  /** Writing every view as Parquet, seconds (NaN: not run), and the rows written over all views. */
  parquetSeconds: number;
  parquetRows: number;
  parquetBytes: number;
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
  try {
    // BENCH_REUSE=1 with a SQLite file that holds the rows already: time the outputs again without inserting.
    const reuse = process.env.BENCH_REUSE === "1" && engine === "sqlite" && fs.existsSync(location);
    if (reuse) log(`${engine}: reusing the ledger at ${location}`);
    else await insertSynthetic(db, engine, program, count, log);
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
    if (process.env.BENCH_OUTPUTS === "dashboard")
      return { engine, rows: count, dashboardSeconds, dashboardBytes, parquetSeconds: NaN, parquetRows: 0, parquetBytes: 0 };
    const t0 = performance.now();
    const files = await runLedgerParquet({ program: record, db: location, out: path.join(dir, "parquet") }, () => {});
    const parquetSeconds = (performance.now() - t0) / 1000;
    const parquetRows = files.reduce((n, f) => n + f.rows, 0);
    const parquetBytes = files.reduce((n, f) => n + fs.statSync(f.file).size, 0);
    log(`${engine}: ${files.length} views, ${parquetRows} rows written as Parquet in ${parquetSeconds.toFixed(1)} s`);
    return { engine, rows: count, dashboardSeconds, dashboardBytes, parquetSeconds, parquetRows, parquetBytes };
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

/** Inserts `count` synthetic entries (the ledger's tables dropped first on Postgres). */
async function insertSynthetic(
  db: Kysely<LedgerTables>,
  engine: string,
  program: Program,
  count: number,
  log: (line: string) => void,
): Promise<void> {
  if (engine === "postgres") {
    for (const table of [
      "ledger_entries",
      "sync_checkpoints",
      "punchcard_ledger_migration",
      "punchcard_ledger_migration_lock",
      "sync_blocks",
      "ledger_units",
      ...FIGURE_TABLES,
    ])
      await db.schema.dropTable(table).ifExists().cascade().execute();
  }
  await migrateLedger(db);
  const rows = syntheticRows(program, syntheticHistory(count));
  for (let i = 0; i < rows.length; i += 50_000) await insertRows(db, rows.slice(i, i + 50_000));
  log(`${engine}: inserted ${rows.length} synthetic rows`);
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
    "| database | ledger rows | dashboard (s) | page (KB) | Parquet: rows over all views | Parquet: size (MB) | Parquet: time (s) |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...results.map(
      (r) =>
        `| ${r.engine} | ${r.rows} | ${r.dashboardSeconds.toFixed(1)} | ${(r.dashboardBytes / 1024).toFixed(0)} | ${r.parquetRows} | ${(r.parquetBytes / 2 ** 20).toFixed(1)} | ${Number.isNaN(r.parquetSeconds) ? "not run" : r.parquetSeconds.toFixed(1)} |`,
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
