/**
 * `punchcard ledger dashboard`: a page of charts of the program's KPIs over time, its market and its campaigns, one
 * HTML file that opens offline (docs/analytics.md, "Dashboard").
 *
 *   punchcard ledger dashboard --program deployments/localhost/example.json --out dashboard.html --by week
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_AMOUNT_UNITS } from "../node/ledger/amountStyle.js";
import { dashboardFigures, type DashboardCampaign, type DashboardFigures } from "../node/ledger/dashboard.js";
import { renderDashboardHtml } from "../node/ledger/dashboardHtml.js";
import { openKpiLedger, type KpiLedgerOptions } from "./ledgerKpis.js";
import { readCampaignFile } from "./campaignFile.js";
import { UsageError } from "./command.js";

export interface LedgerDashboardOptions extends KpiLedgerOptions {
  /** The HTML file written (default dashboard.html). */
  out: string;
  /** Campaign files written by `punchcard campaign`, whose redemptions the page shows. */
  campaigns?: string[];
  /** Serve the page on `port` (127.0.0.1), rebuilt from the database at each load, until SIGINT or `signal`. */
  serve?: boolean;
  port?: string;
  signal?: AbortSignal;
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
  if (options.serve) return serveDashboard(options, campaigns, out);
  const { figures, html } = await buildDashboard(options, campaigns);
  fs.writeFileSync(options.out, html);
  out(`dashboard written to ${options.out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return figures;
}

/** Opens the ledger, reads the figures and renders the page, then closes the ledger. */
async function buildDashboard(options: LedgerDashboardOptions, campaigns: DashboardCampaign[]) {
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
    return { figures, html: renderDashboardHtml(figures) };
  } finally {
    await db.destroy();
  }
}

/**
 * `--serve`: the page on 127.0.0.1, built again from the database at each load (a sync in between shows at the next
 * reload), until SIGINT (Ctrl-C) or the signal aborts. A fault while building answers 500 with its message.
 */
async function serveDashboard(options: LedgerDashboardOptions, campaigns: DashboardCampaign[], out: (text: string) => void) {
  const port = Number(options.port ?? "8790");
  if (!/^\d+$/.test(options.port ?? "8790") || port > 65_535) {
    throw new UsageError(`--port must be a port number, 0 to 65535 (got "${options.port}").`);
  }
  // Built once before serving: a missing database or bad flag is refused at once, not at the first load.
  const { figures } = await buildDashboard(options, campaigns);
  const server = http.createServer((request, response) => {
    if (request.method !== "GET" || (request.url ?? "/").split("?")[0] !== "/") {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Only / is served: the dashboard.\n");
      return;
    }
    buildDashboard(options, campaigns).then(
      ({ html }) =>
        response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(html),
      (error: unknown) =>
        response
          .writeHead(500, { "content-type": "text/plain; charset=utf-8" })
          .end(`The dashboard could not be built: ${error instanceof Error ? error.message : String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  out(`dashboard served at http://127.0.0.1:${bound}/ (rebuilt at each load; Ctrl-C stops it)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      options.signal?.removeEventListener("abort", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    options.signal?.addEventListener("abort", stop);
  });
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  out("dashboard server stopped\n");
  return figures;
}
