import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, TASK_TEST_GET_TEST_FILES } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/config";
import "@nomicfoundation/hardhat-toolbox";
import fs from "node:fs";
import path from "node:path";

/** The one compiler version; `solc` in package.json is pinned to exactly this. */
const SOLC_VERSION = "0.8.30";

// Hardhat downloads solc from the internet by default. Our machines and CI are offline
// (npm registry only), so the compiler is the WASM build shipped in the npm `solc` package.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
  const solc = require("solc") as { version(): string };
  const longVersion = solc.version();
  if (!longVersion.startsWith(`${SOLC_VERSION}+`)) {
    throw new Error(
      `Installed npm solc is ${longVersion}, but hardhat.config.ts wants ${SOLC_VERSION}. ` +
        `Run \`npm ci\` (package.json pins solc to ${SOLC_VERSION}).`,
    );
  }
  return {
    compilerPath: path.join(path.dirname(require.resolve("solc/package.json")), "soljson.js"),
    isSolcJs: true,
    version: args.solcVersion,
    longVersion,
  };
});

// SDK and script tests live beside the code they test (sdk/src/**/x.test.ts), the web wallet's browser tests in
// app/test/; `hardhat test` with no
// file arguments runs them after the contract tests in test/.
subtask(TASK_TEST_GET_TEST_FILES, async (args: { testFiles: string[] }, _hre, runSuper) => {
  const files: string[] = await runSuper(args);
  if (args.testFiles.length > 0) return files;
  const besideCode = ["sdk/src", "scripts", "app/test"].flatMap((dir) => findTests(path.join(__dirname, dir)));
  return [...files, ...besideCode.sort()];
});

function findTests(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTests(full);
    return entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      optimizer: { enabled: true, runs: 10_000 },
      evmVersion: "cancun",
    },
  },
  networks: {
    // The P-256 precompile at 0x100 (RIP-7212, as on Base, Optimism, Arbitrum, Polygon; EIP-7951 in Osaka, Hardhat
    // 2.29's default hardfork): a member's passkey signature costs 6,900 gas there instead of ~200,000 in Solidity.
    // `P256_PRECOMPILE=off` runs Prague without RIP-7212, a chain with neither, for `npm run bench:accounts`.
    hardhat: process.env.P256_PRECOMPILE === "off" ? { hardfork: "prague", enableRip7212: false } : { enableRip7212: true },
    localhost: { url: "http://127.0.0.1:8545" },
  },
  gasReporter: {
    enabled: process.env.REPORT_GAS === "true",
    currency: "USD",
    offline: true,
    reportPureAndViewMethods: false,
    darkMode: false,
    noColors: true,
  },
  mocha: { timeout: 120_000 },
};

export default config;
