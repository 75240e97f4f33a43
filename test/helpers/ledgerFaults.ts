import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { sql, type Kysely } from "kysely";
import type { Address } from "viem";
import { readLedger, recordFromProgram, type Program, type ReadClient } from "@punchcard/sdk";
import { ledgerStats, openDatabase, type LedgerTables } from "@punchcard/sdk/node";
import { foldLedgerStats } from "../../sdk/src/node/ledger/foldLedgerStats";
import { programKey, toRow } from "../../sdk/src/node/ledger/syncLedger";

/** Arbitrary member addresses, for large batches. */
export function manyMembers(count: number, offset = 0): Address[] {
  return Array.from({ length: count }, (_, i) => `0x${(0x200000 + offset + i).toString(16).padStart(40, "0")}` as Address);
}

/** The program's rows as read straight from the chain (or what an RPC serves as the chain), in chain order. */
export async function chainRows(client: ReadClient, program: Program) {
  const entries = await readLedger(client, { program });
  return entries.map((e) => toRow(program, e));
}

/**
 * After a fault: the database holds exactly the chain's events (no gap, none twice, none of another
 * branch), and its figures equal the figures folded from the chain's own events.
 */
export async function expectLedgerEqualsChain(db: Kysely<LedgerTables>, client: ReadClient, program: Program) {
  const chain = await chainRows(client, program);
  const rows = await db
    .selectFrom("ledger_entries")
    .select(["tx_hash", "log_index", "block_number"])
    .where("program", "=", programKey(program))
    .orderBy("block_number")
    .orderBy("log_index")
    .execute();
  expect(rows.map((r) => `${r.tx_hash}:${Number(r.log_index)}`)).to.deep.equal(chain.map((r) => `${r.tx_hash}:${r.log_index}`));
  expect(await ledgerStats(db, { program })).to.deep.equal(foldLedgerStats(chain));
  return chain.length;
}

/**
 * A reader polling the database while a sync writes it, in its own connection, each look one snapshot:
 * the rows are exactly the chain's events up to the checkpoint (none of a half-written step), and the
 * running figures count exactly those rows. Stops with what it saw.
 */
export function startReader(location: string, program: Program, expectedUpTo: (block: bigint) => number) {
  const db = openDatabase<LedgerTables>(location);
  const key = programKey(program);
  const violations: string[] = [];
  let reads = 0;
  let stopped = false;
  const postgres = location.startsWith("postgres");
  const look = async () => {
    const snapshot = postgres ? db.transaction().setIsolationLevel("repeatable read") : db.transaction();
    await snapshot.execute(async (trx) => {
      // Until the sync's migrations are all recorded, there is nothing to check (SQLite runs DDL outside transactions).
      const tables = await sql<{ n: number | string }>`
        SELECT count(*) AS n FROM ${sql.raw(postgres ? "information_schema.tables WHERE table_name = 'punchcard_ledger_migration' AND table_schema = current_schema()" : "sqlite_master WHERE name = 'punchcard_ledger_migration'")}`.execute(
        trx,
      );
      if (Number(tables.rows[0]?.n ?? 0) === 0) return;
      const done = await sql<{ n: number | string }>`
        SELECT count(*) AS n FROM punchcard_ledger_migration WHERE name = '0004_ledger_sync_blocks'`.execute(trx);
      if (Number(done.rows[0]?.n ?? 0) === 0) return;
      const checkpoint = await trx
        .selectFrom("sync_checkpoints")
        .select("last_block")
        .where("program", "=", key)
        .executeTakeFirst();
      const [rows] = (
        await sql<{ n: number | string; top: number | string | null }>`
          SELECT count(*) AS n, max(block_number) AS top FROM ledger_entries WHERE program = ${key}`.execute(trx)
      ).rows;
      const [figures] = (
        await sql<{ n: number | string | null }>`SELECT sum(n) AS n FROM ledger_fig_totals WHERE program = ${key}`.execute(trx)
      ).rows;
      reads++;
      const count = Number(rows?.n ?? 0);
      const last = checkpoint ? BigInt(checkpoint.last_block) : undefined;
      const expected = last === undefined ? 0 : expectedUpTo(last);
      if (count !== expected) violations.push(`${count} rows at checkpoint ${last}, the chain has ${expected}`);
      if (rows?.top !== null && rows?.top !== undefined && last !== undefined && BigInt(rows.top) > last) {
        violations.push(`a row of block ${rows.top} beyond checkpoint ${last}`);
      }
      if (Number(figures?.n ?? 0) !== count) violations.push(`figures count ${figures?.n} rows, the table holds ${count}`);
    });
  };
  const loop = (async () => {
    while (!stopped) {
      try {
        await look();
      } catch (error) {
        const message = (error as Error).message;
        // The server itself going away (the Postgres restart case) is not a ledger fault.
        if (
          !/terminat|ECONNREFUSED|Connection terminated|shutting down|the database system is|ECONNRESET|not queryable|connection error/i.test(
            message,
          )
        ) {
          violations.push(`read failed: ${message}`);
        }
      }
      await new Promise((r) => setTimeout(r, 15));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await db.destroy();
      return { reads, violations };
    },
  };
}

/** Chain events per block, for a reader's expectation "events up to block n". */
export function countUpTo(rows: ReadonlyArray<{ block_number: number | string }>) {
  return (block: bigint) => rows.filter((r) => BigInt(r.block_number) <= block).length;
}

const REPO = path.resolve(__dirname, "../..");

/** `punchcard ledger sync` as a child process; resolves on its first progress line or its exit. */
export function spawnSync(args: string[]): {
  child: ChildProcess;
  progressed: Promise<void>;
  exited: Promise<number | null>;
  output: () => string;
} {
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "sdk/src/cli/bin.ts", "ledger", "sync", ...args],
    {
      cwd: REPO,
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  let onProgress: () => void;
  const progressed = new Promise<void>((resolve) => (onProgress = resolve));
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => {
    output += d.toString();
    if (/sync: blocks/.test(output)) onProgress();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  void exited.then(() => onProgress());
  return { child, progressed, exited, output: () => output };
}

/** A deployment record file for the CLI. */
export function writeRecord(dir: string, program: Program, deployer: Address): string {
  const record = recordFromProgram(program, {
    brand: "Fault Coffee",
    network: "hardhat",
    configHash: `0x${"00".repeat(32)}`,
    deployer,
    units: { pointsSymbol: "FPT", pointsDecimals: 2, nativeSymbol: "ETH", nativeDecimals: 18 },
  });

  const file = path.join(dir, "program.json");
  fs.writeFileSync(file, JSON.stringify(record));
  return file;
}
