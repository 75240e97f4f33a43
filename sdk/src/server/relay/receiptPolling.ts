import type { Client } from "viem";
import { getBlock } from "viem/actions";

/** The blocks looked back over to measure the chain's block time. */
const SPAN = 20n;

/**
 * How often a relay asks for its receipt, in milliseconds: a quarter of the chain's block time (the mean over its
 * last 20 blocks), from `floor` to `ceiling`. A relay answers once its transaction is mined, and viem looks for the
 * receipt once per polling interval: at viem's default of 4 s (or a follower's 1 s) a relay on a chain of 1-second
 * blocks waited 0.5 to 2 s past its block. A development node that mines a block per transaction has the receipt at
 * once, whatever the interval; one that has no history yet gets the floor. A chain that cannot be read gets `ceiling`.
 *
 * @example
 * const relayer = createWalletClient({ account, chain, transport, pollingInterval: await receiptPollingInterval(reader) });
 */
export async function receiptPollingInterval(client: Client, { floor = 100, ceiling = 1_000 } = {}): Promise<number> {
  try {
    const head = await getBlock(client, { blockTag: "latest" });
    if (head.number === null || head.number === 0n) return floor;
    const span = head.number < SPAN ? head.number : SPAN;
    const before = await getBlock(client, { blockNumber: head.number - span });
    const blockMs = (Number(head.timestamp - before.timestamp) * 1_000) / Number(span);
    return Math.round(Math.min(ceiling, Math.max(floor, blockMs / 4)));
  } catch {
    return ceiling;
  }
}
