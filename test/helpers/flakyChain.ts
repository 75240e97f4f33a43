import { createPublicClient, custom, HttpRequestError, type EIP1193RequestFn } from "viem";
import { hardhat } from "viem/chains";
import { inProcessTransport } from "../../sdk/src/cli/inProcess";

/** How the chain fails while it is down: as a fetch that failed, or as a node answering -32603 with no revert data. */
export type Outage = "fetch" | "internal" | "hang";

/** The switches of a {@link flakyChain}, and what it counted. */
export interface ChainSwitch {
  /** Set: every request (or only `eth_call`, with `callsOnly`) fails as `outage` says. */
  down: boolean;
  outage: Outage;
  /** Only eth_call fails (the re-checks), while blocks and logs still come: an outage in the middle of a batch. */
  callsOnly: boolean;
  /** Milliseconds each eth_call waits before it is answered (a slow node). */
  delayMs: number;
  /**
   * The `pending` transaction count answers this many fewer than the node holds (never below 0): a provider that
   * has not yet seen the latest sends or blocks (another node behind a load balancer).
   */
  pendingLag: number;
  /** Requests that reached the transport, by method. */
  calls: Map<string, number>;
  /** All requests that reached the transport. */
  total(): number;
}

/** An RPC URL with a provider key in its path and credentials, as a hosted node's would be: never to be logged. */
export const SECRET_RPC_URL = "https://alice:pa55@rpc.example.com/v2/SECRETKEY123";

/**
 * A read client over the in-process Hardhat chain whose transport fails while a switch is set, as an RPC does when
 * its node goes down, and counts the requests it carries.
 */
export function flakyChain() {
  const inner = inProcessTransport()({ chain: hardhat, retryCount: 0 });
  const chain: ChainSwitch = {
    down: false,
    outage: "fetch",
    callsOnly: false,
    delayMs: 0,
    pendingLag: 0,
    calls: new Map(),
    total: () => [...chain.calls.values()].reduce((a, b) => a + b, 0),
  };
  const request = (async (args: { method: string; params?: unknown }) => {
    chain.calls.set(args.method, (chain.calls.get(args.method) ?? 0) + 1);
    if (chain.delayMs > 0 && args.method === "eth_call") await new Promise((r) => setTimeout(r, chain.delayMs));
    if (chain.down && (!chain.callsOnly || args.method === "eth_call")) {
      if (chain.outage === "hang") await new Promise(() => {});
      if (chain.outage === "internal") throw Object.assign(new Error("Internal error"), { code: -32603 });
      throw new HttpRequestError({ url: SECRET_RPC_URL, body: args, details: "fetch failed" });
    }
    const answer = await inner.request(args as Parameters<typeof inner.request>[0]);
    const params = args.params as unknown[] | undefined;
    if (chain.pendingLag > 0 && args.method === "eth_getTransactionCount" && params?.[1] === "pending")
      return `0x${Math.max(Number(answer) - chain.pendingLag, 0).toString(16)}`;
    return answer;
  }) as EIP1193RequestFn;
  // The same switchable transport, for a wallet client (a relayer whose node goes down).
  const transport = custom({ request }, { retryCount: 0 });
  const client = createPublicClient({ chain: hardhat, transport, pollingInterval: 10 });
  return { client, chain, transport };
}
