import { sql, type Generated, type Kysely } from "kysely";

/** One row per event log: unique on (chain_id, tx_hash, log_index), so a sync can never write an event twice. */
export interface LedgerEntriesTable {
  chain_id: number;
  tx_hash: string;
  log_index: number;
  /** "<chain id>:<lower-case Stamps address>" of the program: one database can hold several programs, on several chains. */
  program: string;
  block_number: number | string;
  block_time: number | string;
  contract: string;
  event: string;
  kind: string;
  actor: string | null;
  counterparty: string | null;
  // uint256 values are decimal strings: exact on both engines (SQLite integers stop at 2^63).
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

export interface LedgerTables {
  ledger_entries: LedgerEntriesTable;
  sync_checkpoints: SyncCheckpointsTable;
}

/**
 * Creates the ledger tables and indexes if missing; the same statements on SQLite and Postgres.
 *
 * @example
 * await ensureLedgerSchema(openDatabase<LedgerTables>("ledger.sqlite"));
 */
export async function ensureLedgerSchema(db: Kysely<LedgerTables>): Promise<void> {
  await db.schema
    .createTable("ledger_entries")
    .ifNotExists()
    .addColumn("chain_id", "integer", (c) => c.notNull())
    .addColumn("tx_hash", "text", (c) => c.notNull())
    .addColumn("log_index", "integer", (c) => c.notNull())
    .addColumn("program", "text", (c) => c.notNull())
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .addColumn("block_time", "bigint", (c) => c.notNull())
    .addColumn("contract", "text", (c) => c.notNull())
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("actor", "text")
    .addColumn("counterparty", "text")
    .addColumn("token_id", "text")
    .addColumn("series_id", "text")
    .addColumn("amount", "text")
    .addColumn("currency", "text")
    .addColumn("royalty", "text")
    .addColumn("fee", "text")
    .addColumn("code", "text")
    .addColumn("args", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("ledger_entries_pk", ["chain_id", "tx_hash", "log_index"])
    .execute();
  await db.schema.createIndex("ledger_entries_program_kind").ifNotExists().on("ledger_entries").columns(["program", "kind"]).execute();
  await db.schema.createIndex("ledger_entries_actor").ifNotExists().on("ledger_entries").column("actor").execute();
  await db.schema.createIndex("ledger_entries_block").ifNotExists().on("ledger_entries").columns(["program", "block_number"]).execute();
  await db.schema
    .createTable("sync_checkpoints")
    .ifNotExists()
    .addColumn("program", "text", (c) => c.primaryKey())
    .addColumn("chain_id", "integer", (c) => c.notNull())
    .addColumn("last_block", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    .execute();
}
