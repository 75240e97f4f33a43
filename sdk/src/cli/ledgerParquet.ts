/**
 * `punchcard ledger parquet`: every analysts' view written as `<view>.parquet`, for pandas, DuckDB and BI tools
 * (docs/analytics.md, "Parquet").
 *
 *   punchcard ledger parquet --program deployments/localhost/example.json --out parquet/
 */
import { writeViewsParquet, type ParquetViewFile } from "../node/ledger/viewsParquet.js";
import { openLedgerViews } from "./ledgerSql.js";

export interface LedgerParquetOptions {
  program: string;
  db: string;
  /** The folder the files go to (created if missing). */
  out: string;
}

/**
 * Runs `punchcard ledger parquet`: opens the ledger read-only as `ledger sql` does (the same views, the same consent
 * rules), writes one file per view and prints each with its row count.
 *
 * @example
 * await runLedgerParquet({ program: "deployments/localhost/example.json", db: "ledger.sqlite", out: "parquet" });
 */
export async function runLedgerParquet(
  options: LedgerParquetOptions,
  out: (text: string) => void = (t) => process.stdout.write(t),
): Promise<ParquetViewFile[]> {
  const ledger = await openLedgerViews(options);
  try {
    const started = Date.now();
    const files = await writeViewsParquet(ledger, { dir: options.out });
    for (const { file, rows } of files) out(`${file}: ${rows} row${rows === 1 ? "" : "s"}\n`);
    out(`${files.length} views written in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return files;
  } finally {
    await ledger.close();
  }
}
