/**
 * Ledger benchmark: builds a local chain with at least 100,000 program events, then measures the
 * backfill sync throughput (events/s) into SQLite (and Postgres when PUNCHCARD_PG_URL is set) and
 * the time of the stats query. Writes bench/ledger-<date>.md and .json.
 *
 *   npm run bench:ledger
 *
 * Not part of `npm test`: it measures, it does not assert.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPublicClient, http, type Address } from "viem";
import { mintStamps, rewardPoints } from "@punchcard/sdk";
import { deployProgram } from "@punchcard/sdk/deploy";
import { ledgerStats, openDatabase, syncLedger, type LedgerTables } from "@punchcard/sdk/node";
import { walletClientFor } from "../sdk/src/cli/clients";
import { serveInProcessChain } from "../test/helpers/rpcServer";
import { benchStatsAtScale, statsAtScaleMarkdown } from "./ledger/stats";

const TARGET_EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const BATCH = 300;

function members(count: number): Address[] {
  return Array.from({ length: count }, (_, i) => `0x${(0x100000 + i).toString(16).padStart(40, "0")}` as Address);
}

async function faults() {
  const { runFaultSuite, faultsMarkdown } = await import("./ledger/faults");
  const { cases, output, seconds } = runFaultSuite();
  const md = faultsMarkdown(cases, seconds).join("\n");
  const date = new Date().toISOString().slice(0, 10);
  fs.writeFileSync(path.join(__dirname, `ledger-faults-${date}.md`), `# Ledger faults, ${date}\n\n${md}`);
  console.log(md);
  if (cases.length === 0 || cases.some((c) => c.passed < c.runs)) {
    console.log(output.slice(-8_000));
    process.exitCode = 1;
  }
}

async function main() {
  const started = Date.now();
  const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);
  const brand = await walletClientFor("hardhat");
  const { program } = await deployProgram(brand, {
    config: {
      brand: "Bench Coffee",
      stamps: { name: "Bench Stamps", symbol: "BST" },
      points: { name: "Bench Points", symbol: "BPT" },
      treasury: brand.account.address,
      transferPolicy: "open",
      series: [{ name: "Bench Cup", maxSupply: 999_999_999 }],
    },
  });

  // Each reward batch writes 2 logs per member (Transfer + PointsRewarded); each stamp batch 1 per member.
  const to = members(BATCH);
  let events = 0;
  let batches = 0;
  while (events < TARGET_EVENTS) {
    if (batches % 4 === 3) {
      await mintStamps(brand, { program, seriesId: 1n, to });
      events += BATCH;
    } else {
      await rewardPoints(brand, { program, reason: `bench-${batches}`, rewards: to.map((member) => ({ member, amount: 10n })) });
      events += 2 * BATCH;
    }
    batches++;
    if (batches % 20 === 0) log(`generated ${events} events in ${batches} transactions`);
  }
  log(`chain ready: ${events} program events in ${batches} transactions`);

  const rpc = await serveInProcessChain();
  const client = createPublicClient({ transport: http(rpc.url, { retryCount: 0 }) });
  const targets = [
    { engine: "sqlite", location: path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-ledger-")), "ledger.sqlite") },
  ];
  if (process.env.PUNCHCARD_PG_URL) targets.push({ engine: "postgres", location: process.env.PUNCHCARD_PG_URL });

  const results: Array<{ engine: string; entries: number; syncSeconds: number; eventsPerSecond: number; statsMs: number }> = [];
  for (const target of targets) {
    const db = openDatabase<LedgerTables>(target.location);
    if (target.engine === "postgres") {
      await db.schema.dropTable("ledger_entries").ifExists().execute();
      await db.schema.dropTable("sync_checkpoints").ifExists().execute();
    }
    const t0 = performance.now();
    let lastLog = 0;
    const result = await syncLedger(client, {
      program,
      db,
      onProgress: (p) => {
        if (Date.now() - lastLog > 2000) {
          lastLog = Date.now();
          log(
            `${target.engine}: blocks ${p.doneBlocks}/${p.totalBlocks}, ${p.entries} entries, ${p.entriesPerSecond.toFixed(0)} entries/s`,
          );
        }
      },
    });
    const syncSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const stats = await ledgerStats(db, { program });
    const statsMs = performance.now() - t1;
    log(
      `${target.engine}: synced ${result.entries} entries in ${syncSeconds.toFixed(1)} s; stats in ${statsMs.toFixed(0)} ms (${stats.members} members)`,
    );
    results.push({
      engine: target.engine,
      entries: result.entries,
      syncSeconds,
      eventsPerSecond: result.entries / syncSeconds,
      statsMs,
    });
    await db.destroy();
  }
  await rpc.close();

  // The figures query on a synthetic 1,000,000-row ledger (BENCH_STATS_ROWS; 0 skips it).
  const statsRows = Number(process.env.BENCH_STATS_ROWS ?? 1_000_000);
  const atScale = [];
  for (const target of statsRows > 0 ? targets : []) {
    const location = target.engine === "sqlite" ? `${target.location}.stats` : target.location;
    atScale.push(await benchStatsAtScale(target.engine, location, statsRows, log));
  }

  const date = new Date().toISOString().slice(0, 10);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const md = [
    `# Ledger benchmark, ${date}`,
    "",
    `Machine: ${machine}. Chain: Hardhat in-process network served over HTTP on loopback (as \`hardhat node\`),`,
    `${events} program events in ${batches} transactions. Backfill sync from the deploy block, default step of 2,000 blocks.`,
    "",
    "| database | entries | sync time (s) | events/s | stats query (ms) |",
    "|---|---:|---:|---:|---:|",
    ...results.map(
      (r) =>
        `| ${r.engine} | ${r.entries} | ${r.syncSeconds.toFixed(1)} | ${r.eventsPerSecond.toFixed(0)} | ${r.statsMs.toFixed(0)} |`,
    ),
    "",
    ...(atScale.length > 0 ? statsAtScaleMarkdown(atScale) : []),
  ].join("\n");
  fs.mkdirSync(path.join(__dirname), { recursive: true });
  fs.writeFileSync(path.join(__dirname, `ledger-${date}.md`), md);
  fs.writeFileSync(
    path.join(__dirname, `ledger-${date}.json`),
    `${JSON.stringify({ date, machine, events, batches, results, atScale }, null, 2)}\n`,
  );
  console.log(`\n${md}`);
}

// --faults: the fault suite on long fixtures instead (bench/ledger/faults.ts).
(process.argv.includes("--faults") ? faults() : main()).then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
