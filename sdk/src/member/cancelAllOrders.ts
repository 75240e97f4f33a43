import { marketErrorCatalog } from "../errors/market.js";
import { parseEventLogs } from "viem";
import { marketAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";

export interface CancelAllOrdersParameters {
  program: Program;
}

export type CancelAllOrdersReturnType = ExecuteResult & { newNonce: bigint };

/**
 * Cancels every open order the caller ever signed, in one transaction (bumps their order nonce).
 *
 * @example
 * const { newNonce } = await cancelAllOrders(ada, { program });
 */
export async function cancelAllOrders(
  client: WriteClient,
  { program }: CancelAllOrdersParameters,
): Promise<CancelAllOrdersReturnType> {
  const result = await execute(client, { address: program.market, abi: marketAbi, functionName: "incrementNonce", args: [] }, [
    marketErrorCatalog,
  ]);
  const [log] = parseEventLogs({ abi: marketAbi, eventName: "NonceIncremented", logs: result.receipt.logs });
  return { ...result, newNonce: log?.args.newNonce ?? 0n };
}
