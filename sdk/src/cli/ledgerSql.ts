/**
 * `punchcard ledger sql`: the analysts' views (docs/analytics-schema.md) queried read-only, one query or a shell.
 *
 *   punchcard ledger sql --program deployments/localhost/example.json "SELECT * FROM points_flows LIMIT 5"
 *   punchcard ledger sql --program deployments/localhost/example.json --shell
 */
import readline from "node:readline";
import { PunchcardError } from "../errors.js";
import { engineOf, openDatabase } from "../node/database.js";
import { csvField } from "../node/ledger/exportEntries.js";
import { migrateLedger, type LedgerTables } from "../node/ledger/schema.js";
import { openReadOnlyLedger, type ReadOnlyLedger, type SqlResult } from "../node/ledger/sql.js";
import { DEFAULT_LEDGER_UNITS, recordLedgerUnits } from "../node/ledger/views/ledgerUnits.js";
import { ANALYTICS_VIEWS_V1 } from "../node/ledger/views/analyticsViewsV1.js";
import { programFromRecord } from "../program.js";
import { readRecordFile } from "./deploy.js";
import fs from "node:fs";

export type SqlFormat = "table" | "csv" | "json";

export interface LedgerSqlOptions {
  program: string;
  db: string;
  format: SqlFormat;
  /** The query; absent with `shell`. */
  query?: string;
  shell?: boolean;
}

/** A cell as text: exact integers, blobs as hex, JSON for objects. */
function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return `0x${value.toString("hex")}`;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** A cell for JSON: integers a JSON number cannot hold exactly stay text, as the views' amounts are. */
function cellJson(value: unknown): unknown {
  if (typeof value === "bigint")
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : String(value);
  if (Buffer.isBuffer(value) || value instanceof Date) return cellText(value);
  return value ?? null;
}

/**
 * A query's rows as `table` (aligned columns, NULL shown, a row count), `csv` (RFC 4180 with a header) or `json`
 * (an array of objects).
 *
 * @example
 * formatSqlResult({ columns: ["n"], rows: [[3n]] }, "csv"); // "n\n3\n"
 */
export function formatSqlResult({ columns, rows }: SqlResult, format: SqlFormat): string {
  if (format === "json") {
    const objects = rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, cellJson(row[i])])));
    return `${JSON.stringify(objects, null, 2)}\n`;
  }
  if (format === "csv") {
    const lines = [columns.map(csvField), ...rows.map((row) => row.map((v) => csvField(cellText(v))))];
    return `${lines.map((l) => l.join(",")).join("\n")}\n`;
  }
  if (columns.length === 0) return "(done)\n";
  const text = rows.map((row) => row.map((v) => cellText(v) ?? "NULL"));
  const widths = columns.map((c, i) => Math.max(c.length, ...text.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join(" | ")
      .trimEnd();
  return `${[line(columns), widths.map((w) => "-".repeat(w)).join("-+-"), ...text.map(line)].join("\n")}\n(${rows.length} row${rows.length === 1 ? "" : "s"})\n`;
}

/**
 * An interactive session over a read-only ledger: a query ends at its `;` (it may span lines), `.tables` lists the
 * views, `.quit` (or the end of input) leaves. A failed query prints why and the session goes on.
 *
 * @example
 * await sqlShell(ledger, { input: process.stdin, output: process.stdout, format: "table" });
 */
export async function sqlShell(
  ledger: ReadOnlyLedger,
  { input, output, format }: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; format: SqlFormat },
): Promise<void> {
  const lines = readline.createInterface({ input, terminal: false });
  const say = (text: string) => output.write(text);
  say(
    `Read-only SQL over the ledger's views (docs/analytics-schema.md). End a query with ";". .tables lists the views, .quit leaves.\n`,
  );
  let pending = "";
  for await (const raw of lines) {
    const line = raw.trim();
    if (pending === "" && line.startsWith(".")) {
      if (line === ".quit" || line === ".exit") break;
      if (line === ".tables") say(`${ANALYTICS_VIEWS_V1.join("\n")}\n`);
      else say(`Unknown command ${line}: .tables or .quit\n`);
      continue;
    }
    pending = pending === "" ? line : `${pending}\n${line}`;
    if (!pending.endsWith(";")) continue;
    const query = pending.replace(/;+$/, "");
    pending = "";
    if (query.trim() === "") continue;
    try {
      say(formatSqlResult(await ledger.query(query), format));
    } catch (error) {
      say(`${error instanceof PunchcardError ? error.message : String(error)}\n`);
    }
  }
  lines.close();
}

/**
 * Opens the ledger of a deployment record for reading its analysts' views, as every command over the views does
 * (`sql`, `parquet`, `dashboard`): records the program's units (from the record) where the views read them, then
 * opens a read-only connection, so what the views show (and hide, by consent) is the same for all of them.
 *
 * @example
 * const ledger = await openLedgerViews({ program: "deployments/localhost/example.json", db: "ledger.sqlite" });
 */
export async function openLedgerViews(options: { program: string; db: string }): Promise<ReadOnlyLedger> {
  const record = readRecordFile(options.program);
  if (engineOf(options.db) === "sqlite" && (options.db === ":memory:" || !fs.existsSync(options.db))) {
    throw new PunchcardError(`There is no ledger database at ${options.db}.`, {
      hint: `Sync one first: punchcard ledger sync --program ${options.program} --db ${options.db}`,
    });
  }
  // The one write, before the read-only connection opens: the views' units (the chain's events do not carry the
  // points' decimals), and the views themselves on a database synced before they existed.
  const writer = openDatabase<LedgerTables>(options.db);
  try {
    await migrateLedger(writer);
    await recordLedgerUnits(writer, { program: programFromRecord(record), units: record.units ?? DEFAULT_LEDGER_UNITS });
  } finally {
    await writer.destroy();
  }
  return openReadOnlyLedger(options.db);
}

/**
 * Runs `punchcard ledger sql`: records the program's units (from its deployment record) where the views read them,
 * then runs the query, or the shell, on a read-only connection.
 *
 * @example
 * await runLedgerSql({ program: "deployments/localhost/example.json", db: "ledger.sqlite", format: "csv", query: "SELECT * FROM trades" });
 */
export async function runLedgerSql(
  options: LedgerSqlOptions,
  out: (text: string) => void = (t) => process.stdout.write(t),
  io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream } = { input: process.stdin, output: process.stdout },
): Promise<void> {
  const ledger = await openLedgerViews(options);
  try {
    if (options.shell) await sqlShell(ledger, { ...io, format: options.format });
    else out(formatSqlResult(await ledger.query(options.query ?? ""), options.format));
  } finally {
    await ledger.close();
  }
}
