/**
 * The tables several program server instances on one database share (the order book's migration
 * `0005_instances` makes them): the rate limits' counts. On Postgres the same migration makes every write to
 * the book's orders or cursor notify the channel {@link BOOK_CHANGED_CHANNEL}, so each instance drops answers it
 * cached from before.
 */
export interface RateCountsTable {
  /** Which limit: `chainId:market:client`, `chainId:market:member`. */
  name: string;
  /** Whom it counts: a client address, a member. */
  key: string;
  /** Minutes since 1970 (UTC) of the server's clock. */
  minute: number;
  used: number;
}

export interface InstanceTables {
  rate_counts: RateCountsTable;
}

/** The Postgres channel a write to `book_orders` or `book_cursor` notifies (after it commits). */
export const BOOK_CHANGED_CHANNEL = "punchcard_book_changed";
