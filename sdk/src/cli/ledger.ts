/**
 * `punchcard ledger`, for analysts: sync a program's events into a database, print its figures,
 * export the entries, or write an HTML report with charts.
 *
 *   punchcard ledger sync  --program deployments/localhost/example.json --rpc http://127.0.0.1:8545
 *   punchcard ledger stats --program deployments/localhost/example.json
 */
import fs from "node:fs";
import { createPublicClient, http, isAddress, type Address } from "viem";
import { PunchcardError } from "../errors.js";
import { engineOf, openDatabase } from "../node/database.js";
import { amountStyle, DEFAULT_AMOUNT_UNITS, rawAmounts, type AmountStyle } from "../node/ledger/amountStyle.js";
import { exportEntries, toCsv, type ExportedEntry } from "../node/ledger/exportEntries.js";
import { ledgerStats } from "../node/ledger/ledgerStats.js";
import type { LedgerStats } from "../node/ledger/statsTypes.js";
import { buildReport } from "../node/ledger/renderReport.js";
import { migrateLedger, type LedgerTables } from "../node/ledger/schema.js";
import { programKey, syncLedger } from "../node/ledger/syncLedger.js";
import { programFromRecord, type DeploymentRecord, type Program } from "../program.js";
import { getProgramInfo, type ProgramInfo } from "../read/getProgramInfo.js";
import { maskToPurposes } from "../utils/consent.js";
import { defineCommand, UsageError, PROGRAM_RECORD_OPTION } from "./command.js";
import { readRecordFile } from "./deploy.js";
import { runLedgerKpis } from "./ledgerKpis.js";
import { runLedgerDashboard } from "./ledgerDashboard.js";
import { runLedgerParquet } from "./ledgerParquet.js";
import { runLedgerMoney } from "./ledgerMoney.js";
import { runLedgerSql } from "./ledgerSql.js";

type Format = "table" | "csv" | "json";

export interface LedgerOptions {
  command: "sync" | "stats" | "export" | "report";
  program: string;
  db: string;
  rpc: string;
  confirmations?: bigint;
  /** Blocks per sync step (each step commits on its own). */
  step?: bigint;
  format: Format;
  from?: bigint;
  to?: bigint;
  out?: string;
  /** A PartnerExchange whose conversions out of this program the stats count per agreement. */
  exchange?: Address;
}

const json = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2);

export { amountStyle, rawAmounts, type AmountStyle } from "../node/ledger/amountStyle.js";

/**
 * One exported entry as people read it: block, time, kind, who, and the amount in its unit (a trade's
 * price in its currency, points with their symbol, consent as purpose names).
 */
export function entryLine(row: ExportedEntry, style: AmountStyle): string {
  const amount = row.amount === null || row.amount === "" ? null : BigInt(row.amount);
  let what = "";
  if (amount !== null) {
    if (String(row.kind).startsWith("consent.")) what = purposesText(amount);
    else if (row.currency) what = style.currency(String(row.currency), amount);
    else if (String(row.kind).startsWith("points.")) what = style.points(amount);
    else what = String(amount);
  }
  const time = new Date(Number(row.block_time) * 1000).toISOString();
  return `${String(row.block_number).padStart(8)} ${time} ${String(row.kind).padEnd(18)} ${row.actor ?? ""} ${what}`.trimEnd();
}

/** The units amounts print in: the points' symbol and decimals, and the chain's coin. */
export type AmountUnits = NonNullable<DeploymentRecord["units"]>;

/** Amounts as people read them, in the units a deployment record carries (whole points and ETH if it has none). */
export function humanAmounts(record: DeploymentRecord): AmountStyle {
  return amountStyle(record.contracts.points, record.units ?? DEFAULT_AMOUNT_UNITS);
}

/** A consent entry's purposes bitmask as people read it: "purposes: rewards, analytics". */
export function purposesText(mask: bigint): string {
  return `purposes: ${maskToPurposes(mask).join(", ") || "none"}`;
}

/** The figures as flat rows (name, value), for table and CSV output. */
export function statsRows(
  stats: LedgerStats,
  style: AmountStyle = rawAmounts,
  /** The program's ledger key: exchange amounts on its side are shown in its units. */
  key?: string,
): Array<[string, string]> {
  return [
    ["as_of", stats.asOf ? new Date(stats.asOf * 1000).toISOString() : ""],
    ["entries", String(stats.entries)],
    ["members", String(stats.members)],
    ["active_wallets_7d", String(stats.activeWallets.days7)],
    ["active_wallets_30d", String(stats.activeWallets.days30)],
    ["points_issued", style.points(stats.points.issued)],
    ["points_rewarded", style.points(stats.points.rewarded)],
    ["points_credited", style.points(stats.points.credited)],
    ["points_redeemed", style.points(stats.points.redeemed)],
    ["points_reversed", style.points(stats.points.reversed)],
    ["points_reversal_shortfall", style.points(stats.points.reversalShortfall)],
    ["points_expired", style.points(stats.points.expired)],
    ["points_outstanding", style.points(stats.points.outstanding)],
    ["points_expiry_model", stats.expiry.model],
    ["points_expired_unburned", style.points(stats.expiry.expiredUnburned)],
    ["points_expiring_30d", style.points(stats.expiry.expiring30d)],
    ["members_expiring_30d", String(stats.expiry.membersExpiring30d)],
    ...stats.series.map((s): [string, string] => [`series_${s.seriesId}_minted_of_max`, `${s.minted}/${s.maxSupply}`]),
    ...stats.market.flatMap((m): Array<[string, string]> => {
      const name = style.currencyName(m.currency);
      return [
        [`trades_${name}`, String(m.trades)],
        [`volume_${name}`, style.currency(m.currency, m.volume)],
        [`royalties_${name}`, style.currency(m.currency, m.royalties)],
        [`fees_${name}`, style.currency(m.currency, m.fees)],
      ];
    }),
    ["consent_linked", String(stats.consent.linked)],
    ...Object.entries(stats.consent.rates).map(([purpose, r]): [string, string] => [`consent_rate_${purpose}`, r.toFixed(4)]),
    ["swaps", String(stats.swaps.count)],
    ["swap_fees", style.points(stats.swaps.fees)],
    ["swap_royalties", style.points(stats.swaps.royalties)],
    ...stats.prices.flatMap((p): Array<[string, string]> => {
      const name = style.currencyName(p.currency);
      return [
        [`series_${p.seriesId}_floor30d_${name}`, p.floor30d === null ? "" : style.currency(p.currency, p.floor30d)],
        [`series_${p.seriesId}_last_${name}`, style.currency(p.currency, p.last)],
      ];
    }),
    ...stats.journeys.flatMap((j): Array<[string, string]> => [
      [`journey_${j.name}_completions`, String(j.completions)],
      [`journey_${j.name}_members`, String(j.members)],
    ]),
    ...stats.perks.map((p): [string, string] => [`perk_${p.name}_claims`, String(p.claims)]),
    ["retention_rewarded", String(stats.retention.rewarded)],
    ["retention_returned", String(stats.retention.returned)],
    ["retention_rate", stats.retention.rate.toFixed(4)],
    ...stats.exchanges.flatMap((e): Array<[string, string]> => [
      [`exchange_${e.agreementId}_from`, e.from ?? "(unknown: not in this database)"],
      [`exchange_${e.agreementId}_to`, e.to ?? "(unknown: not in this database)"],
      [`exchange_${e.agreementId}_conversions`, String(e.conversions)],
      // Each side in its own program's points: this program's units only where this program is that side.
      [`exchange_${e.agreementId}_out`, e.from === key ? style.points(e.converted) : String(e.converted)],
      [
        `exchange_${e.agreementId}_in`,
        e.received === null ? "(unknown)" : e.to === key ? style.points(e.received) : String(e.received),
      ],
    ]),
  ];
}

export async function runLedger(
  options: LedgerOptions,
  out: (text: string) => void = (t) => process.stdout.write(t),
): Promise<void> {
  const record = readRecordFile(options.program);
  const program: Program = programFromRecord(record);
  if (
    options.command !== "sync" &&
    engineOf(options.db) === "sqlite" &&
    options.db !== ":memory:" &&
    !fs.existsSync(options.db)
  ) {
    throw new PunchcardError(`There is no ledger database at ${options.db}.`, {
      hint: `Sync one first: punchcard ledger sync --program ${options.program} --db ${options.db}`,
    });
  }
  const db = openDatabase<LedgerTables>(options.db);
  try {
    if (options.command !== "sync") {
      await migrateLedger(db);
      const synced = await db
        .selectFrom("ledger_entries")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("program", "=", programKey(program))
        .executeTakeFirst();
      if (Number(synced?.n ?? 0) === 0) {
        throw new PunchcardError(`The database ${options.db} holds no entries of this program.`, {
          hint: `Sync it first: punchcard ledger sync --program ${options.program} --db ${options.db}`,
        });
      }
    }
    if (options.command === "sync") {
      const client = createPublicClient({ transport: http(options.rpc, { retryCount: 0 }) });
      let chainId: number;
      try {
        chainId = await client.getChainId();
      } catch (error) {
        throw new PunchcardError(`Cannot reach the RPC at ${options.rpc}.`, {
          hint: "Check --rpc; for a local chain run: npx hardhat node",
          cause: error,
        });
      }
      if (chainId !== record.chainId) {
        throw new PunchcardError(
          `The RPC at ${options.rpc} serves chain ${chainId}, but the program is on chain ${record.chainId}.`,
        );
      }
      const confirmations = options.confirmations ?? (chainId === 31337 ? 0n : 12n);
      const result = await syncLedger(client, {
        program,
        db,
        confirmations,
        ...(options.to !== undefined ? { toBlock: options.to } : {}),
        ...(options.step !== undefined ? { stepBlocks: options.step } : {}),
        onProgress: (p) =>
          process.stderr.write(
            `sync: blocks ${p.doneBlocks}/${p.totalBlocks}, ${p.entries} entries, ${p.entriesPerSecond.toFixed(0)} entries/s\n`,
          ),
      });
      const rolledBack = result.rolledBack > 0 ? `, ${result.rolledBack} rows of reorganised blocks removed` : "";
      out(
        result.fromBlock > result.toBlock
          ? `already up to date: every block to ${result.toBlock} is synced, 0 entries read, 0 new rows${rolledBack}\n`
          : `synced blocks ${result.fromBlock}-${result.toBlock}: ${result.entries} entries read, ${result.inserted} new rows${rolledBack}\n`,
      );
      return;
    }
    const chain = options.command === "export" ? undefined : await chainNow(options.rpc, record);
    const now = chain?.now;
    if (chain === undefined && options.command !== "export")
      process.stderr.write(
        `note: the RPC at ${options.rpc} did not answer, so the figures are dated at the newest synced event, not now: points that expired since then do not show (check --rpc).\n`,
      );
    if (options.command === "stats") {
      const stats = await ledgerStats(db, {
        program,
        ...(options.exchange ? { exchange: options.exchange } : {}),
        ...(now !== undefined ? { now } : {}),
      });
      if (options.format === "json") out(`${json(stats)}\n`);
      else if (options.format === "csv")
        out(
          `name,value\n${statsRows(stats, rawAmounts, programKey(program))
            .map(([k, v]) => `${k},${v}`)
            .join("\n")}\n`,
        );
      else
        out(
          `${statsRows(stats, humanAmounts(record), programKey(program))
            .map(([k, v]) => `${k.padEnd(28)} ${v}`)
            .join("\n")}\n`,
        );
      return;
    }
    if (options.command === "export") {
      const rows = await exportEntries(db, {
        program,
        ...(options.from !== undefined ? { fromBlock: options.from } : {}),
        ...(options.to !== undefined ? { toBlock: options.to } : {}),
      });
      const text =
        options.format === "json"
          ? `${json(rows)}\n`
          : options.format === "csv"
            ? toCsv(rows)
            : `${rows.map((r) => entryLine(r, humanAmounts(record))).join("\n")}\n`;
      if (options.out) fs.writeFileSync(options.out, text);
      else out(text);
      return;
    }
    const file = options.out ?? "ledger-report.html";
    const seriesNames = chain && Object.fromEntries(chain.info.series.map((s) => [s.seriesId.toString(), s.name]));
    fs.writeFileSync(
      file,
      await buildReport(db, {
        program,
        brand: record.brand,
        units: record.units ?? DEFAULT_AMOUNT_UNITS,
        ...(seriesNames ? { seriesNames } : {}),
        ...(now !== undefined ? { now } : {}),
      }),
    );
    out(`report written to ${file}\n`);
  } finally {
    await db.destroy();
  }
}

/**
 * The chain's clock (the latest block's timestamp) and the program's public facts (series names) from the RPC, for
 * figures dated now; undefined when the RPC does not answer (the figures are then dated at the newest event). An
 * RPC of another chain is refused: its clock says nothing of this program.
 */
async function chainNow(rpc: string, record: DeploymentRecord): Promise<{ now: number; info: ProgramInfo } | undefined> {
  const client = createPublicClient({ transport: http(rpc, { retryCount: 0, timeout: 10_000 }) });
  let chainId: number;
  try {
    chainId = await client.getChainId();
  } catch {
    return undefined;
  }
  if (chainId !== record.chainId)
    throw new PunchcardError(`The RPC at ${rpc} serves chain ${chainId}, but the program is on chain ${record.chainId}.`, {
      hint: "Figures are dated at the program chain's clock: pass its RPC with --rpc.",
    });
  const program = programFromRecord(record);
  if (((await client.getCode({ address: program.stamps })) ?? "0x") === "0x")
    throw new PunchcardError(`The RPC at ${rpc} serves chain ${chainId}, but the program's Stamps contract is not on it.`, {
      hint: "Figures are dated at the program chain's clock: pass the RPC of the chain the program is deployed on with --rpc.",
    });
  const [block, info] = await Promise.all([client.getBlock({ blockTag: "latest" }), getProgramInfo(client, { program })]);
  return { now: Number(block.timestamp), info };
}

function parseBlock(flag: string, value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a block number (got ${JSON.stringify(value)}).`);
  return BigInt(value);
}

const COMMANDS = ["sync", "stats", "export", "report", "sql", "kpis", "parquet", "dashboard", "money"] as const;
const FORMATS = ["table", "csv", "json"] as const;

export const ledgerCommand = defineCommand({
  name: "ledger",
  summary: "Punchcard ledger: every event of a program, synced into a database, with its figures.",
  usage: "<sync|stats|export|report|sql|kpis|parquet|dashboard|money> --program <deployment record> [options]",
  subcommands: {
    sync: "read the program's events from the chain into the database (resumable, idempotent)",
    stats: "print the program's figures from the database",
    export: "print every synced entry (chain order)",
    report: "write a self-contained HTML report with charts",
    sql: 'run one read-only SQL query over the analysts\' views: sql "<query>" (docs/analytics-schema.md)',
    kpis: "print loyalty KPIs per --by day, week or month, --from and --to dates (YYYY-MM-DD); --kpi for another table",
    parquet: "write every analysts' view as <view>.parquet into the folder --out (pandas, DuckDB, BI tools)",
    dashboard: "write (or --serve) a page of charts of the KPIs, cohorts, tiers, RFM, market and campaigns (--out)",
    money: "print money in and back per day from the payments --store, joined to the chain's credits and reversals",
  },
  options: {
    program: PROGRAM_RECORD_OPTION,
    db: { type: "string", value: "<file|url>", default: "ledger.sqlite", description: "SQLite file or a postgres:// URL" },
    rpc: {
      type: "string",
      value: "<url>",
      default: "http://127.0.0.1:8545",
      description:
        "JSON-RPC endpoint: sync reads events from it; stats and report read the chain's clock (figures dated now) and series names",
    },
    confirmations: {
      type: "string",
      value: "<n>",
      description: "blocks behind the head left for later, against reorgs (default 0 on chain 31337, else 12)",
    },
    format: {
      type: "string",
      value: "<f>",
      default: "table",
      description: "table (amounts as people read them), csv or json (exact smallest units), for stats and export",
    },
    json: { type: "boolean", description: "the same as --format json" },
    from: {
      type: "string",
      value: "<block|date>",
      description: "first block, for export; first day, for kpis (and stats, which then prints the KPIs per --by period)",
    },
    to: {
      type: "string",
      value: "<block|date>",
      description: "last block, for sync and export; day after the last, for kpis and stats",
    },
    by: {
      type: "string",
      value: "<period>",
      default: "week",
      description: "for kpis, stats and dashboard: day, week (from Monday) or month",
    },
    "value-per-point": {
      type: "string",
      value: "<amount>",
      description: "for kpis: what one point is worth in the brand's currency (e.g. 0.01), for the liability",
    },
    exchange: {
      type: "string",
      value: "<address>",
      description: "a PartnerExchange: stats count points converted out of the program per agreement",
    },
    store: { type: "string", value: "<file|url>", description: "for money: the program server's database (card payments)" },
    shell: { type: "boolean", description: "for sql: an interactive session (end a query with ;, .quit leaves)" },
    campaign: {
      type: "string",
      value: "<files>",
      description: "for dashboard: campaign files written by punchcard campaign, comma-separated, whose redemptions it shows",
    },
    kpi: {
      type: "string",
      value: "<table>",
      description: "for kpis: periods (default), tiers, market, series, cohorts or rfm",
    },
    serve: { type: "boolean", description: "for dashboard: serve the page on --port, rebuilt at each load, until Ctrl-C" },
    port: { type: "string", value: "<n>", description: "for dashboard --serve: the port (default 8790)" },
    step: { type: "string", value: "<blocks>", description: "blocks read and committed per sync step (default 2000)" },
    out: {
      type: "string",
      value: "<file>",
      description: "write export or report output here (report default: ledger-report.html); parquet: the folder",
    },
  },
  async run({ values, positionals, out }) {
    const [command, ...extra] = positionals;
    if (!command) throw new UsageError("A command is required: sync, stats, export, report, sql, kpis, parquet or dashboard.");
    if (!(COMMANDS as readonly string[]).includes(command))
      throw new UsageError(`Unknown command "${command}": use sync, stats, export, report, sql, kpis, parquet or dashboard.`);
    if (!(FORMATS as readonly string[]).includes(values.format)) {
      throw new UsageError(`--format must be table, csv or json (got "${values.format}").`);
    }
    if (values.json && values.format !== "table" && values.format !== "json") {
      throw new UsageError(`--json and --format ${values.format} ask for two formats: give one.`);
    }
    const format = (values.json ? "json" : values.format) as Format;
    if (command === "sql") {
      if (values.shell ? extra.length > 0 : extra.length !== 1)
        throw new UsageError('sql takes one query in quotes, or --shell: punchcard ledger sql "SELECT ..."');
      await runLedgerSql({ program: values.program, db: values.db, format, shell: values.shell, query: extra[0] }, out);
      return 0;
    }
    if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}".`);
    if (command === "parquet") {
      if (values.out === undefined) throw new UsageError("parquet needs --out <dir>: the folder the .parquet files go to.");
      await runLedgerParquet({ program: values.program, db: values.db, out: values.out }, out);
      return 0;
    }
    if (command === "dashboard") {
      const { program, db, by, from, to, campaign } = values;
      const valuePerPoint = values["value-per-point"];
      await runLedgerDashboard(
        {
          program,
          db,
          by,
          out: values.out ?? "dashboard.html",
          ...(from !== undefined ? { from } : {}),
          ...(to !== undefined ? { to } : {}),
          ...(valuePerPoint !== undefined ? { valuePerPoint } : {}),
          ...(campaign !== undefined ? { campaigns: campaign.split(",").filter((f) => f !== "") } : {}),
          ...(values.serve ? { serve: true, port: values.port ?? "8790" } : {}),
        },
        out,
      );
      return 0;
    }
    if (command === "money") {
      const { program, db, store } = values;
      await runLedgerMoney({ program, db, store, format: values.format as Format }, out);
      return 0;
    }
    // `stats` over dates is the KPIs over time: one set of totals becomes one row per period.
    if (command === "kpis" || (command === "stats" && (values.from !== undefined || values.to !== undefined))) {
      const { program, db, by, from, to } = values;
      const valuePerPoint = values["value-per-point"];
      await runLedgerKpis(
        {
          program,
          db,
          by,
          format,
          ...(values.kpi !== undefined ? { kpi: values.kpi } : {}),
          ...(from !== undefined ? { from } : {}),
          ...(to !== undefined ? { to } : {}),
          ...(valuePerPoint !== undefined ? { valuePerPoint } : {}),
        },
        out,
      );
      return 0;
    }
    const confirmations = parseBlock("--confirmations", values.confirmations);
    const from = parseBlock("--from", values.from);
    const to = parseBlock("--to", values.to);
    if (values.exchange !== undefined && !isAddress(values.exchange)) {
      throw new UsageError(`--exchange must be a 0x address of 20 bytes (got "${values.exchange}").`);
    }
    const step = parseBlock("--step", values.step);
    if (step === 0n) throw new UsageError("--step must be at least 1 block.");
    await runLedger(
      {
        command: command as LedgerOptions["command"],
        program: values.program,
        db: values.db,
        rpc: values.rpc,
        format,
        ...(confirmations !== undefined ? { confirmations } : {}),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        ...(step !== undefined ? { step } : {}),
        ...(values.out !== undefined ? { out: values.out } : {}),
        ...(values.exchange !== undefined ? { exchange: values.exchange as Address } : {}),
      },
      out,
    );
    return 0;
  },
});
