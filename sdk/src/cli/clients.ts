import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  publicActions,
  type Account,
  type Address,
  type Chain,
  type Client,
  type PublicActions,
  type Transport,
  type WalletActions,
  type WalletRpcSchema,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { getAddresses } from "viem/actions";
import { PunchcardError } from "../errors.js";

/** The networks a script knows by name; any other name needs RPC_URL. */
export const LOCAL_NETWORKS = {
  /** Hardhat's in-process chain: lives as long as the script. */
  hardhat: undefined,
  /** A node on this machine, e.g. `npx hardhat node`. */
  localhost: "http://127.0.0.1:8545",
} as const;

function chainFor(id: number, name: string, url: string | undefined): Chain {
  return defineChain({
    id,
    name,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: url ? [url] : [] } },
  });
}

/** A client that signs, sends and reads: what every command works with. */
export type CliClient = Client<
  Transport,
  Chain,
  Account,
  WalletRpcSchema,
  WalletActions<Chain, Account> & PublicActions<Transport, Chain, Account>
>;

/**
 * A wallet client for a network by name. `hardhat` is the in-process chain (needs Hardhat installed);
 * any other name is reached at `rpc`, else RPC_URL, else (for `localhost`) http://127.0.0.1:8545. It signs
 * with PUNCHCARD_DEPLOYER_KEY (or its older name DEPLOYER_KEY) when set, else with the node's first unlocked account (a development node); a real
 * network has none, so it needs the key. The key is only ever read from the environment.
 */
export async function walletClientFor(
  network: string,
  options: { rpc?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliClient> {
  const env = options.env ?? process.env;
  let transport: Transport;
  let url: string | undefined;
  if (network === "hardhat") {
    transport = await inProcess();
  } else {
    url = options.rpc ?? env.RPC_URL ?? (network === "localhost" ? LOCAL_NETWORKS.localhost : undefined);
    if (!url) {
      throw new PunchcardError(`Network "${network}" needs an RPC endpoint: --rpc <url> or RPC_URL in the environment.`, {
        hint: "Use --network localhost for a node on this machine, or pass --rpc https://... and export PUNCHCARD_DEPLOYER_KEY=0x...",
      });
    }
    transport = http(url, { retryCount: 2 });
  }

  const probe = createPublicClient({ transport });
  let chainId: number;
  try {
    chainId = await probe.getChainId();
  } catch (error) {
    throw new PunchcardError(`Cannot reach network "${network}"${url ? ` at ${url}` : ""}.`, {
      hint: network === "localhost" ? "Start a node first: npx hardhat node" : "Check --rpc or RPC_URL.",
      cause: error,
    });
  }

  const key = env.PUNCHCARD_DEPLOYER_KEY ?? env.DEPLOYER_KEY;
  let account: Address | ReturnType<typeof privateKeyToAccount>;
  if (key) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(key))
      throw new PunchcardError("PUNCHCARD_DEPLOYER_KEY must be a 0x hex private key of 32 bytes.");
    account = privateKeyToAccount(key as `0x${string}`);
  } else {
    const [first] = await getAddresses(createWalletClient({ transport })).catch(() => []);
    if (!first) {
      throw new PunchcardError(`Network "${network}" has no unlocked account to deploy from: set PUNCHCARD_DEPLOYER_KEY.`, {
        hint: "Export it in your shell; never write it into a file that is committed.",
      });
    }
    account = first;
  }

  return createWalletClient({
    account,
    chain: chainFor(chainId, network, url),
    transport,
    pollingInterval: network === "hardhat" ? 10 : url && /127\.0\.0\.1|localhost/.test(url) ? 100 : 1_000,
  }).extend(publicActions);
}

/**
 * Wallet clients for every unlocked account of a development chain: Hardhat's in-process chain, or the
 * node at `rpc` (e.g. `npx hardhat node`, which unlocks 20 funded accounts).
 */
export async function accountsOf(rpc?: string): Promise<CliClient[]> {
  const transport = rpc ? http(rpc, { retryCount: 0 }) : await inProcess();
  let addresses: Address[];
  let chainId: number;
  try {
    chainId = await createPublicClient({ transport }).getChainId();
    addresses = await getAddresses(createWalletClient({ transport }));
  } catch (error) {
    throw new PunchcardError(`Cannot reach the node at ${rpc}.`, { hint: "Start one first: npx hardhat node", cause: error });
  }
  const chain = chainFor(chainId, rpc ? "development" : "hardhat", rpc);
  return addresses.map((account) =>
    createWalletClient({ account, chain, transport, pollingInterval: rpc ? 250 : 10 }).extend(publicActions),
  );
}

/** Hardhat's in-process chain, with an error that says what to do where Hardhat is not installed. */
async function inProcess(): Promise<Transport> {
  try {
    const { inProcessTransport } = await import("./inProcess.js");
    return inProcessTransport();
  } catch (error) {
    throw new PunchcardError("Hardhat's in-process chain is not available here.", {
      hint: "Run from a Hardhat project (npm i -D hardhat, with a hardhat.config), or pass --rpc <url> of a development node.",
      details: (error as Error).message,
      cause: error,
    });
  }
}
