// What the `punchcard ledger` command tests share: a program of synthetic rows, its deployment record on disk, a
// migrated ledger holding the rows, and the command run with what it prints captured. Test code only (__fixtures__
// is left out of the SDK's build).
import fs from "node:fs";
import path from "node:path";
import type { Address } from "viem";
import { openDatabase } from "../../node/database.js";
import { insertRows } from "../../node/ledger/ledgerFixture.js";
import { migrateLedger, type LedgerEntriesTable, type LedgerTables } from "../../node/ledger/schema.js";
import { recordFromProgram, type DeploymentRecord, type Program } from "../../program.js";
import { runCommand } from "../command.js";
import { ledgerCommand } from "../ledger.js";

/** Points of two decimals named BEANS, as the synthetic ledgers' records say. */
export const BEANS_UNITS: NonNullable<DeploymentRecord["units"]> = {
  pointsSymbol: "BEANS",
  pointsDecimals: 2,
  nativeSymbol: "ETH",
  nativeDecimals: 18,
};

/**
 * A program for synthetic rows: the fixture's Stamps and Points (`base`), with a Market, consent registry and
 * Rewards at addresses of their own, so that each row's contract is told apart.
 */
export function syntheticProgram(base: Program, points: Address = base.points): Program {
  return {
    ...base,
    points,
    market: `0x${"7c".repeat(20)}`,
    consent: `0x${"8d".repeat(20)}`,
    rewards: `0x${"9e".repeat(20)}`,
  };
}

/**
 * Writes `program`'s deployment record as `<dir>/program.json` (the Test Coffee brand; BEANS unless `units` says
 * otherwise, none when it is null) and answers its path, the `--program` of every ledger command.
 */
export function writeRecord(
  dir: string,
  program: Program,
  options: { brand?: string; deployer?: Address; units?: DeploymentRecord["units"] | null } = {},
): string {
  const { brand = "Test Coffee", deployer = `0x${"01".repeat(20)}`, units = BEANS_UNITS } = options;
  const record = recordFromProgram(program, {
    brand,
    network: "hardhat",
    configHash: `0x${"00".repeat(32)}`,
    deployer,
    ...(units === null ? {} : { units }),
  });
  const file = path.join(dir, "program.json");
  fs.writeFileSync(file, JSON.stringify(record));
  return file;
}

/** A ledger at `db` (a SQLite file or a Postgres URL) migrated to today's schema and holding `rows`. */
export async function fillLedger(db: string, ...rows: ReadonlyArray<readonly LedgerEntriesTable[]>): Promise<void> {
  const database = openDatabase<LedgerTables>(db);
  try {
    await migrateLedger(database);
    for (const batch of rows) await insertRows(database, batch);
  } finally {
    await database.destroy();
  }
}

/**
 * Runs `punchcard ledger <args>`, answering its exit code and what it printed. `processStderr` also captures what
 * goes straight to the process's stderr (a sync's progress line).
 */
export async function ledgerCli(
  args: string[],
  options: { processStderr?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const writeErr = process.stderr.write.bind(process.stderr);
  if (options.processStderr) {
    process.stderr.write = ((chunk: string) => {
      stderr += chunk;
      return true;
    }) as typeof process.stderr.write;
  }
  try {
    const code = await runCommand(ledgerCommand, args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
    return { code, stdout, stderr };
  } finally {
    process.stderr.write = writeErr;
  }
}
