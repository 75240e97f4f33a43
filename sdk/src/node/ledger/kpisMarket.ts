import { sql, type Kysely } from "kysely";
import type { Program } from "../../program.js";
import { DAY, isSmallGroup, nextPeriod, periodLabel, periodStart, shownCount, type KpiPeriod } from "./kpisPeriods.js";
import { readKpiSnapshot } from "./kpisSnapshot.js";
import type { LedgerTables } from "./schema.js";
import { programKey } from "./syncLedger.js";

/** Sales for a price: a listing bought, an offer accepted, the two matched. */
export const SALE_KINDS = ["order.filled", "offer.accepted", "orders.matched"] as const;

/** One period's market in one currency, in the currency's smallest units; null where 1 to 4 wallets traded. */
export interface KpiMarketRow {
  start: number;
  end: number;
  period: string;
  /** The currency's address (the zero address: the chain's coin; the Points address: points). */
  currency: string;
  /** What buyers paid (sales), the royalties the brand received (sales and swaps), and the trades. */
  volume: bigint | null;
  royalties: bigint | null;
  trades: number | null;
  /** Buyers and sellers behind the figures (null when 1 to 4). */
  wallets: number | null;
}

/** One period's figures of one series, in one currency when it traded. */
export interface KpiSeriesRow {
  start: number;
  end: number;
  period: string;
  seriesId: string;
  /** Wallets holding at least one stamp of the series at the period's end; null when 1 to 4. */
  holders: number | null;
  /**
   * The currency of `floor` and `trades`, or null when the series did not trade in the period. The ledger holds no
   * listings (orders are signed off the chain; only sales and cancellations reach it), so the floor is the lowest price
   * paid for a stamp of the series in the period, null when 1 to 4 wallets traded.
   */
  currency: string | null;
  floor: bigint | null;
  trades: number | null;
}

export interface KpiMarketParameters {
  program: Program;
  /** Unix seconds: the first period holds `from`, the last holds `to - 1`. */
  from: number;
  to: number;
  by: KpiPeriod;
}

interface TradeRow {
  block_time: string | number;
  kind: string;
  series_id: string | null;
  currency: string | null;
  amount: string | null;
  royalty: string | null;
  actor: string | null;
  counterparty: string | null;
}

/**
 * The trades of a span, in no particular order: what is computed from them (sums, counts, sets of wallets, the lowest
 * price) does not depend on it. Asking for chain order made SQLite walk the program's every row in block order (the
 * (program, block_number) index) to skip a sort, 1,000,000 rows for 68,000 trades; without it, the (program, kind,
 * block_time) index reads the span's trades alone.
 */
async function readTrades(trx: Kysely<LedgerTables>, key: string, first: number, end: number) {
  return (
    await sql<TradeRow>`
      SELECT block_time, kind, series_id, currency, amount, royalty, actor, counterparty FROM ledger_entries
      WHERE program = ${key} AND kind IN (${sql.join([...SALE_KINDS, "swap"])}) AND block_time >= ${first} AND block_time < ${end}`.execute(
      trx,
    )
  ).rows;
}

const span = ({ from, to, by }: KpiMarketParameters) => ({
  first: periodStart(from, by),
  end: nextPeriod(periodStart(to - 1, by), by),
});

/**
 * Market volume and royalty income per currency per day, week or month: sales (listings, offers, matches) add what the
 * buyer paid, their royalty and a trade; a swap (a stamp for a stamp, its royalty paid in points) adds its royalty in
 * points and a trade. Read from the trades' rows by an index on (program, kind, block_time): trades are few.
 *
 * @example
 * const market = await kpiMarket(db, { program, from, to, by: "month" });
 * const coin = market.filter((m) => m.currency === zeroAddress);
 */
export async function kpiMarket(db: Kysely<LedgerTables>, parameters: KpiMarketParameters): Promise<KpiMarketRow[]> {
  const { program, by } = parameters;
  const key = programKey(program);
  const { first, end } = span(parameters);
  const trades = await readKpiSnapshot(db, key, (trx) => readTrades(trx, key, first, end));
  const sums = new Map<
    string,
    { start: number; currency: string; volume: bigint; royalties: bigint; n: number; wallets: Set<string> }
  >();
  for (const t of trades) {
    const start = periodStart(Number(t.block_time), by);
    const currency = (t.kind === "swap" ? program.points : (t.currency ?? "")).toLowerCase();
    const id = `${start}|${currency}`;
    const sum = sums.get(id) ?? { start, currency, volume: 0n, royalties: 0n, n: 0, wallets: new Set<string>() };
    if (t.kind !== "swap") sum.volume += BigInt(t.amount ?? "0");
    sum.royalties += BigInt(t.royalty ?? "0");
    sum.n += 1;
    for (const wallet of [t.actor, t.counterparty]) if (wallet !== null) sum.wallets.add(wallet);
    sums.set(id, sum);
  }
  return [...sums.values()]
    .sort((a, b) => a.start - b.start || a.currency.localeCompare(b.currency))
    .map((s) => {
      const hidden = isSmallGroup(s.wallets.size);
      return {
        start: s.start,
        end: nextPeriod(s.start, by),
        period: periodLabel(s.start, by),
        currency: s.currency,
        volume: hidden ? null : s.volume,
        royalties: hidden ? null : s.royalties,
        trades: hidden ? null : s.n,
        wallets: shownCount(s.wallets.size),
      };
    });
}

/**
 * Floor price and holders per series per day, week or month: holders from the rollup the sync keeps
 * (`ledger_kpi_holders`, a difference array by day), the floor from the period's sales (the lowest price paid; the
 * ledger knows no open listings). Every series with a holder or a sale by a period's end has a row in it.
 *
 * @example
 * const series = await kpiSeries(db, { program, from, to, by: "week" });
 * const cups = series.filter((s) => s.seriesId === "1");
 */
export async function kpiSeries(db: Kysely<LedgerTables>, parameters: KpiMarketParameters): Promise<KpiSeriesRow[]> {
  const { program, by } = parameters;
  const key = programKey(program);
  const { first, end } = span(parameters);
  const { deltas, trades } = await readKpiSnapshot(db, key, async (trx) => ({
    deltas: (
      await sql<{ series_id: string; day: string | number; delta: string | number }>`
        SELECT series_id, day, delta FROM ledger_kpi_holders WHERE program = ${key} AND day <= ${end / DAY}
        ORDER BY day`.execute(trx)
    ).rows,
    trades: (await readTrades(trx, key, first, end)).filter((t) => t.kind !== "swap" && t.series_id !== null),
  }));
  const seriesIds = [...new Set([...deltas.map((d) => d.series_id), ...trades.map((t) => t.series_id!)])].sort((a, b) =>
    BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0,
  );
  const holdersAt = new Map<string, number>();
  const seen = new Set<string>();
  let next = 0;
  const rows: KpiSeriesRow[] = [];
  for (let start = first; start < end; start = nextPeriod(start, by)) {
    const periodEnd = nextPeriod(start, by);
    // Holders at the period's end: the deltas of every day up to it (a change on day d counts from day d + 1).
    while (next < deltas.length && Number(deltas[next]!.day) <= periodEnd / DAY) {
      const d = deltas[next++]!;
      holdersAt.set(d.series_id, (holdersAt.get(d.series_id) ?? 0) + Number(d.delta));
      seen.add(d.series_id);
    }
    const sales = trades.filter((t) => Number(t.block_time) >= start && Number(t.block_time) < periodEnd);
    for (const seriesId of seriesIds) {
      const mine = sales.filter((t) => t.series_id === seriesId);
      if (!seen.has(seriesId) && mine.length === 0) continue;
      const base = {
        start,
        end: periodEnd,
        period: periodLabel(start, by),
        seriesId,
        holders: shownCount(holdersAt.get(seriesId) ?? 0),
      };
      const currencies = [...new Set(mine.map((t) => (t.currency ?? "").toLowerCase()))].sort();
      if (currencies.length === 0) rows.push({ ...base, currency: null, floor: null, trades: 0 });
      for (const currency of currencies) {
        const priced = mine.filter((t) => (t.currency ?? "").toLowerCase() === currency);
        const wallets = new Set(priced.flatMap((t) => [t.actor, t.counterparty]).filter((w) => w !== null));
        const floor = priced.map((t) => BigInt(t.amount ?? "0")).reduce((a, b) => (b < a ? b : a));
        const hidden = isSmallGroup(wallets.size);
        rows.push({ ...base, currency, floor: hidden ? null : floor, trades: hidden ? null : priced.length });
      }
    }
  }
  return rows;
}
