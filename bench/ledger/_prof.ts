import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, PostgresDialect } from "kysely";
import pg from "pg";
import { ledgerStats, type LedgerTables } from "@punchcard/sdk/node";
import { syntheticProgram } from "../../sdk/src/node/ledger/ledgerFixture";
(async () => {
  const loc = process.argv[2]!;
  const dialect = loc.startsWith("postgres")
    ? new PostgresDialect({ pool: new pg.Pool({ connectionString: loc }) })
    : new SqliteDialect({ database: new SQLite(loc) });
  const db = new Kysely<LedgerTables>({
    dialect,
    log(e) {
      console.log(`${e.queryDurationMillis.toFixed(0)} ms: ${e.query.sql.replace(/\s+/g, " ").slice(0, 150)}`);
    },
  });
  const t = performance.now();
  await ledgerStats(db, { program: syntheticProgram(31337, `0x${"5a".repeat(20)}`) });
  console.log("total", performance.now() - t);
  await db.destroy();
})();
