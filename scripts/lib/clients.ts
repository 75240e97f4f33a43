import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  publicActions,
  type Address,
  type Chain,
  type Transport,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { getAddresses } from "viem/actions";
import { PunchcardError } from "@punchcard/sdk";

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
export async function walletClientFor(network: string, env: NodeJS.ProcessEnv = process.env) {
  let transport: Transport;
  let url: string | undefined;
  if (network === "hardhat") {
    const { inProcessTransport } = await import("./inProcess");
    transport = inProcessTransport();
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

/** Wallet clients for every unlocked account of the in-process chain (brand, backend, members...). */
export async function inProcessAccounts() {
  const { inProcessTransport } = await import("./inProcess");
  const transport = inProcessTransport();
  const addresses = await getAddresses(createWalletClient({ transport }));
  const chain = chainFor(31337, "hardhat", undefined);
  return addresses.map((account) =>
    createWalletClient({ account, chain, transport, pollingInterval: 10 }).extend(publicActions),
  );
}
