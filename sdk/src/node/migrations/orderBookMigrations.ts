import type { Kysely } from "kysely";
import { migrateStore, type MigrateReturnType, type StoreMigrations } from "./migrateStore.js";

/** One signed order of the book. Integers that may exceed 2^53 are text; `*_sort` columns are zero-padded to sort. */
export interface BookOrdersTable {
  order_hash: string;
  /** `chainId:market`: one database may hold the books of several programs. */
  program: string;
  kind: "listing" | "offer" | "swap";
  /** Seller, buyer or maker. */
  signer: string;
  /** The stamp offered (listing, swap) or wanted (an offer on one stamp); "0" for an offer on a series. */
  token_id: string;
  /** The series of token_id, or the series an offer wants. */
  series_id: string;
  /** A swap's wanted series and stamp ("0": any of the series); null otherwise. */
  wanted_series_id: string | null;
  wanted_token_id: string | null;
  /** Lowercase; "" for a swap. */
  currency: string;
  price_sort: string;
  expiry_sort: string;
  nonce: string;
  /** The order as posted (wire form: integers as decimal strings). */
  order_json: string;
  signature: string;
  /** An offer's buyer's ERC-2612 permit as posted with it (wire form), or null. Added by 0002. */
  permit_json: string | null;
  status: "open" | "filled" | "cancelled" | "expired" | "stale";
  /** Why it left `open`, for a machine: "unfunded" lets a funded-again offer reopen. */
  reason_code: string | null;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

/** The last block whose events the book has applied, per program. */
export interface BookCursorTable {
  program: string;
  last_block: string;
  updated_at: string;
}

/** Relayed actions per member and UTC day: quotas survive a restart. */
export interface RelayQuotaTable {
  program: string;
  member: string;
  day: string;
  used: number;
}

export interface OrderBookTables {
  book_orders: BookOrdersTable;
  book_cursor: BookCursorTable;
  relay_quota: RelayQuotaTable;
}

/**
 * The order book's schema (orders, the chain cursor, relay quotas), one migration per change, frozen once
 * released, with bookkeeping tables of its own: one database may also hold the ledger and the link store.
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
      async up(db: Kysely<unknown>) {
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
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable("book_orders").addColumn("permit_json", "text").execute();
      },
    },
  },
};

/**
 * Brings an order book database to the current schema; returns what ran. The program server calls it at start.
 *
 * @example
 * await migrateOrderBook(openDatabase<OrderBookTables>("server.sqlite"));
 */
export async function migrateOrderBook<Tables extends OrderBookTables>(db: Kysely<Tables>): Promise<MigrateReturnType> {
  return migrateStore(db, orderBookMigrations);
}
