/** The program server benchmark's report: Markdown beside the last report's figures, and its JSON. */
import fs from "node:fs";
import path from "node:path";
import type { Row } from "./runs";

export interface Report {
  date: string;
  machine: {
    cpus: number;
    model: string;
    memoryGiB: number;
    node: string;
    loadAverageAtStart: number[];
    loadAverageAtEnd: number[];
  };
  seeded: number;
  seconds: number;
  connections: number;
  relayConnections: number;
  /** Whether the chain had Multicall3 at its canonical address (BENCH_MULTICALL3, default on), as public chains do. */
  multicall3?: boolean;
  results: Row[];
  notes: string[];
}

/** The figures of the last report before this one (the newest server-<date>.json of another date), if any. */
function previous(resultsDir: string, date: string): { file: string; data: { machine: unknown; results: Row[] } } | undefined {
  const files = fs
    .readdirSync(resultsDir)
    .filter((f) => /^server-\d{4}-\d{2}-\d{2}\.json$/.test(f) && f !== `server-${date}.json`)
    .sort();
  const file = files.at(-1);
  if (!file) return undefined;
  return { file, data: JSON.parse(fs.readFileSync(path.join(resultsDir, file), "utf8")) as { machine: unknown; results: Row[] } };
}

const checksOf = (r: Row) =>
  Object.entries(r.checks)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join("; ");

export function markdown(report: Report, resultsDir: string): string {
  const m = report.machine;
  const loaded = m.loadAverageAtStart[0]! >= 3;
  const last = previous(resultsDir, report.date);
  const lines = [
    `# Program server benchmark, ${report.date}`,
    "",
    ...(loaded
      ? [
          `**Measured on a loaded machine (load average ${m.loadAverageAtStart[0]} at the start, ${m.cpus} cores): these`,
          "figures say the benchmark runs and its checks hold, not what the server can do.**",
          "",
        ]
      : []),
    `Machine: ${m.cpus} × ${m.model}, ${m.memoryGiB} GiB, Node ${m.node}; load average (1, 5, 15 min)`,
    `${m.loadAverageAtStart.join(", ")} at the start and ${m.loadAverageAtEnd.join(", ")} at the end. Everything on loopback:`,
    "`punchcard serve` in processes of its own; the chain (Hardhat in-process, served over HTTP) and autocannon in the",
    `benchmark's process. ${report.connections} connections (relays: ${report.relayConnections}), ${report.seconds} s per run.`,
    `The book is seeded with ${report.seeded} open listings of one series. Uncached reads use a cursor the server gave`,
    "out and a page size (21 to 100) no request before used, so no answer comes from the cache. Each post is a",
    "distinct listing with a valid signature that the server checks against the chain (signature, nonce, holder,",
    "quote) before it stores it. CPU is each server process's user + system time over the run (/proc/<pid>/stat),",
    "as a share of one core; the benchmark's own process (the chain and autocannon) is measured the same way, and on",
    "Postgres reads the database's backends serving the server (its pool and election connection).",
    report.multicall3 === false
      ? "The chain has no Multicall3 (BENCH_MULTICALL3=0): each post's reads go to it as separate eth_calls."
      : "The chain has Multicall3 at its canonical address, as nearly every public chain does: the reads of the posts checked at one moment go to it as one eth_call.",
    "",
    "| run | database | instances | conns | requests | req/s | p50 (ms) | p99 (ms) | non-2xx | errors | server CPU (core share) | chain + autocannon CPU | Postgres backends CPU |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ...report.results.map(
      (r) =>
        `| ${r.name} | ${r.database} | ${r.instances} | ${r.connections} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} | ${(r.cpu ?? []).map((c) => c.shareOfCore).join(" + ")} | ${r.benchCpuShareOfCore ?? ""} | ${r.databaseCpuShareOfCore ?? ""} |`,
    ),
    "",
    "## Checks",
    "",
    ...report.results.map(
      (r) => `- ${r.name} (${r.database}, ${r.instances} instance${r.instances > 1 ? "s" : ""}): ${checksOf(r) || "none"}`,
    ),
    ...(report.notes.length > 0 ? ["", ...report.notes.map((n) => `- ${n}`)] : []),
    "",
  ];
  if (last) {
    const old = last.data.results;
    lines.push(
      `## The last report (${last.file.replace(/\.json$/, ".md")})`,
      "",
      `Machine then: ${typeof last.data.machine === "string" ? last.data.machine : JSON.stringify(last.data.machine)}. Its runs were at the connections it names; its reads hit the cache.`,
      "",
      "| run | requests | req/s | p50 (ms) | p99 (ms) | non-2xx | errors |",
      "|---|---:|---:|---:|---:|---:|---:|",
      ...old.map((r) => `| ${r.name} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} |`),
      "",
    );
  }
  return lines.join("\n");
}
