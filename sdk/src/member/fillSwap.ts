import { parseEventLogs, type Address, type Hex } from "viem";
import { readContract } from "viem/actions";
import { marketAbi } from "../generated/abis.js";
import { PunchcardError } from "../errors.js";
import { ensureAllowance } from "../internal/allowance.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { checkTradableStamp } from "../internal/stampChecks.js";
import type { Program, WriteClient } from "../program.js";
import type { Signed, SwapOrder } from "../types/orders.js";

export interface Swap {
  orderHash: Hex;
  maker: Address;
  taker: Address;
  makerTokenId: bigint;
  takerTokenId: bigint;
  feeReceiver: Address;
  swapFee: bigint;
}

export interface FillSwapReturnType extends ExecuteResult {
  swap: Swap;
}

export interface FillSwapParameters {
  program: Program;
  swap: Signed<SwapOrder>;
  takerTokenId: bigint;
}

/**
 * Fills a swap order: gives the caller's stamp and receives the maker's, atomically. The caller pays the
 * brand's swap fee in Points, if one is set (approved here when needed).
 *
 * @example
 * const { swap: done } = await fillSwap(eli, { program, swap, takerTokenId: 1_000_000_005n });
 */
export async function fillSwap(
  client: WriteClient,
  { program, swap, takerTokenId }: FillSwapParameters,
): Promise<FillSwapReturnType> {
  await checkTradableStamp(client, program, "takerTokenId", takerTokenId, client.account.address);
  const fee = await readContract(client, { address: program.market, abi: marketAbi, functionName: "swapFee" });
  await ensureAllowance(client, program.points, program.market, fee);
  const result = await execute(client, {
    address: program.market,
    abi: marketAbi,
    functionName: "swap",
    args: [swap.order, swap.signature, takerTokenId],
  });
  const [log] = parseEventLogs({ abi: marketAbi, eventName: "Swapped", logs: result.receipt.logs });
  if (!log) throw new PunchcardError(`No Swapped event in transaction ${result.hash}.`);
  return { ...result, swap: { ...log.args } };
}
