// FROZEN: the schema as Punchcard created it before versioned migrations (commit a380b19), copied
// verbatim from `ensureLedgerSchema` (sdk/src/node/ledger/schema.ts) and `LinkStore.open`
// (sdk/src/node/linkStore.ts) of that commit. Tests build "a brand database from before the upgrade"
// with it. Never edit it to follow today's code, and never import live code into it: it is the past.
import { sql, type Kysely } from "kysely";

/** The ledger tables and indexes as `ensureLedgerSchema` made them before migrations. */
export async function createLedgerSchemaBeforeMigrations<Tables>(db: Kysely<Tables>): Promise<void> {
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
  await db.schema
    .createIndex("ledger_entries_program_kind")
    .ifNotExists()
    .on("ledger_entries")
    .columns(["program", "kind"])
    .execute();
  await db.schema.createIndex("ledger_entries_actor").ifNotExists().on("ledger_entries").column("actor").execute();
  await db.schema
    .createIndex("ledger_entries_block")
    .ifNotExists()
    .on("ledger_entries")
    .columns(["program", "block_number"])
    .execute();
  await db.schema
    .createTable("sync_checkpoints")
    .ifNotExists()
    .addColumn("program", "text", (c) => c.primaryKey())
    .addColumn("chain_id", "integer", (c) => c.notNull())
    .addColumn("last_block", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    .execute();
}

/** The link store's table as `LinkStore.open` made it before migrations. */
export async function createLinkStoreSchemaBeforeMigrations<Tables>(db: Kysely<Tables>): Promise<void> {
  await db.schema
    .createTable("member_links")
    .ifNotExists()
    .addColumn("customer_id", "text", (c) => c.primaryKey())
    .addColumn("wallet", "text", (c) => c.notNull().unique())
    .addColumn("salt", "text", (c) => c.notNull())
    .addColumn("commitment", "text", (c) => c.notNull().unique())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("linked_at", "text")
    .execute();
}
