/**
 * The ledger under faults on long histories: runs test/ledger/faults.test.ts with 3 runs of each case,
 * 200 transactions of history and stalls of 4 s, and reports how many runs of each case passed.
 *
 *   npm run bench:ledger -- --faults        (PUNCHCARD_PG_URL adds Postgres)
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface FaultCase {
  name: string;
  passed: number;
  runs: number;
}

/**
 * Runs the fault suite with long fixtures; returns each case's passes out of its runs, and the raw output.
 * Mocha's lines are passed through as they come, so a long run shows its progress.
 */
export async function runFaultSuite(runs = 3): Promise<{ cases: FaultCase[]; output: string; seconds: number }> {
  const started = performance.now();
  const child = spawn("npx", ["hardhat", "test", "test/ledger/faults.test.ts"], {
    cwd: path.resolve(__dirname, "../.."),
    env: {
      ...process.env,
      LEDGER_FAULTS_RUNS: String(runs),
      LEDGER_FAULTS_TXS: process.env.LEDGER_FAULTS_TXS ?? "200",
      LEDGER_FAULTS_STALL_MS: process.env.LEDGER_FAULTS_STALL_MS ?? "4000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const tee = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    process.stdout.write(chunk);
  };
  child.stdout.on("data", tee);
  child.stderr.on("data", tee);
  await new Promise<void>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", () => resolve());
  });
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
export function faultsMarkdown(cases: FaultCase[], seconds: number, runs = 3): string[] {
  return [
    "## The ledger under faults",
    "",
    `test/ledger/faults.test.ts with long fixtures (${process.env.LEDGER_FAULTS_TXS ?? "200"} transactions of history, stalls of ${Number(process.env.LEDGER_FAULTS_STALL_MS ?? 4000) / 1000} s), each case run ${runs} times.`,
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

/** Runs the suite and writes bench/ledger-faults-<date>.md and .json; true when every run of every case passed. */
export async function faultsBench(runs = 3): Promise<boolean> {
  const { cases, output, seconds } = await runFaultSuite(runs);
  const md = faultsMarkdown(cases, seconds, runs).join("\n");
  const date = new Date().toISOString().slice(0, 10);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)} at the end`;
  fs.writeFileSync(
    path.join(__dirname, `../ledger-faults-${date}.md`),
    `# Ledger faults, ${date}\n\nMachine: ${machine}.\n\n${md}`,
  );
  fs.writeFileSync(
    path.join(__dirname, `../ledger-faults-${date}.json`),
    `${JSON.stringify({ date, machine, runs, seconds, cases }, null, 2)}\n`,
  );
  console.log(md);
  const failed = cases.length === 0 || cases.some((c) => c.passed < c.runs);
  if (failed) console.log(output.slice(-8_000));
  return !failed;
}

if (require.main === module) {
  faultsBench().then(
    (passed) => process.exit(passed ? 0 : 1),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
