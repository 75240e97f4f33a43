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

/**
 * A wallet client for a network by name: `hardhat` (in-process), `localhost`, or any other name with
 * RPC_URL and DEPLOYER_KEY in the environment. The key is only ever read from the environment.
 */
/** A client that signs, sends and reads: what every command works with. */
export type CliClient = Client<
  Transport,
  Chain,
  Account,
  WalletRpcSchema,
  WalletActions<Chain, Account> & PublicActions<Transport, Chain, Account>
>;

export async function walletClientFor(network: string, env: NodeJS.ProcessEnv = process.env): Promise<CliClient> {
  let transport: Transport;
  let url: string | undefined;
  if (network === "hardhat") {
    transport = await inProcess();
  } else {
    url = network === "localhost" ? LOCAL_NETWORKS.localhost : env.RPC_URL;
    if (!url) {
      throw new PunchcardError(`Network "${network}" needs RPC_URL in the environment.`, {
        hint: "Use --network hardhat (in-process) or localhost, or export RPC_URL=https://... and DEPLOYER_KEY=0x...",
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
      hint: network === "localhost" ? "Start a node first: npx hardhat node" : "Check RPC_URL.",
      cause: error,
    });
  }

  const key = env.DEPLOYER_KEY;
  let account: Address | ReturnType<typeof privateKeyToAccount>;
  if (key) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new PunchcardError("DEPLOYER_KEY must be a 0x hex private key of 32 bytes.");
    account = privateKeyToAccount(key as `0x${string}`);
  } else if (network in LOCAL_NETWORKS) {
    const [first] = await getAddresses(createWalletClient({ transport }));
    if (!first) throw new PunchcardError(`Network "${network}" has no unlocked account; set DEPLOYER_KEY.`);
    account = first;
  } else {
    throw new PunchcardError(`Network "${network}" needs DEPLOYER_KEY in the environment.`, {
      hint: "Export it in your shell; never write it into a file that is committed.",
    });
  }

  return createWalletClient({
    account,
    chain: chainFor(chainId, network, url),
    transport,
    pollingInterval: network === "hardhat" ? 10 : 1_000,
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
