import { Migrator, PostgresAdapter, sql, SqliteAdapter, type Kysely, type Migration, type MigrationResultSet } from "kysely";
import { PunchcardError } from "../../errors.js";
import type { DatabaseEngine } from "../database.js";

/**
 * The versioned schema of one store (the ledger, the link store, later the order book): its migrations
 * in code (no files read at run time, so a bundled SDK migrates too) and the kysely bookkeeping tables
 * of its own, since one database may hold several stores.
 *
 * Migrations are frozen once released: a change to the schema is a new migration whose name sorts after
 * the last one ("0002_ledger_..."), never an edit of an old one.
 */
export interface StoreMigrations {
  /** How messages name the store: "ledger", "link store". */
  store: string;
  migrationTableName: string;
  migrationLockTableName: string;
  /**
   * By name; names sort in the order they run. The first is the initial schema. Each `up` gets kysely's
   * untyped `Kysely<any>`: a migration writes the schema of its day, so it never imports its store's
   * table types, which follow today's (the store's `schema.ts` imports its migrations, not the reverse).
   */
  migrations: Record<string, Migration>;
  /**
   * What the first migration creates, as versions before migrations created it (`createTable ...
   * ifNotExists`): a database that already holds these tables adopts the first migration instead of
   * running it. Index names only; primary keys and unique constraints come with their tables.
   */
  initialSchema: { tables: Record<string, readonly string[]>; indexes: readonly string[] };
}

export interface MigrateReturnType {
  /** Names of the migrations recorded by this call, oldest first; empty when the database was up to date. */
  applied: string[];
  /**
   * True when the store's tables were already there, made by a version of Punchcard before migrations
   * (`ensureLedgerSchema`, `LinkStore.open`): the first migration was recorded as applied without running.
   */
  adopted: boolean;
}

/**
 * A migration of a store's database failed, or the database was migrated by a newer Punchcard.
 * `migrationName` is the migration at fault (undefined when kysely failed before running any).
 *
 * @example
 * try {
 *   await migrateLedger(db);
 * } catch (error) {
 *   if (error instanceof MigrationError) console.error(`${error.store}: ${error.migrationName} failed`, error.details);
 * }
 */
export class MigrationError extends PunchcardError {
  override name = "MigrationError";

  constructor(
    readonly store: string,
    readonly migrationName: string | undefined,
    options: { details?: string; hint?: string; cause?: unknown; shortMessage?: string },
  ) {
    const { shortMessage, ...rest } = options;
    super(
      shortMessage ??
        (migrationName === undefined
          ? `Migrating the ${store} database failed before any migration ran.`
          : `Migration ${migrationName} of the ${store} database failed.`),
      rest,
    );
  }
}

function engineOfDb(db: Kysely<unknown>, store: string): DatabaseEngine {
  // getExecutor is what kysely's own Migrator reads the adapter from.
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) return "postgres";
  if (adapter instanceof SqliteAdapter) return "sqlite";
  throw new MigrationError(store, undefined, {
    shortMessage: `The ${store} database is neither SQLite nor Postgres (kysely adapter ${adapter.constructor.name}).`,
    hint: "Open it with openDatabase.",
  });
}

/** Tables (with their columns) and index names of the database's current schema, read from the catalog. */
export async function readSchemaObjects(
  db: Kysely<unknown>,
  engine: DatabaseEngine,
): Promise<{ tables: Map<string, Set<string>>; indexes: Set<string> }> {
  const tables = new Map<string, Set<string>>();
  let indexes: string[];
  if (engine === "sqlite") {
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      SELECT m.name AS table_name, c.name AS column_name
      FROM sqlite_master m JOIN pragma_table_info(m.name) c
      WHERE m.type = 'table'`.execute(db);
    for (const row of rows) tables.set(row.table_name, (tables.get(row.table_name) ?? new Set()).add(row.column_name));
    indexes = (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index'`.execute(db)).rows.map(
      (r) => r.name,
    );
  } else {
    // Unqualified names, as the migrations write them, live in current_schema(): a store in another
    // schema of the same database is not this one.
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`.execute(db);
    for (const row of rows) tables.set(row.table_name, (tables.get(row.table_name) ?? new Set()).add(row.column_name));
    indexes = (
      await sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()`.execute(db)
    ).rows.map((r) => r.name);
  }
  return { tables, indexes: new Set(indexes) };
}

/** The store's tables exist, but not as the first migration would make them: they cannot be adopted. */
class UnadoptableTablesError extends PunchcardError {
  override name = "UnadoptableTablesError";
}

/**
 * The first migration, made able to adopt a database created before migrations: if none of its tables
 * exist it runs; if all of them exist with every column and index, it does nothing and kysely records it
 * as applied; a part of them is an error that says what is missing. It runs under kysely's migration
 * lock (and, on Postgres, in the migration's transaction), so two processes cannot both decide.
 */
function adoptingInitial(plan: StoreMigrations, create: Migration, engine: DatabaseEngine, onAdopt: () => void): Migration {
  return {
    async up(db) {
      const { tables, indexes } = await readSchemaObjects(db, engine);
      const expected = Object.entries(plan.initialSchema.tables);
      if (!expected.some(([table]) => tables.has(table))) return create.up(db);
      const missing: string[] = [];
      for (const [table, columns] of expected) {
        const found = tables.get(table);
        if (!found) missing.push(`table ${table}`);
        else for (const column of columns) if (!found.has(column)) missing.push(`column ${table}.${column}`);
      }
      for (const index of plan.initialSchema.indexes) if (!indexes.has(index)) missing.push(`index ${index}`);
      if (missing.length > 0) {
        throw new UnadoptableTablesError(
          `The ${plan.store} tables exist but are not the ones Punchcard creates: missing ${missing.join(", ")}.`,
        );
      }
      onAdopt();
    },
  };
}

/**
 * Runs a store's pending migrations, oldest first, and says which ran. Running it again is a no-op. A
 * database made before migrations adopts the first one (see {@link StoreMigrations.initialSchema}).
 *
 * On Postgres each run is one transaction: a failed migration leaves nothing behind. SQLite runs the
 * statements of a migration one by one (kysely's SQLite adapter has no transactional DDL), so those
 * before a failure stay.
 *
 * @example
 * const { applied } = await migrateStore(db, orderBookMigrations);
 */
export async function migrateStore<Tables>(database: Kysely<Tables>, plan: StoreMigrations): Promise<MigrateReturnType> {
  // Migrations see the database as it is, not as the store's types say it should be.
  const db = database as Kysely<unknown>;
  const engine = engineOfDb(db, plan.store);
  const names = Object.keys(plan.migrations).sort();
  const initialName = names[0];
  if (initialName === undefined) return { applied: [], adopted: false };

  // A database migrated by a newer Punchcard holds migrations this code does not know: say so plainly
  // (kysely would say "corrupted migrations").
  const catalog = await readSchemaObjects(db, engine);
  if (catalog.tables.has(plan.migrationTableName)) {
    const executed = await db
      .withTables<Record<string, { name: string }>>()
      .selectFrom(plan.migrationTableName)
      .select("name")
      .execute();
    const unknown = executed
      .map((row) => row.name)
      .filter((name) => !Object.hasOwn(plan.migrations, name))
      .sort();
    if (unknown.length > 0) {
      throw new MigrationError(plan.store, unknown[0], {
        shortMessage: `The ${plan.store} database was migrated by a newer Punchcard: it has migration ${unknown.join(", ")}, which this version does not know.`,
        hint: "Upgrade @punchcard/sdk to the version that migrated it; migrations only go forward.",
      });
    }
  }

  let adopted = false;
  const migrations = {
    ...plan.migrations,
    [initialName]: adoptingInitial(plan, plan.migrations[initialName]!, engine, () => (adopted = true)),
  };
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: plan.migrationTableName,
    migrationLockTableName: plan.migrationLockTableName,
  });
  const { error, results = [] }: MigrationResultSet = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === "Error")?.migrationName;
    throw new MigrationError(plan.store, failed, {
      details: error instanceof Error ? error.message : String(error),
      hint:
        error instanceof UnadoptableTablesError
          ? "The tables were left as they were. They were made by a much older Punchcard or by another program: point at another database, or bring them to this schema by hand."
          : engine === "postgres"
            ? "This run was rolled back: the database is as it was. Fix the cause above and run again."
            : "Statements of the failed migration before the error stay in the file. Fix the cause above and run again; if the database holds nothing you need, delete it.",
      cause: error,
    });
  }
  return { applied: results.map((result) => result.migrationName), adopted };
}
