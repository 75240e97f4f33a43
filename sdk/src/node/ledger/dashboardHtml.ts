/**
 * The dashboard as one HTML file: uPlot (its script and styles inlined, so the page works offline from a file), the
 * figures as JSON, one chart per entry of `DASHBOARD_CHARTS` and under each the numbers it draws as a table, for
 * screen readers and for anyone who wants the exact figure. Node only (it reads uPlot's files from node_modules).
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { DASHBOARD_CHARTS, marketCharts, type DashboardChart, type DashboardFigures } from "./dashboard.js";
import { cohortHeatmap, rfmHeatmap, tierHeatmap } from "./dashboardHeatmaps.js";

/** uPlot's minified script and its styles, read from the package the SDK depends on. */
function uplotFiles(): { script: string; styles: string } {
  // CommonJS (the punchcard command, ts-node) resolves from the SDK itself; ES modules from the working folder.
  const local = typeof require === "function" ? require : createRequire(path.join(process.cwd(), "package.json"));
  const dir = path.dirname(local.resolve("uplot/dist/uPlot.iife.min.js"));
  return {
    script: fs.readFileSync(path.join(dir, "uPlot.iife.min.js"), "utf8"),
    styles: fs.readFileSync(path.join(dir, "uPlot.min.css"), "utf8"),
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside a <script>: "<" escaped so no value can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

/** Colours with a contrast of at least 4.5:1 on white, so the legend's text in them reads. */
const COLOURS = ["#1f5fbf", "#b34d00", "#1d7a46", "#8a3ffc", "#a3154b", "#00627a"];

const periodLabel = (start: number, by: DashboardFigures["by"]) =>
  new Date(start * 1000).toISOString().slice(0, by === "month" ? 7 : 10);

/** One chart's section: heading, the drawing (an image to assistive technology), legend, caption and numbers. */
function chartSection(chart: DashboardChart, figures: DashboardFigures): string {
  const lines = chart.lines(figures);
  const unit = chart.unit(figures);
  const id = `chart-${chart.id}`;
  const legend = lines
    .map(
      (line, i) =>
        `<li><span class="swatch" style="background:${COLOURS[i % COLOURS.length]}"></span><span style="color:${COLOURS[i % COLOURS.length]}">${escapeHtml(line.label)}</span></li>`,
    )
    .join("");
  const head = `<tr><th scope="col">${figures.by}</th>${lines.map((l) => `<th scope="col">${escapeHtml(l.label)}</th>`).join("")}</tr>`;
  const rows = figures.periods
    .map((start, p) => {
      const cells = lines.map((line) => {
        const value = line.values[p] ?? null;
        const text = line.texts?.[p] ?? (value === null ? null : String(value));
        return `<td data-line="${escapeHtml(line.label)}">${text === null ? "&lt;5" : escapeHtml(text)}</td>`;
      });
      return `<tr data-period="${periodLabel(start, figures.by)}"><th scope="row">${periodLabel(start, figures.by)}</th>${cells.join("")}</tr>`;
    })
    .join("\n");
  const empty = lines.length === 0;
  return `<section class="card" id="${id}" aria-labelledby="${id}-title">
<h2 id="${id}-title">${escapeHtml(chart.title)} <span class="unit">(${escapeHtml(unit)})</span></h2>
${
  empty
    ? `<p>Nothing to show yet.</p>`
    : `<div class="plot" data-chart="${chart.id}" role="img" aria-label="${escapeHtml(`${chart.title} per ${figures.by}, in ${unit}: ${lines.map((l) => l.label).join(", ")}. The numbers are in the table below.`)}"></div>
<ul class="legend">${legend}</ul>`
}
<p class="caption">${escapeHtml(chart.caption)} Empty where fewer than 5 members are behind a figure ("&lt;5" in the table).</p>
${empty ? "" : `<details><summary>The numbers</summary><div class="scroll" tabindex="0" role="region" aria-label="${escapeHtml(`${chart.title}: the numbers`)}"><table>\n<thead>${head}</thead>\n<tbody>\n${rows}\n</tbody></table></div></details>`}
</section>`;
}

/** The script that draws every chart with uPlot, at the width of its card, again when the window changes size. */
const DRAW = `(() => {
  const figures = JSON.parse(document.getElementById("dashboard-data").textContent);
  const colours = ${JSON.stringify(COLOURS)};
  const plots = [];
  for (const chart of figures.charts) {
    const el = document.querySelector('[data-chart="' + chart.id + '"]');
    if (!el) continue;
    const options = {
      width: el.clientWidth,
      height: 240,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true } },
      axes: [{ stroke: "#333" }, { stroke: "#333", size: 60 }],
      series: [{}, ...chart.lines.map((line, i) => ({ label: line.label, stroke: colours[i % colours.length], width: 2, points: { show: true, size: 5 } }))],
    };
    plots.push([el, new uPlot(options, [figures.periods, ...chart.lines.map((line) => line.values)], el)]);
  }
  document.body.dataset.charts = String(plots.length);
  addEventListener("resize", () => { for (const [el, plot] of plots) plot.setSize({ width: el.clientWidth, height: 240 }); });
})();`;

const STYLES = `
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1a1a1a;background:#f4f5f7}
header,main{max-width:1100px;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0}
h2{font-size:1.15rem;margin:0 0 .5rem}
.unit{font-weight:normal;color:#444}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,480px),1fr));gap:1rem}
.card{background:#fff;border-radius:8px;padding:1rem;box-shadow:0 1px 2px rgba(0,0,0,.12);min-width:0}
.plot{width:100%;min-height:240px;overflow:hidden}
header p{overflow-wrap:anywhere}
.legend{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.9rem}
.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.35rem;vertical-align:middle}
.caption{font-size:.9rem;color:#444;margin:.25rem 0}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:.85rem;font-variant-numeric:tabular-nums}
th,td{padding:.2rem .5rem;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}
th[scope=row],thead th:first-child{text-align:left}
summary{cursor:pointer;color:#1f5fbf}
.wide{grid-column:1/-1}
.heat td{text-align:center;min-width:2.5rem}
.heat td.hidden{color:#444;background:#fff}
`;

/**
 * The dashboard page for `figures`: every chart of `DASHBOARD_CHARTS` and one market chart per currency, drawn by
 * uPlot in the browser from the figures embedded in the page, with the numbers as tables; then the tier migration, RFM
 * and cohort heat maps (dashboardHeatmaps.ts). One file, no network: it opens offline from disk.
 *
 * @example
 * fs.writeFileSync("dashboard.html", renderDashboardHtml(await dashboardFigures(db, parameters)));
 */
export function renderDashboardHtml(figures: DashboardFigures, lineCharts: DashboardChart[] = DASHBOARD_CHARTS): string {
  const { script, styles } = uplotFiles();
  const charts = [...lineCharts, ...marketCharts(figures)];
  const data = {
    periods: figures.periods,
    charts: charts.map((chart) => ({
      id: chart.id,
      lines: chart.lines(figures).map(({ label, values }) => ({ label, values })),
    })),
  };
  const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);
  const campaigns =
    figures.campaigns.length === 0
      ? ""
      : `<section class="card" aria-labelledby="campaigns-title"><h2 id="campaigns-title">Campaigns</h2><div class="scroll" tabindex="0" role="region" aria-label="Campaigns: the numbers"><table>
<thead><tr><th scope="col">campaign</th><th scope="col">journey</th><th scope="col">members reached</th><th scope="col">vouchers redeemed</th></tr></thead>
<tbody>${figures.campaigns
          .map(
            (c) =>
              `<tr data-campaign="${escapeHtml(c.name)}"><th scope="row">${escapeHtml(c.name)}</th><td>${escapeHtml(c.journeyId)}</td><td>${c.reached}</td><td>${c.redeemed === null ? "&lt;5" : c.redeemed}</td></tr>`,
          )
          .join("")}</tbody></table></div></section>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(figures.brand)}: loyalty dashboard</title>
<style>${styles}${STYLES}</style>
</head>
<body>
<header>
<h1>${escapeHtml(figures.brand)}: loyalty dashboard</h1>
<p>Program ${escapeHtml(figures.program)}, per ${figures.by}, from ${day(figures.from)} to ${day(figures.to)} (UTC). Every figure is an aggregate; one with fewer than 5 members behind it is not shown.</p>
</header>
<main>
<div class="grid">
${charts.map((chart) => chartSection(chart, figures)).join("\n")}
${campaigns}
${tierHeatmap(figures)}
${rfmHeatmap(figures)}
${cohortHeatmap(figures)}
</div>
</main>
<script>${script}</script>
<script id="dashboard-data" type="application/json">${scriptJson(data)}</script>
<script>${DRAW}</script>
</body>
</html>
`;
}
