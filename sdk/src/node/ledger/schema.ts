import type { Generated, Kysely } from "kysely";
import { migrateStore, type MigrateReturnType } from "../migrations/migrateStore.js";
import type { LimbColumnName } from "./amountLimbs.js";
import { ledgerMigrations } from "./migrations.js";

/** amount, royalty and fee as 8 integer limbs of 32 bits each, for exact sums in SQL (see amountLimbs.ts). */
export type LedgerLimbColumns = { [K in LimbColumnName]: number | string | null };

/** One row per event log: unique on (chain_id, tx_hash, log_index), so a sync can never write an event twice. */
export interface LedgerEntriesTable extends LedgerLimbColumns {
  chain_id: number;
  tx_hash: string;
  /** A uint32: bigint on Postgres (read back as a string there), integer on SQLite. */
  log_index: number | string;
  /** "<chain id>:<lower-case Stamps address>" of the program: one database can hold several programs, on several chains. */
  program: string;
  block_number: number | string;
  block_time: number | string;
  contract: string;
  event: string;
  kind: string;
  actor: string | null;
  counterparty: string | null;
  // uint256 values are decimal strings: exact on both engines (SQLite integers stop at 2^63). amount,
  // royalty and fee also have limb columns (amount_l0..l7, ...) that SQL sums exactly.
  token_id: string | null;
  series_id: string | null;
  amount: string | null;
  currency: string | null;
  royalty: string | null;
  fee: string | null;
  code: string | null;
  /** Every argument of the event as JSON. */
  args: string;
}

/** How far a program's sync got: every block up to `last_block` is in ledger_entries. */
export interface SyncCheckpointsTable {
  program: string;
  chain_id: number;
  last_block: number | string;
  updated_at: Generated<string>;
}

/** Hash of a block a sync wrote: how the next sync sees that the chain reorganised under it. */
export interface SyncBlocksTable {
  program: string;
  block_number: number | string;
  hash: string;
}

export interface LedgerTables {
  ledger_entries: LedgerEntriesTable;
  sync_checkpoints: SyncCheckpointsTable;
  sync_blocks: SyncBlocksTable;
}

/**
 * Brings a ledger database to the current schema: runs the pending migrations and returns what it ran.
 * A database synced by a version before migrations keeps its rows: its tables are adopted as the first
 * migration. `syncLedger` calls this itself; call it to migrate before reading a database nothing syncs.
 *
 * @example
 * const db = openDatabase<LedgerTables>("ledger.sqlite");
 * const { applied } = await migrateLedger(db); // ["0001_ledger_initial"] the first time, then []
 */
export async function migrateLedger<Tables extends LedgerTables>(db: Kysely<Tables>): Promise<MigrateReturnType> {
  return migrateStore(db, ledgerMigrations);
}

/**
 * Creates or upgrades the ledger tables.
 *
 * @deprecated Use {@link migrateLedger}, which does the same through versioned migrations and says
 * what it ran. Kept so callers from before migrations keep working.
 *
 * @example
 * await ensureLedgerSchema(openDatabase<LedgerTables>("ledger.sqlite"));
 */
export async function ensureLedgerSchema<Tables extends LedgerTables>(db: Kysely<Tables>): Promise<void> {
  await migrateLedger(db);
}
