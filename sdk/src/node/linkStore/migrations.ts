import type { StoreMigrations } from "../migrations/migrateStore.js";

/**
 * The link store's schema, one migration per change, frozen once released (see ledgerMigrations), with
 * bookkeeping tables of its own: one database may also hold the ledger. Each `up` gets kysely's untyped
 * `Kysely<any>`, never the store's table types, so no migration imports the store.
 */
export const linkStoreMigrations: StoreMigrations = {
  store: "link store",
  migrationTableName: "punchcard_link_store_migration",
  migrationLockTableName: "punchcard_link_store_migration_lock",
  initialSchema: {
    tables: { member_links: ["customer_id", "wallet", "salt", "commitment", "status", "created_at", "linked_at"] },
    indexes: [],
  },
  migrations: {
    /** member_links exactly as `LinkStore.open` created it before migrations. */
    "0001_link_store_initial": {
      async up(db) {
        await db.schema
          .createTable("member_links")
          .addColumn("customer_id", "text", (c) => c.primaryKey())
          .addColumn("wallet", "text", (c) => c.notNull().unique())
          .addColumn("salt", "text", (c) => c.notNull())
          .addColumn("commitment", "text", (c) => c.notNull().unique())
          .addColumn("status", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("linked_at", "text")
          .execute();
      },
    },
  },
};
