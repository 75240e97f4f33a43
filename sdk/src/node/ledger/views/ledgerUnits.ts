import { sql, type Kysely } from "kysely";
import type { Program } from "../../../program.js";
import type { LedgerTables } from "../schema.js";
import { programKey } from "../syncLedger.js";

/** The units a program's amounts are read in: the points' symbol and decimals, and the chain's coin. */
export interface LedgerUnits {
  pointsSymbol: string;
  pointsDecimals: number;
  nativeSymbol: string;
  nativeDecimals: number;
}

/** What a deployment record without units means: whole points and an 18-decimal coin (as `ledger stats` reads it). */
export const DEFAULT_LEDGER_UNITS: LedgerUnits = {
  pointsSymbol: "points",
  pointsDecimals: 0,
  nativeSymbol: "ETH",
  nativeDecimals: 18,
};

export interface RecordLedgerUnitsParameters {
  program: Program;
  units: LedgerUnits;
}

/**
 * Writes (or replaces) a program's units in `ledger_units`, which the analysts' views read to show amounts in the
 * program's units. The chain's events do not carry the points' decimals, so the deployment record is the source;
 * `punchcard ledger sql` writes them before every query. Run `migrateLedger` first.
 *
 * @example
 * await recordLedgerUnits(db, { program, units: { pointsSymbol: "BEANS", pointsDecimals: 2, nativeSymbol: "ETH", nativeDecimals: 18 } });
 */
export async function recordLedgerUnits(
  db: Kysely<LedgerTables>,
  { program, units }: RecordLedgerUnitsParameters,
): Promise<void> {
  const key = programKey(program);
  const row = sql.join([
    sql`${key}`,
    sql`${program.points.toLowerCase()}`,
    sql`${units.pointsSymbol}`,
    sql`${units.pointsDecimals}`,
    sql`${units.nativeSymbol}`,
    sql`${units.nativeDecimals}`,
  ]);
  await sql`INSERT INTO ledger_units (program, points_address, points_symbol, points_decimals, native_symbol, native_decimals)
    VALUES (${row})
    ON CONFLICT (program) DO UPDATE SET points_address = excluded.points_address, points_symbol = excluded.points_symbol,
      points_decimals = excluded.points_decimals, native_symbol = excluded.native_symbol,
      native_decimals = excluded.native_decimals`.execute(db);
}
