/**
 * What `punchcard roles` and `punchcard check` share: the program of a deployment record on the chain that serves it,
 * and the accounts the brand vouches for beside the record (the Safe and backend keys a handover moved roles to).
 */
import fs from "node:fs";
import path from "node:path";
import { createPublicClient, getAddress, http, isAddress, type Address, type PublicClient } from "viem";
import { PunchcardError } from "../errors.js";
import { programFromRecord, type DeploymentRecord, type Program } from "../program.js";
import { walletClientFor, type CliClient } from "./clients.js";
import { readRecordFile } from "./deploy.js";
import { UsageError } from "./command.js";

/** The accounts a brand vouches for, kept beside the deployment record in `<record>.accounts.json`. */
export interface KnownAccounts {
  /** The Safe that holds the admin and pauser roles. */
  safe?: Address;
  /** Backend keys (minter, brand, issuer) and any other account the brand gave a role to. */
  backend?: Address[];
}

/** The file beside a deployment record that names the accounts the brand vouches for. */
export function accountsFileOf(recordPath: string): string {
  return path.join(path.dirname(recordPath), `${path.basename(recordPath, path.extname(recordPath))}.accounts.json`);
}

/** Reads `<record>.accounts.json` if it exists (nothing is known beyond the record otherwise). */
export function readKnownAccounts(recordPath: string): KnownAccounts {
  const file = accountsFileOf(recordPath);
  if (!fs.existsSync(file)) return {};
  let json: { safe?: unknown; backend?: unknown };
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8")) as typeof json;
  } catch (error) {
    throw new PunchcardError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const one = (value: unknown, field: string): Address => {
    if (typeof value !== "string" || !isAddress(value)) {
      throw new PunchcardError(`${file}: ${field} must be a 0x address of 20 bytes.`, {
        hint: "Fix or delete the file; punchcard roles handover writes it.",
      });
    }
    return getAddress(value);
  };
  const backend = json.backend === undefined ? [] : Array.isArray(json.backend) ? json.backend : [json.backend];
  return {
    ...(json.safe === undefined ? {} : { safe: one(json.safe, "safe") }),
    backend: backend.map((b, i) => one(b, `backend[${i}]`)),
  };
}

/** Merges accounts into `<record>.accounts.json`, keeping what it already names. */
export function writeKnownAccounts(recordPath: string, accounts: KnownAccounts): string {
  const known = readKnownAccounts(recordPath);
  const backend = [...new Set([...(known.backend ?? []), ...(accounts.backend ?? [])])];
  const file = accountsFileOf(recordPath);
  const safe = accounts.safe ?? known.safe;
  fs.writeFileSync(file, `${JSON.stringify({ ...(safe ? { safe } : {}), backend }, null, 2)}\n`);
  return file;
}

/** Parses a comma-separated list of addresses given on the command line. */
export function parseAddresses(flag: string, value: string | undefined): Address[] {
  if (value === undefined || value.trim() === "") return [];
  return value.split(",").map((text) => {
    const address = text.trim();
    if (!isAddress(address))
      throw new UsageError(`--${flag} must be 0x addresses of 20 bytes, comma-separated (got "${address}").`);
    return getAddress(address);
  });
}

/** JSON of what a command prints with --json: bigints as decimal strings, so no number loses a digit. */
export const jsonText = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);

/** The RPC endpoint: --rpc, else RPC_URL, else a node on this machine. */
export function rpcOf(rpc: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return rpc ?? env.RPC_URL ?? "http://127.0.0.1:8545";
}

/** A deployment record's program and a client that reads the chain it is on (refused if the RPC serves another). */
export async function readLiveProgram(
  recordPath: string,
  rpc: string,
): Promise<{ record: DeploymentRecord; program: Program; client: PublicClient }> {
  const record = readRecordFile(recordPath);
  const client = createPublicClient({ transport: http(rpc, { retryCount: 1 }) });
  let chainId: number;
  try {
    chainId = await client.getChainId();
  } catch (error) {
    throw new PunchcardError(`Cannot reach the RPC at ${rpc}.`, {
      hint: "Pass --rpc <url> (or RPC_URL) of a node of the program's chain; for a local chain run: npx hardhat node",
      cause: error,
    });
  }
  requireChain(record, chainId, rpc);
  return { record, program: programFromRecord(record), client };
}

/** A client that signs for the program of a record (DEPLOYER_KEY, or a dev node's first account), on its chain. */
export async function signerForProgram(
  recordPath: string,
  rpc: string,
): Promise<{ record: DeploymentRecord; program: Program; client: CliClient }> {
  const record = readRecordFile(recordPath);
  const client = await walletClientFor(record.network, { rpc });
  requireChain(record, client.chain.id, rpc);
  return { record, program: programFromRecord(record), client };
}

function requireChain(record: DeploymentRecord, chainId: number, rpc: string): void {
  if (chainId !== record.chainId) {
    throw new PunchcardError(`The RPC at ${rpc} serves chain ${chainId}, but the program is on chain ${record.chainId}.`, {
      hint: "Pass --rpc <url> of a node of the program's chain.",
    });
  }
}
