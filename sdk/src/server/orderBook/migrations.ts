import { PostgresAdapter, sql } from "kysely";
import type { StoreMigrations } from "../../node/migrations/migrateStore.js";

/**
 * The order book's schema (orders, the chain cursor, relay quotas, budgets and nonces), one migration per change, frozen once
 * released, with bookkeeping tables of its own: one database may also hold the ledger and the link store.
 *
 * Each `up` gets kysely's untyped `Kysely<any>` (the type of {@link StoreMigrations.migrations}), not
 * `Kysely<OrderBookTables>`: a migration writes the schema of its day, so it never imports the store
 * (`migrateOrderBook` in schema.ts runs them).
 */
export const orderBookMigrations: StoreMigrations = {
  store: "order book",
  migrationTableName: "punchcard_order_book_migration",
  migrationLockTableName: "punchcard_order_book_migration_lock",
  initialSchema: {
    tables: {
      book_orders: [
        "order_hash",
        "program",
        "kind",
        "signer",
        "token_id",
        "series_id",
        "wanted_series_id",
        "wanted_token_id",
        "currency",
        "price_sort",
        "expiry_sort",
        "nonce",
        "order_json",
        "signature",
        "status",
        "reason_code",
        "reason",
        "created_at",
        "updated_at",
      ],
      book_cursor: ["program", "last_block", "updated_at"],
      relay_quota: ["program", "member", "day", "used"],
    },
    indexes: ["book_orders_listings", "book_orders_signer", "book_orders_token", "book_orders_wanted"],
  },
  migrations: {
    "0001_order_book_initial": {
      async up(db) {
        await db.schema
          .createTable("book_orders")
          .addColumn("order_hash", "text", (c) => c.primaryKey())
          .addColumn("program", "text", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("signer", "text", (c) => c.notNull())
          .addColumn("token_id", "text", (c) => c.notNull())
          .addColumn("series_id", "text", (c) => c.notNull())
          .addColumn("wanted_series_id", "text")
          .addColumn("wanted_token_id", "text")
          .addColumn("currency", "text", (c) => c.notNull())
          .addColumn("price_sort", "text", (c) => c.notNull())
          .addColumn("expiry_sort", "text", (c) => c.notNull())
          .addColumn("nonce", "text", (c) => c.notNull())
          .addColumn("order_json", "text", (c) => c.notNull())
          .addColumn("signature", "text", (c) => c.notNull())
          .addColumn("status", "text", (c) => c.notNull())
          .addColumn("reason_code", "text")
          .addColumn("reason", "text")
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("updated_at", "text", (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex("book_orders_listings")
          .on("book_orders")
          .columns(["program", "kind", "status", "series_id", "currency", "price_sort", "order_hash"])
          .execute();
        await db.schema.createIndex("book_orders_signer").on("book_orders").columns(["program", "signer", "status"]).execute();
        await db.schema.createIndex("book_orders_token").on("book_orders").columns(["program", "token_id", "status"]).execute();
        await db.schema
          .createIndex("book_orders_wanted")
          .on("book_orders")
          .columns(["program", "wanted_series_id", "status"])
          .execute();
        await db.schema
          .createTable("book_cursor")
          .addColumn("program", "text", (c) => c.primaryKey())
          .addColumn("last_block", "text", (c) => c.notNull())
          .addColumn("updated_at", "text", (c) => c.notNull())
          .execute();
        await db.schema
          .createTable("relay_quota")
          .addColumn("program", "text", (c) => c.notNull())
          .addColumn("member", "text", (c) => c.notNull())
          .addColumn("day", "text", (c) => c.notNull())
          .addColumn("used", "integer", (c) => c.notNull())
          .addPrimaryKeyConstraint("relay_quota_pk", ["program", "member", "day"])
          .execute();
      },
    },
    // A permit travels with a posted offer: a buyer with no allowance can bid.
    "0002_order_book_offer_permits": {
      async up(db) {
        await db.schema.alterTable("book_orders").addColumn("permit_json", "text").execute();
      },
    },
    // Sponsorship counted per member and for the whole program, per UTC day, in actions, gas and coin (gwei,
    // rounded up), each charged by one conditional UPDATE; and the next nonce of each relayer key, so instances
    // sharing a key take turns through the database.
    "0003_relay_sponsorship": {
      async up(db) {
        await db.schema
          .createTable("relay_budget")
          .addColumn("program", "text", (c) => c.notNull())
          .addColumn("scope", "text", (c) => c.notNull())
          .addColumn("day", "text", (c) => c.notNull())
          .addColumn("actions", "bigint", (c) => c.notNull())
          .addColumn("gas", "bigint", (c) => c.notNull())
          .addColumn("coin_gwei", "bigint", (c) => c.notNull())
          .addPrimaryKeyConstraint("relay_budget_pk", ["program", "scope", "day"])
          .execute();
        await db.schema
          .createTable("relay_nonce")
          .addColumn("sender", "text", (c) => c.primaryKey())
          .addColumn("next_nonce", "bigint", (c) => c.notNull())
          .addColumn("updated_at", "text", (c) => c.notNull())
          .execute();
      },
    },
    // A public book prunes what left it after a grace period: found by status and last change, not by a scan.
    "0004_order_book_public": {
      async up(db) {
        await db.schema
          .createIndex("book_orders_closed")
          .on("book_orders")
          .columns(["program", "status", "updated_at"])
          .execute();
      },
    },
    // Several instances on one database: rate limits counted in it, and (Postgres) a write to the book announced to
    // every instance, so none answers from a cache older than the book. The channel's name is fixed here, not
    // imported: a migration writes the schema of its day.
    "0005_instances": {
      async up(db) {
        await db.schema
          .createTable("rate_counts")
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("key", "text", (c) => c.notNull())
          .addColumn("minute", "integer", (c) => c.notNull())
          .addColumn("used", "integer", (c) => c.notNull())
          .addPrimaryKeyConstraint("rate_counts_pk", ["name", "key", "minute"])
          .execute();
        if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
        // Once per statement, not per row: a batch of the follower that touches 1,600 orders notifies once, and
        // Postgres folds repeated notifications of one transaction into one, delivered when it commits.
        await sql`CREATE FUNCTION punchcard_book_changed() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN PERFORM pg_notify('punchcard_book_changed', ''); RETURN NULL; END $$`.execute(db);
        for (const table of ["book_orders", "book_cursor"])
          await sql`CREATE TRIGGER ${sql.raw(`${table}_changed`)} AFTER INSERT OR UPDATE OR DELETE ON ${sql.table(table)}
            FOR EACH STATEMENT EXECUTE FUNCTION punchcard_book_changed()`.execute(db);
      },
    },
    // The relayer counts in relay_budget since 0003: relay_quota (from 0001) was written by nothing and read by
    // nothing. Its rows, a day's quotas of a server before 0003, mean nothing to the budgets.
    "0006_relay_quota_dropped": {
      async up(db) {
        await db.schema.dropTable("relay_quota").ifExists().execute();
      },
    },
    // Points bought by card: each payment's receipt (the receipt id, an HMAC of the provider's payment id, with the
    // payment id, wallet and amounts for support, erasable by wallet) and its place in the outbox (what the chain
    // still has to do, retried until done); and every webhook event seen, by its provider's id, with what was
    // decided, never its body.
    "0007_payments": {
      async up(db) {
        await db.schema
          .createTable("payment_receipts")
          .addColumn("receipt_id", "text", (c) => c.primaryKey())
          .addColumn("provider", "text", (c) => c.notNull())
          .addColumn("payment_id", "text")
          .addColumn("wallet", "text")
          .addColumn("package_id", "text")
          .addColumn("points", "text")
          .addColumn("amount", "text")
          .addColumn("currency", "text")
          .addColumn("refunded", "text", (c) => c.notNull())
          .addColumn("paid", "integer", (c) => c.notNull())
          .addColumn("status", "text", (c) => c.notNull())
          .addColumn("chain", "text", (c) => c.notNull())
          .addColumn("credit_sent", "integer", (c) => c.notNull())
          .addColumn("work", "integer", (c) => c.notNull())
          .addColumn("version", "integer", (c) => c.notNull())
          .addColumn("attempts", "integer", (c) => c.notNull())
          .addColumn("next_at", "text", (c) => c.notNull())
          .addColumn("lease_until", "text")
          .addColumn("last_error", "text")
          .addColumn("credit_tx", "text")
          .addColumn("reverse_tx", "text")
          .addColumn("burned", "text")
          .addColumn("shortfall", "text")
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("updated_at", "text", (c) => c.notNull())
          .addColumn("erased_at", "text")
          .execute();
        await db.schema.createIndex("payment_receipts_work").on("payment_receipts").columns(["work", "next_at"]).execute();
        await db.schema.createIndex("payment_receipts_wallet").on("payment_receipts").columns(["wallet"]).execute();
        await db.schema
          .createIndex("payment_receipts_payment")
          .on("payment_receipts")
          .columns(["provider", "payment_id"])
          .execute();
        await db.schema
          .createTable("payment_events")
          .addColumn("provider", "text", (c) => c.notNull())
          .addColumn("event_id", "text", (c) => c.notNull())
          .addColumn("receipt_id", "text")
          .addColumn("type", "text", (c) => c.notNull())
          .addColumn("outcome", "text", (c) => c.notNull())
          .addColumn("code", "text")
          .addColumn("received_at", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("payment_events_pk", ["provider", "event_id"])
          .execute();
        await db.schema.createIndex("payment_events_receipt").on("payment_events").columns(["receipt_id"]).execute();
      },
    },
    // "Forget me" carried out (POST /links/forget): the EIP-712 hash of each request, kept until its deadline (a day
    // at most), so the same request sent again is answered "already forgotten" and never erases a link made after
    // it. Not the wallet: erasure must not leave a list of who asked to be forgotten.
    "0008_link_forgets": {
      async up(db) {
        await db.schema
          .createTable("link_forgets")
          .addColumn("request_hash", "text", (c) => c.primaryKey())
          .addColumn("deadline", "bigint", (c) => c.notNull())
          .addColumn("forgotten_at", "text", (c) => c.notNull())
          .execute();
        await db.schema.createIndex("link_forgets_deadline").on("link_forgets").column("deadline").execute();
      },
    },
    // A member's orders and the swaps wanting a series are paged oldest first, by (created_at, order_hash): with
    // those two columns in their indexes each page seeks to its cursor and reads its rows in order, where the
    // indexes of 0001 found the member's (or the series') rows and sorted them all for every page. These take their
    // place (the same leading columns).
    "0009_order_book_pages": {
      async up(db) {
        await db.schema
          .createIndex("book_orders_signer_age")
          .on("book_orders")
          .columns(["program", "signer", "status", "created_at", "order_hash"])
          .execute();
        await db.schema
          .createIndex("book_orders_wanted_age")
          .on("book_orders")
          .columns(["program", "wanted_series_id", "status", "created_at", "order_hash"])
          .execute();
        await db.schema.dropIndex("book_orders_signer").execute();
        await db.schema.dropIndex("book_orders_wanted").execute();
      },
    },
    "0010_guardian_requests": {
      async up(db) {
        await db.schema
          .createTable("guardian_requests")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("wallet", "text", (c) => c.notNull())
          .addColumn("guardian", "text", (c) => c.notNull())
          .addColumn("purposes", "text", (c) => c.notNull())
          .addColumn("asked", "text", (c) => c.notNull())
          .addColumn("nonce", "text", (c) => c.notNull())
          .addColumn("deadline", "bigint", (c) => c.notNull())
          .addColumn("signature", "text", (c) => c.notNull())
          .addColumn("status", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("answered_at", "text")
          .execute();
        await db.schema.createIndex("guardian_requests_wallet").on("guardian_requests").column("wallet").execute();
        await db.schema.createIndex("guardian_requests_guardian").on("guardian_requests").column("guardian").execute();
        await db.schema.createIndex("guardian_requests_deadline").on("guardian_requests").column("deadline").execute();
      },
    },
    // One payments store for several programs: each receipt says which program credits it (`<chain id>:<stamps
    // address>`), written when the payment is seen, so each program's outbox sends only its own. A row from before
    // (a store then served one program) or opened by a refund seen first has none: any program's outbox takes it,
    // and the one that sends a credit writes its own.
    "0011_payment_program": {
      async up(db) {
        await db.schema.alterTable("payment_receipts").addColumn("program", "text").execute();
        await db.schema.createIndex("payment_receipts_program").on("payment_receipts").columns(["program"]).execute();
      },
    },
    // The UserOps the program server sponsored, each charged at its most possible cost until the chain says what it
    // cost: kept in the database, so a restart (or another instance) settles them instead of leaving the member
    // charged the most possible cost for the day.
    "0012_userop_sponsorships": {
      async up(db) {
        await db.schema
          .createTable("userop_sponsorships")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("program", "text", (c) => c.notNull())
          .addColumn("user_op_hash", "text", (c) => c.notNull())
          .addColumn("member", "text", (c) => c.notNull())
          .addColumn("day", "text", (c) => c.notNull())
          .addColumn("actions", "integer", (c) => c.notNull())
          .addColumn("gas", "text", (c) => c.notNull())
          .addColumn("coin", "text", (c) => c.notNull())
          .addColumn("valid_until", "bigint", (c) => c.notNull())
          .addColumn("from_block", "bigint", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex("userop_sponsorships_member")
          .on("userop_sponsorships")
          .columns(["program", "member"])
          .execute();
      },
    },
  },
};
