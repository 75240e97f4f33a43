/**
 * `punchcard ledger dashboard`: a page of charts of the program's KPIs over time, its market and its campaigns, one
 * HTML file that opens offline (docs/analytics.md, "Dashboard").
 *
 *   punchcard ledger dashboard --program deployments/localhost/example.json --out dashboard.html --by week
 */
import fs from "node:fs";
import { DEFAULT_AMOUNT_UNITS } from "../node/ledger/amountStyle.js";
import { dashboardFigures, type DashboardCampaign, type DashboardFigures } from "../node/ledger/dashboard.js";
import { renderDashboardHtml } from "../node/ledger/dashboardHtml.js";
import { openKpiLedger, type KpiLedgerOptions } from "./ledgerKpis.js";
import { readCampaignFile } from "./campaignFile.js";

export interface LedgerDashboardOptions extends KpiLedgerOptions {
  /** The HTML file written (default dashboard.html). */
  out: string;
  /** Campaign files written by `punchcard campaign`, whose redemptions the page shows. */
  campaigns?: string[];
}

/**
 * Runs `punchcard ledger dashboard`: the figures of every period between `--from` and `--to`, written as one HTML
 * page, and how long it took.
 *
 * @example
 * await runLedgerDashboard({ program: "deployments/localhost/example.json", db: "ledger.sqlite", out: "dashboard.html", by: "week" });
 */
export async function runLedgerDashboard(
  options: LedgerDashboardOptions,
  out: (text: string) => void = (t) => process.stdout.write(t),
): Promise<DashboardFigures> {
  const started = Date.now();
  // The campaign files first: a file that is not one is refused before the ledger is opened.
  const campaigns: DashboardCampaign[] = (options.campaigns ?? []).map(readCampaignFile);
  const { record, program, db, from, to, by } = await openKpiLedger(options);
  try {
    const figures = await dashboardFigures(db, {
      program,
      brand: record.brand,
      units: record.units ?? DEFAULT_AMOUNT_UNITS,
      from,
      to,
      by,
      campaigns,
      ...(options.valuePerPoint !== undefined ? { valuePerPoint: options.valuePerPoint } : {}),
    });
    fs.writeFileSync(options.out, renderDashboardHtml(figures));
    out(`dashboard written to ${options.out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return figures;
  } finally {
    await db.destroy();
  }
}
