import fs from "node:fs";
import path from "node:path";
import { subtask, type HardhatUserConfig } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { SolcConfig } from "hardhat/types";
// The product config registers the solc-from-npm subtask and holds the product's compiler settings; the
// benchmark reuses both, so our contracts are measured exactly as `npm run build` compiles them.
import productConfig from "./hardhat.config";

/**
 * Hardhat config of the benchmarks (`npm run bench:gas`), never used by `npm test`.
 *
 * It compiles bench/contracts (peer fixtures, and files that import our contracts and Seaport) into
 * bench/artifacts, so the peers never enter the product's compile, artifacts or typechain types.
 */

// Seaport is built the way OpenSea builds it: solc 0.8.24, via-IR, the optimizer at its maximum runs. solc 0.8.30
// cannot build it: via-IR stops with "StackTooDeep" in OrderCombiner (tried runs 200, 1e6, 2^32-1, inliner off,
// stackAllocation, minimal optimizer steps). 0.8.24 comes from npm too, as the dev-only alias `solc-0.8.24`.
// Every Seaport file needs the override (Hardhat compiles each file with its own settings), and so does our file
// that imports them.
const SEAPORT_SOLC = "0.8.24";
const SEAPORT_SETTINGS: SolcConfig = {
  version: SEAPORT_SOLC,
  settings: {
    viaIR: true,
    optimizer: { enabled: true, runs: 4_294_967_295 },
    evmVersion: "cancun",
    metadata: { bytecodeHash: "none" },
  },
};

// Like the product's subtask (which it chains to for every other version): the WASM compiler from npm, no download.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SEAPORT_SOLC) return runSuper(args);
  const solc = require("solc-0.8.24") as { version(): string };
  const longVersion = solc.version();
  if (!longVersion.startsWith(`${SEAPORT_SOLC}+`)) throw new Error(`solc-0.8.24 is ${longVersion}; run \`npm ci\`.`);
  return {
    compilerPath: path.join(path.dirname(require.resolve("solc-0.8.24/package.json")), "soljson.js"),
    isSolcJs: true,
    version: SEAPORT_SOLC,
    longVersion,
  };
});

function solFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return solFiles(full);
    return entry.name.endsWith(".sol") ? [full] : [];
  });
}

const seaportSources = ["seaport-core", "seaport-types"].flatMap((pkg) => {
  const root = path.join(__dirname, "node_modules", pkg);
  return solFiles(path.join(root, "src")).map((file) => `${pkg}/${path.relative(root, file).split(path.sep).join("/")}`);
});

const productSolidity = productConfig.solidity as SolcConfig;

const config: HardhatUserConfig = {
  ...productConfig,
  solidity: {
    compilers: [productSolidity],
    overrides: Object.fromEntries(
      [...seaportSources, "bench/contracts/SeaportDeploy.sol"].map((source) => [source, SEAPORT_SETTINGS]),
    ),
  },
  networks: {
    hardhat: {
      // Prague has the same gas schedule as Osaka for everything measured here, but not EIP-7825's cap of
      // 16,777,216 gas per transaction, so a peer's 1000-member batch can still be measured (and flagged).
      hardfork: "prague",
      blockGasLimit: 60_000_000,
      // The P-256 precompile as the product config has it (nothing measured here verifies P-256 yet); Prague has no
      // EIP-7951, so RIP-7212 is what puts it at 0x100.
      enableRip7212: process.env.P256_PRECOMPILE !== "off",
    },
  },
  paths: {
    sources: "bench/contracts",
    artifacts: "bench/artifacts",
    cache: "bench/cache",
  },
  // No typechain types for fixtures: the bench script reads artifacts by name.
  typechain: { outDir: "bench/typechain-types", dontOverrideCompile: true },
  gasReporter: { enabled: false },
};

export default config;
