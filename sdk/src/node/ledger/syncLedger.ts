import { CompiledQuery, PostgresAdapter, sql, type Kysely, type Transaction } from "kysely";
import { getBlockNumber, getChainId } from "viem/actions";
import { PunchcardError } from "../../errors.js";
import { retryTransient } from "../../ledger/fetchLogs.js";
import { reuseStatement } from "../database.js";
import type { Program, ReadClient } from "../../program.js";
import { refreshFigures, resetFigures } from "./ledgerFigures.js";
import { migrateLedger, type LedgerEntriesTable, type LedgerTables } from "./schema.js";
import { hashOf, nextStepBlocks, readStep, type ReadStep } from "./syncStep.js";
import { programKey } from "./syncRow.js";

export { programKey, toRow } from "./syncRow.js";

export interface SyncProgress {
  fromBlock: bigint;
  toBlock: bigint;
  doneBlocks: bigint;
  totalBlocks: bigint;
  entries: number;
  entriesPerSecond: number;
}

export interface SyncLedgerParameters {
  program: Program;
  db: Kysely<LedgerTables>;
  /** Blocks behind the head left unwritten, so a reorg cannot leave a wrong row (default 0 on the local chain 31337, 12 elsewhere). */
  confirmations?: bigint;
  /**
   * Most blocks read and written per step; each step commits its rows and the checkpoint together (default 2,000).
   * The first step is a sixteenth of it; then each step aims at `stepEntries` rows.
   */
  stepBlocks?: bigint;
  /**
   * Rows a step aims at (default 10,000): a dense history comes in several steps, the next read while this one is
   * written; a sparse one in steps of up to `stepBlocks` blocks.
   */
  stepEntries?: number;
  /** Last block to sync (default: head minus confirmations). */
  toBlock?: bigint;
  onProgress?: (progress: SyncProgress) => void;
  /** Passed to the log reader; tests and benchmarks set smaller ranges. */
  maxRange?: bigint;
  /** Blocks behind the head whose hashes are kept to detect a reorg and find where it forked (default 64). */
  reorgDepth?: bigint;
}

export interface SyncLedgerReturnType {
  fromBlock: bigint;
  toBlock: bigint;
  /** Entries read from the chain in this run. */
  entries: number;
  /** Rows actually written (fewer than `entries` when a killed run had written some already). */
  inserted: number;
  /** Rows deleted because their blocks left the chain in a reorg. */
  rolledBack: number;
}

/**
 * The last block synced for a program, or undefined if never synced.
 *
 * @example
 * const synced = await readCheckpoint(db, program); // undefined before the first sync
 */
export async function readCheckpoint(db: Kysely<LedgerTables>, program: Program): Promise<bigint | undefined> {
  const row = await db
    .selectFrom("sync_checkpoints")
    .select("last_block")
    .where("program", "=", programKey(program))
    .executeTakeFirst();
  return row ? BigInt(row.last_block) : undefined;
}

/** Rows per Postgres INSERT: one JSON parameter of a few MB. */
const PG_ROWS_PER_STATEMENT = 5_000;

/**
 * Inserts a step's rows, skipping those already there; returns how many were new. On Postgres the rows
 * travel as one JSON text per 5,000 rows that the server unpacks (`json_populate_recordset`): one round
 * trip and one parameter instead of 43 bound parameters per row, which pg serialises one by one and the
 * server parses one by one. On SQLite (in-process, no round trips) as multi-row INSERTs of 500 rows.
 */
export async function insertRows(trx: Transaction<LedgerTables>, rows: LedgerEntriesTable[]): Promise<number> {
  let inserted = 0;
  if (rows.length === 0) return 0;
  if (trx.getExecutor().adapter instanceof PostgresAdapter) {
    const columns = sql.join(Object.keys(rows[0]!).map((c) => sql.ref(c)));
    for (let i = 0; i < rows.length; i += PG_ROWS_PER_STATEMENT) {
      const json = JSON.stringify(rows.slice(i, i + PG_ROWS_PER_STATEMENT));
      const result = await sql`
        INSERT INTO ledger_entries (${columns})
        SELECT ${columns} FROM json_populate_recordset(NULL::ledger_entries, ${json}::json)
        ON CONFLICT (chain_id, tx_hash, log_index) DO NOTHING`.execute(trx);
      inserted += Number(result.numAffectedRows ?? 0n);
    }
    return inserted;
  }
  const columns = Object.keys(rows[0]!) as (keyof LedgerEntriesTable)[];
  for (let i = 0; i < rows.length; i += SQLITE_ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + SQLITE_ROWS_PER_STATEMENT);
    const parameters: unknown[] = [];
    for (const row of chunk) for (const column of columns) parameters.push(row[column]);
    const result = await trx.executeQuery(CompiledQuery.raw(sqliteInsertText(columns, chunk.length), parameters));
    inserted += Number(result.numAffectedRows ?? 0n);
  }
  return inserted;
}

/** Rows per SQLite INSERT: 500 rows of 43 columns stay under its limit of 32,766 bound variables per statement. */
const SQLITE_ROWS_PER_STATEMENT = 500;

/**
 * The text of SQLite's INSERT of `count` rows. Written here rather than by the query builder, and the text of a full
 * chunk marked for reuse (prepared once per database, not once per 500 rows): in a profile of the ledger benchmark's
 * backfill, building and preparing each chunk's statement took a tenth of the sync's CPU. Only the full chunk's
 * text is reused, so the kept statements stay one per column list.
 */
function sqliteInsertText(columns: readonly string[], count: number): string {
  const row = `(${columns.map(() => "?").join(", ")})`;
  const text = `INSERT INTO "ledger_entries" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${Array.from({ length: count }, () => row).join(", ")} ON CONFLICT ("chain_id", "tx_hash", "log_index") DO NOTHING`;
  if (count === SQLITE_ROWS_PER_STATEMENT) reuseStatement(text);
  return text;
}

/** The chain reorganised deeper than the block hashes a sync keeps: the ledger cannot find where to resume. */
export class ReorgTooDeepError extends PunchcardError {
  override name = "ReorgTooDeepError";
}

/**
 * Writes the program's ledger into a database, idempotently: rows are unique on (chain, tx, log index)
 * and each step commits its rows, its figures, its block hashes and the checkpoint together, so a sync
 * killed midway and run again leaves exactly one row per event and a reader never sees half a step.
 * Blocks within `confirmations` of the head are left for a later run. Before each step it checks the
 * hash of the last block it wrote: if the chain reorganised, it deletes the rows of the blocks that
 * left the chain (back to the newest block whose hash still matches) and writes the new ones.
 *
 * @example
 * const db = openDatabase<LedgerTables>("ledger.sqlite");
 * await syncLedger(client, { program, db, confirmations: 12n, onProgress: (p) => console.log(`${p.doneBlocks}/${p.totalBlocks}`) });
 */
export async function syncLedger(client: ReadClient, parameters: SyncLedgerParameters): Promise<SyncLedgerReturnType> {
  const { program, db, stepBlocks = 2_000n, stepEntries = 10_000, onProgress, maxRange, reorgDepth = 64n } = parameters;
  if (stepBlocks < 1n || !Number.isSafeInteger(stepEntries) || stepEntries < 1) {
    throw new PunchcardError(
      `A sync step needs at least 1 block and 1 row (stepBlocks ${stepBlocks}, stepEntries ${stepEntries}).`,
      {
        hint: "Leave stepBlocks and stepEntries out for the defaults (2,000 blocks, 10,000 rows).",
      },
    );
  }
  const chainId = await retryTransient(() => getChainId(client));
  if (chainId !== program.chainId) {
    throw new PunchcardError(`The client is on chain ${chainId}, but the program is on chain ${program.chainId}.`, {
      hint: "Point the client at the program's chain.",
    });
  }
  const key = programKey(program);
  const confirmations = parameters.confirmations ?? (chainId === 31337 ? 0n : 12n);
  await migrateLedger(db);
  let checkpoint = await readCheckpoint(db, program);
  const fromBlock = checkpoint === undefined ? program.deployBlock : checkpoint + 1n;
  const head = (await retryTransient(() => getBlockNumber(client, { cacheTime: 0 }))) - confirmations;
  const toBlock = parameters.toBlock !== undefined && parameters.toBlock < head ? parameters.toBlock : head;
  const started = Date.now();
  let entries = 0;
  let inserted = 0;
  let rolledBack = 0;

  const hash = (blockNumber: bigint) => hashOf(client, blockNumber);

  /** Rolls back to the newest written block still on the chain; returns the new checkpoint. */
  const checkReorg = async (): Promise<bigint | undefined> => {
    if (checkpoint === undefined) return checkpoint;
    const stored = await db
      .selectFrom("sync_blocks")
      .select(["block_number", "hash"])
      .where("program", "=", key)
      .orderBy("block_number", "desc")
      .execute();
    const newest = stored[0];
    if (!newest || (await hash(BigInt(newest.block_number))) === newest.hash) return checkpoint;
    let fork: bigint | undefined;
    for (const block of stored.slice(1)) {
      if ((await hash(BigInt(block.block_number))) === block.hash) {
        fork = BigInt(block.block_number);
        break;
      }
    }
    if (fork === undefined) {
      throw new ReorgTooDeepError(
        `The chain reorganised below block ${stored.at(-1)?.block_number}, the oldest block whose hash the ledger kept.`,
        { hint: "Sync into a new database, or with more --confirmations so that reorgs stay above the ledger." },
      );
    }
    const last = fork;
    await db.transaction().execute(async (trx) => {
      const deleted = await trx
        .deleteFrom("ledger_entries")
        .where("program", "=", key)
        .where("block_number", ">", last.toString())
        .executeTakeFirst();
      rolledBack += Number(deleted.numDeletedRows);
      await trx.deleteFrom("sync_blocks").where("program", "=", key).where("block_number", ">", last.toString()).execute();
      await trx.updateTable("sync_checkpoints").set({ last_block: last.toString() }).where("program", "=", key).execute();
      // Figures cannot be un-folded: rebuild them from the rows that stay.
      await resetFigures(trx, key);
      await refreshFigures(trx, key);
    });
    return last;
  };

  // Blocks from here on can still be reorganised away: a step keeps their hashes.
  const near = head + confirmations - reorgDepth + 1n;
  let size = stepBlocks / 16n > 0n ? stepBlocks / 16n : 1n;
  /** Starts reading the step from `from`; its failure is seen where it is awaited. */
  const launch = (from: bigint) => {
    const end = from + size - 1n < toBlock ? from + size - 1n : toBlock;
    const reading = readStep(client, {
      program,
      start: from,
      end,
      near,
      entries: stepEntries,
      ...(maxRange ? { maxRange } : {}),
    });
    // Awaited later, or dropped when writing the step before it fails: never an unhandled rejection.
    reading.catch(() => {});
    return reading;
  };
  const write = (step: ReadStep) =>
    db.transaction().execute(async (trx) => {
      inserted += await insertRows(trx, step.rows);
      // The batch's figures land in the same transaction as its rows: a reader sees both or neither.
      await refreshFigures(trx, key);
      await trx
        .insertInto("sync_blocks")
        .values(step.blocks.map((b, i) => ({ program: key, block_number: b.toString(), hash: step.hashes[i]! })))
        .onConflict((oc) => oc.columns(["program", "block_number"]).doUpdateSet((eb) => ({ hash: eb.ref("excluded.hash") })))
        .execute();
      await trx
        .deleteFrom("sync_blocks")
        .where("program", "=", key)
        .where("block_number", "<", (step.end - reorgDepth).toString())
        .execute();
      await trx
        .insertInto("sync_checkpoints")
        .values({ program: key, chain_id: program.chainId, last_block: step.end.toString() })
        .onConflict((oc) => oc.column("program").doUpdateSet({ last_block: step.end.toString() }))
        .execute();
    });

  // A bounded pipeline of two steps: the next step is read (the node's work, and the wait for it) while this one is
  // written (ours). Each step is still one transaction, checked against the chain before it is written.
  let start = fromBlock;
  let reading = start <= toBlock ? launch(start) : undefined;
  while (reading) {
    const step = await reading;
    reading = undefined;
    // After the step was read and the one before it written: the blocks written last must still be on the chain, or
    // the step may extend a branch that is gone. Roll back to where the chains agree and read from there.
    const resumed = await checkReorg();
    if (resumed !== checkpoint) {
      checkpoint = resumed;
      start = checkpoint! + 1n;
      if (start <= toBlock) reading = launch(start);
      continue;
    }
    // The chain moved while the step was read: read it again.
    if (!step) {
      reading = launch(start);
      continue;
    }
    size = nextStepBlocks({ blocks: step.end - step.start + 1n, rows: step.rows.length, entries: stepEntries, max: stepBlocks });
    if (step.end < toBlock) reading = launch(step.end + 1n);
    await write(step);
    checkpoint = step.end;
    entries += step.rows.length;
    const seconds = (Date.now() - started) / 1000;
    onProgress?.({
      fromBlock,
      toBlock,
      doneBlocks: step.end - fromBlock + 1n,
      totalBlocks: toBlock - fromBlock + 1n,
      entries,
      entriesPerSecond: seconds > 0 ? entries / seconds : entries,
    });
    start = step.end + 1n;
  }
  // Nothing new to write, but the blocks written last time may have left the chain.
  if (fromBlock > toBlock) await checkReorg();
  return { fromBlock, toBlock, entries, inserted, rolledBack };
}
