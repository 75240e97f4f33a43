import type { Kysely } from "kysely";
import { formatUnits, isAddressEqual, zeroAddress, type Address } from "viem";
import { formatAmount } from "../../utils/formatAmount.js";
import { amountStyle, DEFAULT_AMOUNT_UNITS, type AmountUnits } from "./amountStyle.js";
import type { Program } from "../../program.js";
import { ledgerStats } from "./ledgerStats.js";
import type { LedgerTables } from "./schema.js";
import type { LedgerStats } from "./statsTypes.js";
import { programKey } from "./syncLedger.js";

/** One day of activity (UTC). */
export interface DayFigures {
  day: string;
  pointsIssued: bigint;
  pointsRedeemed: bigint;
  /** Per payment currency: sales and the royalties they paid. */
  trades: Record<string, { count: number; royalties: bigint }>;
}

/**
 * Points issued and redeemed, and sales with their royalties, per UTC day, from the synced ledger.
 *
 * @example
 * for (const d of await dailyFigures(db, { program })) console.log(d.day, d.pointsIssued);
 */
export async function dailyFigures(db: Kysely<LedgerTables>, { program }: { program: Program }): Promise<DayFigures[]> {
  const rows = await db
    .selectFrom("ledger_entries")
    .select(["kind", "amount", "currency", "royalty", "block_time"])
    .where("program", "=", programKey(program))
    .where("kind", "in", ["points.minted", "points.redeemed", "order.filled", "offer.accepted", "orders.matched"])
    .execute();
  const days = new Map<string, DayFigures>();
  for (const row of rows) {
    const day = new Date(Number(row.block_time) * 1000).toISOString().slice(0, 10);
    const figures = days.get(day) ?? { day, pointsIssued: 0n, pointsRedeemed: 0n, trades: {} };
    const amount = BigInt(row.amount ?? "0");
    if (row.kind === "points.minted") figures.pointsIssued += amount;
    else if (row.kind === "points.redeemed") figures.pointsRedeemed += amount;
    else {
      figures.trades[row.currency!] ??= { count: 0, royalties: 0n };
      const trades = figures.trades[row.currency!]!;
      trades.count += 1;
      trades.royalties += BigInt(row.royalty ?? "0");
    }
    days.set(day, figures);
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface Bar {
  label: string;
  values: number[];
  /** What each value reads as, with its unit (the bar's tooltip); default the number. */
  texts?: string[];
}

/** A grouped bar chart as inline SVG: no script, no network, so the report opens offline anywhere. */
function barChart(id: string, title: string, legend: string[], bars: Bar[], maxText = (max: number) => String(max)): string {
  const width = 640;
  const height = 260;
  const pad = { left: 56, right: 16, top: 36, bottom: 48 };
  const colours = ["#2f6fdf", "#e0813a", "#3aa676"];
  const max = Math.max(1, ...bars.flatMap((b) => b.values));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const groupW = bars.length === 0 ? plotW : plotW / bars.length;
  const barW = Math.max(2, (groupW * 0.8) / Math.max(1, legend.length));
  const parts: string[] = [];
  bars.forEach((bar, i) => {
    bar.values.forEach((value, j) => {
      const h = (value / max) * plotH;
      const x = pad.left + i * groupW + groupW * 0.1 + j * barW;
      parts.push(
        `<rect class="bar" x="${x.toFixed(1)}" y="${(pad.top + plotH - h).toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${colours[j % colours.length]}"><title>${escapeHtml(`${bar.label} ${legend[j]}: ${bar.texts?.[j] ?? value}`)}</title></rect>`,
      );
    });
    parts.push(
      `<text x="${(pad.left + i * groupW + groupW / 2).toFixed(1)}" y="${height - pad.bottom + 16}" font-size="11" text-anchor="middle">${escapeHtml(bar.label)}</text>`,
    );
  });
  const legendParts = legend.map(
    (name, j) =>
      `<rect x="${pad.left + j * 150}" y="10" width="12" height="12" fill="${colours[j % colours.length]}"/><text x="${pad.left + j * 150 + 18}" y="20" font-size="12">${escapeHtml(name)}</text>`,
  );
  return `<figure id="${id}"><figcaption>${escapeHtml(title)}</figcaption>
<svg class="chart" data-bars="${bars.length * legend.length}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}">
<line x1="${pad.left}" y1="${pad.top + plotH}" x2="${width - pad.right}" y2="${pad.top + plotH}" stroke="#888"/>
<text x="${pad.left - 6}" y="${pad.top + 4}" font-size="11" text-anchor="end">${escapeHtml(maxText(max))}</text>
<text x="${pad.left - 6}" y="${pad.top + plotH}" font-size="11" text-anchor="end">0</text>
${legendParts.join("\n")}
${parts.join("\n")}
</svg></figure>`;
}

export interface ReportInput {
  brand: string;
  stats: LedgerStats;
  days: DayFigures[];
  /** Display names of payment currencies by lower-case address, for ERC-20s other than the program's Points. */
  currencyNames?: Record<string, string>;
  /**
   * The units amounts print in, as `punchcard ledger stats` prints them (the deployment record's `units`): points
   * with their decimals and symbol. Default: whole points named "points", the chain's coin as ETH.
   */
  units?: AmountUnits;
  /** The program's Points token: trades priced in it print in the points' units. */
  points?: Address;
  /** Series names by id (decimal), as the Stamps contract holds them; a series without one shows as "Series <id>". */
  seriesNames?: Record<string, string>;
}

/**
 * Renders the self-contained HTML report (figures and charts), its amounts in the program's units and its series
 * by name: the figures read as `punchcard ledger stats` prints them.
 *
 * @example
 * const html = renderReportHtml({ brand: "Northwind Coffee", stats, days, units: record.units, points: program.points });
 */
export function renderReportHtml({
  brand,
  stats,
  days,
  currencyNames = {},
  units = DEFAULT_AMOUNT_UNITS,
  points = zeroAddress,
  seriesNames = {},
}: ReportInput): string {
  const style = amountStyle(points, units);
  const isOther = (currency: string) =>
    !isAddressEqual(currency as Address, points) && !isAddressEqual(currency as Address, zeroAddress);
  const currencyName = (currency: string) =>
    (isOther(currency) ? currencyNames[currency.toLowerCase()] : undefined) ?? style.currencyName(currency);
  const amount = (currency: string, value: bigint) =>
    isOther(currency) && currencyNames[currency.toLowerCase()]
      ? `${formatAmount(value, 0, "units")} of ${currencyNames[currency.toLowerCase()]}`
      : style.currency(currency, value);
  // Chart heights in whole units (a float is fine for a bar's height; every figure printed is exact).
  const pointsNumber = (value: bigint) => Number(formatUnits(value, units.pointsDecimals));
  const seriesName = (id: bigint) => seriesNames[id.toString()] ?? `Series ${id}`;
  const { expiry } = stats;
  const figures: Array<[string, string]> = [
    ["Members (holders now)", String(stats.members)],
    ["Active wallets, 7 / 30 days", `${stats.activeWallets.days7} / ${stats.activeWallets.days30}`],
    ["Points issued", style.points(stats.points.issued)],
    ["Points redeemed", style.points(stats.points.redeemed)],
    ["Points expired (burned)", style.points(stats.points.expired)],
    ["Points outstanding (liability)", style.points(stats.points.outstanding)],
    ...(expiry.model === "none"
      ? []
      : ([
          ["Points expired, not yet burned", style.points(expiry.expiredUnburned)],
          ["Points expiring within 30 days", `${style.points(expiry.expiring30d)} (${expiry.membersExpiring30d} members)`],
        ] satisfies Array<[string, string]>)),
    ["Retention", `${stats.retention.returned} of ${stats.retention.rewarded} (${(stats.retention.rate * 100).toFixed(1)} %)`],
    ...stats.series.map((s): [string, string] => [`${seriesName(s.seriesId)}: stamps minted`, `${s.minted} of ${s.maxSupply}`]),
    ...stats.market.map((m): [string, string] => [
      `Trades in ${currencyName(m.currency)}`,
      `${m.trades} for ${amount(m.currency, m.volume)}, royalties ${amount(m.currency, m.royalties)}, fees ${amount(m.currency, m.fees)}`,
    ]),
    [
      "Swaps",
      `${stats.swaps.count} (swap fees ${style.points(stats.swaps.fees)}, royalties ${style.points(stats.swaps.royalties)})`,
    ],
    ["Linked wallets", String(stats.consent.linked)],
    ...Object.entries(stats.consent.rates).map(([purpose, r]): [string, string] => [
      `Consent to ${purpose}`,
      `${(r * 100).toFixed(1)} %`,
    ]),
  ];
  const charts = [
    barChart(
      "points-over-time",
      `${units.pointsSymbol} issued vs redeemed per day`,
      ["issued", "redeemed"],
      days.map((d) => ({
        label: d.day,
        values: [pointsNumber(d.pointsIssued), pointsNumber(d.pointsRedeemed)],
        texts: [style.points(d.pointsIssued), style.points(d.pointsRedeemed)],
      })),
      (max) => `${max} ${units.pointsSymbol}`,
    ),
    ...stats.market.map((m, i) =>
      barChart(
        `trades-over-time-${i}`,
        `Trades and royalties per day, in ${currencyName(m.currency)}`,
        ["trades", "royalties"],
        days.map((d) => {
          const t = d.trades[m.currency];
          const royalties = t?.royalties ?? 0n;
          return {
            label: d.day,
            values: [
              t?.count ?? 0,
              isOther(m.currency)
                ? Number(royalties)
                : Number(formatUnits(royalties, m.currency === zeroAddress ? units.nativeDecimals : units.pointsDecimals)),
            ],
            texts: [String(t?.count ?? 0), amount(m.currency, royalties)],
          };
        }),
      ),
    ),
    barChart(
      "stamps-per-series",
      "Stamps minted per series vs max supply",
      ["minted", "max supply"],
      stats.series.map((s) => ({ label: seriesName(s.seriesId), values: [Number(s.minted), Number(s.maxSupply)] })),
    ),
  ];
  const asOf = stats.asOf
    ? new Date(stats.asOf * 1000).toISOString().replace(".000Z", " UTC").replace("T", " ")
    : "no entries yet";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(brand)} — Punchcard ledger report</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:720px}table{border-collapse:collapse}td{padding:.2rem 1rem .2rem 0}figure{margin:2rem 0}figcaption{font-weight:600;margin-bottom:.5rem}</style>
</head><body>
<h1>${escapeHtml(brand)}</h1>
<p>Ledger report as of ${escapeHtml(asOf)}, from ${stats.entries} on-chain events.</p>
<table id="figures">${figures.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join("")}</table>
${charts.join("\n")}
</body></html>
`;
}

/**
 * The whole report for a program from its synced ledger, dated at `now` (the chain's clock) like
 * {@link ledgerStats}.
 *
 * @example
 * fs.writeFileSync("report.html", await buildReport(db, { program, brand: "Northwind Coffee", units: record.units }));
 */
export async function buildReport(
  db: Kysely<LedgerTables>,
  {
    program,
    brand,
    currencyNames,
    units,
    seriesNames,
    now,
  }: {
    program: Program;
    brand: string;
    currencyNames?: Record<string, string>;
    /** The units of the deployment record (`record.units`); default whole points. */
    units?: AmountUnits;
    /** Series names by id (decimal): `getProgramInfo(client, { program }).series`. */
    seriesNames?: Record<string, string>;
    /** Unix seconds the figures are dated at: the chain's clock (default the newest entry's time). */
    now?: number;
  },
): Promise<string> {
  const [stats, days] = await Promise.all([
    ledgerStats(db, { program, ...(now !== undefined ? { now } : {}) }),
    dailyFigures(db, { program }),
  ]);
  return renderReportHtml({
    brand,
    stats,
    days,
    points: program.points,
    ...(currencyNames ? { currencyNames } : {}),
    ...(units ? { units } : {}),
    ...(seriesNames ? { seriesNames } : {}),
  });
}
