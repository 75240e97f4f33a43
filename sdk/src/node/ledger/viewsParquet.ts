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
import { ByteWriter, ParquetWriter, schemaFromColumnData } from "hyparquet-writer";
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
  /**
   * Rows read, converted and written at a time: each batch is one row group of the file, and no more than one batch
   * is in memory (default 65,536).
   */
  rowGroupRows?: number;
}

/** The rows a row group holds by default: large enough for Parquet readers, small enough to hold a batch in memory. */
export const PARQUET_ROW_GROUP_ROWS = 65_536;

const INTEGER_TEXT = /^-?\d+$/;

/**
 * A column's kind: from the table above, else INT64 when every value of the first batch is an integer the database
 * typed as one (a column a later schema version adds), else text. A later batch that breaks an integer guess fails the
 * file (see `integerColumn`) rather than writing a wrong one.
 */
function kindOf(column: string, values: readonly unknown[]): ParquetColumnKind {
  const declared = PARQUET_COLUMN_KINDS[column];
  if (declared) return declared;
  let present = false;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (!(typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v)))) return "text";
    present = true;
  }
  return present ? "integer" : "text";
}

/** A column of the batch as INT64: a BigInt64Array when no cell is NULL (no per-cell object), else an array. */
function integerColumn(
  view: string,
  column: string,
  rows: readonly unknown[][],
  i: number,
): BigInt64Array | Array<bigint | null> {
  const values = new BigInt64Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const v = rows[r]![i];
    if (v === null || v === undefined) {
      // Rare (pending_until of a row that is not bought points): the nullable form for this batch only.
      return rows.map((row) => (row[i] === null || row[i] === undefined ? null : toBigInt(view, column, row[i])));
    }
    values[r] = typeof v === "bigint" ? v : toBigInt(view, column, v);
  }
  return values;
}

/**
 * A cell of an INT64 column: a bigint or integral number as is, and for a declared column integer text too (Postgres
 * gives bigint as text). A column guessed from the first batch takes no text: it would have been text had it been
 * seen whole, so the file fails rather than differ.
 */
function toBigInt(view: string, column: string, value: unknown): bigint {
  if (typeof value === "bigint") return value;
  const declared = PARQUET_COLUMN_KINDS[column] === "integer";
  if (
    (typeof value === "number" && Number.isInteger(value)) ||
    (declared && typeof value === "string" && INTEGER_TEXT.test(value))
  )
    return BigInt(value);
  const shown = typeof value === "string" ? `"${value}"` : String(value);
  throw new PunchcardError(`${view}.${column} holds ${shown}, not an integer as before it; no file was written.`, {
    hint: "Declare the column's kind in PARQUET_COLUMN_KINDS (viewsParquet.ts): a column named there is typed by name.",
  });
}

/**
 * The views' UTC times ("YYYY-MM-DD HH:MM:SS", from whole Unix seconds, on both engines) as Unix milliseconds,
 * read by position rather than by the Date parser; a Date (a driver that gives one) as its milliseconds.
 */
function timestampMillis(value: unknown): bigint | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return BigInt(value.getTime());
  const t = String(value);
  const millis = Date.UTC(
    +t.slice(0, 4),
    +t.slice(5, 7) - 1,
    +t.slice(8, 10),
    +t.slice(11, 13),
    +t.slice(14, 16),
    +t.slice(17, 19),
  );
  if (t.length !== 19 || Number.isNaN(millis)) return BigInt(new Date(`${t.replace(" ", "T")}Z`).getTime());
  return BigInt(millis);
}

/** A text cell: bytes as 0x-hex, a Date as ISO text, anything else as its text (NULL stays NULL). */
function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (Buffer.isBuffer(value)) return `0x${value.toString("hex")}`;
  return value instanceof Date ? value.toISOString() : String(value);
}

/** One column of a batch in the form the writer takes for its kind. */
function columnOf(view: string, column: string, kind: ParquetColumnKind, rows: readonly unknown[][], i: number) {
  if (kind === "integer") return integerColumn(view, column, rows, i);
  if (kind === "timestamp") {
    const values = rows.map((row) => timestampMillis(row[i]));
    return values.includes(null) ? values : BigInt64Array.from(values as bigint[]);
  }
  return rows.map((row) => textOf(row[i]));
}

const PARQUET_TYPES = { integer: "INT64", timestamp: "TIMESTAMP", text: "STRING" } as const;

/**
 * Writes every analysts' view (or those named) as `<dir>/<view>.parquet`: the rows `SELECT * FROM <view>` gives
 * through `ledger`, INT64 for counts, blocks and Unix seconds, UTC timestamps for `happened_at` and
 * `joined_at`, text for everything else (amounts stay exact decimal text). Each view is read in batches of
 * `rowGroupRows` and each batch written as one row group, so memory holds one batch, not a view. A file is written
 * whole or not at all (to a temporary name, then renamed).
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
  const { dir, views = ANALYTICS_VIEWS_V1, rowGroupRows = PARQUET_ROW_GROUP_ROWS } = parameters;
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory())
    throw new PunchcardError(`${dir} is a file, not a folder: the Parquet files go into a folder.`, {
      hint: "Pass --out a folder (it is created if missing).",
    });
  fs.mkdirSync(dir, { recursive: true });
  const written: ParquetViewFile[] = [];
  for (const view of views) {
    const file = path.join(dir, `${view}.parquet`);
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      const rows = await writeView(ledger, view, temporary, rowGroupRows);
      fs.renameSync(temporary, file);
      written.push({ view, file, rows });
    } finally {
      fs.rmSync(temporary, { force: true });
    }
  }
  return written;
}

/** One view into `file`, a row group per batch; the rows written. */
async function writeView(ledger: ReadOnlyLedger, view: string, file: string, rowGroupRows: number): Promise<number> {
  let writer: ParquetWriter | undefined;
  let kinds: ParquetColumnKind[] = [];
  let count = 0;
  for await (const { columns, rows } of ledger.batches(`SELECT * FROM ${view}`, rowGroupRows)) {
    if (!writer) {
      // The schema from the first batch (an empty one when the view has no rows): its kinds hold for the file.
      kinds = columns.map((name, i) =>
        kindOf(
          name,
          rows.map((row) => row[i]),
        ),
      );
      const typed = columns.map((name, i) => ({ name, type: PARQUET_TYPES[kinds[i]!], nullable: true, data: [] }));
      writer = new ParquetWriter({ writer: fileSink(file), schema: schemaFromColumnData({ columnData: typed }) });
    }
    if (rows.length === 0) continue;
    const columnData = columns.map((name, i) => ({ name, data: columnOf(view, name, kinds[i]!, rows, i) }));
    await writer.write({ columnData, rowGroupSize: rows.length });
    count += rows.length;
  }
  await writer?.finish();
  return count;
}

/**
 * A Parquet writer's output that appends to `file` whenever more than 1 MiB is buffered, and the rest on finish. (The
 * package's own file writer is missing from the types the CommonJS build resolves, which are its browser entry's.)
 */
function fileSink(file: string): ByteWriter {
  const sink = new ByteWriter();
  fs.writeFileSync(file, "");
  const flush = () => {
    fs.appendFileSync(file, new Uint8Array(sink.buffer, 0, sink.index));
    sink.index = 0;
  };
  const ensure = sink.ensure.bind(sink);
  sink.ensure = (size: number) => {
    if (sink.index > 2 ** 20) flush();
    ensure(size);
  };
  sink.finish = flush;
  return sink;
}
