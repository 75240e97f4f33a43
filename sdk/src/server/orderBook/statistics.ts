import { PostgresAdapter, sql, type Kysely } from "kysely";
import type { OrderBookTables } from "./schema.js";

/**
 * Keeps Postgres' statistics of the book's orders current: runs `ANALYZE book_orders` when the table was never
 * analyzed, or when more rows changed since it last was than autovacuum's own rule allows
 * (`autovacuum_analyze_threshold` + `autovacuum_analyze_scale_factor` × its rows: 50 + a tenth by default).
 * Answers whether it analyzed. On SQLite it does nothing (its planner picks the page indexes without statistics).
 *
 * Why: a table with no statistics is planned with default guesses. A book filled in bulk (restored from a backup,
 * seeded, or a burst of posts) was read by the narrowest index on (program, status): every open order read and
 * sorted for each page, about 100 times the work of the page index's seek (10,000 listings: 1,263 buffers and
 * 10,000 rows per page against 67 buffers and the page's rows), until autovacuum, which looks once a minute, got
 * to it; uncached reads swung from 166 to 753 a second with when it did. The check is one read of
 * `pg_stat_user_tables`; the server makes it when the book opens and as the book follows the chain.
 *
 * @example
 * await keepStatistics(db); // true: the book had never been analyzed
 * await keepStatistics(db); // false: nothing changed since
 */
export async function keepStatistics(db: Kysely<OrderBookTables>): Promise<boolean> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return false;
  const { rows } = await sql<{ stale: boolean | null }>`
    SELECT (last_analyze IS NULL AND last_autoanalyze IS NULL)
        OR n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::float8
                                 + current_setting('autovacuum_analyze_scale_factor')::float8 * n_live_tup AS stale
    FROM pg_stat_user_tables WHERE relid = 'book_orders'::regclass`.execute(db);
  if (!rows[0]?.stale) return false;
  await sql`ANALYZE book_orders`.execute(db);
  return true;
}
