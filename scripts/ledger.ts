/**
 * The transparent ledger, for analysts: sync a program's events into a database, print its figures,
 * export the entries, or write an HTML report with charts.
 *
 *   npm run ledger -- sync   --program deployments/localhost/example.json --rpc http://127.0.0.1:8545
 *   npm run ledger -- stats  --program deployments/localhost/example.json --format table
 *
 * See `npm run ledger -- --help`.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { createPublicClient, http } from "viem";
import { programFromRecord, PunchcardError, type DeploymentRecord, type Program } from "../sdk/src";
import {
  buildReport,
  exportEntries,
  ledgerStats,
  openDatabase,
  syncLedger,
  toCsv,
  type LedgerStats,
  type LedgerTables,
} from "../sdk/src/node";

export const HELP = `Punchcard ledger: every event of a program, synced into a database, with its figures.

Usage: npm run ledger -- <command> --program <deployment record> [options]

Commands:
  sync     read the program's events from the chain into the database (resumable, idempotent)
  stats    print the program's figures from the database
  export   print every synced entry (chain order)
  report   write a self-contained HTML report with charts

Options:
  --program <file>       deployment record written by npm run deploy (required)
  --db <file|url>        SQLite file (default ledger.sqlite) or a postgres:// URL
  --rpc <url>            JSON-RPC endpoint for sync (default http://127.0.0.1:8545)
  --confirmations <n>    blocks behind the head left for later, against reorgs (default 0 on chain 31337, else 12)
  --format <f>           table (default), csv or json, for stats and export
  --from <block>         first block, for export
  --to <block>           last block, for sync and export
  --out <file>           write export or report output here (report default: ledger-report.html)
  -h, --help             show this help`;

type Format = "table" | "csv" | "json";

export interface LedgerOptions {
  command: "sync" | "stats" | "export" | "report";
  program: string;
  db: string;
  rpc: string;
  confirmations?: bigint;
  format: Format;
  from?: bigint;
  to?: bigint;
  out?: string;
}

/** Reads a deployment record, naming the file when it is missing or malformed. */
export function readRecord(file: string): DeploymentRecord {
  if (!fs.existsSync(file)) {
    throw new PunchcardError(`Deployment record ${file} does not exist.`, { hint: "Deploy first: npm run deploy -- --config <file> --network <name>" });
  }
  try {
    const record = JSON.parse(fs.readFileSync(file, "utf8")) as DeploymentRecord;
    if (!record.contracts?.stamps || !record.contracts?.points || !record.contracts?.market || !record.contracts?.consent || record.chainId === undefined) throw new Error("missing contracts or chainId");
    return record;
  } catch (error) {
    throw new PunchcardError(`Deployment record ${file} is not a Punchcard deployment record: ${(error as Error).message}.`);
  }
}

const json = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2);

/** The figures as flat rows (name, value), for table and CSV output. */
export function statsRows(stats: LedgerStats): Array<[string, string]> {
  return [
    ["as_of", stats.asOf ? new Date(stats.asOf * 1000).toISOString() : ""],
    ["entries", String(stats.entries)],
    ["members", String(stats.members)],
    ["active_wallets_7d", String(stats.activeWallets.days7)],
    ["active_wallets_30d", String(stats.activeWallets.days30)],
    ["points_issued", String(stats.points.issued)],
    ["points_rewarded", String(stats.points.rewarded)],
    ["points_credited", String(stats.points.credited)],
    ["points_redeemed", String(stats.points.redeemed)],
    ["points_outstanding", String(stats.points.outstanding)],
    ...stats.series.map((s): [string, string] => [`series_${s.seriesId}_minted_of_max`, `${s.minted}/${s.maxSupply}`]),
    ...stats.market.flatMap((m): Array<[string, string]> => [
      [`trades_${m.currency}`, String(m.trades)],
      [`volume_${m.currency}`, String(m.volume)],
      [`royalties_${m.currency}`, String(m.royalties)],
      [`fees_${m.currency}`, String(m.fees)],
    ]),
    ["consent_linked", String(stats.consent.linked)],
    ...Object.entries(stats.consent.rates).map(([purpose, r]): [string, string] => [`consent_rate_${purpose}`, r.toFixed(4)]),
    ["swaps", String(stats.swaps.count)],
    ["swap_fees", String(stats.swaps.fees)],
    ["swap_royalties", String(stats.swaps.royalties)],
    ...stats.prices.flatMap((p): Array<[string, string]> => [
      [`series_${p.seriesId}_floor30d_${p.currency}`, p.floor30d === null ? "" : String(p.floor30d)],
      [`series_${p.seriesId}_last_${p.currency}`, String(p.last)],
    ]),
    ["retention_rewarded", String(stats.retention.rewarded)],
    ["retention_returned", String(stats.retention.returned)],
    ["retention_rate", stats.retention.rate.toFixed(4)],
  ];
}

export async function runLedger(options: LedgerOptions, out: (text: string) => void = (t) => process.stdout.write(t)): Promise<void> {
  const record = readRecord(options.program);
  const program: Program = programFromRecord(record);
  const db = openDatabase<LedgerTables>(options.db);
  try {
    if (options.command === "sync") {
      const client = createPublicClient({ transport: http(options.rpc, { retryCount: 0 }) });
      let chainId: number;
      try {
        chainId = await client.getChainId();
      } catch (error) {
        throw new PunchcardError(`Cannot reach the RPC at ${options.rpc}.`, { hint: "Check --rpc; for a local chain run: npx hardhat node", cause: error });
      }
      if (chainId !== record.chainId) {
        throw new PunchcardError(`The RPC at ${options.rpc} serves chain ${chainId}, but the program is on chain ${record.chainId}.`);
      }
      const confirmations = options.confirmations ?? (chainId === 31337 ? 0n : 12n);
      const result = await syncLedger(client, {
        program,
        db,
        confirmations,
        ...(options.to !== undefined ? { toBlock: options.to } : {}),
        onProgress: (p) =>
          process.stderr.write(
            `sync: blocks ${p.doneBlocks}/${p.totalBlocks}, ${p.entries} entries, ${p.entriesPerSecond.toFixed(0)} entries/s\n`,
          ),
      });
      out(`synced blocks ${result.fromBlock}-${result.toBlock}: ${result.entries} entries read, ${result.inserted} new rows\n`);
      return;
    }
    if (options.command === "stats") {
      const stats = await ledgerStats(db, { program });
      if (options.format === "json") out(`${json(stats)}\n`);
      else if (options.format === "csv") out(`name,value\n${statsRows(stats).map(([k, v]) => `${k},${v}`).join("\n")}\n`);
      else out(`${statsRows(stats).map(([k, v]) => `${k.padEnd(28)} ${v}`).join("\n")}\n`);
      return;
    }
    if (options.command === "export") {
      const rows = await exportEntries(db, { program, ...(options.from !== undefined ? { fromBlock: options.from } : {}), ...(options.to !== undefined ? { toBlock: options.to } : {}) });
      const text =
        options.format === "json"
          ? `${json(rows)}\n`
          : options.format === "csv"
            ? toCsv(rows)
            : `${rows.map((r) => `${String(r.block_number).padStart(8)} ${new Date(Number(r.block_time) * 1000).toISOString()} ${String(r.kind).padEnd(18)} ${r.actor ?? ""} ${r.amount ?? ""}`).join("\n")}\n`;
      if (options.out) fs.writeFileSync(options.out, text);
      else out(text);
      return;
    }
    const file = options.out ?? "ledger-report.html";
    fs.writeFileSync(file, await buildReport(db, { program, brand: record.brand }));
    out(`report written to ${file}\n`);
  } finally {
    await db.destroy();
  }
}

function parseBlock(flag: string, value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new PunchcardError(`${flag} must be a block number (got ${JSON.stringify(value)}).`);
  return BigInt(value);
}

export async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        program: { type: "string" },
        db: { type: "string", default: "ledger.sqlite" },
        rpc: { type: "string", default: "http://127.0.0.1:8545" },
        confirmations: { type: "string" },
        format: { type: "string", default: "table" },
        from: { type: "string" },
        to: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const [command] = positionals;
    if (!command || !["sync", "stats", "export", "report"].includes(command)) {
      console.error(`${command ? `Unknown command "${command}".` : "A command is required."}\n\n${HELP}`);
      return 2;
    }
    if (!values.program) {
      console.error(`--program is required.\n\n${HELP}`);
      return 2;
    }
    if (!["table", "csv", "json"].includes(values.format)) {
      console.error(`--format must be table, csv or json (got "${values.format}").`);
      return 2;
    }
    const confirmations = parseBlock("--confirmations", values.confirmations);
    const from = parseBlock("--from", values.from);
    const to = parseBlock("--to", values.to);
    await runLedger({
      command: command as LedgerOptions["command"],
      program: values.program,
      db: values.db,
      rpc: values.rpc,
      format: values.format as Format,
      ...(confirmations !== undefined ? { confirmations } : {}),
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(values.out !== undefined ? { out: values.out } : {}),
    });
    return 0;
  } catch (error) {
    console.error(error instanceof PunchcardError ? `Error: ${error.message}` : error instanceof Error ? `Error: ${error.message}` : error);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
