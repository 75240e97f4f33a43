import { PostgresAdapter, type Kysely } from "kysely";
import { refreshFiguresIfBehind } from "./ledgerFigures.js";
import type { LedgerTables } from "./schema.js";

/**
 * Runs a KPI's reads of the rollups in one snapshot, after bringing the program's figures and rollups up to its newest
 * row: a sync committing between two reads cannot mix two states.
 *
 * @example
 * const cells = await readKpiSnapshot(db, key, (trx) => sql`SELECT * FROM ledger_kpi_cohorts`.execute(trx));
 */
export async function readKpiSnapshot<T>(
  db: Kysely<LedgerTables>,
  key: string,
  read: (trx: Kysely<LedgerTables>) => Promise<T>,
): Promise<T> {
  await refreshFiguresIfBehind(db, key);
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const snapshot = postgres ? db.transaction().setIsolationLevel("repeatable read") : db.transaction();
  return snapshot.execute(read);
}
