/**
 * Gas benchmark, ours beside the peers a brand would pick instead, in one run on the in-process network: stamp mints
 * (bench/gas/stamps.ts), points rewards (bench/gas/points.ts) and a one-stamp trade with royalty, also measured the
 * Payment Processor way (bench/gas/trade.ts), each beside its theoretical floor (bench/lib/floor.ts). Our program is
 * deployed by the SDK's `deployProgram` and driven through its typed ABIs (bench/gas/program.ts). Writes
 * bench/results/gas-<date>.md and .json (bench/lib/gasMarkdown.ts).
 *
 *   npm run bench:gas      (hardhat --config hardhat.bench.config.ts run bench/gas.ts)
 *
 * Not part of `npm test`: it measures, it does not assert (beyond checking each trade paid what it should).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import type { Address } from "viem";
import { benchChain, deployPeer, progress, type GasRow } from "./lib/gasRun";
import { gasMarkdown, packageVersions } from "./lib/gasMarkdown";
import { castOf, deployOurProgram } from "./gas/program";
import { benchStamps } from "./gas/stamps";
import { benchPoints } from "./gas/points";
import { benchTrade } from "./gas/trade";

export type { GasRow } from "./lib/gasRun";

async function main() {
  const started = Date.now();
  const log = progress();
  const rows: GasRow[] = [];
  const add = (row: GasRow) => {
    rows.push(row);
    log(
      `${row.group}: ${row.subject}, ${row.operation}: ${row.gas.toLocaleString("en-US")} gas (floor ${row.floor.toLocaleString("en-US")})`,
    );
  };
  const chain = await benchChain();
  const cast = castOf(chain);
  log("deploying our program with the SDK's deployProgram (and the stablecoin it accepts)");
  const usd = await deployPeer("MockStablecoin", [], cast.admin);
  const program = await deployOurProgram(chain, cast, [(await usd.getAddress()) as Address]);

  const bench = { chain, cast, program, add, log };
  await benchStamps(bench);
  await benchPoints(bench);
  const { seaportRuntimeBytes } = await benchTrade(bench, usd);

  const date = new Date().toISOString().slice(0, 10);
  const versions = packageVersions([
    "solc",
    "hardhat",
    "@openzeppelin/contracts",
    "solady",
    "erc721a",
    "seaport-core",
    "seaport-types",
  ]);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}`;
  const result = {
    date,
    machine,
    versions,
    hardfork: (hre.network.config as { hardfork?: string }).hardfork,
    seaportRuntimeBytes,
    seconds: (Date.now() - started) / 1000,
    rows,
  };
  const md = gasMarkdown(result);
  const resultsDir = path.join(__dirname, "results");
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, `gas-${date}.md`), md);
  fs.writeFileSync(path.join(resultsDir, `gas-${date}.json`), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n${md}`);
  log(`wrote bench/results/gas-${date}.md and .json`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
