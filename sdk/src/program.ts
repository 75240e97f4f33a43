import type { Account, Address, Chain, Client, Transport } from "viem";

/** The deployed contracts of one loyalty program. Read it from a deployment record or `deployProgram`. */
export interface Program {
  chainId: number;
  /** Block of the first deployment transaction: where a ledger starts reading. */
  deployBlock: bigint;
  stamps: Address;
  points: Address;
  market: Address;
  consent: Address;
  /** Journeys, vouchers, status points, tiers and perks. */
  rewards: Address;
}

/** A viem client that can read the chain (any public or wallet client). */
export type ReadClient = Client<Transport, Chain | undefined>;

/** A viem client with an account that signs and sends transactions (a wallet client). */
export type WriteClient = Client<Transport, Chain | undefined, Account>;

/**
 * What `punchcard deploy` writes under deployments/: enough to find the program again and to tell
 * whether a config is already deployed. Numbers that may exceed 2^53 are strings.
 */
export interface DeploymentRecord {
  brand: string;
  network: string;
  chainId: number;
  deployBlock: string;
  configHash: string;
  deployer: Address;
  deployedAt: string;
  contracts: {
    stamps: Address;
    points: Address;
    market: Address;
    consent: Address;
    rewards: Address;
    /** Members' passkey accounts: the MemberAccountFactory (`punchcard accounts deploy`); absent until deployed. */
    memberAccountFactory?: Address;
    /** The brand's BrandPaymaster, which pays for the UserOps the program server signed; absent until deployed. */
    brandPaymaster?: Address;
  };
  /** How to print amounts: the points' symbol and decimals, the chain's coin. Absent in records before 0.1. */
  units?: { pointsSymbol: string; pointsDecimals: number; nativeSymbol: string; nativeDecimals: number };
}

/**
 * The program a deployment record describes.
 *
 * @example
 * const program = programFromRecord(JSON.parse(await (await fetch("/deployments/example.json")).text()));
 */
export function programFromRecord(record: DeploymentRecord): Program {
  const { stamps, points, market, consent, rewards } = record.contracts;
  return { chainId: record.chainId, deployBlock: BigInt(record.deployBlock), stamps, points, market, consent, rewards };
}

/** What a deployment record says beside the program's own addresses and block. */
export type DeploymentRecordFields = Omit<DeploymentRecord, "chainId" | "deployBlock" | "contracts" | "deployedAt"> & {
  /** ISO 8601 time of the deployment (default: now). */
  deployedAt?: string;
};

/**
 * The deployment record of a program: the inverse of {@link programFromRecord}, what `punchcard deploy` writes.
 *
 * @example
 * const record = recordFromProgram(program, { brand: "Northwind Coffee", network: "localhost", configHash, deployer });
 */
export function recordFromProgram(program: Program, fields: DeploymentRecordFields): DeploymentRecord {
  const { deployedAt = new Date().toISOString(), ...rest } = fields;
  return {
    ...rest,
    chainId: program.chainId,
    deployBlock: program.deployBlock.toString(),
    deployedAt,
    contracts: {
      stamps: program.stamps,
      points: program.points,
      market: program.market,
      consent: program.consent,
      rewards: program.rewards,
    },
  };
}

/**
 * The addresses of every contract of a program, in a fixed order: what a log filter over the whole
 * program needs.
 *
 * @example
 * const logs = await getLogs(client, { address: programAddresses(program), fromBlock: program.deployBlock });
 */
export function programAddresses(program: Program): Address[] {
  return [program.stamps, program.points, program.market, program.consent, program.rewards];
}
