import { partnerExchangeErrorCatalog } from "../errors/partnerExchange.js";
import type { Address } from "viem";
import { partnerExchangeAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { requireAddress, requireRange } from "../internal/validate.js";
import type { WriteClient } from "../program.js";

export interface EndExchangeParameters {
  exchange: Address;
  id: bigint;
}

export type EndExchangeReturnType = ExecuteResult;

/**
 * Ends an exchange for good; the admin of either program may. Conversions stop; a new agreement needs a new proposal.
 *
 * @example
 * await endExchange(brand, { exchange, id });
 */
export async function endExchange(client: WriteClient, { exchange, id }: EndExchangeParameters): Promise<EndExchangeReturnType> {
  requireAddress("exchange", exchange);
  requireRange("id", id, 1n);
  return execute(client, { address: exchange, abi: partnerExchangeAbi, functionName: "end", args: [id] }, [
    partnerExchangeErrorCatalog,
  ]);
}
