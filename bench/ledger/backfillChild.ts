/**
 * Our backfill in a process of its own, as Ponder's runs in its own: `syncLedger` from the RPC into one database,
 * timed from its first request to its last commit. bench/ledger.ts starts it with `backfillInChild`; run alone:
 *
 *   ts-node --transpile-only bench/ledger/backfillChild.ts <rpc url> <program JSON> <database location>
 *
 * It prints one JSON line: { entries, syncSeconds, cpuSeconds }.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { createPublicClient, http } from "viem";
import { openDatabase, syncLedger, type LedgerTables } from "@punchcard/sdk/node";
import type { Program } from "@punchcard/sdk";

/** As bench/ledger.ts: a loaded machine answers the fixture's one eth_getLogs after viem's default 10 s. */
const RPC_TIMEOUT_MS = 120_000;

const toJson = (program: Program) => JSON.stringify({ ...program, deployBlock: program.deployBlock.toString() });
const fromJson = (text: string): Program => {
  const raw = JSON.parse(text) as Omit<Program, "deployBlock"> & { deployBlock: string };
  return { ...raw, deployBlock: BigInt(raw.deployBlock) };
};

/** Runs our backfill in a child process; its progress lines go to `log`. */
export async function backfillInChild(
  rpcUrl: string,
  program: Program,
  location: string,
  log: (line: string) => void,
): Promise<{ entries: number; syncSeconds: number; cpuSeconds: number }> {
  const child = spawn(
    process.execPath,
    [
      // LEDGER_CPU_PROF=<dir>: a CPU profile of our backfill (only this process), to see where its time goes.
      ...(process.env.LEDGER_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.LEDGER_CPU_PROF}`] : []),
      require.resolve("ts-node/dist/bin"),
      "--transpile-only",
      __filename,
      rpcUrl,
      toJson(program),
      location,
    ],
    { cwd: path.resolve(__dirname, "../.."), stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
    for (let i = out.indexOf("\n"); i !== -1; i = out.indexOf("\n")) {
      const line = out.slice(0, i);
      out = out.slice(i + 1);
      if (line.startsWith("{")) result = JSON.parse(line) as { entries: number; syncSeconds: number; cpuSeconds: number };
      else if (line.trim()) log(line);
    }
  });
  let result: { entries: number; syncSeconds: number; cpuSeconds: number } | undefined;
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  if (code !== 0 || !result) throw new Error(`our backfill into ${location} failed in its process (exit ${code})`);
  return result;
}

if (require.main === module) {
  const [rpcUrl, programJson, location] = process.argv.slice(2);
  if (!rpcUrl || !programJson || !location) {
    console.error("usage: backfillChild.ts <rpc url> <program JSON> <database location>");
    process.exit(2);
  }
  (async () => {
    const program = fromJson(programJson);
    // As in bench/ledger.ts: no cap on a response's size, as for Ponder.
    const client = createPublicClient({
      transport: http(rpcUrl, { retryCount: 0, maxResponseBodySize: false, timeout: RPC_TIMEOUT_MS }),
    });
    const db = openDatabase<LedgerTables>(location);
    let lastLog = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const result = await syncLedger(client, {
      program,
      db,
      onProgress: (p) => {
        if (Date.now() - lastLog > 2000) {
          lastLog = Date.now();
          console.log(
            `blocks ${p.doneBlocks}/${p.totalBlocks}, ${p.entries} entries, ${p.entriesPerSecond.toFixed(0)} entries/s`,
          );
        }
      },
    });
    const syncSeconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await db.destroy();
    // The CPU time of this process too: on a shared machine it moves less than the wall time.
    console.log(JSON.stringify({ entries: result.entries, syncSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
  })().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
