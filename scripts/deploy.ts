/**
 * Deploys a loyalty program from its config file and writes a deployment record.
 *
 *   npm run deploy -- --config programs/example.json --network localhost
 *
 * See `npm run deploy -- --help`.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseProgramConfig, PunchcardError, type DeploymentRecord, type ProgramConfig } from "@punchcard/sdk";
import { configHashOf, deployProgram } from "@punchcard/sdk/deploy";
import { walletClientFor } from "./lib/clients";

export const HELP = `Deploy a Punchcard loyalty program from a config file.

Usage: npm run deploy -- --config <file> [--network <name>] [--force] [--out <dir>]

Options:
  --config <file>    program config (JSON), e.g. programs/example.json  (required)
  --network <name>   hardhat (in-process, default), localhost (http://127.0.0.1:8545),
                     or any other name with RPC_URL and DEPLOYER_KEY in the environment
  --force            deploy again even if this config is already deployed on this network
  --out <dir>        where deployment records go (default: deployments)
  -h, --help         show this help

Environment:
  RPC_URL            JSON-RPC endpoint of a network other than hardhat/localhost
  DEPLOYER_KEY       0x private key that deploys and becomes the program's admin
                     (needed except on hardhat/localhost; never commit it)

The record deployments/<network>/<config name>.json holds the addresses, the first block,
the chain id and the config's hash; deploying the same config to the same network again
says so and deploys nothing (unless --force).`;

export interface DeployOptions {
  configPath: string;
  network: string;
  force?: boolean;
  outDir?: string;
  log?: (line: string) => void;
}

export type DeployOutcome =
  | { status: "deployed"; record: DeploymentRecord; recordPath: string }
  | { status: "already-deployed"; record: DeploymentRecord; recordPath: string };

/** Reads and validates a config file; errors name the file and the field. */
export function readConfigFile(configPath: string): ProgramConfig {
  if (!fs.existsSync(configPath)) throw new PunchcardError(`Config file ${configPath} does not exist.`);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(configPath, "utf8"));
  } catch (error) {
    throw new PunchcardError(`Config file ${configPath} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parseProgramConfig(json);
  } catch (error) {
    const e = error as PunchcardError;
    throw new PunchcardError(`Config file ${configPath}: ${e.shortMessage}`, e.hint ? { hint: e.hint } : {});
  }
}

export async function deployFromConfig(options: DeployOptions): Promise<DeployOutcome> {
  const log = options.log ?? console.log;
  const config = readConfigFile(options.configPath);
  const configHash = configHashOf(config);
  const name = path.basename(options.configPath, path.extname(options.configPath));
  const recordPath = path.join(options.outDir ?? "deployments", options.network, `${name}.json`);

  const client = await walletClientFor(options.network);
  const chainId = await client.getChainId();

  if (!options.force && fs.existsSync(recordPath)) {
    const record = JSON.parse(fs.readFileSync(recordPath, "utf8")) as DeploymentRecord;
    // A record only counts if the chain still has the contracts (an in-process or restarted local
    // chain forgets them).
    const code = await client.getCode({ address: record.contracts.stamps });
    if (record.chainId === chainId && record.configHash === configHash && code && code !== "0x") {
      log(`${config.brand} is already deployed on ${options.network} (Stamps ${record.contracts.stamps}); use --force to deploy again.`);
      return { status: "already-deployed", record, recordPath };
    }
  }

  log(`Deploying ${config.brand} to ${options.network} (chain ${chainId}) from ${client.account.address}`);
  const started = Date.now();
  const { program } = await deployProgram(client, { config, onStep: (step) => log(`  - ${step}`) });
  const record: DeploymentRecord = {
    brand: config.brand,
    network: options.network,
    chainId,
    deployBlock: program.deployBlock.toString(),
    configHash,
    deployer: client.account.address,
    deployedAt: new Date().toISOString(),
    contracts: { stamps: program.stamps, points: program.points, market: program.market, consent: program.consent },
  };
  fs.mkdirSync(path.dirname(recordPath), { recursive: true });
  fs.writeFileSync(recordPath, `${JSON.stringify(record, null, 2)}\n`);
  log(`Deployed in ${((Date.now() - started) / 1000).toFixed(1)} s; record written to ${recordPath}`);
  for (const [contract, address] of Object.entries(record.contracts)) log(`  ${contract.padEnd(8)} ${address}`);
  return { status: "deployed", record, recordPath };
}

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: "string" },
        network: { type: "string", default: "hardhat" },
        force: { type: "boolean", default: false },
        out: { type: "string", default: "deployments" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.config) {
    console.error(`--config is required.\n\n${HELP}`);
    return 2;
  }
  try {
    await deployFromConfig({ configPath: values.config, network: values.network, force: values.force, outDir: values.out });
    return 0;
  } catch (error) {
    console.error(error instanceof PunchcardError ? `Error: ${error.message}` : error);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
