import { PostgresAdapter, sql, type Kysely } from "kysely";
import { formatUnits, parseUnits } from "viem";
import type { Program } from "../../program.js";
import { fromLimbSums, limbColumns } from "./amountLimbs.js";
import type { LedgerTables } from "./schema.js";
import { programKey } from "./syncLedger.js";

/** How KPIs are grouped in time: UTC days, weeks starting on Monday, calendar months. */
export type KpiPeriod = "day" | "week" | "month";

/** Fewer members than this behind a figure and the figure is not shown (null): a small group is nearly a person. */
export const KPI_MIN_GROUP = 5;

/** The acts of a member that make them active: their own rewards, purchases, redemptions, stamps, perks, trades. */
export const ACTIVITY_KINDS = [
  "points.rewarded",
  "points.credited",
  "points.redeemed",
  "stamp.minted",
  "perk.claimed",
  "journey.completed",
  "order.filled",
  "offer.accepted",
  "orders.matched",
  "swap",
] as const;

/** What makes a wallet a member, from its first such row (as the `members` view counts it). */
export const JOIN_KINDS = [
  "stamp.minted",
  "stamp.transferred",
  "points.minted",
  "points.transferred",
  "points.rewarded",
  "points.credited",
] as const;

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

const DAY = 86_400;

/** The start of the period holding `t` (Unix seconds, UTC). */
export function periodStart(t: number, by: KpiPeriod): number {
  const day = Math.floor(t / DAY);
  if (by === "day") return day * DAY;
  // 1970-01-01 was a Thursday: three days on is a Monday.
  if (by === "week") return (Math.floor((day + 3) / 7) * 7 - 3) * DAY;
  const date = new Date(t * 1000);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / 1000;
}

/** The start of the period after the one starting at `start`. */
export function nextPeriod(start: number, by: KpiPeriod): number {
  if (by === "day") return start + DAY;
  if (by === "week") return start + 7 * DAY;
  const date = new Date(start * 1000);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / 1000;
}

const label = (start: number, by: KpiPeriod) => new Date(start * 1000).toISOString().slice(0, by === "month" ? 7 : 10);
/** A group of none is shown (nothing happened is about no one); of 1 to 4, hidden. */
const small = (members: number) => members > 0 && members < KPI_MIN_GROUP;
const shown = (count: number) => (small(count) ? null : count);
const ratio = (a: bigint, b: bigint) => (b === 0n ? null : Number((a * 1_000_000n) / b) / 1_000_000);

type Sum = { total: bigint; members: number };

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
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // Bucketed in SQL (one pass over the program's rows): a day or week is arithmetic, a month needs the calendar.
  const time = sql.ref("block_time");
  const bucket =
    by === "month"
      ? postgres
        ? sql`to_char(to_timestamp(${time}) AT TIME ZONE 'UTC', 'YYYY-MM')`
        : sql`strftime('%Y-%m', ${time}, 'unixepoch')`
      : by === "week"
        ? sql`(CAST(${time} AS BIGINT) / ${sql.lit(DAY)} + 3) / 7`
        : sql`CAST(${time} AS BIGINT) / ${sql.lit(DAY)}`;
  const bucketStart = (value: unknown): number => {
    if (by === "month") {
      const [year, month] = String(value).split("-").map(Number);
      return Date.UTC(year!, month! - 1, 1) / 1000;
    }
    return by === "week" ? (Number(value) * 7 - 3) * DAY : Number(value) * DAY;
  };
  const limbs = limbColumns("amount");
  const sums = await sql<Record<string, unknown>>`
    SELECT ${bucket} AS bucket, kind, count(DISTINCT actor) AS members,
      ${sql.join(limbs.map((l) => sql`sum(${sql.ref(l)}) AS ${sql.ref(l)}`))}
    FROM ledger_entries
    WHERE program = ${key} AND block_time < ${to}
      AND kind IN ('points.minted', 'points.burned', 'points.redeemed', 'points.expired')
    GROUP BY ${bucket}, kind`.execute(db);
  const byPeriod = new Map<number, Map<string, Sum>>();
  for (const row of sums.rows) {
    const start = bucketStart(row.bucket);
    const kinds = byPeriod.get(start) ?? new Map<string, Sum>();
    kinds.set(String(row.kind), { total: fromLimbSums(limbs.map((l) => row[l] as string | null)), members: Number(row.members) });
    byPeriod.set(start, kinds);
  }
  // A reversal burns `burned` (in its args, not a limbed column); they are few.
  const reversals = await sql<{ block_time: unknown; actor: string; args: string }>`
    SELECT block_time, actor, args FROM ledger_entries
    WHERE program = ${key} AND kind = 'points.purchase.reversed' AND block_time < ${to}`.execute(db);
  const reversed = new Map<number, { total: bigint; members: Set<string> }>();
  for (const row of reversals.rows) {
    const start = periodStart(Number(row.block_time), by);
    const sum = reversed.get(start) ?? { total: 0n, members: new Set<string>() };
    sum.total += BigInt((JSON.parse(row.args) as { burned: string }).burned);
    sum.members.add(row.actor);
    reversed.set(start, sum);
  }
  // First join and first point of each wallet (the members behind "new members" and behind what is outstanding).
  const firsts = await sql<{ actor: string; joined: unknown; holder: unknown }>`
    SELECT actor, min(block_time) AS joined,
      min(CASE WHEN kind = 'points.minted' THEN block_time END) AS holder
    FROM ledger_entries
    WHERE program = ${key} AND actor IS NOT NULL AND block_time < ${to}
      AND kind IN (${sql.join([...JOIN_KINDS])})
    GROUP BY actor`.execute(db);
  // Each member's active days in reach of the windows: the 90 days before the first period's end onwards.
  const firstStart = periodStart(from, by);
  const activity = await sql<{ actor: string; day: unknown }>`
    SELECT DISTINCT actor, CAST(block_time AS BIGINT) / ${sql.lit(DAY)} AS day FROM ledger_entries
    WHERE program = ${key} AND actor IS NOT NULL AND block_time >= ${firstStart - 90 * DAY} AND block_time < ${to}
      AND kind IN (${sql.join([...ACTIVITY_KINDS])})`.execute(db);
  const activeOn = new Map<number, string[]>();
  for (const row of activity.rows) {
    const day = Number(row.day);
    activeOn.set(day, [...(activeOn.get(day) ?? []), row.actor]);
  }
  const activeBefore = (end: number, days: number) => {
    const members = new Set<string>();
    for (let day = end / DAY - days; day < end / DAY; day++) for (const m of activeOn.get(day) ?? []) members.add(m);
    return members.size;
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
  const earlier = [...byPeriod.keys(), ...reversed.keys()].filter((s) => s < firstStart);
  const add = (start: number) => {
    for (const [kind, sum] of periodOf(start)) {
      if (kind === "points.minted") minted += sum.total;
      if (kind === "points.burned") burned += sum.total;
      if (kind === "points.redeemed") redeemedSoFar += sum.total;
      if (kind === "points.expired") expiredSoFar += sum.total;
    }
    reversedSoFar += reversed.get(start)?.total ?? 0n;
  };
  for (const start of new Set(earlier)) add(start);

  const rows: KpiRow[] = [];
  for (let start = firstStart; start < to; start = nextPeriod(start, by)) {
    const end = nextPeriod(start, by);
    add(start);
    const kinds = byPeriod.get(start) ?? new Map<string, Sum>();
    const figure = (kind: string) => {
      const sum = kinds.get(kind);
      return sum === undefined ? 0n : small(sum.members) ? null : sum.total;
    };
    const issued = figure("points.minted");
    const redeemed = figure("points.redeemed");
    const reversal = reversed.get(start);
    const holders = firsts.rows.filter((r) => r.holder !== null && Number(r.holder) < end).length;
    const outstanding = small(holders) ? null : minted - burned;
    const liability = outstanding === null ? null : money(outstanding);
    const left = redeemedSoFar + expiredSoFar;
    rows.push({
      start,
      end,
      period: label(start, by),
      newMembers: shown(firsts.rows.filter((r) => Number(r.joined) >= start && Number(r.joined) < end).length),
      active7d: shown(activeBefore(end, 7)),
      active30d: shown(activeBefore(end, 30)),
      active90d: shown(activeBefore(end, 90)),
      issued,
      redeemed,
      expired: figure("points.expired"),
      reversed: reversal === undefined ? 0n : small(reversal.members.size) ? null : reversal.total,
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
