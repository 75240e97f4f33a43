/**
 * `punchcard deploy`: deploys a loyalty program from its config file and writes a deployment record.
 *
 *   punchcard deploy --config programs/example.json --network localhost
 */
import fs from "node:fs";
import path from "node:path";
import { parseDeploymentRecord } from "../config/deploymentRecord.js";
import { parseProgramConfig, type ProgramConfig } from "../config/programConfig.js";
import { formatEther, parseGwei, type Address, type Hex } from "viem";
import type { PlanDeploymentReturnType } from "../brand/planDeployment.js";
import { configHashOf, deployProgram, type DeployProgramReturnType } from "../deploy.js";
import { PunchcardError } from "../errors.js";
import {
  landedSteps,
  progressJournal,
  progressPathOf,
  readProgress,
  writeJsonAtomic,
  type DeploymentProgress,
} from "../node/deployment/progressFile.js";
import { verificationDirOf, verificationMaterialOf, writeVerificationMaterial } from "../node/deployment/verification.js";
import { recordFromProgram, type DeploymentRecord, type Program } from "../program.js";
import { walletClientFor } from "./clients.js";
import { defineCommand, UsageError } from "./command.js";
import { defaultConfirmations, DEV_CHAIN_IDS, describePlan, neededFor, planOnScratchChain } from "./deployPlan.js";

export interface DeployOptions {
  configPath: string;
  network: string;
  /** JSON-RPC endpoint; defaults to the config's network.rpc, then RPC_URL, or http://127.0.0.1:8545 for localhost. */
  rpc?: string;
  /** The chain id the RPC must serve (default: the config's network.chainId; unchecked when neither is given). */
  chainId?: number;
  force?: boolean;
  /** Only print the plan (every transaction, its gas, the cost); send nothing. */
  plan?: boolean;
  /** Continue a deployment that was cut off, from its progress file. */
  resume?: boolean;
  /** A gas price (wei) to price the plan at, besides the chain's current one. */
  gasPrice?: bigint;
  /** Skip the confirmation asked on a chain that is not a local development chain. */
  yes?: boolean;
  /** Blocks to wait after each transaction (default: by chain, see defaultConfirmations). */
  confirmations?: number;
  /** The deployer's key, read from PUNCHCARD_DEPLOYER_KEY or a key file by the command (never from its arguments). */
  deployerKey?: string;
  /** Asks the person at the terminal; resolves true to go on. */
  confirm?: (question: string) => Promise<boolean>;
  outDir?: string;
  /** Hardhat's build info the SDK's bytecode was compiled in, for verification material (default artifacts/build-info). */
  buildInfoDir?: string;
  log?: (line: string) => void;
}

export type DeployOutcome =
  | {
      status: "deployed";
      record: DeploymentRecord;
      recordPath: string;
      steps: DeployProgramReturnType["steps"];
      /** Where each contract's verification material went: `<name>.verify/<Contract>.json`. */
      verifyDir: string;
    }
  | { status: "already-deployed"; record: DeploymentRecord; recordPath: string }
  | { status: "planned"; plan: PlanDeploymentReturnType }
  | { status: "declined" };

/**
 * Reads a JSON file and validates it with `parse`; every error names the file (`what` says what it should be)
 * and, through `parse`, the field. Nothing else happens when it throws.
 */
function readJsonFile<T>(
  file: string,
  what: { name: string; missingHint?: string; refused: (problem: string) => string },
  parse: (json: unknown) => T,
): T {
  if (!fs.existsSync(file)) {
    throw new PunchcardError(`${what.name} ${file} does not exist.`, what.missingHint ? { hint: what.missingHint } : {});
  }
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new PunchcardError(`${what.name} ${file} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parse(json);
  } catch (error) {
    const e = error as PunchcardError;
    throw new PunchcardError(what.refused(e.shortMessage), e.hint ? { hint: e.hint } : {});
  }
}

/** Reads and validates a config file; errors name the file and the field. */
export function readConfigFile(configPath: string): ProgramConfig {
  return readJsonFile(
    configPath,
    { name: "Config file", refused: (problem) => `Config file ${configPath}: ${problem}` },
    parseProgramConfig,
  );
}

/**
 * Deploys a program from its config file, or plans it (`plan`), or continues a cut-off deployment (`resume`).
 * Everything a deployment could be refused for (another chain than the config's, too little coin for the plan, a
 * progress file of another chain, config or deployer) is refused before the first transaction.
 */
export async function deployFromConfig(options: DeployOptions): Promise<DeployOutcome> {
  const log = options.log ?? console.log;
  const config = readConfigFile(options.configPath);
  const configHash = configHashOf(config);
  const name = path.basename(options.configPath, path.extname(options.configPath));
  const recordPath = path.join(options.outDir ?? "deployments", options.network, `${name}.json`);
  const progressPath = progressPathOf(recordPath);

  const rpc = options.rpc ?? config.network?.rpc;
  const key = options.deployerKey ?? deployerKeyFrom(process.env, undefined);
  const env = { ...process.env, ...(key === undefined ? {} : { DEPLOYER_KEY: key }) };
  const client = await walletClientFor(options.network, { ...(rpc === undefined ? {} : { rpc }), env });
  const chainId = client.chain.id;
  const deployer = client.account.address;
  const expectedChainId = options.chainId ?? config.network?.chainId;
  if (expectedChainId !== undefined && expectedChainId !== chainId) {
    throw new PunchcardError(
      `The RPC of network "${options.network}" serves chain ${chainId}, but ${options.chainId !== undefined ? "--chain-id" : "the config's network.chainId"} says ${expectedChainId}. Nothing was sent.`,
      {
        hint: `Point --rpc at an endpoint of chain ${expectedChainId}, or correct the chain id if ${chainId} is the chain you mean.`,
      },
    );
  }
  const dev = DEV_CHAIN_IDS.includes(chainId);

  let progress = readProgress(progressPath);
  if (options.resume) {
    if (!progress) {
      throw new PunchcardError(`Nothing to resume: there is no progress file ${progressPath}.`, {
        hint: "Deploy without --resume (check --config, --network and --out name the deployment you started).",
      });
    }
    refuseForeignProgress(progress, progressPath, { chainId, configHash, deployer });
    log(`Resuming the deployment of ${config.brand} on ${options.network}: ${landedSteps(progress)} steps had landed.`);
  } else {
    if (!options.force && fs.existsSync(recordPath)) {
      const record = readRecordFile(recordPath);
      // A record only counts if the chain still has the contracts (an in-process or restarted local
      // chain forgets them).
      const code = await client.getCode({ address: record.contracts.stamps });
      if (record.chainId === chainId && record.configHash === configHash && code && code !== "0x") {
        log(
          `${config.brand} is already deployed on ${options.network} (Stamps ${record.contracts.stamps}); use --force to deploy again.`,
        );
        return { status: "already-deployed", record, recordPath };
      }
    }
    if (progress && !options.force && !options.plan && !fs.existsSync(recordPath)) {
      throw new PunchcardError(
        `A deployment of ${name} on ${options.network} was cut off after ${landedSteps(progress)} landed steps (${progressPath}).`,
        { hint: "Continue it with --resume; or start over with --force (what it deployed stays on the chain, unused)." },
      );
    }
    progress = {
      version: 1,
      brand: config.brand,
      network: options.network,
      chainId,
      configHash,
      deployer,
      startedAt: new Date().toISOString(),
      steps: {},
    };

    if (options.plan || !dev) {
      const plan = await planOnScratchChain(client, config, options.gasPrice);
      for (const line of describePlan(plan, client.chain.nativeCurrency.symbol)) log(line);
      const needed = neededFor(plan);
      if (plan.balance < needed) {
        const symbol = client.chain.nativeCurrency.symbol;
        const problem = `The deployer ${deployer} holds ${formatEther(plan.balance)} ${symbol}; the plan needs ${formatEther(needed)} ${symbol}.`;
        if (!options.plan) {
          throw new PunchcardError(`${problem} Nothing was sent.`, {
            hint: `Send at least ${formatEther(needed - plan.balance)} ${symbol} to ${deployer} and run again.`,
          });
        }
        log(problem);
      }
      if (options.plan) return { status: "planned", plan };
    }
  }

  if (!dev && !options.yes) {
    const confirm = options.confirm ?? askOnTerminal;
    const go = await confirm(`Deploy ${config.brand} to chain ${chainId} (${options.network}) from ${deployer}? [y/N] `);
    if (!go) {
      log("Nothing was sent.");
      return { status: "declined" };
    }
  }

  const confirmations = options.confirmations ?? defaultConfirmations(chainId);
  log(
    `Deploying ${config.brand} to ${options.network} (chain ${chainId}) from ${deployer}, ${confirmations} confirmation(s) a step`,
  );
  const started = Date.now();
  writeJsonAtomic(progressPath, progress);
  const { program, steps } = await deployProgram(client, {
    config,
    journal: progressJournal(progressPath, progress),
    confirmations,
    onStep: (step) => log(`  - ${step}`),
  });
  const record = deploymentRecordOf(program, {
    config,
    network: options.network,
    configHash,
    deployer,
    nativeCurrency: client.chain.nativeCurrency,
  });
  writeJsonAtomic(recordPath, record);
  log(`Deployed in ${((Date.now() - started) / 1000).toFixed(1)} s; record written to ${recordPath}`);
  for (const [contract, address] of Object.entries(record.contracts)) log(`  ${contract.padEnd(8)} ${address}`);
  const buildInfoDir = options.buildInfoDir ?? path.join("artifacts", "build-info");
  const { material, missing } = verificationMaterialOf(buildInfoDir, chainId, steps);
  const verifyDir = verificationDirOf(recordPath);
  if (material.length > 0) {
    writeVerificationMaterial(verifyDir, material);
    log(`Verification material (standard JSON input, compiler, constructor arguments) written to ${verifyDir}`);
  }
  for (const { contract, reason } of missing) {
    log(`No verification material for ${contract}: ${reason} (compile the SDK's contracts, or pass --build-info <dir>).`);
  }
  return { status: "deployed", record, recordPath, steps, verifyDir };
}

/**
 * The record of a program just deployed, as `punchcard deploy` writes it: addresses, first block, chain, the config's
 * hash and the units amounts are read in (the points' symbol and decimals, the chain's coin). The demo writes its
 * program's record with it too, so the ledger commands read both alike.
 *
 * @example
 * writeJsonAtomic("deployments/localhost/example.json", deploymentRecordOf(program, { config, network: "localhost", configHash, deployer, nativeCurrency: client.chain.nativeCurrency }));
 */
export function deploymentRecordOf(
  program: Program,
  fields: {
    config: ProgramConfig;
    network: string;
    configHash: Hex;
    deployer: Address;
    nativeCurrency: { symbol: string; decimals: number };
  },
): DeploymentRecord {
  const { config, network, configHash, deployer, nativeCurrency } = fields;
  return recordFromProgram(program, {
    brand: config.brand,
    network,
    configHash,
    deployer,
    units: {
      pointsSymbol: config.points.symbol,
      pointsDecimals: config.points.decimals,
      nativeSymbol: nativeCurrency.symbol,
      nativeDecimals: nativeCurrency.decimals,
    },
  });
}

/** Refuses a progress file made on another chain, from another config or by another deployer, saying what to do. */
function refuseForeignProgress(
  progress: DeploymentProgress,
  file: string,
  now: { chainId: number; configHash: string; deployer: string },
): void {
  if (progress.chainId !== now.chainId) {
    throw new PunchcardError(
      `The deployment in ${file} was started on chain ${progress.chainId}; this RPC serves chain ${now.chainId}. Nothing was sent.`,
      { hint: `Resume with --rpc pointing at chain ${progress.chainId}.` },
    );
  }
  if (progress.configHash !== now.configHash) {
    throw new PunchcardError(
      `The deployment in ${file} was started from another config (hash ${progress.configHash}, this one ${now.configHash}). Nothing was sent.`,
      { hint: "Resume with the config it was started with (undo the edit), or start over with --force." },
    );
  }
  if (progress.deployer.toLowerCase() !== now.deployer.toLowerCase()) {
    throw new PunchcardError(
      `The deployment in ${file} was started by ${progress.deployer}; you deploy from ${now.deployer}. Nothing was sent.`,
      { hint: "Resume with the key that started it (its contracts name that account as admin)." },
    );
  }
}

/** Asks on the terminal; with no terminal (a script), refuses with what to pass instead. */
async function askOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new UsageError(
      "This chain is not a local development chain: a deployment asks for confirmation. In a script, pass --yes after checking the plan (punchcard deploy --plan).",
    );
  }
  const readline = await import("node:readline/promises");
  const terminal = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await terminal.question(question)).trim());
  } finally {
    terminal.close();
  }
}

/** Reads and validates a deployment record file; errors name the file and the field. */
export function readRecordFile(file: string): DeploymentRecord {
  return readJsonFile(
    file,
    {
      name: "Deployment record",
      missingHint: "Deploy first: punchcard deploy --config <file> --network <name>",
      refused: (problem) => `Deployment record ${file} is not a Punchcard deployment record: ${problem}`,
    },
    parseDeploymentRecord,
  );
}

/** Flags a key could be passed in on the command line: refused, since a command line is seen by every process. */
const KEY_FLAGS = ["key", "private-key", "deployer-key"] as const;

/**
 * The deployer's key: PUNCHCARD_DEPLOYER_KEY, else the first line of `--key-file`, else DEPLOYER_KEY (older name);
 * undefined leaves the node's unlocked account (a development node).
 */
export function deployerKeyFrom(env: NodeJS.ProcessEnv, keyFile: string | undefined): string | undefined {
  if (keyFile !== undefined) {
    if (!fs.existsSync(keyFile)) {
      throw new PunchcardError(`Key file ${keyFile} does not exist.`, {
        hint: "Write the deployer's 0x private key alone in a file only you can read (chmod 600), or export PUNCHCARD_DEPLOYER_KEY.",
      });
    }
    // As ssh does with a private key: a key others on the machine can read is refused (not on Windows: no mode bits).
    if (process.platform !== "win32" && (fs.statSync(keyFile).mode & 0o077) !== 0) {
      throw new PunchcardError(`Key file ${keyFile} can be read by other users of this machine.`, {
        hint: `chmod 600 ${keyFile}, and use a fresh key if others may have read it.`,
      });
    }
    return fs.readFileSync(keyFile, "utf8").trim();
  }
  return env.PUNCHCARD_DEPLOYER_KEY ?? env.DEPLOYER_KEY;
}

export const deployCommand = defineCommand({
  name: "deploy",
  summary: "Deploy a Punchcard loyalty program from a config file: plan it, deploy it, resume it.",
  usage:
    "--config <file> [--network <name>] [--rpc <url>] [--chain-id <id>] [--plan] [--gas-price <gwei>] [--resume] [--yes] [--force] [--out <dir>]",
  options: {
    config: { type: "string", value: "<file>", required: true, description: "program config (JSON), e.g. programs/example.json" },
    network: {
      type: "string",
      value: "<name>",
      default: "localhost",
      description: "the network's name, for the record's folder: localhost, hardhat (in-process, needs Hardhat), or any name",
    },
    rpc: {
      type: "string",
      value: "<url>",
      description: "JSON-RPC endpoint (default: the config's network.rpc, then RPC_URL, or http://127.0.0.1:8545 for localhost)",
    },
    "chain-id": {
      type: "string",
      value: "<id>",
      description: "the chain id the RPC must serve (default: the config's network.chainId); checked before anything is sent",
    },
    plan: {
      type: "boolean",
      default: false,
      description: "print every transaction with its gas and the total cost, and send nothing",
    },
    "gas-price": {
      type: "string",
      value: "<gwei>",
      description: "also price the plan at this gas price (gwei), e.g. a busy day's",
    },
    resume: { type: "boolean", default: false, description: "continue a deployment that was cut off, from its progress file" },
    yes: { type: "boolean", default: false, description: "do not ask for confirmation on a chain that is not a local dev chain" },
    confirmations: {
      type: "string",
      value: "<n>",
      description: "blocks to wait after each transaction (default: 1 on dev chains, 2 to 10 by chain, 3 elsewhere)",
    },
    "key-file": { type: "string", value: "<file>", description: "a file holding the deployer's 0x private key (chmod 600)" },
    // Declared only to be refused with what to use instead (see run).
    key: { type: "string", value: "<refused>", description: "refused: use PUNCHCARD_DEPLOYER_KEY or --key-file" },
    "private-key": { type: "string", value: "<refused>", description: "refused, as --key" },
    "deployer-key": { type: "string", value: "<refused>", description: "refused, as --key" },
    "build-info": {
      type: "string",
      value: "<dir>",
      default: "artifacts/build-info",
      description: "Hardhat build info of the contracts, for each contract's verification material",
    },
    force: { type: "boolean", default: false, description: "deploy again even if this config is already deployed there" },
    out: { type: "string", value: "<dir>", default: "deployments", description: "where deployment records go" },
  },
  environment: {
    RPC_URL: "JSON-RPC endpoint, when neither --rpc nor the config's network.rpc is given",
    PUNCHCARD_DEPLOYER_KEY:
      "0x private key that deploys and becomes the admin (or --key-file); without either, the node's first unlocked account (dev nodes). DEPLOYER_KEY is read too",
  },
  notes: `The record <out>/<network>/<config name>.json holds the addresses, the first block, the chain id
and the config's hash; deploying the same config to the same network again says so and
deploys nothing (unless --force). While it deploys, <config name>.progress.json beside it
records each transaction as it is sent and as it lands: a deployment cut off anywhere goes
on with --resume and sends nothing twice. On a chain that is not a local dev chain (31337,
1337) the plan is printed, the deployer's coin checked, and a confirmation asked (--yes in
scripts). <config name>.verify/ holds what an explorer's verifier needs for each contract.`,
  async run({ values, out }) {
    const refused = KEY_FLAGS.find((flag) => values[flag] !== undefined);
    if (refused) {
      throw new UsageError(
        `--${refused} is refused: a key on the command line is seen by every process and kept in shell history.`,
        {
          hint: "export PUNCHCARD_DEPLOYER_KEY=0x... (read from a secret store), or pass --key-file <file> (chmod 600).",
        },
      );
    }
    const number = (flag: string, text: string | undefined): number | undefined => {
      if (text === undefined) return undefined;
      if (!/^\d+$/.test(text)) throw new UsageError(`--${flag} must be a whole number, not "${text}".`);
      return Number(text);
    };
    const gasPrice = values["gas-price"];
    if (gasPrice !== undefined && !/^\d+(\.\d+)?$/.test(gasPrice)) {
      throw new UsageError(`--gas-price is in gwei, e.g. 0.05 or 30, not "${gasPrice}".`);
    }
    const chainId = number("chain-id", values["chain-id"]);
    const confirmations = number("confirmations", values.confirmations);
    const deployerKey = deployerKeyFrom(process.env, values["key-file"]);
    const outcome = await deployFromConfig({
      configPath: values.config,
      network: values.network,
      ...(values.rpc === undefined ? {} : { rpc: values.rpc }),
      ...(chainId === undefined ? {} : { chainId }),
      ...(confirmations === undefined ? {} : { confirmations }),
      ...(gasPrice === undefined ? {} : { gasPrice: parseGwei(gasPrice) }),
      ...(deployerKey === undefined ? {} : { deployerKey }),
      plan: values.plan,
      resume: values.resume,
      yes: values.yes,
      force: values.force,
      outDir: values.out,
      buildInfoDir: values["build-info"],
      log: (line) => out(`${line}\n`),
    });
    return outcome.status === "declined" ? 1 : 0;
  },
});
