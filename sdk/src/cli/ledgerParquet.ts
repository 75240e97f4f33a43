/**
 * `punchcard ledger parquet`: every analysts' view written as `<view>.parquet`, for pandas, DuckDB and BI tools
 * (docs/analytics.md, "Parquet").
 *
 *   punchcard ledger parquet --program deployments/localhost/example.json --out parquet/
 */
import { PunchcardError } from "../errors.js";
import type { ParquetViewFile } from "../node/ledger/viewsParquet.js";
import { openLedgerViews } from "./ledgerSql.js";

export interface LedgerParquetOptions {
  program: string;
  db: string;
  /** The folder the files go to (created if missing). */
  out: string;
}

/**
 * Why this Node cannot write Parquet, or undefined when it can. The Parquet writer (`hyparquet-writer`) is an ES module
 * only, which the CommonJS build loads with `require(esm)`: on by default from Node 20.19 on 20, from 22.12 on 22, and
 * in every release from 23 (never on 21).
 *
 * @example
 * parquetNodeProblem("20.18.1"); // "punchcard ledger parquet needs Node 20.19 or later ..."
 * parquetNodeProblem(process.versions.node); // undefined on a Node that can
 */
export function parquetNodeProblem(version: string): string | undefined {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  const loads = major >= 23 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);
  return loads
    ? undefined
    : `punchcard ledger parquet needs Node 20.19 or later on 20, 22.12 or later on 22, or 23 and later; this is Node ${version}.`;
}

/**
 * Runs `punchcard ledger parquet`: opens the ledger read-only as `ledger sql` does (the same views, the same consent
 * rules), writes one file per view and prints each with its row count. On a Node too old to load the Parquet writer it
 * says which Node it needs, before it opens anything.
 *
 * @example
 * await runLedgerParquet({ program: "deployments/localhost/example.json", db: "ledger.sqlite", out: "parquet" });
 */
export async function runLedgerParquet(
  options: LedgerParquetOptions,
  out: (text: string) => void = (t) => process.stdout.write(t),
  nodeVersion: string = process.versions.node,
): Promise<ParquetViewFile[]> {
  const problem = parquetNodeProblem(nodeVersion);
  if (problem) {
    throw new PunchcardError(problem, {
      hint: "Install a newer Node (for example nvm install 22); the other commands do not need it.",
    });
  }
  // Loaded here, not at the top: the rest of the CLI starts on a Node that cannot load the writer.
  const { writeViewsParquet } = await import("../node/ledger/viewsParquet.js");
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
