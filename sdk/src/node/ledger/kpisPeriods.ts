/**
 * The calendar and the vocabulary of the KPIs (kpis.ts), apart so the rollups the sync keeps (kpisRollup.ts) and the
 * queries that read them share one definition of a period, of a member's join and of an act.
 */

/** How KPIs are grouped in time: UTC days, weeks starting on Monday, calendar months. */
export type KpiPeriod = "day" | "week" | "month";

/** Every kind of period, in the order the rollups keep them. */
export const KPI_PERIODS: readonly KpiPeriod[] = ["day", "week", "month"];

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

/** The points flows summed per period: minted (issued), burned, redeemed, expired, and reversed purchases. */
export const FLOW_KINDS = [
  "points.minted",
  "points.burned",
  "points.redeemed",
  "points.expired",
  "points.purchase.reversed",
] as const;

/** The windows of the active-member counts, in days. */
export const ACTIVE_WINDOWS = [7, 30, 90] as const;

export const DAY = 86_400;

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

/** The period as people read it: "2026-03-02" (a day, a week's Monday) or "2026-03" (a month). */
export const periodLabel = (start: number, by: KpiPeriod): string =>
  new Date(start * 1000).toISOString().slice(0, by === "month" ? 7 : 10);

/** A group of none is shown (nothing happened is about no one); of 1 to 4, hidden. */
export const isSmallGroup = (members: number): boolean => members > 0 && members < KPI_MIN_GROUP;

/** A count of members, or null when 1 to 4. */
export const shownCount = (members: number): number | null => (isSmallGroup(members) ? null : members);
