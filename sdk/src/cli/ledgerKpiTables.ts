/**
 * The tables of `punchcard ledger kpis --kpi <name>` beyond the periods' KPIs: the tier migration matrix, the market
 * per currency, floor and holders per series, retention by join-week cohort and the RFM cells (docs/analytics.md).
 */
import { formatUnits, zeroAddress } from "viem";
import type { Kysely } from "kysely";
import type { AmountUnits } from "../node/ledger/amountStyle.js";
import { kpiCohorts } from "../node/ledger/kpisCohorts.js";
import { kpiMarket, kpiSeries } from "../node/ledger/kpisMarket.js";
import type { KpiPeriod } from "../node/ledger/kpisPeriods.js";
import { kpiRfm } from "../node/ledger/kpisRfm.js";
import { kpiTierMigration } from "../node/ledger/kpisTiers.js";
import type { LedgerTables } from "../node/ledger/schema.js";
import type { Program } from "../program.js";
import type { SqlResult } from "../node/ledger/sql.js";
import type { SqlFormat } from "./ledgerSql.js";

/** What `--kpi` names: `periods` (the default: one row per period) or one of these tables. */
export const KPI_TABLES = ["periods", "tiers", "market", "series", "cohorts", "rfm"] as const;
export type KpiTable = (typeof KPI_TABLES)[number];

export interface KpiTableParameters {
  program: Program;
  units: AmountUnits;
  from: number;
  to: number;
  by: KpiPeriod;
  format: SqlFormat;
}

/** A currency's symbol and decimals: the chain's coin, the points, or another token (its address, smallest units). */
export function currencyUnits(currency: string, program: Program, units: AmountUnits) {
  if (currency === zeroAddress) return { symbol: units.nativeSymbol, decimals: units.nativeDecimals };
  if (currency === program.points?.toLowerCase()) return { symbol: units.pointsSymbol, decimals: units.pointsDecimals };
  return { symbol: currency, decimals: 0 };
}

/**
 * One `--kpi` table (not `periods`) as columns and rows: amounts in their currency's units in a table, in smallest
 * units in CSV and JSON; a figure with 1 to 4 members behind it null ("<5" in a table).
 *
 * @example
 * const result = await kpiTable(db, "tiers", { program, units, from, to, by: "month", format: "json" });
 */
export async function kpiTable(
  db: Kysely<LedgerTables>,
  table: Exclude<KpiTable, "periods">,
  p: KpiTableParameters,
): Promise<SqlResult> {
  const hidden = (v: unknown) => (v === null && p.format === "table" ? "<5" : v);
  const amount = (value: bigint | null, currency: string) =>
    value === null
      ? hidden(null)
      : p.format === "table"
        ? formatUnits(value, currencyUnits(currency, p.program, p.units).decimals)
        : value;
  if (table === "tiers") {
    const matrix = await kpiTierMigration(db, p);
    return {
      columns: ["from_tier", "to_tier", "members"],
      rows: matrix.cells.map((c) => [c.from, c.to, hidden(c.members)]),
    };
  }
  if (table === "market") {
    const market = await kpiMarket(db, p);
    return {
      columns: ["period", "currency", "symbol", "volume", "royalties", "trades", "wallets"],
      rows: market.map((m) => [
        m.period,
        m.currency,
        currencyUnits(m.currency, p.program, p.units).symbol,
        amount(m.volume, m.currency),
        amount(m.royalties, m.currency),
        hidden(m.trades),
        hidden(m.wallets),
      ]),
    };
  }
  if (table === "series") {
    const series = await kpiSeries(db, p);
    return {
      columns: ["period", "series_id", "holders", "currency", "floor_price", "trades"],
      rows: series.map((s) => [
        s.period,
        s.seriesId,
        hidden(s.holders),
        s.currency === null ? null : currencyUnits(s.currency, p.program, p.units).symbol,
        s.currency === null ? null : amount(s.floor, s.currency),
        hidden(s.trades),
      ]),
    };
  }
  if (table === "cohorts") {
    const cohorts = await kpiCohorts(db, p);
    return {
      columns: ["cohort", "members", "weeks_since_join", "active"],
      rows: cohorts.flatMap((c) => c.active.map((n, k) => [c.cohort, hidden(c.members), k, hidden(n)])),
    };
  }
  const rfm = await kpiRfm(db, p);
  return { columns: ["segment", "members"], rows: rfm.cells.map((c) => [c.segment, hidden(c.members)]) };
}
