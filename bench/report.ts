/**
 * `npm run bench`: runs the gas, SDK size and ledger benchmarks one after the other and writes bench/REPORT.md,
 * which puts their figures side by side with the date, the machine, the versions and each target met or missed.
 * `BENCH_SKIP_LEDGER=1` reuses the latest bench/ledger-<date>.json instead of running the ledger (~30 s).
 *
 * Not part of `npm test`.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { GasRow } from "./gas";
import { CALL_GAS_TARGET } from "./lib/gasMarkdown";

const here = __dirname;

function run(script: string): number {
  const t0 = Date.now();
  console.log(`[bench] npm run ${script}`);
  const result = spawnSync("npm", ["run", "--silent", script], { cwd: path.join(here, ".."), stdio: "inherit" });
  if (result.status !== 0) throw new Error(`npm run ${script} failed (exit ${result.status})`);
  const seconds = (Date.now() - t0) / 1000;
  console.log(`[bench] ${script} done in ${seconds.toFixed(1)} s`);
  return seconds;
}

/** The newest bench/<kind>-<date>.json. */
function latest<T>(kind: string): { file: string; data: T } {
  const files = fs
    .readdirSync(here)
    .filter((f) => new RegExp(`^${kind}-\\d{4}-\\d{2}-\\d{2}\\.json$`).test(f))
    .sort();
  const file = files.at(-1);
  if (!file) throw new Error(`no bench/${kind}-<date>.json; run npm run bench:${kind}`);
  return { file, data: JSON.parse(fs.readFileSync(path.join(here, file), "utf8")) as T };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const x = (n: number) => `${n.toFixed(2)}x`;

type RowOf = (group: string, operation: string, subject: string) => GasRow;

/** The misses explained from the opcode profiles of the same run. */
function why(row: RowOf, tradeOps: string[]): string[] {
  const mint = row("stamps", "mint, fresh member", "Punchcard");
  const solady = row("stamps", "mint, fresh member", "Solady");
  const [m, s] = [mint.profile!, solady.profile!];
  const ours100 = row("points", "batch of 100, per member", "Punchcard");
  const drop100 = row("points", "batch of 100, per member", "Disperse");
  const [o, d] = [ours100.profile!, drop100.profile!];
  const lines = [
    `- **Stamp mint (${fmt(mint.gas - solady.gas)} gas more than Solady).** Both write the same two new slots (owner, balance); ` +
      `ours reads ${m.storageReads.count - s.storageReads.count} more slots (${m.storageReads.cold - s.storageReads.cold} of them cold: ` +
      "the minter role, the series and the pause flag; " +
      `${fmt(m.storageReads.gas - s.storageReads.gas)} gas) and writes one more ` +
      `(the series' minted count, ${fmt(m.storageWrites.gas - s.storageWrites.gas)} gas), which is what numbered, capped editions ` +
      '("#12 of 500"), role-based minting and pause cost. It is the fixed part of a mint: in a batch of 100 the gap is ' +
      `${x(row("stamps", "batch of 100, per member", "Punchcard").gas / row("stamps", "batch of 100, per member", "Solady").gas)}.`,
    `- **Batch reward (${fmt(ours100.gas - drop100.gas)} gas more per member than the drop at N = 100).** Per member ours emits ` +
      `\`PointsRewarded\` beside the ERC-20 \`Transfer\` (${fmt((o.logs.gas - d.logs.gas) / 100)} gas of logs per member more): the ` +
      "ledger is made of events and this one carries the reward's reason. The drop also skips the pause check and role check. At " +
      "N = 1000 ours needs two transactions (MAX_BATCH = 500) and pays the base cost twice; the peers' single 1000-member " +
      "transactions use over 25 M gas, which EIP-7825 (Fusaka) no longer lets into a block.",
  ];
  for (const op of tradeOps) {
    const ours = row("trade", op, "Punchcard Market (market-only");
    const sea = row("trade", op, "Seaport");
    const [a, b] = [ours.profile!, sea.profile!];
    lines.push(
      `- **Trade, ${op.split(",")[0]} (${x(ours.gas / sea.gas)} of Seaport, target 0.90x).** Ours writes no order status ` +
        `(${fmt(b.storageWrites.gas - a.storageWrites.gas)} gas of writes fewer: a stamp's transfer count kills the listing) and emits ` +
        `less log data (${fmt(b.logs.gas - a.logs.gas)} gas fewer), but reads ${a.storageReads.count - b.storageReads.count} more slots ` +
        `(${a.storageReads.cold} cold against ${b.storageReads.cold}; ${fmt(a.storageReads.gas - b.storageReads.gas)} gas more) and makes ` +
        `${a.calls - b.calls} more calls: the Market asks Stamps for the transfer count, the owner and the royalty in separate calls, ` +
        "and reads its pause flag, the seller's nonce, the order status, the fee and the fee recipient from cold slots; Stamps' " +
        "transfer hook reads its pause flag, the series (soulbound) and the policy.",
    );
  }
  return lines;
}

function main() {
  const seconds: Record<string, number | string> = {};
  seconds.gas = run("bench:gas");
  seconds.size = run("bench:size");
  if (process.env.BENCH_SKIP_LEDGER === "1") {
    seconds.ledger = "reused";
    console.log("[bench] BENCH_SKIP_LEDGER=1: reusing the latest ledger figures");
  } else {
    seconds.ledger = run("bench:ledger");
  }

  const gas = latest<{ date: string; machine: string; versions: Record<string, string>; rows: GasRow[]; seconds: number }>("gas");
  const size = latest<{
    date: string;
    versions: Record<string, string>;
    ratio: number;
    entries: Array<{ name: string; gzipBytes: number }>;
  }>("size");
  const ledger = latest<{
    date: string;
    results: Array<{ engine: string; entries: number; eventsPerSecond: number; statsMs: number }>;
  }>("ledger");

  const row: RowOf = (group, operation, subject) => {
    const r = gas.data.rows.find((g) => g.group === group && g.operation === operation && g.subject.startsWith(subject));
    if (!r) throw new Error(`no gas row ${group} / ${operation} / ${subject}`);
    return r;
  };
  const target = (label: string, ours: number, peer: number, limit: number) => {
    const ratio = ours / peer;
    const verdict = ratio <= limit ? "met" : `missed by ${((ratio / limit - 1) * 100).toFixed(1)} %`;
    return `| ${label} | ${fmt(ours)} | ${fmt(peer)} | ${x(ratio)} | ≤ ${x(limit)} | ${verdict} |`;
  };
  const mint = row("stamps", "mint, fresh member", "Punchcard");
  const soladyMint = row("stamps", "mint, fresh member", "Solady");
  const trades = gas.data.rows.filter((r) => r.group === "trade");
  const tradeOps = [...new Set(trades.map((r) => r.operation))];

  const date = new Date().toISOString().slice(0, 10);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const versions = { ...gas.data.versions, ...size.data.versions };
  const strip = (md: string) => md.split("\n").slice(1).join("\n").replace(/^## /gm, "### ");
  const md = [
    `# Benchmarks, ${date}`,
    "",
    `Machine: ${machine}. Versions: ${Object.entries(versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}.`,
    `Regenerated by \`npm run bench\` (gas ${typeof seconds.gas === "number" ? `${seconds.gas.toFixed(0)} s` : seconds.gas}, size ` +
      `${typeof seconds.size === "number" ? `${seconds.size.toFixed(0)} s` : seconds.size}, ledger ` +
      `${typeof seconds.ledger === "number" ? `${seconds.ledger.toFixed(0)} s` : `${seconds.ledger} from ${ledger.file}`}); sources: ` +
      `[${gas.file.replace(".json", ".md")}](${gas.file.replace(".json", ".md")}), [${size.file.replace(".json", ".md")}](${size.file.replace(".json", ".md")}), ` +
      `[${ledger.file.replace(".json", ".md")}](${ledger.file.replace(".json", ".md")}).`,
    "",
    "## Targets",
    "",
    "| target | ours | peer | ratio | target | verdict |",
    "|---|---:|---:|---:|---:|---|",
    target("stamp mint, fresh member, vs Solady ERC721 (gas)", mint.gas, soladyMint.gas, 1.0),
    ...[10, 100, 1000].map((n) =>
      target(
        `batch reward of ${n}, per member, vs the Gaslite-style drop (gas)`,
        row("points", `batch of ${n}, per member`, "Punchcard").gas,
        row("points", `batch of ${n}, per member`, "Disperse").gas,
        1.0,
      ),
    ),
    ...tradeOps.map((op) =>
      target(
        `trade: ${op}, market-only policy, vs Seaport fulfillBasicOrder (gas, base cost included)`,
        row("trade", op, "Punchcard Market (market-only").gas,
        row("trade", op, "Seaport").gas,
        0.9,
      ),
    ),
    ...gas.data.rows
      .filter((r) => r.group === "trade-call" && r.subject.startsWith("Punchcard") && r.operation.endsWith("warm"))
      .map((r) =>
        target(
          `trade call gas, ${r.operation}, vs Payment Processor v1's published figure (gas, Limit Break's method)`,
          r.gas,
          CALL_GAS_TARGET,
          1.0,
        ),
      ),
    target(
      "SDK member session vs plain viem (gzip bytes)",
      size.data.entries[0]!.gzipBytes,
      size.data.entries[1]!.gzipBytes,
      1.1,
    ),
    "",
    "## Why we miss where we miss",
    "",
    ...why(row, tradeOps),
    "",
    "## Gas",
    "",
    strip(fs.readFileSync(path.join(here, gas.file.replace(".json", ".md")), "utf8")),
    "## SDK size",
    "",
    strip(fs.readFileSync(path.join(here, size.file.replace(".json", ".md")), "utf8")),
    "## Ledger",
    "",
    strip(fs.readFileSync(path.join(here, ledger.file.replace(".json", ".md")), "utf8")),
  ].join("\n");
  fs.writeFileSync(path.join(here, "REPORT.md"), md.replace(/\n{3,}/g, "\n\n"));
  console.log(`[bench] wrote bench/REPORT.md`);
}

main();
