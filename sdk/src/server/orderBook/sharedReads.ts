import { createClient, custom, type EIP1193RequestFn } from "viem";
import type { ReadClient } from "../../program.js";

/** Reads whose answer is the same for every caller at one moment: the chain's head, a call at it, its code. */
const SHAREABLE = new Set(["eth_blockNumber", "eth_call", "eth_chainId", "eth_getBlockByNumber", "eth_getCode"]);

/**
 * `client`, with a read that is already in flight shared rather than asked again: posts checked at the same time
 * each read the chain's latest block (its clock), and they read it once. A post that starts while that read is
 * under way takes its answer, a block no older than one it would have read itself a moment before. A failure (the
 * chain does not answer) fails every post that shared the read, each answered 503 as it would have been alone.
 * Keeps the client's chain (its Multicall3) and its batching, so one post's other reads still go out as one call.
 *
 * @example
 * const reads = sharingReads(client);
 * await Promise.all([getBlock(reads), getBlock(reads)]); // one eth_getBlockByNumber
 */
export function sharingReads(client: ReadClient): ReadClient {
  const inFlight = new Map<string, Promise<unknown>>();
  const request = ((args: { method: string; params?: unknown }) => {
    const ask = () => client.request(args as Parameters<ReadClient["request"]>[0]);
    if (!SHAREABLE.has(args.method)) return ask();
    const key = `${args.method} ${JSON.stringify(args.params ?? null)}`;
    let answer = inFlight.get(key);
    if (!answer) {
      answer = ask().finally(() => inFlight.delete(key));
      inFlight.set(key, answer);
    }
    return answer;
  }) as EIP1193RequestFn;
  return createClient({
    chain: client.chain,
    // The client's own transport retries; this one does not retry again on top of it.
    transport: custom({ request }, { retryCount: 0 }),
    ...(client.batch ? { batch: client.batch } : {}),
    pollingInterval: client.pollingInterval,
  });
}
