/**
 * The dashboard's heat maps, as HTML tables whose cells are shaded by their value: retention by join-week cohort, the
 * tier migration matrix and the RFM cells. A table is what a screen reader reads and what a test compares with
 * `ledger kpis --kpi cohorts|tiers|rfm --json`; the shade is only a help to the eye, and every shade keeps dark text
 * readable (at least 4.5:1). A cell with 1 to 4 members behind it is "<5", unshaded. Node only (no browser code).
 */
import type { DashboardFigures } from "./dashboard.js";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A shade of blue from nearly white (0) to a mid blue (1): lightness 97 % to 66 %, dark text on each reads. */
const shade = (share: number) => `hsl(215,70%,${(97 - 31 * Math.max(0, Math.min(1, share))).toFixed(1)}%)`;

/** One shaded cell: its value (or "<5"), data attributes to find it by, the share of the largest it is shaded by. */
function cell(value: number | null, attributes: Record<string, string | number>, share: number): string {
  const data = Object.entries(attributes)
    .map(([k, v]) => ` data-${k}="${escapeHtml(String(v))}"`)
    .join("");
  if (value === null) return `<td${data} class="hidden">&lt;5</td>`;
  return `<td${data} style="background:${shade(share)}">${value}</td>`;
}

/** A heat map's card: heading, caption, and the table in a region that scrolls sideways on a phone. */
function card(id: string, title: string, caption: string, table: string): string {
  return `<section class="card wide" id="${id}" aria-labelledby="${id}-title">
<h2 id="${id}-title">${escapeHtml(title)}</h2>
<p class="caption">${escapeHtml(caption)} Cells with fewer than 5 members behind them show "&lt;5".</p>
<div class="scroll" tabindex="0" role="region" aria-label="${escapeHtml(`${title}: the numbers`)}"><table class="heat">${table}</table></div>
</section>`;
}

/** Retention by join-week cohort: a row per join week, a column per week since joining, shaded by the cohort's share. */
export function cohortHeatmap(figures: DashboardFigures): string {
  const weeks = Math.max(0, ...figures.cohorts.map((c) => c.active.length));
  const head = `<thead><tr><th scope="col">join week</th><th scope="col">members</th>${Array.from(
    { length: weeks },
    (_, k) => `<th scope="col">week ${k}</th>`,
  ).join("")}</tr></thead>`;
  const rows = figures.cohorts
    .map((c) => {
      const size = c.members ?? 0;
      const cells = c.active.map((n, k) => cell(n, { week: k }, size === 0 || n === null ? 0 : n / size)).join("");
      return `<tr data-cohort="${c.cohort}"><th scope="row">${c.cohort}</th><td data-week="members">${c.members === null ? "&lt;5" : c.members}</td>${cells}</tr>`;
    })
    .join("\n");
  return card(
    "heat-cohorts",
    "Retention by join-week cohort",
    "Members of each join week (from Monday, UTC) active in each week since they joined; week 0 is the join week. The darker a cell, the larger the share of its cohort.",
    `${head}<tbody>${rows}</tbody>`,
  );
}

/** The tier migration matrix: a row per tier at the start, a column per tier at the end. */
export function tierHeatmap(figures: DashboardFigures): string {
  const { tiers, cells } = figures.tiers;
  const largest = Math.max(1, ...cells.map((c) => c.members ?? 0));
  const head = `<thead><tr><th scope="col">tier at the start</th>${Array.from({ length: tiers }, (_, t) => `<th scope="col">tier ${t} at the end</th>`).join("")}</tr></thead>`;
  const rows = Array.from({ length: tiers }, (_, from) => {
    const row = cells
      .filter((c) => c.from === from)
      .map((c) => cell(c.members, { from: c.from, to: c.to }, (c.members ?? 0) / largest))
      .join("");
    return `<tr><th scope="row">tier ${from}</th>${row}</tr>`;
  }).join("\n");
  return card(
    "heat-tiers",
    "Tier migration",
    `Members by tier at the start and at the end of the range (tier 0: below the first threshold). Only members whose analytics consent stands at the end are counted${figures.tiers.members === null ? "" : `: ${figures.tiers.members}`}.`,
    `${head}<tbody>${rows}</tbody>`,
  );
}

/** The RFM cells: a row per recency and frequency score, a column per monetary score. */
export function rfmHeatmap(figures: DashboardFigures): string {
  const members = new Map(figures.rfm.map((c) => [c.segment, c.members]));
  const largest = Math.max(1, ...figures.rfm.map((c) => c.members ?? 0));
  const head = `<thead><tr><th scope="col">recency, frequency</th>${[1, 2, 3, 4, 5].map((m) => `<th scope="col">monetary ${m}</th>`).join("")}</tr></thead>`;
  const rows: string[] = [];
  for (let r = 5; r >= 1; r--)
    for (let f = 5; f >= 1; f--) {
      const cells = [1, 2, 3, 4, 5]
        .map((m) => {
          const segment = `${r}${f}${m}`;
          const value = members.has(segment) ? members.get(segment)! : 0;
          return cell(value, { segment }, (value ?? 0) / largest);
        })
        .join("");
      rows.push(`<tr><th scope="row">R${r} F${f}</th>${cells}</tr>`);
    }
  return card(
    "heat-rfm",
    "RFM segments",
    "Members by recency (5: acted most lately), frequency (5: most days with an act) and monetary score (5: most points earned), each by fifths of the members.",
    `${head}<tbody>${rows.join("\n")}</tbody>`,
  );
}
