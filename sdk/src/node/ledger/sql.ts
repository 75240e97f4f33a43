import fs from "node:fs";
import SQLite from "better-sqlite3";
import pg from "pg";
import { PunchcardError } from "../../errors.js";
import { engineOf } from "../database.js";

/** A query's answer: its column names, and its rows as arrays in that order. */
export interface SqlResult {
  columns: string[];
  rows: unknown[][];
}

/** A ledger database opened for reading only. */
export interface ReadOnlyLedger {
  /** Runs one SQL statement and returns its rows; a statement that would write fails and changes nothing. */
  query(text: string): Promise<SqlResult>;
  /**
   * Runs one reading statement and yields its rows in batches of at most `batchRows`, in the order the statement
   * gives them, so that an answer larger than memory can be written as it comes (a batch holds the columns too; a
   * statement with no rows yields one empty batch, so its columns are known). The same rules as `query`: nothing
   * written, the same error for a bad statement. Run nothing else on the ledger before the iteration ends.
   */
  batches(text: string, batchRows: number): AsyncIterable<SqlResult>;
  close(): Promise<void>;
}

/** What the analyst did wrong: the statement, the database's own words, and that nothing changed. */
function queryFailed(text: string, error: unknown): PunchcardError {
  return new PunchcardError(`The query failed: ${(error as Error).message}`, {
    details: `Query: ${text.trim()}`,
    hint: "Nothing was changed: `punchcard ledger sql` only reads. The views are listed in docs/analytics-schema.md.",
    cause: error,
  });
}

/**
 * Opens a ledger database so that nothing run through it can write, on both engines, by the database's own rules
 * rather than by reading the SQL: SQLite on a read-only connection (statements that would write are refused before
 * they run, and the connection could not write them anyway), Postgres in a read-only transaction per statement,
 * rolled back after, on a session whose default is read-only too, and over the extended protocol, which takes one
 * statement (so `SELECT 1; COMMIT; DELETE ...` is refused, not run in parts). Node only.
 *
 * @example
 * const ledger = await openReadOnlyLedger("ledger.sqlite");
 * const { columns, rows } = await ledger.query("SELECT flow, count(*) FROM points_flows GROUP BY flow");
 * await ledger.close();
 */
export async function openReadOnlyLedger(location: string): Promise<ReadOnlyLedger> {
  return engineOf(location) === "postgres" ? openPostgres(location) : openSqlite(location);
}

function openSqlite(location: string): ReadOnlyLedger {
  if (location === ":memory:" || !fs.existsSync(location)) {
    throw new PunchcardError(`There is no ledger database at ${location}.`, {
      hint: "Sync one first: punchcard ledger sync --program <record> --db <file>",
    });
  }
  let db: SQLite.Database;
  try {
    // An ATTACH opens its file with this connection's flags: read-only, never created.
    db = new SQLite(location, { readonly: true, fileMustExist: true });
    // A sync in another process may hold the write lock for one batch: wait for it rather than fail.
    db.pragma("busy_timeout = 10000");
  } catch (error) {
    throw new PunchcardError(`${location} is not a usable SQLite database.`, {
      details: (error as Error).message,
      cause: error,
    });
  }
  /** The statement, refused unless it only reads; rows as arrays with exact integers. */
  const prepare = (text: string) => {
    const statement = db.prepare(text);
    // sqlite3_stmt_readonly: false for anything that would change the file (a write, a DDL, a writing PRAGMA).
    if (!statement.readonly) throw new Error("this statement writes, and this connection only reads");
    return statement.reader ? statement.safeIntegers(true).raw(true) : statement;
  };
  return {
    async query(text) {
      try {
        const statement = prepare(text);
        if (!statement.reader) {
          statement.run();
          return { columns: [], rows: [] };
        }
        return { columns: statement.columns().map((c) => c.name), rows: statement.all() as unknown[][] };
      } catch (error) {
        throw queryFailed(text, error);
      }
    },
    async *batches(text, batchRows) {
      let statement: SQLite.Statement;
      let rows: Iterator<unknown>;
      try {
        statement = prepare(text);
        if (!statement.reader) throw new Error("this statement returns no rows");
        rows = statement.iterate();
      } catch (error) {
        throw queryFailed(text, error);
      }
      const columns = statement.columns().map((c) => c.name);
      try {
        let batch: unknown[][] = [];
        let yielded = false;
        for (let next = rows.next(); !next.done; next = rows.next()) {
          batch.push(next.value as unknown[]);
          if (batch.length < batchRows) continue;
          // The iterator stays open across a yield: the connection is this iteration's until it ends.
          yield { columns, rows: batch };
          yielded = true;
          batch = [];
        }
        if (batch.length > 0 || !yielded) yield { columns, rows: batch };
      } catch (error) {
        throw queryFailed(text, error);
      } finally {
        rows.return?.();
      }
    },
    async close() {
      db.close();
    },
  };
}

/**
 * A fault of the database, not of the query: no SQLSTATE (the connection went), or a class that is the server's
 * (08 connection, 53 resources, 57 operator intervention, 58 system, XX internal).
 */
function isDatabaseFault(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code !== "string" || /^(08|53|57|58|XX)/.test(code);
}

/** The database's fault, said as such: nothing the analyst wrote is wrong. */
const databaseFailed = (error: unknown) =>
  new PunchcardError("The ledger database failed while running the query; try again.", {
    details: (error as Error).message,
    cause: error,
  });

async function openPostgres(location: string): Promise<ReadOnlyLedger> {
  const client = new pg.Client({ connectionString: location, options: "-c default_transaction_read_only=on" });
  // A connection the server drops fails the next query (which says why); the event must not crash the process.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new PunchcardError(`Cannot reach the ledger database at ${new URL(location).host}.`, {
      details: (error as Error).message,
      hint: "Check --db and that Postgres is running.",
      cause: error,
    });
  }
  return {
    async query(text) {
      try {
        await client.query("BEGIN TRANSACTION READ ONLY");
        // Take the transaction's snapshot first: after it, not even `SET TRANSACTION READ WRITE` can lift read-only.
        await client.query("SELECT 1");
        const config: pg.QueryArrayConfig & { queryMode: "extended" } = { text, rowMode: "array", queryMode: "extended" };
        const result = await client.query(config);
        return { columns: result.fields.map((f) => f.name), rows: result.rows };
      } catch (error) {
        throw isDatabaseFault(error) ? databaseFailed(error) : queryFailed(text, error);
      } finally {
        await client.query("ROLLBACK").catch(() => {});
      }
    },
    async *batches(text, batchRows) {
      // A cursor in the same read-only transaction `query` runs in: rows come `batchRows` at a time, never all at once.
      const run = async <R extends pg.QueryResultRow>(config: pg.QueryConfig | pg.QueryArrayConfig) => {
        try {
          return (await client.query(config)) as pg.QueryResult<R>;
        } catch (error) {
          throw isDatabaseFault(error) ? databaseFailed(error) : queryFailed(text, error);
        }
      };
      try {
        await run({ text: "BEGIN TRANSACTION READ ONLY" });
        await run({ text: "SELECT 1" });
        // Planned for every row, as `query` is: by default a cursor is planned for its first tenth, which picks
        // nested loops that make the whole answer several times slower.
        await run({ text: "SET LOCAL cursor_tuple_fraction = 1" });
        // Over the extended protocol, as `query`: one statement, and DECLARE takes only a SELECT or VALUES.
        const declare = { text: `DECLARE punchcard_batches NO SCROLL CURSOR FOR ${text}`, queryMode: "extended" };
        await run(declare);
        const size = Math.max(1, Math.floor(batchRows));
        const fetch: pg.QueryArrayConfig = { text: `FETCH FORWARD ${size} FROM punchcard_batches`, rowMode: "array" };
        for (let yielded = false; ; yielded = true) {
          const result = await run<unknown[]>(fetch);
          if (result.rows.length === 0 && yielded) break;
          yield { columns: result.fields.map((f) => f.name), rows: result.rows };
          if (result.rows.length < size) break;
        }
      } finally {
        await client.query("ROLLBACK").catch(() => {});
      }
    },
    async close() {
      await client.end();
    },
  };
}
