/**
 * The ledger under faults on long histories: runs test/ledger/faults.test.ts with 3 runs of each case,
 * 200 transactions of history and stalls of 4 s, and reports how many runs of each case passed.
 *
 *   npm run bench:ledger -- --faults        (PUNCHCARD_PG_URL adds Postgres)
 *
 * The cases mostly wait (backoff after a 429, a stalled RPC), so the runs go side by side, one mocha process each:
 * every SQLite run, every Postgres run in a database of its own (created next to PUNCHCARD_PG_URL's, when its role
 * may; otherwise the Postgres runs go one after another in its database), and the Postgres-restart case, which
 * starts a private server of its own.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export interface FaultCase {
  name: string;
  passed: number;
  runs: number;
}

/** One mocha process of the suite: which describe block it runs, how many runs of each case, with what env. */
interface Group {
  label: string;
  grep: string;
  runs: number;
  env: Record<string, string | undefined>;
}

/**
 * Databases for the parallel Postgres runs, beside the one in `url` (same server and role): created empty, their
 * URLs answered. Undefined when the role may not create databases: the runs then share `url`, one after another.
 */
async function runDatabases(url: string, count: number): Promise<string[] | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const urls: string[] = [];
    for (let i = 1; i <= count; i++) {
      const name = `punchcard_faults_${i}`;
      await client.query(`DROP DATABASE IF EXISTS ${name}`);
      await client.query(`CREATE DATABASE ${name}`);
      const u = new URL(url);
      u.pathname = `/${name}`;
      urls.push(u.toString());
    }
    return urls;
  } catch (error) {
    console.log(`(Postgres runs one after another in ${new URL(url).pathname.slice(1)}: ${(error as Error).message})`);
    return undefined;
  } finally {
    await client.end();
  }
}

/** Runs one group; its lines are passed through as they come, prefixed with its label, so a long run shows progress. */
function runGroup(group: Group): Promise<string> {
  const child = spawn("npx", ["hardhat", "test", "test/ledger/faults.test.ts", "--grep", group.grep], {
    cwd: path.resolve(__dirname, "../.."),
    env: {
      ...process.env,
      LEDGER_FAULTS_RUNS: String(group.runs),
      LEDGER_FAULTS_TXS: process.env.LEDGER_FAULTS_TXS ?? "200",
      LEDGER_FAULTS_STALL_MS: process.env.LEDGER_FAULTS_STALL_MS ?? "4000",
      ...group.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let partial = "";
  const tee = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    output += text;
    const lines = (partial + text).split("\n");
    partial = lines.pop()!;
    for (const line of lines) if (line.trim()) process.stdout.write(`[${group.label}] ${line}\n`);
  };
  child.stdout.on("data", tee);
  child.stderr.on("data", tee);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", () => resolve(output));
  });
}

/** Each case's passes out of its runs, from mocha's output of one group. */
function parseFaultOutput(output: string, into = new Map<string, FaultCase>()): Map<string, FaultCase> {
  let engine = "";
  for (const line of output.split("\n")) {
    // "ledger under faults on sqlite|postgres", and the Postgres restart's own block.
    const header = /^\s{2}ledger under faults(?: on (\w+)|: the Postgres server restarted)/.exec(line);
    if (header) engine = header[1] ?? "postgres, server restarted";
    const test = /^\s+(✔|\d+\))\s+(.*?)(?: \[run \d+\/\d+\])?(?: \(\d+ms\))?$/.exec(line);
    if (!test || !engine) continue;
    const name = `${engine}: ${test[2]}`;
    const c = into.get(name) ?? { name, passed: 0, runs: 0 };
    c.runs++;
    if (test[1] === "✔") c.passed++;
    into.set(name, c);
    if (/passing|failing/.test(line)) engine = "";
  }
  return into;
}

/**
 * Runs the fault suite with long fixtures; returns each case's passes out of its runs, and the raw output.
 */
export async function runFaultSuite(runs = 3): Promise<{ cases: FaultCase[]; output: string; seconds: number }> {
  const started = performance.now();
  const pgUrl = process.env.PUNCHCARD_PG_URL;
  const groups: Group[] = Array.from({ length: runs }, (_, i) => ({
    label: `sqlite ${i + 1}/${runs}`,
    grep: "ledger under faults on sqlite",
    runs: 1,
    env: {},
  }));
  if (pgUrl) {
    const databases = await runDatabases(pgUrl, runs);
    if (databases)
      databases.forEach((url, i) =>
        groups.push({
          label: `postgres ${i + 1}/${runs}`,
          grep: "ledger under faults on postgres",
          runs: 1,
          env: { PUNCHCARD_PG_URL: url },
        }),
      );
    else groups.push({ label: "postgres", grep: "ledger under faults on postgres", runs, env: {} });
  }
  groups.push({ label: "postgres restart", grep: "the Postgres server restarted", runs, env: {} });
  const outputs = await Promise.all(groups.map(runGroup));
  const cases = new Map<string, FaultCase>();
  for (const output of outputs) parseFaultOutput(output, cases);
  return { cases: [...cases.values()], output: outputs.join("\n"), seconds: (performance.now() - started) / 1000 };
}

/** The markdown section of the report. */
export function faultsMarkdown(cases: FaultCase[], seconds: number, runs = 3): string[] {
  return [
    "## The ledger under faults",
    "",
    `test/ledger/faults.test.ts with long fixtures (${process.env.LEDGER_FAULTS_TXS ?? "200"} transactions of history, stalls of ${Number(process.env.LEDGER_FAULTS_STALL_MS ?? 4000) / 1000} s), each case run ${runs} times,`,
    "the runs side by side (one process each; the Postgres runs in databases of their own).",
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

/** Runs the suite and writes bench/results/ledger-faults-<date>.md and .json; true when every run of every case passed. */
export async function faultsBench(runs = 3): Promise<boolean> {
  const { cases, output, seconds } = await runFaultSuite(runs);
  const md = faultsMarkdown(cases, seconds, runs).join("\n");
  const date = new Date().toISOString().slice(0, 10);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)} at the end`;
  fs.writeFileSync(
    path.join(__dirname, `../results/ledger-faults-${date}.md`),
    `# Ledger faults, ${date}\n\nMachine: ${machine}.\n\n${md}`,
  );
  fs.writeFileSync(
    path.join(__dirname, `../results/ledger-faults-${date}.json`),
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
