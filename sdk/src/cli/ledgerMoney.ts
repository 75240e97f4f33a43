/**
 * `punchcard ledger money`: money in and money back per day and currency, from the program server's payments store,
 * joined to the ledger's on-chain credits and reversals by receipt id (docs/analytics.md, "Money in and back").
 *
 *   punchcard ledger money --program deployments/localhost/example.json --db ledger.sqlite --store server.sqlite
 */
import fs from "node:fs";
import { PunchcardError } from "../errors.js";
import { engineOf, openDatabase } from "../node/database.js";
import { moneyPerDay } from "../node/ledger/moneyPerDay.js";
import { migrateLedger, type LedgerTables } from "../node/ledger/schema.js";
import { programFromRecord } from "../program.js";
import type { PaymentTables } from "../server/payments/schema.js";
import { UsageError } from "./command.js";
import { readRecordFile } from "./deploy.js";
import { formatSqlResult, type SqlFormat } from "./ledgerSql.js";

export interface LedgerMoneyOptions {
  program: string;
  /** The ledger database (synced). */
  db: string;
  /** The program server's database, where the payments' store is. */
  store: string | undefined;
  format: SqlFormat;
}

const DAY_COLUMNS = ["day", "currency", "money_in", "money_back", "points_credited", "points_reversed", "payments", "unmatched"];
const UNMATCHED_COLUMNS = ["receipt_id", "day", "currency", "amount", "missing", "chain"];

const missingFile = (location: string) =>
  engineOf(location) === "sqlite" && (location === ":memory:" || !fs.existsSync(location));

/**
 * Runs `punchcard ledger money`: one row per day and currency (money in and back in minor units, points credited
 * and reversed on chain, payments, unmatched), then the receipts the chain does not (yet) match.
 *
 * @example
 * await runLedgerMoney({ program: "deployments/localhost/example.json", db: "ledger.sqlite", store: "server.sqlite", format: "csv" });
 */
export async function runLedgerMoney(
  options: LedgerMoneyOptions,
  out: (text: string) => void = (t) => process.stdout.write(t),
): Promise<void> {
  if (options.store === undefined)
    throw new UsageError("money needs --store <file|url>: the program server's database, where card payments are kept.");
  if (missingFile(options.db))
    throw new PunchcardError(`There is no ledger database at ${options.db}.`, {
      hint: `Sync one first: punchcard ledger sync --program ${options.program} --db ${options.db}`,
    });
  if (missingFile(options.store)) throw new PunchcardError(`There is no payments store at ${options.store}.`);
  const program = programFromRecord(readRecordFile(options.program));
  const ledger = openDatabase<LedgerTables>(options.db);
  const store = openDatabase<PaymentTables>(options.store);
  try {
    await migrateLedger(ledger);
    const { days, unmatched } = await moneyPerDay({ ledger, store, program });
    const dayRows = days.map((d) => [
      d.day,
      d.currency.toUpperCase(),
      d.moneyIn,
      d.moneyBack,
      d.pointsCredited,
      d.pointsReversed,
      d.payments,
      d.unmatched,
    ]);
    const unmatchedRows = unmatched.map((u) => [u.receiptId, u.day, u.currency.toUpperCase(), u.amount, u.missing, u.chain]);
    if (options.format === "json") {
      const objects = (columns: string[], rows: unknown[][]) =>
        rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, typeof row[i] === "bigint" ? String(row[i]) : row[i]])));
      out(
        `${JSON.stringify({ days: objects(DAY_COLUMNS, dayRows), unmatched: objects(UNMATCHED_COLUMNS, unmatchedRows) }, null, 2)}\n`,
      );
      return;
    }
    out(formatSqlResult({ columns: DAY_COLUMNS, rows: dayRows }, options.format));
    if (options.format === "table")
      out(unmatched.length === 0 ? "\nEvery receipt is matched on chain.\n" : "\nNot (yet) on chain:\n");
    if (unmatched.length > 0) out(formatSqlResult({ columns: UNMATCHED_COLUMNS, rows: unmatchedRows }, options.format));
  } finally {
    await Promise.all([ledger.destroy(), store.destroy()]);
  }
}
