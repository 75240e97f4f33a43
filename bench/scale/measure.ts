/**
 * What the scale run measures of a program of a given size, beside its gas: the ledger's backfill (SQLite, and
 * Postgres when a URL is given) with its size on disk, `ledger stats` and every KPI query on it; and the order book
 * holding an open order for a tenth of the members (post rate and uncached read p99, autocannon on `punchcard serve`).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql, type Kysely } from "kysely";
import pg from "pg";
import type { Program } from "@punchcard/sdk";
import { ledgerStats, openDatabase, type LedgerTables } from "@punchcard/sdk/node";
import { ledgerKpis } from "../../sdk/src/node/ledger/kpis";
import { kpiCohorts } from "../../sdk/src/node/ledger/kpisCohorts";
import { kpiRfm } from "../../sdk/src/node/ledger/kpisRfm";
import { programKey } from "../../sdk/src/node/ledger/syncLedger";
import { backfillInChild } from "../ledger/backfillChild";
import { posts, uncachedReads, walkCursors } from "../server/runs";
import { emptyPostgres, seedBook, signedListings, startServe, stopServe, writeRecord } from "../server/setup";
import type { PrivateKeyAccount } from "viem/accounts";

export interface LedgerFigures {
  engine: "sqlite" | "postgres";
  entries: number;
  syncSeconds: number;
  entriesPerSecond: number;
  /** The ledger's tables and indexes on disk (SQLite: the file and its WAL; Postgres: every table of the schema). */
  bytes: number;
  statsMs: number;
  /** Each KPI query's time (the best of 2 runs), the heaviest first. */
  kpisMs: Array<{ query: string; ms: number }>;
}

const DAY = 86_400;
/** Listings signed for the post run: more than a run of a few seconds posts on this machine. */
const POSTS = 1_500;

async function timed(run: () => Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let k = 0; k < 2; k++) {
    const t0 = performance.now();
    await run();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** Every KPI query of the ledger over the program's whole life, the heaviest first. */
async function kpiTimes(db: Kysely<LedgerTables>, program: Program): Promise<LedgerFigures["kpisMs"]> {
  const key = programKey(program);
  const [span] = (
    await sql<{ first: string | number; last: string | number }>`
      SELECT min(block_time) AS first, max(block_time) AS last FROM ledger_entries WHERE program = ${key}`.execute(db)
  ).rows;
  const from = Math.floor(Number(span!.first) / DAY) * DAY;
  const to = Number(span!.last) + 1;
  const life = { program, from, to, pointsDecimals: 18, valuePerPoint: "0.01" };
  const queries: Array<[string, () => Promise<unknown>]> = [
    ["ledgerKpis by day", () => ledgerKpis(db, { ...life, by: "day" })],
    ["ledgerKpis by week", () => ledgerKpis(db, { ...life, by: "week" })],
    ["ledgerKpis by month", () => ledgerKpis(db, { ...life, by: "month" })],
    ["kpiCohorts", () => kpiCohorts(db, life)],
    ["kpiRfm", () => kpiRfm(db, { program })],
  ];
  const times = [];
  for (const [query, run] of queries) times.push({ query, ms: await timed(run) });
  return times.sort((a, b) => b.ms - a.ms);
}

/** Empties the Postgres database: the analysts' views first (emptyPostgres drops tables and functions), then the rest. */
async function emptyLedger(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ viewname: string }>("SELECT viewname FROM pg_views WHERE schemaname = 'public'");
    for (const { viewname } of rows) await client.query(`DROP VIEW IF EXISTS "${viewname}" CASCADE`);
  } finally {
    await client.end();
  }
  await emptyPostgres(url);
}

async function postgresBytes(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ bytes: string }>(
      "SELECT coalesce(sum(pg_total_relation_size(format('%I', tablename)::regclass)), 0) AS bytes FROM pg_tables WHERE schemaname = 'public'",
    );
    return Number(rows[0]!.bytes);
  } finally {
    await client.end();
  }
}

/**
 * Backfills the whole chain into a fresh database of `engine` (in a process of its own, as bench:ledger does), then
 * measures its size, `ledger stats` and the KPI queries.
 */
export async function measureLedger(
  engine: LedgerFigures["engine"],
  location: string,
  rpcUrl: string,
  program: Program,
  log: (line: string) => void,
): Promise<LedgerFigures> {
  if (engine === "postgres") await emptyLedger(location);
  else for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${location}${suffix}`, { force: true });
  const { entries, syncSeconds } = await backfillInChild(rpcUrl, program, location, (line) => log(`${engine}: ${line}`));
  const db = openDatabase<LedgerTables>(location);
  try {
    const statsMs = await timed(() => ledgerStats(db, { program }));
    const kpisMs = await kpiTimes(db, program);
    const bytes =
      engine === "postgres"
        ? await postgresBytes(location)
        : ["", "-wal"].reduce((n, s) => n + (fs.existsSync(`${location}${s}`) ? fs.statSync(`${location}${s}`).size : 0), 0);
    log(
      `${engine}: ${entries} entries in ${syncSeconds.toFixed(1)} s, ${(bytes / 2 ** 20).toFixed(1)} MiB, stats ${statsMs.toFixed(0)} ms, heaviest KPI ${kpisMs[0]!.query} ${kpisMs[0]!.ms.toFixed(0)} ms`,
    );
    return { engine, entries, syncSeconds, entriesPerSecond: entries / syncSeconds, bytes, statsMs, kpisMs };
  } finally {
    await db.destroy();
  }
}

export interface BookFigures {
  openOrders: number;
  postRps: number;
  postP99: number;
  postsCreated: number;
  /** The posts' answers, by status ("201: 812, 400: 3"). */
  postStatuses: string;
  readRps: number;
  readP99: number;
  readNon2xx: number;
  connections: number;
  seconds: number;
}

/**
 * The order book of a program of `members`: a tenth of them holding an open listing (seeded straight into a SQLite
 * book, as bench:server seeds its book), `punchcard serve` on it; uncached reads (a new cursor and page size each),
 * then posts of distinct listings signed by `seller` of its stamp `tokenId`, each checked against the chain.
 */
export async function measureBook(options: {
  program: Program;
  deployer: `0x${string}`;
  rpcUrl: string;
  members: number;
  seller: PrivateKeyAccount;
  tokenId: bigint;
  /** The listings' expiry, unix seconds past the chain's clock. */
  expiry: bigint;
  connections: number;
  seconds: number;
  log: (line: string) => void;
}): Promise<BookFigures> {
  const { program, members, connections, seconds, log } = options;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-scale-book-"));
  const location = path.join(dir, "book.sqlite");
  const openOrders = Math.round(members / 10);
  await seedBook(location, program, openOrders, options.expiry);
  const record = writeRecord(dir, program, options.deployer);
  // One seller signs every posted listing (so the members' signing is not what is measured): the book's caps on a
  // member's and a stamp's open orders (200 and 20 by default) are raised above them, as bench:server's relay run does.
  const caps = ["--max-open-per-member", String(POSTS), "--max-open-per-stamp", String(POSTS)];
  const server = await startServe(["--program", record, "--rpc", options.rpcUrl, "--db", location, "--port", "0", ...caps]);
  try {
    const cursors = await walkCursors(server.url, 10);
    log(`book: ${openOrders} open orders, ${cursors.length} cursors walked; uncached reads`);
    const reads = await uncachedReads(server, "SQLite", cursors, connections, seconds);
    const bodies = await signedListings(program, options.seller, options.tokenId, options.expiry, POSTS, 10_000);
    log(`book: posts`);
    const { row, created } = await posts([server], "SQLite", bodies, connections, seconds);
    return {
      openOrders,
      postRps: row.rps,
      postP99: row.p99,
      postsCreated: created.length,
      postStatuses: String(row.checks.statuses),
      readRps: reads.rps,
      readP99: reads.p99,
      readNon2xx: reads.non2xx,
      connections,
      seconds,
    };
  } finally {
    await stopServe(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
