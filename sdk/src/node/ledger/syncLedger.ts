import type { Kysely } from "kysely";
import { getBlockNumber, getChainId } from "viem/actions";
import { PunchcardError } from "../../errors.js";
import type { LedgerEntry } from "../../ledger/entries.js";
import { readLedger } from "../../ledger/readLedger.js";
import type { Program, ReadClient } from "../../program.js";
import { migrateLedger } from "../migrations/ledgerMigrations.js";
import { limbRow } from "./amountLimbs.js";
import { refreshFigures } from "./ledgerFigures.js";
import type { LedgerEntriesTable, LedgerTables } from "./schema.js";

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
  /** Blocks read and written per step; each step commits its rows and the checkpoint together (default 2,000). */
  stepBlocks?: bigint;
  /** Last block to sync (default: head minus confirmations). */
  toBlock?: bigint;
  onProgress?: (progress: SyncProgress) => void;
  /** Passed to the log reader; tests and benchmarks set smaller ranges. */
  maxRange?: bigint;
}

export interface SyncLedgerReturnType {
  fromBlock: bigint;
  toBlock: bigint;
  /** Entries read from the chain in this run. */
  entries: number;
  /** Rows actually written (fewer than `entries` when a killed run had written some already). */
  inserted: number;
}

/**
 * The key of a program in the database: chain and Stamps address, since the same deployer key and
 * nonce give the same addresses on a testnet and on mainnet.
 *
 * @example
 * db.selectFrom("ledger_entries").selectAll().where("program", "=", programKey(program));
 */
export function programKey(program: Program): string {
  return `${program.chainId}:${program.stamps.toLowerCase()}`;
}

/**
 * A ledger entry as a database row.
 *
 * @example
 * await db.insertInto("ledger_entries").values(entries.map((e) => toRow(program, e))).execute();
 */
export function toRow(program: Program, entry: LedgerEntry): LedgerEntriesTable {
  const text = (value: bigint | null) => (value === null ? null : value.toString());
  const amount = text(entry.amount);
  const royalty = text(entry.royalty);
  const fee = text(entry.fee);
  return {
    chain_id: entry.chainId,
    tx_hash: entry.txHash.toLowerCase(),
    log_index: entry.logIndex,
    program: programKey(program),
    block_number: entry.blockNumber.toString(),
    block_time: entry.blockTime,
    contract: entry.contract,
    event: entry.event,
    kind: entry.kind,
    actor: entry.actor?.toLowerCase() ?? null,
    counterparty: entry.counterparty?.toLowerCase() ?? null,
    token_id: text(entry.tokenId),
    series_id: text(entry.seriesId),
    amount,
    currency: entry.currency?.toLowerCase() ?? null,
    royalty,
    fee,
    code: entry.code,
    args: JSON.stringify(entry.args),
    ...limbRow({ amount, royalty, fee }),
  };
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

/**
 * Writes the program's ledger into a database, idempotently: rows are unique on (chain, tx, log index)
 * and each step commits its rows with the checkpoint, so a sync killed midway and run again leaves
 * exactly one row per event. Blocks within `confirmations` of the head are left for a later run.
 *
 * @example
 * const db = openDatabase<LedgerTables>("ledger.sqlite");
 * await syncLedger(client, { program, db, confirmations: 12n, onProgress: (p) => console.log(`${p.doneBlocks}/${p.totalBlocks}`) });
 */
export async function syncLedger(client: ReadClient, parameters: SyncLedgerParameters): Promise<SyncLedgerReturnType> {
  const { program, db, stepBlocks = 2_000n, onProgress, maxRange } = parameters;
  const chainId = await getChainId(client);
  if (chainId !== program.chainId) {
    throw new PunchcardError(`The client is on chain ${chainId}, but the program is on chain ${program.chainId}.`, {
      hint: "Point the client at the program's chain.",
    });
  }
  const confirmations = parameters.confirmations ?? (chainId === 31337 ? 0n : 12n);
  await migrateLedger(db);
  const checkpoint = await readCheckpoint(db, program);
  const fromBlock = checkpoint === undefined ? program.deployBlock : checkpoint + 1n;
  const head = (await getBlockNumber(client, { cacheTime: 0 })) - confirmations;
  const toBlock = parameters.toBlock !== undefined && parameters.toBlock < head ? parameters.toBlock : head;
  const started = Date.now();
  let entries = 0;
  let inserted = 0;

  for (let start = fromBlock; start <= toBlock; start += stepBlocks) {
    const end = start + stepBlocks - 1n < toBlock ? start + stepBlocks - 1n : toBlock;
    const read = await readLedger(client, { program, fromBlock: start, toBlock: end, ...(maxRange ? { maxRange } : {}) });
    const rows = read.map((entry) => toRow(program, entry));
    await db.transaction().execute(async (trx) => {
      // 500 rows of 43 columns stay under SQLite's limit of 32,766 bound variables per statement.
      for (let i = 0; i < rows.length; i += 500) {
        const result = await trx
          .insertInto("ledger_entries")
          .values(rows.slice(i, i + 500))
          .onConflict((oc) => oc.columns(["chain_id", "tx_hash", "log_index"]).doNothing())
          .executeTakeFirst();
        inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
      }
      // The batch's figures land in the same transaction as its rows: a reader sees both or neither.
      await refreshFigures(trx, programKey(program));
      await trx
        .insertInto("sync_checkpoints")
        .values({ program: programKey(program), chain_id: program.chainId, last_block: end.toString() })
        .onConflict((oc) => oc.column("program").doUpdateSet({ last_block: end.toString() }))
        .execute();
    });
    entries += read.length;
    const seconds = (Date.now() - started) / 1000;
    onProgress?.({
      fromBlock,
      toBlock,
      doneBlocks: end - fromBlock + 1n,
      totalBlocks: toBlock - fromBlock + 1n,
      entries,
      entriesPerSecond: seconds > 0 ? entries / seconds : entries,
    });
  }
  return { fromBlock, toBlock, entries, inserted };
}
