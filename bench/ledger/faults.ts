/**
 * The ledger under faults on long histories: runs test/ledger/faults.test.ts with 3 runs of each case,
 * 200 transactions of history and stalls of 4 s, and reports how many runs of each case passed.
 *
 *   npm run bench:ledger -- --faults        (PUNCHCARD_PG_URL adds Postgres)
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface FaultCase {
  name: string;
  passed: number;
  runs: number;
}

/** Runs the fault suite with long fixtures; returns each case's passes out of its runs, and the raw output. */
export function runFaultSuite(runs = 3): { cases: FaultCase[]; output: string; seconds: number } {
  const started = performance.now();
  const result = spawnSync("npx", ["hardhat", "test", "test/ledger/faults.test.ts"], {
    cwd: path.resolve(__dirname, "../.."),
    env: {
      ...process.env,
      LEDGER_FAULTS_RUNS: String(runs),
      LEDGER_FAULTS_TXS: process.env.LEDGER_FAULTS_TXS ?? "200",
      LEDGER_FAULTS_STALL_MS: process.env.LEDGER_FAULTS_STALL_MS ?? "4000",
    },
    encoding: "utf8",
    maxBuffer: 64 * 2 ** 20,
  });
  const output = `${result.stdout}${result.stderr}`;
  const cases = new Map<string, FaultCase>();
  let engine = "";
  for (const line of output.split("\n")) {
    // "ledger under faults on sqlite|postgres", and the Postgres restart's own block.
    const header = /^\s{2}ledger under faults(?: on (\w+)|: the Postgres server restarted)/.exec(line);
    if (header) engine = header[1] ?? "postgres, server restarted";
    const test = /^\s+(✔|\d+\))\s+(.*?)(?: \[run \d+\/\d+\])?(?: \(\d+ms\))?$/.exec(line);
    if (!test || !engine) continue;
    const name = `${engine}: ${test[2]}`;
    const c = cases.get(name) ?? { name, passed: 0, runs: 0 };
    c.runs++;
    if (test[1] === "✔") c.passed++;
    cases.set(name, c);
    if (/passing|failing/.test(line)) engine = "";
  }
  return { cases: [...cases.values()], output, seconds: (performance.now() - started) / 1000 };
}

/** The markdown section of the report. */
export function faultsMarkdown(cases: FaultCase[], seconds: number): string[] {
  return [
    "## The ledger under faults",
    "",
    "test/ledger/faults.test.ts with long fixtures (200 transactions of history, stalls of 4 s), each case run 3 times.",
    "Each run checks: no gap and no row twice (the rows equal the chain's logs), no half-written step seen by a",
    "reader polling in its own connection during the sync, and the figures equal those folded from the chain's events.",
    "",
    "| case | passed |",
    "|---|---:|",
    ...cases.map((c) => `| ${c.name} | ${c.passed} of ${c.runs} |`),
    "",
    `Suite time: ${seconds.toFixed(0)} s.`,
    "",
  ];
}

if (require.main === module) {
  const { cases, output, seconds } = runFaultSuite();
  const md = faultsMarkdown(cases, seconds).join("\n");
  const date = new Date().toISOString().slice(0, 10);
  fs.writeFileSync(
    path.join(__dirname, `../ledger-faults-${date}.md`),
    `# Ledger faults, ${date}\n\nMachine: ${os.cpus().length} cores, Node ${process.version}.\n\n${md}`,
  );
  console.log(md);
  const failed = cases.some((c) => c.passed < c.runs) || cases.length === 0;
  if (failed) console.log(output.slice(-8_000));
  process.exit(failed ? 1 : 0);
}
