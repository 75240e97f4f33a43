/**
 * The Ponder side of the ledger benchmark: runs the project in bench/ponder (`ponder start`) against the
 * benchmark's RPC on PGlite (embedded) or Postgres, times its backfill, and serves its rows and head to the runner.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { Program } from "@punchcard/sdk";

export type PonderEngine = "pglite" | "postgres";

const ROOT = path.join(__dirname, "..", "..");
const PONDER_BIN = path.join(ROOT, "node_modules", ".bin", "ponder");
const SCHEMA = "ponder_bench";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A running Ponder indexer of the benchmark's program. */
export interface PonderIndexer {
  engine: PonderEngine;
  url: string;
  /** Seconds from the spawn to Ponder's HTTP server answering (build, database setup). */
  startupSeconds: number;
  /** Seconds from the spawn to /ready (historical backfill done). */
  readySeconds: number;
  /** Newest block with a row, and the row count, as a reader of Ponder's API sees them. */
  head: () => Promise<{ block: bigint | null; rows: number }>;
  /** Rows up to `toBlock` in (block, log index) order, through Ponder's API. */
  rows: (toBlock: bigint) => Promise<Array<Record<string, unknown>>>;
  stop: () => Promise<void>;
  logFile: string;
}

async function resetPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Ponder keeps its RPC cache in ponder_sync: dropped, so every run is a cold backfill.
    await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await client.query("DROP SCHEMA IF EXISTS ponder_sync CASCADE");
  } finally {
    await client.end();
  }
}

/**
 * Starts Ponder on a fresh database and resolves once its backfill is done (/ready answers 200).
 * `onProgress` is called every 2 s with the rows indexed so far.
 */
export async function startPonder(options: {
  engine: PonderEngine;
  rpcUrl: string;
  program: Program;
  pgUrl?: string;
  /** The last block with events: the backfill is done when Ponder's newest row is at this block. */
  untilBlock: bigint;
  onProgress?: (rows: number, seconds: number) => void;
}): Promise<PonderIndexer> {
  const { engine, rpcUrl, program } = options;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `bench-ponder-${engine}-`));
  const logFile = path.join(work, "ponder.log");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PONDER_RPC_URL: rpcUrl,
    PONDER_PROGRAM: JSON.stringify({ ...program, deployBlock: program.deployBlock.toString() }),
    PONDER_TELEMETRY_DISABLED: "true",
    NODE_ENV: "production",
  };
  delete env.DATABASE_URL;
  delete env.DATABASE_PRIVATE_URL;
  if (engine === "postgres") {
    if (!options.pgUrl) throw new Error("Ponder on Postgres needs PUNCHCARD_PG_URL");
    await resetPostgres(options.pgUrl);
    env.PONDER_PG_URL = options.pgUrl;
  } else {
    env.PONDER_PGLITE_DIR = path.join(work, "pglite");
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const out = fs.openSync(logFile, "w");
  const started = performance.now();
  const child: ChildProcess = spawn(
    PONDER_BIN,
    ["start", "--root", "bench/ponder", "--port", String(port), "--schema", SCHEMA, "--log-format", "json"],
    { cwd: ROOT, env, stdio: ["ignore", out, out] },
  );
  let exited: string | undefined;
  child.on("exit", (code, signal) => (exited = `exited with ${signal ?? code}`));
  const tail = () => fs.readFileSync(logFile, "utf8").split("\n").slice(-15).join("\n");

  const get = async (route: string) => fetch(`${url}${route}`, { signal: AbortSignal.timeout(30_000) });
  const head = async () => {
    const body = (await (await get("/head")).json()) as { block: string | null; rows: number };
    return { block: body.block === null ? null : BigInt(body.block), rows: Number(body.rows) };
  };

  let startupSeconds: number | undefined;
  let lastProgress = 0;
  for (;;) {
    if (exited) throw new Error(`Ponder (${engine}) ${exited} before its backfill was done:\n${tail()}`);
    try {
      const ready = await get("/ready");
      startupSeconds ??= (performance.now() - started) / 1000;
      // /ready says the historical sync is done; Ponder leaves the last blocks before the head (30 on this chain,
      // its finality depth) to its realtime sync, so the backfill is done when the head block's rows are in.
      if (ready.status === 200 || performance.now() - lastProgress > 2000) {
        const now = await head();
        if (ready.status === 200 && (now.block ?? -1n) >= options.untilBlock) break;
        if (performance.now() - lastProgress > 2000) {
          lastProgress = performance.now();
          options.onProgress?.(now.rows, (performance.now() - started) / 1000);
        }
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const readySeconds = (performance.now() - started) / 1000;

  return {
    engine,
    url,
    startupSeconds: startupSeconds ?? readySeconds,
    readySeconds,
    head,
    rows: async (toBlock) => {
      const all: Array<Record<string, unknown>> = [];
      for (;;) {
        const page = (await (await get(`/rows?offset=${all.length}&limit=20000`)).json()) as Array<Record<string, unknown>>;
        all.push(...page);
        if (page.length < 20_000) break;
      }
      return all.filter((row) => BigInt(String(row.block_number)) <= toBlock);
    },
    stop: async () => {
      if (!exited) {
        const gone = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await gone;
        clearTimeout(timer);
      }
      fs.closeSync(out);
    },
    logFile,
  };
}
