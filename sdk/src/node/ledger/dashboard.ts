/**
 * The dashboard's figures: the loyalty KPIs per period (`ledgerKpis`, `kpiEngagement`), the market's volume per
 * currency (`kpiMarket`), the cohorts, tier migration and RFM cells (drawn as heat maps, dashboardHeatmaps.ts) and the
 * redemptions of voucher campaigns, and the list of charts drawn from them. Node only.
 *
 * Adding a chart for a new KPI is one entry in {@link DASHBOARD_CHARTS}: its title, unit and a function from the
 * figures to each line's values. Every figure is an aggregate, and one with 1 to 4 members behind it is null (drawn
 * as a gap, written "<5"), as in `ledger kpis`.
 */
import { sql, type Kysely } from "kysely";
import { formatUnits, zeroAddress, type Hex } from "viem";
import type { Program } from "../../program.js";
import type { AmountUnits } from "./amountStyle.js";
import { KPI_MIN_GROUP, ledgerKpis, periodStart, type KpiPeriod, type KpiRow } from "./kpis.js";
import { kpiCohorts, type KpiCohortRow } from "./kpisCohorts.js";
import { kpiEngagement, type KpiEngagementRow } from "./kpisEngagement.js";
import { kpiMarket } from "./kpisMarket.js";
import { kpiRfm, type KpiRfmCell } from "./kpisRfm.js";
import { kpiTierMigration, type KpiTierMigration } from "./kpisTiers.js";
import type { LedgerTables } from "./schema.js";
import { programKey } from "./syncLedger.js";

/** A voucher campaign as `punchcard campaign` wrote it: its name, journey, and the vouchers it signed. */
export interface DashboardCampaign {
  name: string;
  journeyId: string;
  /** Members reached (those whose marketing consent stood when it was signed). */
  reached: number;
  /** The vouchers' ids: a `journey.completed` entry carrying one is a redemption of this campaign. */
  voucherIds: Hex[];
}

/** The market of one period in one currency: volume and royalties, in the currency's units; null under 5 wallets. */
export interface MarketPeriod {
  start: number;
  currency: string;
  symbol: string;
  volume: number | null;
  royalties: number | null;
  /** The same, exactly, as decimal text in the currency's units. */
  volumeText: string | null;
  royaltiesText: string | null;
  trades: number | null;
}

/** Everything the dashboard shows. */
export interface DashboardFigures {
  brand: string;
  program: string;
  by: KpiPeriod;
  from: number;
  to: number;
  units: AmountUnits;
  /** The periods' first seconds, shared by every chart's x axis. */
  periods: number[];
  kpis: KpiRow[];
  /** Journeys, referrals and perks per period (`kpiEngagement`). */
  engagement: KpiEngagementRow[];
  market: MarketPeriod[];
  /** Retention by join-week cohort over the range (`kpiCohorts`). */
  cohorts: KpiCohortRow[];
  /** The tier migration matrix from `from` to `to` (`kpiTierMigration`: members whose analytics stands at `to`). */
  tiers: KpiTierMigration;
  /** The RFM cells (`kpiRfm`): counts only, no wallet. */
  rfm: KpiRfmCell[];
  /** Per campaign: redemptions per period (null: 1 to 4 members) and in all. */
  campaigns: Array<DashboardCampaign & { redemptions: Array<number | null>; redeemed: number | null }>;
}

/** One line of a chart: its label and its value in each period (null: not shown). */
export interface ChartLine {
  label: string;
  values: Array<number | null>;
  /** The values as exact text for the page's tables (points as decimal text); default the numbers. */
  texts?: Array<string | null>;
}

/** A chart of the dashboard: one entry of {@link DASHBOARD_CHARTS}. */
export interface DashboardChart {
  id: string;
  title: string;
  /** What the values are in: "members", the points' symbol, "%"... */
  unit: (figures: DashboardFigures) => string;
  /** A sentence under the chart: what it shows. */
  caption: string;
  lines: (figures: DashboardFigures) => ChartLine[];
}

const kpiLine = (figures: DashboardFigures, label: string, value: (row: KpiRow) => number | null): ChartLine => ({
  label,
  values: figures.kpis.map(value),
});
/** A line of points: drawn as numbers, written exactly in the program's units. */
const pointsLine = (figures: DashboardFigures, label: string, value: (row: KpiRow) => bigint | null): ChartLine => {
  const texts = figures.kpis.map((row) => {
    const raw = value(row);
    return raw === null ? null : formatUnits(raw, figures.units.pointsDecimals);
  });
  return { label, values: texts.map((t) => (t === null ? null : Number(t))), texts };
};
const percent = (ratio: number | null) => (ratio === null ? null : Math.round(ratio * 10_000) / 100);

/**
 * The market's charts, one per currency (a coin and points are not on one scale): what buyers paid and the brand's
 * royalties in each period, a gap where fewer than 5 wallets traded.
 */
export function marketCharts(figures: DashboardFigures): DashboardChart[] {
  const currencies = [...new Map(figures.market.map((m) => [m.currency, m.symbol]))];
  return currencies.map(([currency, symbol]) => {
    const of = (start: number) => figures.market.find((m) => m.start === start && m.currency === currency);
    // No trade in a period is a zero; trades with fewer than 5 wallets behind them, a gap.
    const line = (label: string, pick: (m: MarketPeriod) => string | null): ChartLine => {
      const texts = figures.periods.map((start) => {
        const m = of(start);
        return m === undefined ? "0" : pick(m);
      });
      return { label, values: texts.map((t) => (t === null ? null : Number(t))), texts };
    };
    return {
      id: `market-${currency}`,
      title: `Market in ${symbol}`,
      unit: () => symbol,
      caption: `What buyers paid for stamps in ${symbol} in each period, and the brand's royalties (swaps pay theirs in points).`,
      lines: () => [line("volume", (m) => m.volumeText), line("royalties", (m) => m.royaltiesText)],
    };
  });
}

/** Every chart of the dashboard, in the page's order. A new KPI's chart is one more entry. */
export const DASHBOARD_CHARTS: DashboardChart[] = [
  {
    id: "members",
    title: "Members",
    unit: () => "members",
    caption: "New members in each period, and members active in the 7, 30 and 90 days before its end.",
    lines: (f) => [
      kpiLine(f, "new", (r) => r.newMembers),
      kpiLine(f, "active 7 days", (r) => r.active7d),
      kpiLine(f, "active 30 days", (r) => r.active30d),
      kpiLine(f, "active 90 days", (r) => r.active90d),
    ],
  },
  {
    id: "points",
    title: "Points issued, redeemed, expired and reversed",
    unit: (f) => f.units.pointsSymbol,
    caption: "Points minted (rewards, purchases, conversions in), redeemed, expired and burned by refunds in each period.",
    lines: (f) => [
      pointsLine(f, "issued", (r) => r.issued),
      pointsLine(f, "redeemed", (r) => r.redeemed),
      pointsLine(f, "expired", (r) => r.expired),
      pointsLine(f, "reversed", (r) => r.reversed),
    ],
  },
  {
    id: "outstanding",
    title: "Points outstanding",
    unit: (f) => f.units.pointsSymbol,
    caption: "Points in members' hands at the end of each period: the brand's liability in points.",
    lines: (f) => [pointsLine(f, "outstanding", (r) => r.outstanding)],
  },
  {
    id: "rates",
    title: "Breakage and earn/burn",
    unit: () => "%",
    caption: "Breakage: unspent ÷ issued since the start. Earn/burn: redeemed ÷ issued in the period.",
    lines: (f) => [
      kpiLine(f, "breakage rate", (r) => percent(r.breakageRate)),
      kpiLine(f, "earn/burn ratio", (r) => percent(r.earnBurnRatio)),
    ],
  },
  {
    id: "engagement",
    title: "Journeys, referrals and perks",
    unit: () => "completions and claims",
    caption: "Journeys completed, referrals converted (a completion naming a referee) and perks claimed in each period.",
    lines: (f) => [
      { label: "journeys completed", values: f.engagement.map((r) => r.journeyCompletions) },
      { label: "referrals converted", values: f.engagement.map((r) => r.referralConversions) },
      { label: "perks claimed", values: f.engagement.map((r) => r.perkClaims) },
    ],
  },
  {
    id: "campaigns",
    title: "Campaign redemptions",
    unit: () => "vouchers redeemed",
    caption: "Vouchers of each campaign (punchcard campaign) redeemed in each period.",
    lines: (f) => f.campaigns.map((c) => ({ label: c.name, values: c.redemptions })),
  },
];

export interface DashboardFiguresParameters {
  program: Program;
  brand: string;
  units: AmountUnits;
  /** Unix seconds: the first period holds `from`, the last holds `to - 1`. */
  from: number;
  to: number;
  by: KpiPeriod;
  valuePerPoint?: string;
  campaigns?: DashboardCampaign[];
}

const small = (members: number) => members > 0 && members < KPI_MIN_GROUP;

/**
 * The dashboard's figures from the ledger database: `ledgerKpis` for the periods, the market per currency and the
 * campaigns' redemptions, each hidden where 1 to 4 members are behind it. Run `migrateLedger` first.
 *
 * @example
 * const figures = await dashboardFigures(db, { program, brand: "Northwind Coffee", units, from, to, by: "week" });
 */
export async function dashboardFigures(
  db: Kysely<LedgerTables>,
  parameters: DashboardFiguresParameters,
): Promise<DashboardFigures> {
  const { program, brand, units, from, to, by, valuePerPoint, campaigns = [] } = parameters;
  const kpis = await ledgerKpis(db, {
    program,
    from,
    to,
    by,
    pointsDecimals: units.pointsDecimals,
    ...(valuePerPoint !== undefined ? { valuePerPoint } : {}),
  });
  const periods = kpis.map((k) => k.start);
  const key = programKey(program);

  const unitsOf = (currency: string) =>
    currency === zeroAddress
      ? { symbol: units.nativeSymbol, decimals: units.nativeDecimals }
      : currency === program.points?.toLowerCase()
        ? { symbol: units.pointsSymbol, decimals: units.pointsDecimals }
        : { symbol: currency, decimals: 0 };
  const market: MarketPeriod[] = (await kpiMarket(db, { program, from, to, by })).map((m) => {
    const { symbol, decimals } = unitsOf(m.currency);
    const text = (value: bigint | null) => (value === null ? null : formatUnits(value, decimals));
    const [volumeText, royaltiesText] = [text(m.volume), text(m.royalties)];
    return {
      start: m.start,
      currency: m.currency,
      symbol,
      volume: volumeText === null ? null : Number(volumeText),
      royalties: royaltiesText === null ? null : Number(royaltiesText),
      volumeText,
      royaltiesText,
      trades: m.trades,
    };
  });
  const engagement = await kpiEngagement(db, { program, from, to, by });
  const cohorts = await kpiCohorts(db, { program, from, to });
  const tiers = await kpiTierMigration(db, { program, from, to });
  const rfm = (await kpiRfm(db, { program })).cells;

  // A campaign's redemptions: the completions of its journey that carry one of its vouchers.
  const completions =
    campaigns.length === 0
      ? []
      : (
          await sql<{ block_time: unknown; actor: string | null; args: string }>`
          SELECT block_time, actor, args FROM ledger_entries WHERE program = ${key} AND kind = 'journey.completed'`.execute(db)
        ).rows.map((r) => ({
          start: periodStart(Number(r.block_time), by),
          member: r.actor,
          voucherId: String((JSON.parse(r.args) as { voucherId?: string }).voucherId ?? "").toLowerCase(),
        }));
  const withRedemptions = campaigns.map((campaign) => {
    const ids = new Set(campaign.voucherIds.map((id) => id.toLowerCase()));
    const redeemed = completions.filter((c) => ids.has(c.voucherId));
    const count = (rows: typeof redeemed) => (small(new Set(rows.map((r) => r.member)).size) ? null : rows.length);
    return {
      ...campaign,
      redemptions: periods.map((start) => count(redeemed.filter((r) => r.start === start))),
      redeemed: count(redeemed),
    };
  });
  return {
    brand,
    program: key,
    by,
    from,
    to,
    units,
    periods,
    kpis,
    engagement,
    market,
    cohorts,
    tiers,
    rfm,
    campaigns: withRedemptions,
  };
}
