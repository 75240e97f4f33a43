/**
 * The analysts' views as Parquet files, one per view, for pandas, DuckDB, Spark and BI tools. Node only.
 *
 * The rows are the views' own (read through a read-only ledger, so consent decides what is per member exactly as in
 * `punchcard ledger sql`); only the column types are Parquet's: counts, blocks and Unix seconds as INT64, the UTC
 * times as timestamps, and every amount as the decimal text the views give (exact for any uint256, which no Parquet
 * number is).
 */
import fs from "node:fs";
import path from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { PunchcardError } from "../../errors.js";
import { ANALYTICS_VIEWS_V1 } from "./views/analyticsViewsV1.js";
import type { ReadOnlyLedger } from "./sql.js";

/** The Parquet type a view column is written as: INT64, a UTC timestamp (milliseconds), or UTF-8 text. */
export type ParquetColumnKind = "integer" | "timestamp" | "text";

/**
 * The columns of the views that are not text, by name (the same name means the same thing in every view, see
 * docs/analytics-schema.md). A column not named here is text, unless every value it holds is an integer (a column
 * a later schema version adds is then INT64 without an entry here).
 */
export const PARQUET_COLUMN_KINDS: Readonly<Record<string, ParquetColumnKind>> = {
  version: "integer",
  block_number: "integer",
  block_time: "integer",
  log_index: "integer",
  joined_block: "integer",
  joined_time: "integer",
  tier: "integer",
  period: "integer",
  stamps: "integer",
  pending_until: "integer",
  happened_at: "timestamp",
  joined_at: "timestamp",
};

/** One Parquet file written: the view, its file, and how many rows it holds. */
export interface ParquetViewFile {
  view: string;
  file: string;
  rows: number;
}

export interface WriteViewsParquetParameters {
  /** The folder the files go to (created if missing): `<dir>/<view>.parquet`. */
  dir: string;
  /** The views to write (default: every view of the analysts' schema). */
  views?: readonly string[];
}

const isInteger = (value: unknown) =>
  typeof value === "bigint" ||
  (typeof value === "number" && Number.isInteger(value)) ||
  (typeof value === "string" && /^-?\d+$/.test(value));

/** A column's kind: from the table above, else INT64 when every value is an integer (and one is there), else text. */
function kindOf(column: string, values: unknown[]): ParquetColumnKind {
  const declared = PARQUET_COLUMN_KINDS[column];
  if (declared) return declared;
  const present = values.filter((v) => v !== null && v !== undefined);
  return present.length > 0 && present.every((v) => typeof v !== "string" && isInteger(v)) ? "integer" : "text";
}

/** A cell as Parquet takes it for its kind: bigint, Date or string (null stays null). */
function cellOf(kind: ParquetColumnKind, value: unknown): bigint | Date | string | null {
  if (value === null || value === undefined) return null;
  if (kind === "integer") return BigInt(value as bigint | number | string);
  if (kind === "timestamp") {
    if (value instanceof Date) return value;
    // The views' times are "YYYY-MM-DD HH:MM:SS" in UTC on both engines.
    return new Date(`${String(value).replace(" ", "T")}Z`);
  }
  if (Buffer.isBuffer(value)) return `0x${value.toString("hex")}`;
  return value instanceof Date ? value.toISOString() : String(value);
}

const PARQUET_TYPES = { integer: "INT64", timestamp: "TIMESTAMP", text: "STRING" } as const;

/**
 * Writes every analysts' view (or those named) as `<dir>/<view>.parquet`: the rows `SELECT * FROM <view>` gives
 * through `ledger`, INT64 for counts, blocks and Unix seconds, UTC timestamps for `happened_at` and
 * `joined_at`, text for everything else (amounts stay exact decimal text). A file is written whole or not at all
 * (to a temporary name, then renamed).
 *
 * @example
 * const ledger = await openReadOnlyLedger("ledger.sqlite");
 * const files = await writeViewsParquet(ledger, { dir: "parquet" });
 * await ledger.close();
 */
export async function writeViewsParquet(
  ledger: ReadOnlyLedger,
  parameters: WriteViewsParquetParameters,
): Promise<ParquetViewFile[]> {
  const { dir, views = ANALYTICS_VIEWS_V1 } = parameters;
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory())
    throw new PunchcardError(`${dir} is a file, not a folder: the Parquet files go into a folder.`, {
      hint: "Pass --out a folder (it is created if missing).",
    });
  fs.mkdirSync(dir, { recursive: true });
  const written: ParquetViewFile[] = [];
  for (const view of views) {
    const { columns, rows } = await ledger.query(`SELECT * FROM ${view}`);
    const columnData = columns.map((name, i) => {
      const values = rows.map((row) => row[i]);
      const kind = kindOf(name, values);
      return { name, type: PARQUET_TYPES[kind], nullable: true, data: values.map((v) => cellOf(kind, v)) };
    });
    const file = path.join(dir, `${view}.parquet`);
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(temporary, new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: 100_000 })));
      fs.renameSync(temporary, file);
    } finally {
      fs.rmSync(temporary, { force: true });
    }
    written.push({ view, file, rows: rows.length });
  }
  return written;
}
