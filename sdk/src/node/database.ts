import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from "kysely";
import pg from "pg";
import { PunchcardError } from "../errors.js";

/** Which engine a database location names. */
export type DatabaseEngine = "sqlite" | "postgres";

/**
 * A `postgres://` or `postgresql://` URL opens Postgres; anything else is an SQLite file path (":memory:" too).
 *
 * @example
 * engineOf("postgres://user@localhost/ledger"); // "postgres"
 */
export function engineOf(location: string): DatabaseEngine {
  return /^postgres(ql)?:\/\//i.test(location) ? "postgres" : "sqlite";
}

/** The SQL texts marked by {@link reuseStatement}, each with its statement's name. */
const reused = new Map<string, string>();

/**
 * Marks a query's SQL text as one run again and again with new values (a page query of the order book): an SQLite
 * database {@link openDatabase} opened then prepares it once and keeps it, instead of preparing it on every run.
 * Postgres runs it as before: named prepared statements (`pc_1`, ...) broke the outage and two-instance tests and
 * were taken out. Mark only texts of a bounded number (one per shape of query), never one built with its values
 * inside.
 *
 * @example
 * reuseStatement(compiledQuery.sql); // then db.executeQuery(compiledQuery) runs the prepared statement
 */
export function reuseStatement(sql: string): void {
  if (!reused.has(sql)) reused.set(sql, `pc_${reused.size + 1}`);
}

/** An SQLite database that keeps the statements of the texts marked by {@link reuseStatement}, prepared once. */
function reusingSqlite(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql) => {
      if (!reused.has(sql)) return sqlite.prepare(sql);
      let statement = statements.get(sql);
      if (!statement) statements.set(sql, (statement = sqlite.prepare(sql)));
      return statement;
    },
  };
}

/**
 * Opens a database by location with one typed query builder (kysely), so the same queries run on the
 * embedded SQLite default and on Postgres. Node only.
 *
 * @example
 * const db = openDatabase<LedgerTables>("ledger.sqlite");           // embedded file
 * const pgDb = openDatabase<LedgerTables>(process.env.DATABASE_URL!); // postgres://...
 *
 * On Postgres, `connections` is the pool's size (default 4): a server answering many requests at once takes more,
 * each query otherwise waits for one of four.
 */
export function openDatabase<Tables>(location: string, { connections = 4 }: { connections?: number } = {}): Kysely<Tables> {
  if (engineOf(location) === "postgres") {
    // Exact integers: Postgres bigint (int8) comes back as a string by default; keep it that way and
    // convert where read, never through a float.
    const pool = new pg.Pool({ connectionString: location, max: connections });
    // An idle connection the server drops (a restart, a failover) emits "error" on the pool; unheard, it
    // would crash the process. The pool discards that connection and opens a new one on the next query.
    pool.on("error", () => {});
    // Same for a connection in use: its query fails (and says why) and the pool drops it; the "error"
    // event the client also emits must not crash the process.
    pool.on("connect", (client) => client.on("error", () => {}));
    return new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  }
  if (location !== ":memory:") {
    const dir = path.dirname(path.resolve(location));
    if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true });
  }
  let sqlite: SQLite.Database;
  try {
    sqlite = new SQLite(location);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("foreign_keys = ON");
    // A sync in another process holds the write lock for one batch: wait for it rather than fail.
    sqlite.pragma("busy_timeout = 10000");
    // Deleted rows are overwritten with zeros, not left in free pages: erasure must really erase.
    sqlite.pragma("secure_delete = ON");
    // Reading the schema fails at once on a file that is not an SQLite database.
    sqlite.prepare("SELECT count(*) FROM sqlite_master").get();
  } catch (error) {
    throw new PunchcardError(`${location} is not a usable SQLite database.`, {
      details: (error as Error).message,
      hint: "Point --db at a new file, or at a database this tool created.",
      cause: error,
    });
  }
  return new Kysely<Tables>({ dialect: new SqliteDialect({ database: reusingSqlite(sqlite) }) });
}
