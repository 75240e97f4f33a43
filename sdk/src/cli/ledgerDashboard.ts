/**
 * `punchcard ledger dashboard`: a page of charts of the program's KPIs over time, its market and its campaigns, one
 * HTML file that opens offline (docs/analytics.md, "Dashboard").
 *
 *   punchcard ledger dashboard --program deployments/localhost/example.json --out dashboard.html --by week
 */
import fs from "node:fs";
import { PunchcardError } from "../errors.js";
import { engineOf, openDatabase } from "../node/database.js";
import { DEFAULT_AMOUNT_UNITS } from "../node/ledger/amountStyle.js";
import { dashboardFigures, type DashboardCampaign, type DashboardFigures } from "../node/ledger/dashboard.js";
import { renderDashboardHtml } from "../node/ledger/dashboardHtml.js";
import type { KpiPeriod } from "../node/ledger/kpis.js";
import { migrateLedger, type LedgerTables } from "../node/ledger/schema.js";
import { programKey } from "../node/ledger/syncLedger.js";
import { programFromRecord } from "../program.js";
import { UsageError } from "./command.js";
import { readRecordFile } from "./deploy.js";
import { parseDate } from "./ledgerKpis.js";
import { readCampaignFile } from "./campaignFile.js";

export interface LedgerDashboardOptions {
  program: string;
  db: string;
  /** The HTML file written (default dashboard.html). */
  out: string;
  by: string;
  /** Dates (YYYY-MM-DD, UTC): default the year up to the newest entry. */
  from?: string;
  to?: string;
  valuePerPoint?: string;
  /** Campaign files written by `punchcard campaign`, whose redemptions the page shows. */
  campaigns?: string[];
}

const PERIODS = ["day", "week", "month"] as const;

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
  if (!(PERIODS as readonly string[]).includes(options.by)) {
    throw new UsageError(`--by must be day, week or month (got "${options.by}").`);
  }
  if (options.valuePerPoint !== undefined && !/^\d+(\.\d{1,18})?$/.test(options.valuePerPoint)) {
    throw new UsageError(`--value-per-point must be a decimal number such as 0.01 (got "${options.valuePerPoint}").`);
  }
  const from = options.from === undefined ? undefined : parseDate("--from", options.from);
  const to = options.to === undefined ? undefined : parseDate("--to", options.to);
  if (from !== undefined && to !== undefined && to <= from) throw new UsageError("--to must be after --from.");
  const campaigns: DashboardCampaign[] = (options.campaigns ?? []).map(readCampaignFile);
  const record = readRecordFile(options.program);
  const program = programFromRecord(record);
  if (engineOf(options.db) === "sqlite" && (options.db === ":memory:" || !fs.existsSync(options.db))) {
    throw new PunchcardError(`There is no ledger database at ${options.db}.`, {
      hint: `Sync one first: punchcard ledger sync --program ${options.program} --db ${options.db}`,
    });
  }
  const db = openDatabase<LedgerTables>(options.db);
  try {
    await migrateLedger(db);
    const newest = await db
      .selectFrom("ledger_entries")
      .select((eb) => eb.fn.max("block_time").as("t"))
      .where("program", "=", programKey(program))
      .executeTakeFirst();
    if (newest?.t === null || newest?.t === undefined) {
      throw new PunchcardError(`The database ${options.db} holds no entries of this program.`, {
        hint: `Sync it first: punchcard ledger sync --program ${options.program} --db ${options.db}`,
      });
    }
    const end = to ?? Number(newest.t) + 1;
    const figures = await dashboardFigures(db, {
      program,
      brand: record.brand,
      units: record.units ?? DEFAULT_AMOUNT_UNITS,
      from: from ?? end - 365 * 86_400,
      to: end,
      by: options.by as KpiPeriod,
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
