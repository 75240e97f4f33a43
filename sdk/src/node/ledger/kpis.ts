import { sql, type Kysely } from "kysely";
import { formatUnits, parseUnits } from "viem";
import type { Program } from "../../program.js";
import {
  ACTIVE_WINDOWS,
  DAY,
  isSmallGroup,
  nextPeriod,
  periodLabel,
  periodStart,
  shownCount,
  type KpiPeriod,
} from "./kpisPeriods.js";
import { readKpiSnapshot } from "./kpisSnapshot.js";
import type { LedgerTables } from "./schema.js";
import { programKey } from "./syncLedger.js";

export { ACTIVITY_KINDS, JOIN_KINDS, KPI_MIN_GROUP, nextPeriod, periodStart, type KpiPeriod } from "./kpisPeriods.js";

/** One period's KPIs. Points in smallest units (exact); null where 1 to 4 members ({@link KPI_MIN_GROUP}) are behind it. */
export interface KpiRow {
  /** First second of the period (Unix seconds, UTC) and the first second after it. */
  start: number;
  end: number;
  /** The period as people read it: "2026-03-02" (day, week's Monday) or "2026-03" (month). */
  period: string;
  newMembers: number | null;
  /** Members with an act in the 7, 30, 90 days before the period's end. */
  active7d: number | null;
  active30d: number | null;
  active90d: number | null;
  /** Points minted (rewards, purchases, conversions in), redeemed, expired and reversed (burned) in the period. */
  issued: bigint | null;
  redeemed: bigint | null;
  expired: bigint | null;
  reversed: bigint | null;
  /** Points in members' hands at the period's end (minted minus burned since the start). */
  outstanding: bigint | null;
  /** Unspent ÷ issued, since the start: (issued − redeemed − reversed) ÷ issued. */
  breakageRate: number | null;
  /** Redeemed ÷ issued in the period. */
  earnBurnRatio: number | null;
  /** Outstanding × value per point (decimal text in the value's currency), when a value is given. */
  liability: string | null;
  /**
   * The liability expected to be redeemed: liability × redeemed ÷ (redeemed + expired) since the start, the share of
   * points that left by redemption rather than expiry (IFRS 15 / ASC 606's expected redemptions, from history).
   */
  liabilityExpected: string | null;
}

export interface LedgerKpisParameters {
  program: Program;
  /** Unix seconds: the first period holds `from`, the last holds `to - 1`. */
  from: number;
  to: number;
  by: KpiPeriod;
  /** The points' decimals (from the deployment record), for the liability. */
  pointsDecimals: number;
  /** What one whole point is worth in the brand's currency, as decimal text ("0.01"), for the liability. */
  valuePerPoint?: string;
}

const ratio = (a: bigint, b: bigint) => (b === 0n ? null : Number((a * 1_000_000n) / b) / 1_000_000);

type Num = string | number;
type Sum = { total: bigint; members: number };

/**
 * Reads what the KPIs of a program are made of, in one snapshot: the period cells (flows and the members behind them,
 * joins, first points) of the kind of period up to `to`, and the active-member differences up to `to`'s day.
 */
export async function readKpiRollups(db: Kysely<LedgerTables>, key: string, by: KpiPeriod, to: number) {
  return readKpiSnapshot(db, key, async (trx) => {
    const periods = await sql<{ period_start: Num; kind: string; members: Num; total: string }>`
      SELECT period_start, kind, members, total FROM ledger_kpi_periods
      WHERE program = ${key} AND period = ${by} AND period_start < ${to}`.execute(trx);
    const active = await sql<{ days: Num; day: Num; delta: Num }>`
      SELECT days, day, delta FROM ledger_kpi_active WHERE program = ${key} AND day <= ${to / DAY}`.execute(trx);
    return { periods: periods.rows, active: active.rows };
  });
}

/**
 * Loyalty KPIs per day, week or month, from the ledger database: new and active members, points issued, redeemed,
 * expired, reversed and outstanding, breakage, earn/burn, and the outstanding points' liability at a value per point.
 * Every figure is an aggregate: one with fewer than {@link KPI_MIN_GROUP} members behind it is null, so no figure
 * describes one member. Points are summed exactly (limb sums, as `ledgerStats`). Run `migrateLedger` first.
 *
 * @example
 * const weeks = await ledgerKpis(db, { program, from: Date.UTC(2026, 0, 1) / 1000, to: Date.UTC(2027, 0, 1) / 1000, by: "week", pointsDecimals: 2, valuePerPoint: "0.01" });
 */
export async function ledgerKpis(db: Kysely<LedgerTables>, parameters: LedgerKpisParameters): Promise<KpiRow[]> {
  const { program, from, by, pointsDecimals, valuePerPoint } = parameters;
  const key = programKey(program);
  // Whole periods: the last one runs to its own end, past `to`.
  const to = nextPeriod(periodStart(parameters.to - 1, by), by);
  const firstStart = periodStart(from, by);
  const rollups = await readKpiRollups(db, key, by, to);
  const byPeriod = new Map<number, Map<string, Sum>>();
  for (const row of rollups.periods) {
    const start = Number(row.period_start);
    const kinds = byPeriod.get(start) ?? new Map<string, Sum>();
    kinds.set(row.kind, { total: BigInt(row.total), members: Number(row.members) });
    byPeriod.set(start, kinds);
  }
  // Active members at a day: the running sum of the window's differences up to it (kpisRollup.ts).
  const deltas = new Map<number, Array<[number, number]>>(ACTIVE_WINDOWS.map((w) => [w, []]));
  for (const row of rollups.active) deltas.get(Number(row.days))?.push([Number(row.day), Number(row.delta)]);
  for (const list of deltas.values()) list.sort((x, y) => x[0] - y[0]);
  const activeAt = (days: number, end: number) => {
    let count = 0;
    for (const [day, delta] of deltas.get(days)!) {
      if (day > end / DAY) break;
      count += delta;
    }
    return count;
  };

  const value = valuePerPoint === undefined ? undefined : parseUnits(valuePerPoint, 18);
  const money = (points: bigint) => (value === undefined ? null : formatUnits(points * value, pointsDecimals + 18));
  const periodOf = (start: number) => byPeriod.get(start)?.entries() ?? [];
  // Totals since the start of the program, up to the end of each period.
  let minted = 0n;
  let burned = 0n;
  let redeemedSoFar = 0n;
  let expiredSoFar = 0n;
  let reversedSoFar = 0n;
  let holders = 0;
  const add = (start: number) => {
    for (const [kind, sum] of periodOf(start)) {
      if (kind === "points.minted") minted += sum.total;
      if (kind === "points.burned") burned += sum.total;
      if (kind === "points.redeemed") redeemedSoFar += sum.total;
      if (kind === "points.expired") expiredSoFar += sum.total;
      if (kind === "points.purchase.reversed") reversedSoFar += sum.total;
      if (kind === "holder") holders += sum.members;
    }
  };
  for (const start of byPeriod.keys()) if (start < firstStart) add(start);

  const rows: KpiRow[] = [];
  for (let start = firstStart; start < to; start = nextPeriod(start, by)) {
    const end = nextPeriod(start, by);
    add(start);
    const kinds = byPeriod.get(start) ?? new Map<string, Sum>();
    const figure = (kind: string) => {
      const sum = kinds.get(kind);
      return sum === undefined ? 0n : isSmallGroup(sum.members) ? null : sum.total;
    };
    const issued = figure("points.minted");
    const redeemed = figure("points.redeemed");
    const outstanding = isSmallGroup(holders) ? null : minted - burned;
    const liability = outstanding === null ? null : money(outstanding);
    const left = redeemedSoFar + expiredSoFar;
    rows.push({
      start,
      end,
      period: periodLabel(start, by),
      newMembers: shownCount(kinds.get("joined")?.members ?? 0),
      active7d: shownCount(activeAt(7, end)),
      active30d: shownCount(activeAt(30, end)),
      active90d: shownCount(activeAt(90, end)),
      issued,
      redeemed,
      expired: figure("points.expired"),
      reversed: figure("points.purchase.reversed"),
      outstanding,
      breakageRate: outstanding === null ? null : ratio(minted - redeemedSoFar - reversedSoFar, minted),
      earnBurnRatio: issued === null || redeemed === null ? null : ratio(redeemed, issued),
      liability,
      liabilityExpected:
        liability === null || left === 0n || value === undefined
          ? null
          : formatUnits(((minted - burned) * value * redeemedSoFar) / left, pointsDecimals + 18),
    });
  }
  return rows;
}
