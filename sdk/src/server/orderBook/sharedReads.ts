import { createClient, custom, type EIP1193RequestFn } from "viem";
import type { ReadClient } from "../../program.js";

/**
 * How posts' reads are folded into Multicall3 calls, where the chain has it: calldata up to 128 KiB in one call
 * (viem's default, 1 KiB, holds two posts' reads: 20 posts at once made 12 calls), gathered for 2 ms, so the posts
 * checked at one moment ask the chain once between them. 128 KiB is some 60 posts' reads, a few million gas: within
 * what providers allow an eth_call.
 */
export const POST_MULTICALL = { batchSize: 128 * 1024, wait: 2 } as const;

/** Reads whose answer is the same for every caller at one moment: the chain's head, a call at it, its code. */
const SHAREABLE = new Set(["eth_blockNumber", "eth_call", "eth_chainId", "eth_getBlockByNumber", "eth_getCode"]);

/**
 * `client`, with a read that is already in flight shared rather than asked again: posts checked at the same time
 * each read the chain's latest block (its clock), and they read it once. A post that starts while that read is
 * under way takes its answer, a block no older than one it would have read itself a moment before. A failure (the
 * chain does not answer) fails every post that shared the read, each answered 503 as it would have been alone.
 * Keeps the client's chain (its Multicall3) and its batching; where that batching folds reads into Multicall3, the
 * reads of every post checked at the same moment go out as one call ({@link POST_MULTICALL}).
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
    ...(client.batch ? { batch: postBatching(client.batch) } : {}),
    pollingInterval: client.pollingInterval,
  });
}

/** The client's batching, with its Multicall3 batches as large and as patient as {@link POST_MULTICALL} unless it set its own. */
function postBatching(batch: NonNullable<ReadClient["batch"]>): NonNullable<ReadClient["batch"]> {
  if (!batch.multicall) return batch;
  return { ...batch, multicall: { ...POST_MULTICALL, ...(typeof batch.multicall === "object" ? batch.multicall : {}) } };
}
