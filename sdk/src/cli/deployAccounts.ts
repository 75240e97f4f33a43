/**
 * `punchcard accounts deploy`: deploys what members' passkey accounts need beside a deployed program (the
 * MemberAccountFactory and the brand's BrandPaymaster, its deposit funded) and adds both to the deployment record.
 *
 *   punchcard accounts deploy --program deployments/localhost/example.json --sponsor 0x... --deposit 0.5
 */
import { getAddress, isAddress, parseEther, type Address } from "viem";
import { deployMemberAccounts, type DeployMemberAccountsReturnType } from "../deployMemberAccounts.js";
import { PunchcardError } from "../errors.js";
import { writeJsonAtomic } from "../node/deployment/progressFile.js";
import { programFromRecord, type DeploymentRecord } from "../program.js";
import { walletClientFor } from "./clients.js";
import { defineCommand, UsageError, PROGRAM_RECORD_OPTION } from "./command.js";
import { deployerKeyFrom, readRecordFile } from "./deploy.js";

export interface DeployAccountsOptions {
  /** The program's deployment record (`punchcard deploy` wrote it); the two addresses are added to it. */
  recordPath: string;
  sponsor: Address;
  /** Wei for the paymaster's EntryPoint deposit. */
  deposit: bigint;
  /** The paymaster's admin (default: the deployer). */
  admin?: Address;
  /** JSON-RPC endpoint (default: RPC_URL, then the record's network on this machine). */
  rpc?: string;
  /** The deployer's key (PUNCHCARD_DEPLOYER_KEY or --key-file); none: the node's first unlocked account. */
  deployerKey?: string;
  /** Deploy again even if the record names a factory and paymaster the chain has. */
  force?: boolean;
  log?: (line: string) => void;
}

export type DeployAccountsOutcome =
  | { status: "deployed"; record: DeploymentRecord; accounts: DeployMemberAccountsReturnType }
  | { status: "already-deployed"; record: DeploymentRecord };

/**
 * Deploys the member-account contracts of the program of a deployment record and writes their addresses into it
 * (`contracts.memberAccountFactory`, `contracts.brandPaymaster`). Refused before anything is sent: a record of
 * another chain than the RPC's, a chain without the EntryPoint v0.8, a sponsor that is no key, a deposit the deployer
 * cannot pay.
 *
 * @example
 * await deployAccountsFromRecord({ recordPath: "deployments/localhost/example.json", sponsor, deposit: parseEther("0.5") });
 */
export async function deployAccountsFromRecord(options: DeployAccountsOptions): Promise<DeployAccountsOutcome> {
  const log = options.log ?? console.log;
  const record = readRecordFile(options.recordPath);
  const env = { ...process.env, ...(options.deployerKey === undefined ? {} : { DEPLOYER_KEY: options.deployerKey }) };
  const client = await walletClientFor(record.network, { ...(options.rpc === undefined ? {} : { rpc: options.rpc }), env });
  if (client.chain.id !== record.chainId) {
    throw new PunchcardError(
      `The RPC serves chain ${client.chain.id}, but the program of ${options.recordPath} is on chain ${record.chainId}. Nothing was sent.`,
      { hint: "Pass --rpc <url> of a node of the program's chain." },
    );
  }
  const { memberAccountFactory, brandPaymaster } = record.contracts;
  if (!options.force && memberAccountFactory && brandPaymaster) {
    const code = await client.getCode({ address: brandPaymaster });
    if (code && code !== "0x") {
      log(`${record.brand}'s member accounts are already deployed (paymaster ${brandPaymaster}); use --force to deploy again.`);
      return { status: "already-deployed", record };
    }
  }
  const accounts = await deployMemberAccounts(client, {
    program: programFromRecord(record),
    sponsor: options.sponsor,
    deposit: options.deposit,
    admin: options.admin,
    onStep: log,
  });
  const updated: DeploymentRecord = {
    ...record,
    contracts: { ...record.contracts, memberAccountFactory: accounts.factory, brandPaymaster: accounts.paymaster },
  };
  writeJsonAtomic(options.recordPath, updated);
  log(`Record updated: ${options.recordPath}`);
  log(
    `Serve members' UserOps with: PUNCHCARD_SPONSOR_KEY=<the sponsor's key> punchcard serve --program ${options.recordPath} --paymaster ${accounts.paymaster} --account-factory ${accounts.factory} --bundler <url>`,
  );
  return { status: "deployed", record: updated, accounts };
}

/** Flags a key could be passed in on the command line: refused, as by `punchcard deploy`. */
const KEY_FLAGS = ["key", "private-key", "deployer-key", "sponsor-key"] as const;

export const accountsCommand = defineCommand({
  name: "accounts",
  summary: "Deploy what members' passkey accounts need: the account factory and the brand's paymaster.",
  usage: "deploy --program <deployment record> --sponsor <address> --deposit <amount> [options]",
  subcommands: {
    deploy: "deploy the MemberAccountFactory and a BrandPaymaster, fund its deposit, add both to the record",
  },
  options: {
    program: PROGRAM_RECORD_OPTION,
    sponsor: {
      type: "string",
      value: "<address>",
      required: true,
      description: "address of the program server's sponsor key (PUNCHCARD_SPONSOR_KEY of punchcard serve)",
    },
    deposit: {
      type: "string",
      value: "<amount>",
      required: true,
      description: "the chain's coin put in the paymaster's EntryPoint deposit, e.g. 0.5 (members' gas is paid from it)",
    },
    admin: { type: "string", value: "<address>", description: "the paymaster's admin (default: the deployer)" },
    rpc: {
      type: "string",
      value: "<url>",
      description: "JSON-RPC endpoint (default: RPC_URL, or http://127.0.0.1:8545 for localhost)",
    },
    "key-file": { type: "string", value: "<file>", description: "a file holding the deployer's 0x private key (chmod 600)" },
    force: { type: "boolean", default: false, description: "deploy again even if the record names a paymaster the chain has" },
    // Declared only to be refused with what to use instead (see run).
    key: { type: "string", value: "<refused>", description: "refused: use PUNCHCARD_DEPLOYER_KEY or --key-file" },
    "private-key": { type: "string", value: "<refused>", description: "refused, as --key" },
    "deployer-key": { type: "string", value: "<refused>", description: "refused, as --key" },
    "sponsor-key": {
      type: "string",
      value: "<refused>",
      description: "refused: pass the sponsor's address; its key stays with the server",
    },
  },
  environment: {
    RPC_URL: "JSON-RPC endpoint, when --rpc is not given",
    PUNCHCARD_DEPLOYER_KEY:
      "0x private key that deploys and pays the deposit (or --key-file); without either, the node's first unlocked account",
  },
  notes: `The EntryPoint v0.8 must be at its canonical address 0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108
(it is on the main public chains); a chain without it is refused before anything is sent.
The record gets contracts.memberAccountFactory and contracts.brandPaymaster; then start the
program server with --paymaster, --account-factory, --bundler and PUNCHCARD_SPONSOR_KEY.`,
  async run({ values, positionals, out }) {
    const refused = KEY_FLAGS.find((flag) => values[flag] !== undefined);
    if (refused) {
      throw new UsageError(
        `--${refused} is refused: a key on the command line is seen by every process and kept in shell history.`,
        {
          hint: "export PUNCHCARD_DEPLOYER_KEY=0x... (read from a secret store), or pass --key-file <file> (chmod 600).",
        },
      );
    }
    const [command, ...extra] = positionals;
    if (command !== "deploy")
      throw new UsageError(
        command === undefined ? "Say what to do: punchcard accounts deploy ..." : `Unknown command "${command}": use deploy.`,
      );
    if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}".`);
    if (!isAddress(values.sponsor, { strict: false }))
      throw new UsageError(`--sponsor must be a 0x address of 20 bytes (got "${values.sponsor}").`);
    if (values.admin !== undefined && !isAddress(values.admin, { strict: false }))
      throw new UsageError(`--admin must be a 0x address of 20 bytes (got "${values.admin}").`);
    if (!/^\d+(\.\d{1,18})?$/.test(values.deposit))
      throw new UsageError(`--deposit is in the chain's coin, e.g. 0.5, not "${values.deposit}".`);
    const deployerKey = deployerKeyFrom(process.env, values["key-file"]);
    const outcome = await deployAccountsFromRecord({
      recordPath: values.program,
      sponsor: getAddress(values.sponsor),
      deposit: parseEther(values.deposit),
      ...(values.admin === undefined ? {} : { admin: getAddress(values.admin) }),
      ...(values.rpc === undefined ? {} : { rpc: values.rpc }),
      ...(deployerKey === undefined ? {} : { deployerKey }),
      force: values.force,
      log: (line) => out(`${line}\n`),
    });
    return outcome.status === "deployed" || outcome.status === "already-deployed" ? 0 : 1;
  },
});
