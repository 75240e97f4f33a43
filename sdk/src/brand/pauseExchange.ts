import { partnerExchangeErrorCatalog } from "../errors/partnerExchange.js";
import type { Address } from "viem";
import { partnerExchangeAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { requireAddress, requireRange } from "../internal/validate.js";
import type { WriteClient } from "../program.js";

export interface PauseExchangeParameters {
  exchange: Address;
  id: bigint;
  /** true stops conversions, false resumes them. */
  paused: boolean;
}

export type PauseExchangeReturnType = ExecuteResult;

/**
 * Pauses or resumes an exchange; the admin of either program may.
 *
 * @example
 * await pauseExchange(brand, { exchange, id, paused: true });
 */
export async function pauseExchange(
  client: WriteClient,
  { exchange, id, paused }: PauseExchangeParameters,
): Promise<PauseExchangeReturnType> {
  requireAddress("exchange", exchange);
  requireRange("id", id, 1n);
  return execute(client, { address: exchange, abi: partnerExchangeAbi, functionName: "setPaused", args: [id, paused] }, [
    partnerExchangeErrorCatalog,
  ]);
}
