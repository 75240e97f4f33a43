/**
 * `punchcard ledger kpis`: loyalty KPIs per day, week or month (docs/analytics.md, "KPIs over time").
 *
 *   punchcard ledger kpis --program deployments/localhost/example.json --by week --from 2026-01-01 --to 2027-01-01
 */
import fs from "node:fs";
import type { Kysely } from "kysely";
import { formatUnits } from "viem";
import { PunchcardError } from "../errors.js";
import { engineOf, openDatabase } from "../node/database.js";
import { ledgerKpis, type KpiPeriod, type KpiRow } from "../node/ledger/kpis.js";
import { kpiEngagement, type KpiEngagementRow } from "../node/ledger/kpisEngagement.js";
import { migrateLedger, type LedgerTables } from "../node/ledger/schema.js";
import { programKey } from "../node/ledger/syncLedger.js";
import { DEFAULT_LEDGER_UNITS } from "../node/ledger/views/ledgerUnits.js";
import { programFromRecord, type DeploymentRecord, type Program } from "../program.js";
import { UsageError } from "./command.js";
import { readRecordFile } from "./deploy.js";
import { KPI_TABLES, kpiTable, type KpiTable } from "./ledgerKpiTables.js";
import { formatSqlResult, type SqlFormat } from "./ledgerSql.js";

export interface LedgerKpisOptions extends KpiLedgerOptions {
  format: SqlFormat;
  /** Which table: the periods' KPIs (default), or the tier matrix, market, series, cohorts or RFM cells. */
  kpi?: string;
}

const PERIODS = ["day", "week", "month"] as const;
const COLUMNS = [
  "period",
  "new_members",
  "active_members_7d",
  "active_members_30d",
  "active_members_90d",
  "points_issued",
  "points_redeemed",
  "points_expired",
  "points_reversed",
  "points_outstanding",
  "breakage_rate",
  "earn_burn_ratio",
  "liability",
  "liability_expected",
  "journey_completions",
  "journey_members",
  "referral_conversions",
  "referrers",
  "perk_claims",
  "perk_members",
] as const;

/** A `--from`/`--to` date (YYYY-MM-DD, UTC) as Unix seconds; anything else is a usage error naming the flag. */
export function parseDate(flag: string, value: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new UsageError(`${flag} must be a date, YYYY-MM-DD (got "${value}").`);
  }
  return Date.parse(`${value}T00:00:00Z`) / 1000;
}

/** The flags `ledger kpis` and `ledger dashboard` share. */
export interface KpiLedgerOptions {
  program: string;
  db: string;
  by: string;
  /** Dates (YYYY-MM-DD, UTC): default the year up to the newest entry. */
  from?: string;
  to?: string;
  valuePerPoint?: string;
}

/** A synced ledger opened for KPIs: its record and program, the database (the caller destroys it) and the range. */
export interface KpiLedger {
  record: DeploymentRecord;
  program: Program;
  db: Kysely<LedgerTables>;
  /** Unix seconds: `--from`, or a year before `to`. */
  from: number;
  /** Unix seconds: `--to`, or just after the newest entry. */
  to: number;
  by: KpiPeriod;
}

/**
 * Checks the flags `ledger kpis` and `ledger dashboard` share (each refusal names its flag), then opens the ledger
 * database and reads the range: a database that does not exist, or holds no entry of the program, is refused with
 * the sync command to run.
 */
export async function openKpiLedger(options: KpiLedgerOptions): Promise<KpiLedger> {
  if (!(PERIODS as readonly string[]).includes(options.by)) {
    throw new UsageError(`--by must be day, week or month (got "${options.by}").`);
  }
  if (options.valuePerPoint !== undefined && !/^\d+(\.\d{1,18})?$/.test(options.valuePerPoint)) {
    throw new UsageError(`--value-per-point must be a decimal number such as 0.01 (got "${options.valuePerPoint}").`);
  }
  const from = options.from === undefined ? undefined : parseDate("--from", options.from);
  const to = options.to === undefined ? undefined : parseDate("--to", options.to);
  if (from !== undefined && to !== undefined && to <= from) throw new UsageError("--to must be after --from.");
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
    return { record, program, db, from: from ?? end - 365 * 86_400, to: end, by: options.by as KpiPeriod };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/** One period's KPIs as a row of cells: points in the program's units for people (table), smallest units otherwise. */
function cells(row: KpiRow, acts: KpiEngagementRow | undefined, format: SqlFormat, decimals: number): unknown[] {
  const points = (value: bigint | null) => (value === null ? null : format === "table" ? formatUnits(value, decimals) : value);
  const values = [
    row.period,
    row.newMembers,
    row.active7d,
    row.active30d,
    row.active90d,
    points(row.issued),
    points(row.redeemed),
    points(row.expired),
    points(row.reversed),
    points(row.outstanding),
    row.breakageRate,
    row.earnBurnRatio,
    row.liability,
    row.liabilityExpected,
    acts?.journeyCompletions ?? null,
    acts?.journeyMembers ?? null,
    acts?.referralConversions ?? null,
    acts?.referrers ?? null,
    acts?.perkClaims ?? null,
    acts?.perkMembers ?? null,
  ];
  // A table says why a cell is empty: fewer than 5 members behind it (or no value per point for the liability).
  return format === "table"
    ? values.map((v, i) => (v === null ? ((i === 12 || i === 13) && row.outstanding !== null ? "" : "<5") : v))
    : values;
}

/**
 * Runs `punchcard ledger kpis`: the KPIs of each period between `--from` and `--to` (or, with `--kpi`, the tier
 * matrix, the market, the series, the cohorts or the RFM cells), as a table, CSV or JSON.
 *
 * @example
 * await runLedgerKpis({ program: "deployments/localhost/example.json", db: "ledger.sqlite", format: "csv", by: "month" });
 */
export async function runLedgerKpis(
  options: LedgerKpisOptions,
  out: (text: string) => void = (t) => process.stdout.write(t),
): Promise<void> {
  if (options.kpi !== undefined && !(KPI_TABLES as readonly string[]).includes(options.kpi)) {
    throw new UsageError(`--kpi must be ${KPI_TABLES.join(", ")} (got "${options.kpi}").`);
  }
  const { record, program, db, from, to, by } = await openKpiLedger(options);
  try {
    const units = record.units ?? DEFAULT_LEDGER_UNITS;
    const decimals = units.pointsDecimals;
    const table = (options.kpi ?? "periods") as KpiTable;
    if (table !== "periods") {
      const result = await kpiTable(db, table, { program, units, from, to, by, format: options.format });
      out(formatSqlResult(result, options.format));
      return;
    }
    const kpis = await ledgerKpis(db, {
      program,
      from,
      to,
      by,
      pointsDecimals: decimals,
      ...(options.valuePerPoint !== undefined ? { valuePerPoint: options.valuePerPoint } : {}),
    });
    const acts = new Map((await kpiEngagement(db, { program, from, to, by })).map((row) => [row.start, row]));
    out(
      formatSqlResult(
        { columns: [...COLUMNS], rows: kpis.map((row) => cells(row, acts.get(row.start), options.format, decimals)) },
        options.format,
      ),
    );
  } finally {
    await db.destroy();
  }
}
