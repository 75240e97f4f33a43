/**
 * The dashboard's figures: the loyalty KPIs per period (`ledgerKpis`), the market's volume per currency and the
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
  market: MarketPeriod[];
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
    id: "market",
    title: "Market volume",
    unit: () => "in each currency's units",
    caption: "What buyers paid for stamps on the market in each period, per currency, and the brand's royalties.",
    lines: (f) =>
      [...new Set(f.market.map((m) => m.symbol))].flatMap((symbol) => {
        const of = (start: number) => f.market.find((m) => m.start === start && m.symbol === symbol);
        return [
          { label: `volume ${symbol}`, values: f.periods.map((start) => of(start)?.volume ?? 0) },
          { label: `royalties ${symbol}`, values: f.periods.map((start) => of(start)?.royalties ?? 0) },
        ].map((line) => ({
          ...line,
          // A period whose trades had fewer than 5 wallets behind them is a gap, not a zero.
          values: line.values.map((v, i) => (of(f.periods[i]!)?.volume === null ? null : v)),
        }));
      }),
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

const TRADE_KINDS = ["order.filled", "offer.accepted", "orders.matched"] as const;
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
  const first = periods[0] ?? from;
  const end = kpis.at(-1)?.end ?? to;
  const key = programKey(program);

  // Trades are a small share of the entries: summed here, exactly, per period and currency.
  const trades = await sql<{
    block_time: unknown;
    currency: string;
    amount: string;
    royalty: string | null;
    actor: string | null;
    counterparty: string | null;
  }>`
    SELECT block_time, currency, amount, royalty, actor, counterparty FROM ledger_entries
    WHERE program = ${key} AND kind IN (${sql.join([...TRADE_KINDS])}) AND block_time >= ${first} AND block_time < ${end}`.execute(
    db,
  );
  const sums = new Map<
    string,
    { start: number; currency: string; volume: bigint; royalties: bigint; trades: number; wallets: Set<string> }
  >();
  for (const t of trades.rows) {
    const start = periodStart(Number(t.block_time), by);
    const id = `${start}:${t.currency.toLowerCase()}`;
    const sum = sums.get(id) ?? {
      start,
      currency: t.currency.toLowerCase(),
      volume: 0n,
      royalties: 0n,
      trades: 0,
      wallets: new Set(),
    };
    sum.volume += BigInt(t.amount ?? "0");
    sum.royalties += BigInt(t.royalty ?? "0");
    sum.trades++;
    for (const wallet of [t.actor, t.counterparty]) if (wallet) sum.wallets.add(wallet.toLowerCase());
    sums.set(id, sum);
  }
  const unitsOf = (currency: string) =>
    currency === zeroAddress
      ? { symbol: units.nativeSymbol, decimals: units.nativeDecimals }
      : currency === program.points.toLowerCase()
        ? { symbol: units.pointsSymbol, decimals: units.pointsDecimals }
        : { symbol: currency, decimals: 0 };
  const market: MarketPeriod[] = [...sums.values()]
    .sort((a, b) => a.start - b.start || a.currency.localeCompare(b.currency))
    .map((s) => {
      const { symbol, decimals } = unitsOf(s.currency);
      const hidden = small(s.wallets.size);
      return {
        start: s.start,
        currency: s.currency,
        symbol,
        volume: hidden ? null : Number(formatUnits(s.volume, decimals)),
        royalties: hidden ? null : Number(formatUnits(s.royalties, decimals)),
        trades: hidden ? null : s.trades,
      };
    });

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
  return { brand, program: key, by, from, to, units, periods, kpis, market, campaigns: withRedemptions };
}
