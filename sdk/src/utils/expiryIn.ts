import { getBlock } from "viem/actions";
import { DEFAULT_ORDER_LIFETIME_SECONDS } from "../constants.js";
import type { ReadClient } from "../program.js";

/**
 * Unix seconds `lifetime` after the chain's latest block: the chain's clock, not this machine's,
 * decides whether an order or a signature has expired.
 *
 * @example
 * const expiry = await expiryIn(client, 24n * 60n * 60n); // valid for a day
 */
export async function expiryIn(client: ReadClient, lifetime: bigint = DEFAULT_ORDER_LIFETIME_SECONDS): Promise<bigint> {
  const block = await getBlock(client, { blockTag: "latest" });
  return block.timestamp + lifetime;
}
