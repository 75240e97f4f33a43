import { sql, type Kysely } from "kysely";
import type { LedgerTables } from "../ledger/schema.js";
import { migrateStore, type MigrateReturnType, type StoreMigrations } from "./migrateStore.js";

/**
 * The ledger's schema, one migration per change, frozen once released (a change is a new migration).
 * Each writes its own statements rather than calling live code, so it creates tomorrow what it created
 * the day it shipped. Bookkeeping tables of its own: one database may also hold the link store.
 */
export const ledgerMigrations: StoreMigrations = {
  store: "ledger",
  migrationTableName: "punchcard_ledger_migration",
  migrationLockTableName: "punchcard_ledger_migration_lock",
  initialSchema: {
    tables: {
      ledger_entries: [
        "chain_id",
        "tx_hash",
        "log_index",
        "program",
        "block_number",
        "block_time",
        "contract",
        "event",
        "kind",
        "actor",
        "counterparty",
        "token_id",
        "series_id",
        "amount",
        "currency",
        "royalty",
        "fee",
        "code",
        "args",
      ],
      sync_checkpoints: ["program", "chain_id", "last_block", "updated_at"],
    },
    indexes: ["ledger_entries_program_kind", "ledger_entries_actor", "ledger_entries_block"],
  },
  migrations: {
    /** ledger_entries and sync_checkpoints exactly as `ensureLedgerSchema` created them before migrations. */
    "0001_ledger_initial": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("ledger_entries")
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
        await db.schema.createIndex("ledger_entries_program_kind").on("ledger_entries").columns(["program", "kind"]).execute();
        await db.schema.createIndex("ledger_entries_actor").on("ledger_entries").column("actor").execute();
        await db.schema.createIndex("ledger_entries_block").on("ledger_entries").columns(["program", "block_number"]).execute();
        await db.schema
          .createTable("sync_checkpoints")
          .addColumn("program", "text", (c) => c.primaryKey())
          .addColumn("chain_id", "integer", (c) => c.notNull())
          .addColumn("last_block", "bigint", (c) => c.notNull())
          .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
          .execute();
      },
    },
  },
};

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
