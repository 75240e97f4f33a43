import type { AbiEvent, Address, GetLogsReturnType } from "viem";
import { getLogs } from "viem/actions";
import { withReadErrors } from "./read.js";
import type { ReadClient } from "../program.js";

/**
 * Blocks per `eth_getLogs` request when reading a program's history: public RPC endpoints refuse wide ranges
 * (10,000 blocks is a common limit), and a program on a fast chain is millions of blocks old within months.
 */
export const LOG_BLOCK_RANGE = 10_000n;

/**
 * Reads the logs of some events of some contracts from `fromBlock` to `toBlock`, `blockRange` blocks per request,
 * in chain order, turning what the node throws into the SDK's error.
 *
 * @example
 * const logs = await logsInChunks(client, { address, events: [roleGranted], fromBlock: program.deployBlock, toBlock });
 */
export async function logsInChunks<const events extends readonly AbiEvent[]>(
  client: ReadClient,
  {
    address,
    events,
    fromBlock,
    toBlock,
    blockRange = LOG_BLOCK_RANGE,
  }: { address: Address | Address[]; events: events; fromBlock: bigint; toBlock: bigint; blockRange?: bigint },
): Promise<GetLogsReturnType<undefined, events>> {
  const logs: GetLogsReturnType<undefined, events> = [];
  for (let from = fromBlock; from <= toBlock; from += blockRange) {
    const to = from + blockRange - 1n < toBlock ? from + blockRange - 1n : toBlock;
    const chunk = await withReadErrors(() => getLogs(client, { address, events, fromBlock: from, toBlock: to }), []);
    // One push per log: spreading a dense range into push() overflows the stack past ~100,000 logs.
    for (const log of chunk) logs.push(log);
  }
  return logs;
}
