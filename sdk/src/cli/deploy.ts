/**
 * `punchcard deploy`: deploys a loyalty program from its config file and writes a deployment record.
 *
 *   punchcard deploy --config programs/example.json --network localhost
 */
import fs from "node:fs";
import path from "node:path";
import { parseDeploymentRecord } from "../config/deploymentRecord.js";
import { parseProgramConfig, type ProgramConfig } from "../config/programConfig.js";
import { configHashOf, deployProgram } from "../deploy.js";
import { PunchcardError } from "../errors.js";
import { recordFromProgram, type DeploymentRecord } from "../program.js";
import { walletClientFor } from "./clients.js";
import { defineCommand } from "./command.js";

export interface DeployOptions {
  configPath: string;
  network: string;
  /** JSON-RPC endpoint; defaults to RPC_URL, or http://127.0.0.1:8545 for localhost. */
  rpc?: string;
  force?: boolean;
  outDir?: string;
  log?: (line: string) => void;
}

export type DeployOutcome =
  | { status: "deployed"; record: DeploymentRecord; recordPath: string }
  | { status: "already-deployed"; record: DeploymentRecord; recordPath: string };

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

export async function deployFromConfig(options: DeployOptions): Promise<DeployOutcome> {
  const log = options.log ?? console.log;
  const config = readConfigFile(options.configPath);
  const configHash = configHashOf(config);
  const name = path.basename(options.configPath, path.extname(options.configPath));
  const recordPath = path.join(options.outDir ?? "deployments", options.network, `${name}.json`);

  const client = await walletClientFor(options.network, options.rpc === undefined ? {} : { rpc: options.rpc });
  const chainId = await client.getChainId();

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

  log(`Deploying ${config.brand} to ${options.network} (chain ${chainId}) from ${client.account.address}`);
  const started = Date.now();
  const { program } = await deployProgram(client, { config, onStep: (step) => log(`  - ${step}`) });
  const record = recordFromProgram(program, {
    brand: config.brand,
    network: options.network,
    configHash,
    deployer: client.account.address,
    units: {
      pointsSymbol: config.points.symbol,
      pointsDecimals: config.points.decimals,
      nativeSymbol: client.chain.nativeCurrency.symbol,
      nativeDecimals: client.chain.nativeCurrency.decimals,
    },
  });
  fs.mkdirSync(path.dirname(recordPath), { recursive: true });
  fs.writeFileSync(recordPath, `${JSON.stringify(record, null, 2)}\n`);
  log(`Deployed in ${((Date.now() - started) / 1000).toFixed(1)} s; record written to ${recordPath}`);
  for (const [contract, address] of Object.entries(record.contracts)) log(`  ${contract.padEnd(8)} ${address}`);
  return { status: "deployed", record, recordPath };
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

export const deployCommand = defineCommand({
  name: "deploy",
  summary: "Deploy a Punchcard loyalty program from a config file.",
  usage: "--config <file> [--network <name>] [--rpc <url>] [--force] [--out <dir>]",
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
      description: "JSON-RPC endpoint (default: RPC_URL, or http://127.0.0.1:8545 for localhost)",
    },
    force: { type: "boolean", default: false, description: "deploy again even if this config is already deployed there" },
    out: { type: "string", value: "<dir>", default: "deployments", description: "where deployment records go" },
  },
  environment: {
    RPC_URL: "JSON-RPC endpoint, when --rpc is not given",
    DEPLOYER_KEY: "0x private key that deploys and becomes the admin; without it, the node's first unlocked account (dev nodes)",
  },
  notes: `The record <out>/<network>/<config name>.json holds the addresses, the first block, the chain id
and the config's hash; deploying the same config to the same network again says so and
deploys nothing (unless --force).`,
  async run({ values, out }) {
    await deployFromConfig({
      configPath: values.config,
      network: values.network,
      ...(values.rpc === undefined ? {} : { rpc: values.rpc }),
      force: values.force,
      outDir: values.out,
      log: (line) => out(`${line}\n`),
    });
    return 0;
  },
});
