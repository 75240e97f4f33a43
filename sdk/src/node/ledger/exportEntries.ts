import type { Kysely } from "kysely";
import type { Program } from "../../program.js";
import type { LedgerEntriesTable, LedgerTables } from "./schema.js";
import { programKey } from "./syncLedger.js";

/** Columns of an exported entry, in order. */
export const EXPORT_COLUMNS = [
  "chain_id",
  "block_number",
  "block_time",
  "tx_hash",
  "log_index",
  "contract",
  "event",
  "kind",
  "actor",
  "counterparty",
  "token_id",
  "series_id",
  "amount",
  "currency",
  "royalty",
  "fee",
  "code",
  "args",
] as const satisfies ReadonlyArray<keyof LedgerEntriesTable>;

export type ExportedEntry = Record<(typeof EXPORT_COLUMNS)[number], string | number | null>;

/**
 * The program's synced entries in chain order, optionally limited to a block range.
 *
 * @example
 * const rows = await exportEntries(db, { program, fromBlock: 100n });
 */
export async function exportEntries(
  db: Kysely<LedgerTables>,
  { program, fromBlock, toBlock }: { program: Program; fromBlock?: bigint; toBlock?: bigint },
): Promise<ExportedEntry[]> {
  let query = db
    .selectFrom("ledger_entries")
    .select([...EXPORT_COLUMNS])
    .where("program", "=", programKey(program));
  if (fromBlock !== undefined) query = query.where("block_number", ">=", fromBlock.toString());
  if (toBlock !== undefined) query = query.where("block_number", "<=", toBlock.toString());
  const rows = await query.orderBy("block_number").orderBy("log_index").execute();
  // Postgres returns bigint columns as strings and SQLite as numbers: one shape for both.
  // log_index is bigint on Postgres since migration 0004 (a log index is a uint32).
  return rows.map((row) => ({
    ...row,
    block_number: Number(row.block_number),
    block_time: Number(row.block_time),
    log_index: Number(row.log_index),
  }));
}

/** One CSV field (RFC 4180): quoted when it holds a quote, a comma or a line break; null is empty. */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * RFC 4180 CSV with a header row.
 *
 * @example
 * fs.writeFileSync("ledger.csv", toCsv(await exportEntries(db, { program })));
 */
export function toCsv(rows: readonly ExportedEntry[]): string {
  const lines = [EXPORT_COLUMNS.join(",")];
  for (const row of rows) lines.push(EXPORT_COLUMNS.map((c) => csvField(row[c])).join(","));
  return `${lines.join("\n")}\n`;
}

/**
 * Parses CSV written by {@link toCsv} back into rows (numbers for the numeric columns, null for empty).
 *
 * @example
 * const rows = fromCsv(fs.readFileSync("ledger.csv", "utf8"));
 */
export function fromCsv(text: string): ExportedEntry[] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else if (c !== "\r") field += c;
  }
  const [header, ...body] = records;
  if (!header || header.join(",") !== EXPORT_COLUMNS.join(",")) throw new Error("not a Punchcard ledger CSV: unexpected header");
  const numeric = new Set(["chain_id", "block_number", "block_time", "log_index"]);
  return body.map(
    (cells) =>
      Object.fromEntries(
        EXPORT_COLUMNS.map((column, i) => {
          const cell = cells[i] ?? "";
          return [column, cell === "" ? null : numeric.has(column) ? Number(cell) : cell];
        }),
      ) as ExportedEntry,
  );
}
