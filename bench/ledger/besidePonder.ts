/**
 * The ledger beside Ponder (issue #15): on the chain ours has just backfilled, Ponder 1.x backfills the same
 * program on PGlite and on Postgres; every row Ponder writes is checked against ours; then each of the four
 * indexers follows the head while a writer keeps mining blocks with events.
 */
import crypto from "node:crypto";
import type { PublicClient } from "viem";
import { EXPORT_COLUMNS, openDatabase, syncLedger, type LedgerTables } from "@punchcard/sdk/node";
import { programKey } from "../../sdk/src/node/ledger/syncLedger";
import type { Fixture } from "./fixture";
import { raceHead, type HeadLatency } from "./head";
import { startPonder, type PonderEngine } from "./ponder";

/** Our backfill of one engine, as bench/ledger.ts measured it. */
export interface OurBackfill {
  engine: "sqlite" | "postgres";
  location: string;
  entries: number;
  eventsPerSecond: number;
  /** Each run's events/s when the backfill ran more than once (`eventsPerSecond` is their median). */
  runs?: number[];
}

export interface PonderBackfill {
  engine: PonderEngine;
  rows: number;
  startupSeconds: number;
  readySeconds: number;
  /** Rows over the whole wait, from the spawn of `ponder start` to /ready. */
  eventsPerSecond: number;
  /** Rows over the wait after Ponder's server first answered (its build and database setup left out). */
  eventsPerSecondAfterStartup: number;
  /** Rows equal to ours, column for column. */
  sameRows: boolean;
  firstDifference?: string;
  /** Each cold run's events/s after startup (the fields above are of the median run). */
  runs: number[];
}

/** The median of some figures (the middle one of an odd count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface BesidePonder {
  headBlock: string;
  ponder: PonderBackfill[];
  head: Array<{ indexer: string; engine: string } & HeadLatency>;
  targets: Array<{ target: string; ours: number; ponder: number; limit: string; verdict: string }>;
}

/** The row as the ledger exports it, plus the program key it is filed under: what both indexers must agree on. */
export const CANONICAL_COLUMNS = [...EXPORT_COLUMNS, "program"] as const;

/** One line per row, every column as text, so both stores' rows compare whatever their drivers return. */
export function canonical(row: Record<string, unknown>): string {
  return JSON.stringify(CANONICAL_COLUMNS.map((c) => (row[c] === null || row[c] === undefined ? null : String(row[c]))));
}

export async function ourRows(location: string, program: Fixture["program"], toBlock: bigint): Promise<string[]> {
  const db = openDatabase<LedgerTables>(location);
  try {
    const rows = await db
      .selectFrom("ledger_entries")
      .selectAll()
      .where("program", "=", programKey(program))
      .where("block_number", "<=", toBlock.toString())
      .orderBy("block_number")
      .orderBy("log_index")
      .execute();
    return rows.map((r) => canonical(r as unknown as Record<string, unknown>));
  } finally {
    await db.destroy();
  }
}

function compare(ours: string[], theirs: string[]): { same: boolean; first?: string } {
  const digest = (lines: string[]) => crypto.createHash("sha256").update(lines.join("\n")).digest("hex");
  if (ours.length === theirs.length && digest(ours) === digest(theirs)) return { same: true };
  const i = ours.findIndex((line, k) => line !== theirs[k]);
  const at = i === -1 ? Math.min(ours.length, theirs.length) : i;
  return {
    same: false,
    first: `${ours.length} rows ours, ${theirs.length} Ponder's; row ${at}: ours ${ours[at] ?? "none"}, Ponder's ${theirs[at] ?? "none"}`,
  };
}

export async function besidePonder(options: {
  fixture: Fixture;
  rpcUrl: string;
  client: PublicClient;
  ours: OurBackfill[];
  pgUrl?: string;
  headSeconds: number;
  blockIntervalMs: number;
  /** Cold backfills of each engine (default 1): the median is compared, every run is reported. */
  runs?: number;
  log: (line: string) => void;
}): Promise<BesidePonder> {
  const { fixture, log } = options;
  const program = fixture.program;
  const headBlock = await options.client.getBlockNumber({ cacheTime: 0 });
  const reference = options.ours.find((o) => o.engine === "sqlite") ?? options.ours[0];
  if (!reference) throw new Error("besidePonder needs our backfill first");
  const expected = await ourRows(reference.location, program, headBlock);
  const race = { seconds: options.headSeconds, intervalMs: options.blockIntervalMs };
  const engines: PonderEngine[] = options.pgUrl ? ["pglite", "postgres"] : ["pglite"];
  const ponder: PonderBackfill[] = [];
  const head: BesidePonder["head"] = [];

  for (const engine of engines) {
    const runs: PonderBackfill[] = [];
    const total = options.runs ?? 1;
    for (let run = 1; run <= total; run++) {
      log(`ponder (${engine}): starting cold backfill ${run}/${total} of blocks ${program.deployBlock}-${headBlock}`);
      const indexer = await startPonder({
        engine,
        rpcUrl: options.rpcUrl,
        program,
        untilBlock: fixture.lastEventBlock,
        ...(options.pgUrl ? { pgUrl: options.pgUrl } : {}),
        onProgress: (rows, seconds) => log(`ponder (${engine}): ${rows} rows after ${seconds.toFixed(0)} s`),
      });
      try {
        const theirs = (await indexer.rows(headBlock)).map(canonical);
        const check = compare(expected, theirs);
        const rows = theirs.length;
        const result: PonderBackfill = {
          engine,
          rows,
          startupSeconds: indexer.startupSeconds,
          readySeconds: indexer.readySeconds,
          eventsPerSecond: rows / indexer.readySeconds,
          eventsPerSecondAfterStartup: rows / (indexer.readySeconds - indexer.startupSeconds),
          sameRows: check.same,
          ...(check.first ? { firstDifference: check.first } : {}),
          runs: [],
        };
        runs.push(result);
        log(
          `ponder (${engine}): ${rows} rows in ${indexer.readySeconds.toFixed(1)} s (server up after ${indexer.startupSeconds.toFixed(1)} s), ` +
            `${result.eventsPerSecond.toFixed(0)} events/s; rows ${check.same ? "equal ours" : `DIFFER: ${check.first}`}`,
        );
        if (run < total) continue;
        log(`ponder (${engine}): head race, ${options.headSeconds} s with a block every ${options.blockIntervalMs} ms`);
        const latency = await raceHead(fixture, async () => (await indexer.head()).block, race);
        head.push({ indexer: "Ponder 1.0.0", engine, ...latency });
        log(
          `ponder (${engine}): head p50 ${latency.p50Ms.toFixed(0)} ms, p95 ${latency.p95Ms.toFixed(0)} ms over ${latency.blocks} blocks`,
        );
      } finally {
        await indexer.stop();
      }
    }
    const rates = runs.map((r) => r.eventsPerSecondAfterStartup);
    const middle = runs.find((r) => r.eventsPerSecondAfterStartup === median(rates)) ?? runs[0]!;
    ponder.push({ ...middle, sameRows: runs.every((r) => r.sameRows), runs: rates });
  }

  for (const ours of options.ours) {
    const db = openDatabase<LedgerTables>(ours.location);
    const reader = openDatabase<LedgerTables>(ours.location);
    let following = true;
    try {
      // Catch up on the blocks the other races mined, then follow: a sync every 100 ms, as Ponder polls.
      await syncLedger(options.client, { program, db });
      const follower = (async () => {
        while (following) {
          await syncLedger(options.client, { program, db });
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
      log(`ours (${ours.engine}): head race, ${options.headSeconds} s with a block every ${options.blockIntervalMs} ms`);
      const latency = await raceHead(
        fixture,
        async () => {
          const row = await reader
            .selectFrom("ledger_entries")
            .select((eb) => eb.fn.max("block_number").as("block"))
            .where("program", "=", programKey(program))
            .executeTakeFirst();
          return row?.block === null || row?.block === undefined ? null : BigInt(row.block);
        },
        race,
      );
      following = false;
      await follower;
      head.push({ indexer: "ours (syncLedger)", engine: ours.engine, ...latency });
      log(
        `ours (${ours.engine}): head p50 ${latency.p50Ms.toFixed(0)} ms, p95 ${latency.p95Ms.toFixed(0)} ms over ${latency.blocks} blocks`,
      );
    } finally {
      following = false;
      await db.destroy();
      await reader.destroy();
    }
  }

  const targets: BesidePonder["targets"] = [];
  for (const [oursEngine, ponderEngine] of [
    ["sqlite", "pglite"],
    ["postgres", "postgres"],
  ] as const) {
    const o = options.ours.find((r) => r.engine === oursEngine);
    const p = ponder.find((r) => r.engine === ponderEngine);
    if (!o || !p) continue;
    // Against Ponder's rate after its startup: the stricter comparison for us.
    const ratio = o.eventsPerSecond / p.eventsPerSecondAfterStartup;
    targets.push({
      target: `backfill events/s, ours on ${oursEngine} vs Ponder on ${ponderEngine === "pglite" ? "PGlite" : "Postgres"}`,
      ours: o.eventsPerSecond,
      ponder: p.eventsPerSecondAfterStartup,
      limit: "≥ 2.00×",
      verdict:
        ratio >= 2 ? `met (${ratio.toFixed(2)}×)` : `missed: ${ratio.toFixed(2)}×, ${((1 - ratio / 2) * 100).toFixed(0)} % short`,
    });
  }
  for (const h of head.filter((r) => r.indexer.startsWith("ours"))) {
    targets.push({
      target: `head latency p95, ours on ${h.engine} (ms)`,
      ours: h.p95Ms,
      ponder:
        head.find(
          (r) => !r.indexer.startsWith("ours") && (r.engine === h.engine || (h.engine === "sqlite" && r.engine === "pglite")),
        )?.p95Ms ?? NaN,
      limit: "< 1,000 ms",
      verdict: h.p95Ms < 1000 ? "met" : `missed by ${(h.p95Ms - 1000).toFixed(0)} ms`,
    });
  }
  return { headBlock: headBlock.toString(), ponder, head, targets };
}

/** The report's section: backfill side by side, the head race, the targets. */
export function besidePonderMarkdown(result: BesidePonder, ours: OurBackfill[]): string[] {
  const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");
  return [
    "## Beside Ponder",
    "",
    `The same chain (blocks up to ${result.headBlock}) and the same RPC on loopback, indexed cold by Ponder 1.0.0 (\`bench/ponder\`: the`,
    "same table, columns and indexes as ours; one handler per event of the five contracts, writing the row `syncLedger` writes,",
    "through the same normalisation). Ponder's RPC rate limit is lifted (10,000 requests/s) and it polls every 100 ms. Its time",
    "runs from `ponder start` to its rows reaching the head block; the rate after startup leaves out its build and database setup (the server answering).",
    "",
    "With several runs, each indexer's figures are of its median run, and every run's events/s (after startup) is listed.",
    "",
    "| indexer | engine | rows | time (s) | events/s | events/s after startup | every run | rows equal ours |",
    "|---|---|---:|---:|---:|---:|---|---|",
    ...ours.map(
      (o) =>
        `| ours (syncLedger) | ${o.engine} | ${o.entries} | ${(o.entries / o.eventsPerSecond).toFixed(1)} | ${fmt(o.eventsPerSecond)} | ${fmt(o.eventsPerSecond)} | ${(o.runs ?? [o.eventsPerSecond]).map(fmt).join(", ")} | (reference) |`,
    ),
    ...result.ponder.map(
      (p) =>
        `| Ponder 1.0.0 | ${p.engine === "pglite" ? "PGlite" : "Postgres"} | ${p.rows} | ${p.readySeconds.toFixed(1)} (startup ${p.startupSeconds.toFixed(1)}) | ${fmt(p.eventsPerSecond)} | ${fmt(p.eventsPerSecondAfterStartup)} | ${p.runs.map(fmt).join(", ")} | ${p.sameRows ? "yes" : `no: ${p.firstDifference}`} |`,
    ),
    "",
    "Head latency: a writer mines a block with 10 events every ~200 ms; a poller asks each indexer's store for its newest block every",
    "10 ms (ours: a query on its database; Ponder: a query through its HTTP API, the way a reader reaches PGlite inside its process).",
    "A block's latency runs from its receipt reaching the writer to the first answer that includes it.",
    "",
    "| indexer | engine | blocks | p50 (ms) | p95 (ms) | max (ms) |",
    "|---|---|---:|---:|---:|---:|",
    ...result.head.map(
      (h) => `| ${h.indexer} | ${h.engine} | ${h.blocks} | ${fmt(h.p50Ms)} | ${fmt(h.p95Ms)} | ${fmt(h.maxMs)} |`,
    ),
    "",
    "| target | ours | Ponder | target | verdict |",
    "|---|---:|---:|---|---|",
    ...result.targets.map((t) => `| ${t.target} | ${fmt(t.ours)} | ${fmt(t.ponder)} | ${t.limit} | ${t.verdict} |`),
    "",
    "Fairness: the chain is Hardhat's in-process network, served over HTTP by the benchmark's process. Each backfill runs",
    "in a process of its own (Ponder's `ponder start`; ours `bench/ledger/backfillChild.ts`), so each has the RPC server in",
    "another process, as against a real node. With `--in-process` ours runs inside the process that serves the RPC",
    "(Hardhat's JSON-RPC server encodes every log it sends, about a fifth of that process's time in a CPU profile): that",
    "handicaps ours, not Ponder, and most on a loaded machine, where two processes get twice one's share of the cores.",
    "The head races follow from the benchmark's process. On Postgres ours sends each step's rows as one JSON parameter",
    "per 5,000 rows that the server unpacks (`json_populate_recordset`), in the transaction that also writes the figures",
    "and the checkpoint; Ponder flushes its cache with COPY. The machine's other jobs load it unevenly and each indexer runs",
    "at a different moment, so the ratios move by tens of percent from run to run.",
    "",
  ];
}
