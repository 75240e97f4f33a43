import type { Kysely, Selectable } from "kysely";
import { migrateStore, type MigrateReturnType } from "../../node/migrations/migrateStore.js";
import { orderBookMigrations } from "./migrations.js";

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

/**
 * What the relayer spent for one scope (a member's checksummed address, or "*" for the whole program) on one UTC
 * day. Added by 0003. Postgres answers its bigints as strings.
 */
export interface RelayBudgetTable {
  program: string;
  scope: string;
  day: string;
  actions: number | string;
  gas: number | string;
  /** The coin, in gwei (10^9 wei), each transaction's share rounded up. */
  coin_gwei: number | string;
}

/** The next nonce of a relayer key (`chainId:address`), taken under a row lock by whichever instance sends. Added by 0003. */
export interface RelayNonceTable {
  sender: string;
  next_nonce: number | string;
  updated_at: string;
}

export interface OrderBookTables {
  book_orders: BookOrdersTable;
  book_cursor: BookCursorTable;
  relay_budget: RelayBudgetTable;
  relay_nonce: RelayNonceTable;
}

/** One stored order as read back. */
export type BookOrderRow = Selectable<BookOrdersTable>;

/** An order's status in the book: open, or why it left. */
export type BookOrderStatus = BookOrdersTable["status"];

/** A uint256 as a `*_sort` column: zero-padded to 78 digits, so text order is number order. */
export const toSortKey = (value: bigint): string => value.toString().padStart(78, "0");

/** The number a `*_sort` column holds. */
export const fromSortKey = (value: string): bigint => BigInt(value);

/** The time written to `created_at` and `updated_at`: ISO 8601 text, which sorts as time does. */
export const rowTime = (): string => new Date().toISOString();

/**
 * Brings an order book database to the current schema; returns what ran. The program server calls it at start.
 *
 * @example
 * await migrateOrderBook(openDatabase<OrderBookTables>("server.sqlite"));
 */
export async function migrateOrderBook<Tables extends OrderBookTables>(db: Kysely<Tables>): Promise<MigrateReturnType> {
  return migrateStore(db, orderBookMigrations);
}
