import { programFromRecord, type DeploymentRecord, type Program } from "@punchcard/sdk";
import { isAddress, type Address } from "viem";

/** A wallet the local chain unlocks, offered by the developer mode (never on a real network). */
export interface TestAccount {
  name: string;
  address: Address;
}

/**
 * What the app shows, read at start from ./program.json beside the app: the deployment record (as
 * `punchcard deploy` writes it), where to reach the chain, and the config's tier and perk names.
 */
export interface AppConfig {
  /** The brand's name, shown in the header. */
  brand: string;
  rpcUrl: string;
  /**
   * The program server (`punchcard serve`, or the one `npm run app` starts): the order book the Market page reads
   * and posts to, and the brand's relayer. Absent: the Market page says so and the other pages work without it.
   */
  serverUrl?: string;
  /** An explorer's base URL (transactions at `${explorer}/tx/<hash>`); absent on a local chain. */
  explorer?: string;
  /** An IPFS gateway for ipfs:// images (e.g. "https://ipfs.io/ipfs"); absent: stamps show a drawn card. */
  ipfsGateway?: string;
  record: DeploymentRecord;
  tiers: Array<{ name: string; threshold: string }>;
  /** Each perk of the config; `name` ("Gold Lounge") is what the pages show, the id only when it is absent. */
  perks: Array<{ id: string; name?: string; description: string }>;
  /** Present only on a local development chain: the accounts it unlocks, for the developer mode. */
  testAccounts?: TestAccount[];
  /**
   * Passkey member accounts (ERC-4337): the program's MemberAccountFactory, the brand's paymaster and the bundler
   * that sends members' UserOps. Absent: the wallet offers no "Create my card" (a browser wallet or developer mode).
   */
  accounts?: { factory: Address; paymaster: Address; bundlerUrl: string };
}

export interface LoadedConfig extends AppConfig {
  program: Program;
  units: NonNullable<DeploymentRecord["units"]>;
}

/** Reads and checks ./program.json; throws a sentence naming what is wrong. */
export async function loadConfig(url = "./program.json"): Promise<LoadedConfig> {
  let response: Response;
  try {
    response = await fetch(url, { cache: "no-store" });
  } catch {
    throw new Error(`Could not load ${url}: the server that serves this app is not reachable.`);
  }
  if (!response.ok) throw new Error(`Could not load ${url}: the server answered ${response.status}.`);
  const config = (await response.json()) as AppConfig;
  if (typeof config.rpcUrl !== "string" || !config.record?.contracts) {
    throw new Error(`${url} needs "rpcUrl" and "record" (a deployment record with its contracts).`);
  }
  for (const [name, address] of Object.entries(config.record.contracts)) {
    if (!isAddress(address)) throw new Error(`${url}: record.contracts.${name} is not an address: ${String(address)}.`);
  }
  const { accounts } = config;
  if (accounts !== undefined) {
    for (const name of ["factory", "paymaster"] as const) {
      if (!isAddress(accounts[name])) throw new Error(`${url}: accounts.${name} is not an address: ${String(accounts[name])}.`);
    }
    if (typeof accounts.bundlerUrl !== "string") throw new Error(`${url}: accounts.bundlerUrl must be the bundler's URL.`);
  }
  const units = config.record.units ?? { pointsSymbol: "points", pointsDecimals: 0, nativeSymbol: "ETH", nativeDecimals: 18 };
  return { ...config, tiers: config.tiers ?? [], perks: config.perks ?? [], program: programFromRecord(config.record), units };
}
