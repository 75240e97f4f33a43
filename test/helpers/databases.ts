import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * The databases a test runs against: always a new SQLite file, and Postgres when PUNCHCARD_PG_URL is
 * set (CI sets it after starting Debian's postgresql). With PUNCHCARD_REQUIRE_POSTGRES=1 (CI), a
 * missing or unreachable Postgres fails the test instead of skipping it.
 */
export function databaseEngines(): Array<"sqlite" | "postgres"> {
  if (process.env.PUNCHCARD_PG_URL) return ["sqlite", "postgres"];
  if (process.env.PUNCHCARD_REQUIRE_POSTGRES === "1") {
    throw new Error("PUNCHCARD_REQUIRE_POSTGRES=1 but PUNCHCARD_PG_URL is not set: CI must start Postgres.");
  }
  if (!toldPostgresSkipped) {
    toldPostgresSkipped = true;
    console.log("  (Postgres tests skipped: set PUNCHCARD_PG_URL=postgres://... to run them on Postgres too)");
  }
  return ["sqlite"];
}

let toldPostgresSkipped = false;

/** An empty database of the engine: a fresh SQLite file, or the test Postgres database with every table dropped. */
export async function freshDatabase(engine: "sqlite" | "postgres"): Promise<string> {
  if (engine === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-db-"));
    return path.join(dir, "test.sqlite");
  }
  const url = process.env.PUNCHCARD_PG_URL!;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
  } finally {
    await client.end();
  }
  return url;
}
