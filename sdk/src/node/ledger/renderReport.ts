import type { Kysely } from "kysely";
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
}

/** A grouped bar chart as inline SVG: no script, no network, so the report opens offline anywhere. */
function barChart(id: string, title: string, legend: string[], bars: Bar[]): string {
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
        `<rect class="bar" x="${x.toFixed(1)}" y="${(pad.top + plotH - h).toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${colours[j % colours.length]}"><title>${escapeHtml(`${bar.label} ${legend[j]}: ${value}`)}</title></rect>`,
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
<text x="${pad.left - 6}" y="${pad.top + 4}" font-size="11" text-anchor="end">${max}</text>
<text x="${pad.left - 6}" y="${pad.top + plotH}" font-size="11" text-anchor="end">0</text>
${legendParts.join("\n")}
${parts.join("\n")}
</svg></figure>`;
}

export interface ReportInput {
  brand: string;
  stats: LedgerStats;
  days: DayFigures[];
  /** Display names of payment currencies by lower-case address (e.g. the program's Points symbol). */
  currencyNames?: Record<string, string>;
}

/**
 * Renders the self-contained HTML report (figures and charts).
 *
 * @example
 * const html = renderReportHtml({ brand: "Northwind Coffee", stats, days });
 */
export function renderReportHtml({ brand, stats, days, currencyNames = {} }: ReportInput): string {
  const currencyName = (currency: string) =>
    currencyNames[currency] ?? (/^0x0{40}$/.test(currency) ? "native coin (wei)" : currency);
  const n = (value: bigint) => Number(value);
  const figures: Array<[string, string]> = [
    ["Members (holders now)", String(stats.members)],
    ["Active wallets, 7 / 30 days", `${stats.activeWallets.days7} / ${stats.activeWallets.days30}`],
    ["Points issued", String(stats.points.issued)],
    ["Points redeemed", String(stats.points.redeemed)],
    ["Points outstanding (liability)", String(stats.points.outstanding)],
    ["Retention", `${stats.retention.returned} of ${stats.retention.rewarded} (${(stats.retention.rate * 100).toFixed(1)} %)`],
    ...stats.market.map((m): [string, string] => [
      `Trades in ${currencyName(m.currency)}`,
      `${m.trades} for ${m.volume}, royalties ${m.royalties}, fees ${m.fees}`,
    ]),
    ["Swaps", `${stats.swaps.count} (swap fees ${stats.swaps.fees} points, royalties ${stats.swaps.royalties} points)`],
    ["Linked wallets", String(stats.consent.linked)],
    ...Object.entries(stats.consent.rates).map(([purpose, r]): [string, string] => [
      `Consent to ${purpose}`,
      `${(r * 100).toFixed(1)} %`,
    ]),
  ];
  const charts = [
    barChart(
      "points-over-time",
      "Points issued vs redeemed per day",
      ["issued", "redeemed"],
      days.map((d) => ({ label: d.day, values: [n(d.pointsIssued), n(d.pointsRedeemed)] })),
    ),
    ...stats.market.map((m, i) =>
      barChart(
        `trades-over-time-${i}`,
        `Trades and royalties per day, in ${currencyName(m.currency)}`,
        ["trades", "royalties"],
        days.map((d) => {
          const t = d.trades[m.currency];
          return { label: d.day, values: [t?.count ?? 0, n(t?.royalties ?? 0n)] };
        }),
      ),
    ),
    barChart(
      "stamps-per-series",
      "Stamps minted per series vs max supply",
      ["minted", "max supply"],
      stats.series.map((s) => ({ label: `#${s.seriesId}`, values: [n(s.minted), n(s.maxSupply)] })),
    ),
  ];
  const asOf = stats.asOf ? new Date(stats.asOf * 1000).toISOString() : "no entries yet";
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
 * The whole report for a program from its synced ledger.
 *
 * @example
 * fs.writeFileSync("report.html", await buildReport(db, { program, brand: "Northwind Coffee" }));
 */
export async function buildReport(
  db: Kysely<LedgerTables>,
  { program, brand, currencyNames }: { program: Program; brand: string; currencyNames?: Record<string, string> },
): Promise<string> {
  const [stats, days] = await Promise.all([ledgerStats(db, { program }), dailyFigures(db, { program })]);
  return renderReportHtml({ brand, stats, days, currencyNames: { [program.points.toLowerCase()]: "points", ...currencyNames } });
}
