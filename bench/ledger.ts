/**
 * Ledger benchmark: builds a local chain with at least 100,000 program events (mints, rewards, trades, consent),
 * then measures the backfill sync throughput (events/s) into SQLite (and Postgres when PUNCHCARD_PG_URL is set),
 * the time of the stats query and of each KPI query for a year (bench/ledger/kpis.ts), and the same beside Ponder (bench/ledger/besidePonder.ts). Writes
 * bench/results/ledger-<date>.md and .json.
 *
 *   npm run bench:ledger [-- --help]
 *
 * Not part of `npm test`: it measures, it does not assert.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPublicClient, http } from "viem";
import { ledgerStats, openDatabase, syncLedger, type LedgerTables } from "@punchcard/sdk/node";
import { serveInProcessChain } from "../test/helpers/rpcServer";
import { buildFixture } from "./ledger/fixture";
import { besidePonder, besidePonderMarkdown, median, type BesidePonder } from "./ledger/besidePonder";
import { backfillInChild } from "./ledger/backfillChild";
import { FIGURE_TABLES } from "../sdk/src/node/ledger/ledgerFigures";
import { ANALYTICS_VIEWS_V1 } from "../sdk/src/node/ledger/views/analyticsViewsV1";
import { benchStatsAtScale, statsAtScaleMarkdown } from "./ledger/stats";
import { analystOutputsAtScale, analystOutputsMarkdown } from "./ledger/analystOutputs";
import { benchKpisAtScale, kpisAtScaleMarkdown, type KpiTiming } from "./ledger/kpis";

/** viem waits 10 s for an answer by default: on a loaded machine the one eth_getLogs of the fixture (100,000 logs) takes
 * longer, and the same request retried times out again. */
const RPC_TIMEOUT_MS = 120_000;

const HELP = `npm run bench:ledger [-- options]

Builds a local chain with program events (stamp mints, point rewards, stamp trades, consent), backfills it
with syncLedger into SQLite (and Postgres when PUNCHCARD_PG_URL is set), then with Ponder 1.0.0 on PGlite
(and Postgres), checks Ponder's rows equal ours, and races all of them at the head. Writes
bench/results/ledger-<date>.md and .json.

Options:
  --events <n>         program events to generate, at least (default 100000, or BENCH_EVENTS)
  --trades <n>         stamp sales among them (default 300)
  --consents <n>       wallets linking then changing consent among them (default 300; 3 events each)
  --head-seconds <s>   length of each head-latency race (default 15)
  --runs <n>           cold backfills of each indexer on each database (default 1); the median is compared and every
                       run is reported (the issue asks for 3)
  --no-ponder          ours only: skip Ponder and the head races
  --in-process         our backfill in this process, beside the chain's RPC server (default: a process of its own,
                       as Ponder's)
  --faults             instead: the fault suite on long fixtures, each case 3 times (bench/results/ledger-faults-<date>.md
                       and .json; LEDGER_FAULTS_TXS, LEDGER_FAULTS_STALL_MS; PUNCHCARD_PG_URL adds Postgres)
  --help               this text
`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      events: { type: "string" },
      trades: { type: "string" },
      consents: { type: "string" },
      "head-seconds": { type: "string" },
      runs: { type: "string" },
      "no-ponder": { type: "boolean" },
      "in-process": { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const count = (name: string, raw: string | undefined, fallback: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${raw}"`);
    return n;
  };
  return {
    events: count("events", values.events ?? process.env.BENCH_EVENTS, 100_000),
    trades: count("trades", values.trades, 300),
    consents: count("consents", values.consents, 300),
    headSeconds: count("head-seconds", values["head-seconds"], 15),
    runs: Math.max(1, count("runs", values.runs, 1)),
    ponder: !values["no-ponder"],
    inProcess: values["in-process"] === true,
  };
}

async function faults() {
  const { faultsBench } = await import("./ledger/faults");
  if (!(await faultsBench())) process.exitCode = 1;
}

async function main() {
  const options = parseOptions();
  // The machine may be shared: the 1-minute load average is in the report beside the figures.
  const loadAtStart = os.loadavg()[0]!;
  const started = Date.now();
  const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);
  const fixture = await buildFixture(options.events, { trades: options.trades, consents: options.consents, log });
  const { program } = fixture;
  const events = fixture.events;
  const batches = fixture.transactions;
  log(`chain ready: ${events} program events in ${batches} transactions (${JSON.stringify(fixture.mix)})`);

  const rpc = await serveInProcessChain();
  // No cap on a response's size, as for Ponder (bench/ponder/ponder.config.ts): viem's default of 10 MB makes the
  // log reader retry a dense range in halves, asking the node for the same logs again.
  const client = createPublicClient({
    transport: http(rpc.url, { retryCount: 0, maxResponseBodySize: false, timeout: RPC_TIMEOUT_MS }),
  });
  const targets = [
    { engine: "sqlite", location: path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-ledger-")), "ledger.sqlite") },
  ];
  if (process.env.PUNCHCARD_PG_URL) targets.push({ engine: "postgres", location: process.env.PUNCHCARD_PG_URL });

  const results: Array<{
    engine: string;
    entries: number;
    syncSeconds: number;
    eventsPerSecond: number;
    statsMs: number;
    runs: number[];
    cpuSeconds?: number;
  }> = [];
  for (const base of targets) {
    const runs: Array<{ entries: number; syncSeconds: number; cpuSeconds?: number; location: string }> = [];
    for (let run = 1; run <= options.runs; run++) {
      // Each run cold, into a database of its own (SQLite) or emptied (Postgres).
      const location = base.engine === "sqlite" && run > 1 ? `${base.location}.run${run}` : base.location;
      const db = openDatabase<LedgerTables>(location);
      if (base.engine === "postgres") {
        // Every table the ledger's migrations make (rows, checkpoints, block hashes, running figures), so they run again.
        // CASCADE: the analysts' views (migration 0005) read ledger_entries.
        for (const table of ["ledger_entries", "sync_checkpoints", "sync_blocks", "ledger_units", ...FIGURE_TABLES])
          await db.schema.dropTable(table).ifExists().cascade().execute();
        // The analysts' views that read no table (analytics_schema_version) outlive the CASCADE: a second run's
        // migration 0005 would find them there.
        for (const view of ANALYTICS_VIEWS_V1) await db.schema.dropView(view).ifExists().cascade().execute();
        // And the migrations' bookkeeping, or the next run would think the dropped tables are still there.
        await db.schema.dropTable("punchcard_ledger_migration").ifExists().execute();
        await db.schema.dropTable("punchcard_ledger_migration_lock").ifExists().execute();
      }
      if (options.inProcess) {
        const t0 = performance.now();
        const result = await syncLedger(client, { program, db });
        runs.push({ entries: result.entries, syncSeconds: (performance.now() - t0) / 1000, location });
      } else {
        // In a process of its own, as Ponder's backfill runs in its own: the chain's RPC server stays in this one.
        const child = await backfillInChild(rpc.url, program, location, (line) => log(`${base.engine}: ${line}`));
        runs.push({ ...child, location });
      }
      const last = runs.at(-1)!;
      log(`${base.engine}: run ${run}/${options.runs}: ${last.entries} entries in ${last.syncSeconds.toFixed(1)} s`);
      await db.destroy();
    }
    const rates = runs.map((r) => r.entries / r.syncSeconds);
    const middle = runs.find((r) => r.entries / r.syncSeconds === median(rates))!;
    const target = { engine: base.engine, location: middle.location };
    Object.assign(base, target);
    const db = openDatabase<LedgerTables>(target.location);
    const t1 = performance.now();
    const stats = await ledgerStats(db, { program });
    const statsMs = performance.now() - t1;
    log(
      `${target.engine}: synced ${middle.entries} entries in ${middle.syncSeconds.toFixed(1)} s (median of ${runs.length}); stats in ${statsMs.toFixed(0)} ms (${stats.members} members)`,
    );
    results.push({
      engine: target.engine,
      entries: middle.entries,
      syncSeconds: middle.syncSeconds,
      eventsPerSecond: middle.entries / middle.syncSeconds,
      statsMs,
      runs: rates,
      ...(middle.cpuSeconds === undefined ? {} : { cpuSeconds: middle.cpuSeconds }),
    });
    await db.destroy();
  }
  let ponder: BesidePonder | undefined;
  if (options.ponder) {
    ponder = await besidePonder({
      fixture,
      rpcUrl: rpc.url,
      client,
      ours: results.map((r, i) => ({ ...r, engine: r.engine as "sqlite" | "postgres", location: targets[i]!.location })),
      ...(process.env.PUNCHCARD_PG_URL ? { pgUrl: process.env.PUNCHCARD_PG_URL } : {}),
      headSeconds: options.headSeconds,
      blockIntervalMs: 200,
      runs: options.runs,
      log,
    });
  }
  await rpc.close();

  // The figures query on a synthetic 1,000,000-row ledger (BENCH_STATS_ROWS; 0 skips it).
  const statsRows = Number(process.env.BENCH_STATS_ROWS ?? 1_000_000);
  const atScale = [];
  for (const target of statsRows > 0 ? targets : []) {
    const location = target.engine === "sqlite" ? `${target.location}.stats` : target.location;
    atScale.push(await benchStatsAtScale(target.engine, location, statsRows, log));
  }
  // Each KPI query for a year, on the same ledger (bench/ledger/kpis.ts).
  const kpis: KpiTiming[] = [];
  for (const target of statsRows > 0 ? targets : []) {
    const location = target.engine === "sqlite" ? `${target.location}.stats` : target.location;
    kpis.push(...(await benchKpisAtScale(target.engine, location, log)));
  }

  // The dashboard and the Parquet export on the same kind of synthetic ledger (BENCH_OUTPUTS_ROWS; 0 skips it).
  const outputs = await analystOutputsAtScale(targets, Number(process.env.BENCH_OUTPUTS_ROWS ?? 1_000_000), log);

  const date = new Date().toISOString().slice(0, 10);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${loadAtStart.toFixed(1)} at the start and ${os.loadavg()[0]!.toFixed(1)} at the end`;
  const md = [
    `# Ledger benchmark, ${date}`,
    "",
    `Machine: ${machine}. Chain: Hardhat in-process network served over HTTP on loopback (as \`hardhat node\`),`,
    `${events} program events in ${batches} transactions (${fixture.mix.mints} from stamp mints, ${fixture.mix.rewards} from rewards, ` +
      `${fixture.mix.trades} from ${options.trades} trades, ${fixture.mix.consent} from ${options.consents} consent links and changes).`,
    `Backfill sync from the deploy block, default step of 2,000 blocks, ${options.inProcess ? "in the process that serves the chain's RPC (--in-process)" : "in a process of its own (as Ponder's), reading the RPC the benchmark's process serves"}.`,
    "",
    `Each backfill ran ${options.runs} time(s) cold; the table shows the median run, with every run's events/s and the CPU time of the median run's process (on a loaded machine it moves less than the wall time).`,
    "",
    "| database | entries | sync time (s) | events/s | every run (events/s) | CPU (s) | stats query (ms) |",
    "|---|---:|---:|---:|---|---:|---:|",
    ...results.map(
      (r) =>
        `| ${r.engine} | ${r.entries} | ${r.syncSeconds.toFixed(1)} | ${r.eventsPerSecond.toFixed(0)} | ${r.runs.map((x) => x.toFixed(0)).join(", ")} | ${r.cpuSeconds?.toFixed(1) ?? "n/a"} | ${r.statsMs.toFixed(0)} |`,
    ),
    "",
    ...(ponder
      ? besidePonderMarkdown(
          ponder,
          results.map((r, i) => ({ ...r, engine: r.engine as "sqlite" | "postgres", location: targets[i]!.location })),
        )
      : []),
    ...(atScale.length > 0 ? statsAtScaleMarkdown(atScale) : []),
    ...(outputs.length > 0 ? analystOutputsMarkdown(outputs) : []),
    ...(kpis.length > 0 ? kpisAtScaleMarkdown(kpis) : []),
  ].join("\n");
  const resultsDir = path.join(__dirname, "results");
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, `ledger-${date}.md`), md);
  fs.writeFileSync(
    path.join(resultsDir, `ledger-${date}.json`),
    `${JSON.stringify({ date, machine, events, batches, mix: fixture.mix, results, ponder, atScale, kpis, outputs }, null, 2)}\n`,
  );
  console.log(`\n${md}`);
}

// --faults: the fault suite on long fixtures instead (bench/ledger/faults.ts).
(process.argv.includes("--faults") ? faults() : main()).then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
