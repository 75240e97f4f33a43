/**
 * The analysts' outputs at scale: a synthetic ledger of 1,000,000 rows inserted directly (no chain), then the Parquet
 * export of every view (`punchcard ledger parquet`, target < 10 s) and the dashboard's build (`punchcard ledger
 * dashboard`, target < 5 s) timed on it.
 *
 *   npx ts-node --transpile-only bench/ledger/analystOutputs.ts [rows]     (PUNCHCARD_PG_URL adds Postgres)
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../../sdk/src/node/database";
import { migrateLedger, type LedgerTables } from "../../sdk/src/node/ledger/schema";
import { runLedgerDashboard } from "../../sdk/src/cli/ledgerDashboard";
import { runLedgerParquet } from "../../sdk/src/cli/ledgerParquet";
import { openLedgerViews } from "../../sdk/src/cli/ledgerSql";
import { openReadOnlyLedger } from "../../sdk/src/node/ledger/sql";
import { refreshFiguresIfBehind } from "../../sdk/src/node/ledger/ledgerFigures";
import { syntheticProgram } from "../../sdk/src/node/ledger/ledgerFixture";
import { programKey } from "../../sdk/src/node/ledger/syncLedger";
import { ANALYTICS_VIEWS_V1 as ANALYTICS_VIEWS, type ViewDefinition } from "../../sdk/src/node/ledger/views/analyticsViewsV1";
import { analyticsViewsV2 } from "../../sdk/src/node/ledger/views/analyticsViewsV2";
import { analyticsViewsV3 } from "../../sdk/src/node/ledger/views/analyticsViewsV3";
import { writeViewsParquet } from "../../sdk/src/node/ledger/viewsParquet";
import { recordFromProgram } from "../../sdk/src/program";
import { insertSyntheticLedger } from "./syntheticLedger";

/**
 * One view at scale: its rows, the seconds to read them all and to write them as Parquet (wall), and the CPU seconds
 * behind each: this process's (which runs SQLite's statements itself) and, on Postgres on this machine, the server
 * backend's (NaN where it cannot be read). Wall seconds on a shared machine measure the load as much as the view;
 * CPU seconds are the view's.
 */
export interface ViewAtScale {
  view: string;
  rows: number;
  readSeconds: number;
  readCpuSeconds: number;
  readServerCpuSeconds: number;
  parquetSeconds: number;
  parquetCpuSeconds: number;
  parquetServerCpuSeconds: number;
  /** The 1-minute load average when the view was done. */
  load: number;
}

export interface AnalystOutputsAtScale {
  engine: string;
  rows: number;
  /** Bringing the running figures and KPI rollups up to date over every row at once (a sync does it batch by batch). */
  figuresSeconds: number;
  /** Building the dashboard (a year by week), seconds (wall, and CPU of this process), and the page's size. */
  dashboardSeconds: number;
  dashboardCpuSeconds: number;
  dashboardBytes: number;
  /** Writing every view as Parquet, seconds (NaN: not run; wall, and CPU of this process), and the rows written over all views. */
  parquetSeconds: number;
  parquetCpuSeconds: number;
  /** The 1-minute load average after the dashboard and after the Parquet export. */
  dashboardLoad: number;
  parquetLoad: number;
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
    const dashboard = stopwatch(undefined);
    const page = path.join(dir, "dashboard.html");
    await runLedgerDashboard({ program: record, db: location, out: page, by: "week" }, () => {});
    const { seconds: dashboardSeconds, cpuSeconds: dashboardCpuSeconds } = dashboard();
    const dashboardLoad = os.loadavg()[0]!;
    const dashboardBytes = fs.statSync(page).size;
    log(
      `${engine}: dashboard (a year by week) built in ${dashboardSeconds.toFixed(1)} s (CPU ${dashboardCpuSeconds.toFixed(1)} s), load ${dashboardLoad.toFixed(1)}`,
    );
    // BENCH_OUTPUTS=dashboard: the dashboard only.
    const base = { engine, rows: count, figuresSeconds, dashboardSeconds, dashboardCpuSeconds, dashboardLoad, dashboardBytes };
    if (process.env.BENCH_OUTPUTS === "dashboard")
      return {
        ...base,
        parquetSeconds: NaN,
        parquetCpuSeconds: NaN,
        parquetLoad: NaN,
        parquetRows: 0,
        parquetBytes: 0,
        views: [],
      };
    const parquet = stopwatch(undefined);
    const files = await runLedgerParquet({ program: record, db: location, out: path.join(dir, "parquet") }, () => {});
    const { seconds: parquetSeconds, cpuSeconds: parquetCpuSeconds } = parquet();
    const parquetLoad = os.loadavg()[0]!;
    const parquetRows = files.reduce((n, f) => n + f.rows, 0);
    const parquetBytes = files.reduce((n, f) => n + fs.statSync(f.file).size, 0);
    log(
      `${engine}: ${files.length} views, ${parquetRows} rows written as Parquet in ${parquetSeconds.toFixed(1)} s (CPU ${parquetCpuSeconds.toFixed(1)} s), load ${parquetLoad.toFixed(1)}`,
    );
    // BENCH_OUTPUTS=parquet: not each view again.
    const views = process.env.BENCH_OUTPUTS === "parquet" ? [] : await eachView(record, location, path.join(dir, "each"), log);
    return { ...base, parquetSeconds, parquetCpuSeconds, parquetLoad, parquetRows, parquetBytes, views };
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

/** Clock ticks per second of /proc's CPU times (100 on Linux unless the kernel was built otherwise). */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds (user + system) a Postgres backend has used so far, from /proc; NaN when it cannot be read (not Linux, a
 * server on another machine: a process of that id here that is not Postgres's is not read).
 */
function processCpuSeconds(pid: number): number {
  try {
    if (!fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith("postgres")) return NaN;
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command (which may hold spaces), from the 3rd: utime is the 14th and stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** A stopwatch of wall, this process's CPU and the server backend's CPU (pid from `pg_backend_pid()`, or none). */
function stopwatch(serverPid: number | undefined) {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const server = serverPid === undefined ? NaN : processCpuSeconds(serverPid);
  return () => {
    const used = process.cpuUsage(cpu);
    return {
      seconds: (performance.now() - wall) / 1000,
      cpuSeconds: (used.user + used.system) / 1e6,
      serverCpuSeconds: serverPid === undefined ? NaN : processCpuSeconds(serverPid) - server,
    };
  };
}

/**
 * Each view on its own, through the read-only connection `ledger parquet` uses: a full read (`SELECT *`), then its
 * Parquet file. Where the time goes when the whole export is slow.
 */
async function eachView(record: string, location: string, dir: string, log: (line: string) => void): Promise<ViewAtScale[]> {
  const ledger = await openLedgerViews({ program: record, db: location });
  try {
    // On Postgres the statements run in the server's backend for this connection: its CPU is read from /proc.
    const serverPid = location.startsWith("postgres")
      ? Number((await ledger.query("SELECT pg_backend_pid()")).rows[0]![0])
      : undefined;
    const views: ViewAtScale[] = [];
    for (const view of ANALYTICS_VIEWS) {
      const read = stopwatch(serverPid);
      const { rows } = await ledger.query(`SELECT * FROM ${view}`);
      const r = read();
      const write = stopwatch(serverPid);
      await writeViewsParquet(ledger, { dir, views: [view] });
      const w = write();
      const load = os.loadavg()[0]!;
      const server = (s: number) => (Number.isNaN(s) ? "" : ` + server ${s.toFixed(2)}`);
      log(
        `  ${view}: ${rows.length} rows, read ${r.seconds.toFixed(2)} s (CPU ${r.cpuSeconds.toFixed(2)}${server(r.serverCpuSeconds)}), ` +
          `Parquet ${w.seconds.toFixed(2)} s (CPU ${w.cpuSeconds.toFixed(2)}${server(w.serverCpuSeconds)}), load ${load.toFixed(1)}`,
      );
      views.push({
        view,
        rows: rows.length,
        readSeconds: r.seconds,
        readCpuSeconds: r.cpuSeconds,
        readServerCpuSeconds: r.serverCpuSeconds,
        parquetSeconds: w.seconds,
        parquetCpuSeconds: w.cpuSeconds,
        parquetServerCpuSeconds: w.serverCpuSeconds,
        load,
      });
    }
    return views;
  } finally {
    await ledger.close();
  }
}

/** One view's statement in one version of the schema, timed as `viewVersusVersion` reads it. */
export interface ViewVersionTiming {
  view: string;
  version: string;
  rows: number;
  seconds: number;
  cpuSeconds: number;
  serverCpuSeconds: number;
  load: number;
}

/**
 * Each view's statement in each given version of the schema, read back to back on one database through the read-only
 * connection (`SELECT * FROM (<the view's statement>)`, so no version need be the one the database holds), in turns
 * (every version of a view, then the next view), with wall and CPU seconds: a before and after on the same rows under
 * the same load. The rows of every version must be the same (compared sorted); a version that differs fails the run.
 *
 * @example
 * await compareViewVersions("/tmp/ledger.sqlite", [["2", analyticsViewsV2("sqlite")], ["3", analyticsViewsV3("sqlite")]]);
 */
export async function compareViewVersions(
  location: string,
  versions: Array<[string, ViewDefinition[]]>,
  log: (line: string) => void = console.log,
): Promise<ViewVersionTiming[]> {
  const ledger = await openReadOnlyLedger(location);
  try {
    const serverPid = location.startsWith("postgres")
      ? Number((await ledger.query("SELECT pg_backend_pid()")).rows[0]![0])
      : undefined;
    const timings: ViewVersionTiming[] = [];
    const names = versions[0]![1].map((v) => v.name).filter((name) => name !== "analytics_schema_version");
    for (const view of names) {
      let first: string | undefined;
      for (const [version, definitions] of versions) {
        const definition = definitions.find((d) => d.name === view);
        if (!definition) throw new Error(`version ${version} has no view ${view}`);
        const body = definition.sql.replace(`CREATE VIEW ${view} AS `, "");
        const watch = stopwatch(serverPid);
        const { rows } = await ledger.query(`SELECT * FROM (${body}) v`);
        const t = watch();
        const load = os.loadavg()[0]!;
        const sorted = rows.map((row) => JSON.stringify(row, (_, v) => (typeof v === "bigint" ? v.toString() : v))).sort();
        const digest = crypto.createHash("sha256").update(sorted.join("\n")).digest("hex");
        if (first === undefined) first = digest;
        else if (digest !== first)
          throw new Error(`${view}: version ${version} gives other rows than version ${versions[0]![0]}`);
        const server = Number.isNaN(t.serverCpuSeconds) ? "" : ` + server ${t.serverCpuSeconds.toFixed(2)}`;
        log(
          `${view} v${version}: ${rows.length} rows in ${t.seconds.toFixed(2)} s (CPU ${t.cpuSeconds.toFixed(2)}${server}), load ${load.toFixed(1)}`,
        );
        timings.push({ view, version, rows: rows.length, ...t, load });
      }
    }
    return timings;
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
    "Wall seconds, then CPU seconds of this process (SQLite runs in it; Postgres's side is not in it) and the load:",
    "",
    "| database | ledger rows | figures caught up (s) | dashboard (s) | dashboard CPU (s) | load | page (KB) | Parquet: rows over all views | Parquet: size (MB) | Parquet: time (s) | Parquet CPU (s) | load |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...results.map((r) => {
      const s = (x: number) => (Number.isNaN(x) ? "not run" : x.toFixed(1));
      return `| ${r.engine} | ${r.rows} | ${r.figuresSeconds.toFixed(1)} | ${s(r.dashboardSeconds)} | ${s(r.dashboardCpuSeconds)} | ${s(r.dashboardLoad)} | ${(r.dashboardBytes / 1024).toFixed(0)} | ${r.parquetRows} | ${(r.parquetBytes / 2 ** 20).toFixed(1)} | ${s(r.parquetSeconds)} | ${s(r.parquetCpuSeconds)} | ${s(r.parquetLoad)} |`;
    }),
    "",
    "Each view on its own (a full read, then its Parquet file, which reads it again), wall seconds and CPU seconds of",
    "this process (SQLite runs in it) and of the Postgres server's backend (when on this machine), with the load:",
    "",
    "| database | view | rows | read (s) | read CPU (s) | read server CPU (s) | Parquet (s) | Parquet CPU (s) | Parquet server CPU (s) | load |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...results.flatMap((r) =>
      r.views.map((v) => {
        const s = (x: number) => (Number.isNaN(x) ? "" : x.toFixed(2));
        return `| ${r.engine} | ${v.view} | ${v.rows} | ${s(v.readSeconds)} | ${s(v.readCpuSeconds)} | ${s(v.readServerCpuSeconds)} | ${s(v.parquetSeconds)} | ${s(v.parquetCpuSeconds)} | ${s(v.parquetServerCpuSeconds)} | ${v.load.toFixed(1)} |`;
      }),
    ),
    "",
  ];
}

const HELP = `The analysts' outputs at scale (issue 27): a synthetic ledger, then the dashboard and the Parquet export on it.

  npx ts-node --transpile-only bench/ledger/analystOutputs.ts [rows]          build a ledger of [rows] (1000000), time both
  npx ts-node --transpile-only bench/ledger/analystOutputs.ts compare <db>    views of version 2 and 3 back to back on <db>
                                                                              (a SQLite file, or a postgres:// URL)
Environment:
  PUNCHCARD_PG_URL     adds Postgres (its ledger tables are dropped and built again unless BENCH_REUSE=1)
  BENCH_ENGINES        "postgres": Postgres only
  BENCH_OUTPUTS_DB     the SQLite file (default: a new one in the temporary folder)
  BENCH_REUSE=1        time the outputs on the ledger already there (migrated first, not timed)
  BENCH_OUTPUTS        "dashboard": the dashboard only; "parquet": not each view apart
`;

if (require.main === module && process.argv[2] === "--help") console.log(HELP);
else if (require.main === module && process.argv[2] === "compare") {
  const location = process.argv[3]!;
  const engine = location.startsWith("postgres") ? "postgres" : "sqlite";
  compareViewVersions(location, [
    ["2", analyticsViewsV2(engine)],
    ["3", analyticsViewsV3(engine)],
  ]).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else if (require.main === module) {
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
