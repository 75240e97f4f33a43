import { marketErrorCatalog } from "../errors/market.js";
import { parseEventLogs, type Address, type Hex } from "viem";
import { marketAbi } from "../generated/abis.js";
import { ContractRevertError, PunchcardError } from "../errors.js";
import { withAllowance } from "../internal/allowance.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { checkTradableStamp } from "../internal/stampChecks.js";
import { read } from "../internal/read.js";
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
  /** The brand's royalty on the swap, in Points (0 unless stamps are market-only with gifts off). */
  royaltyAmount: bigint;
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
 * brand's swap fee and royalty in Points, as the Market quotes them now (never more than the order's `maxFees`).
 * The Market's Points allowance is raised by exactly that, on top of what backs the caller's open offers, never to
 * an unlimited amount; if the swap then fails, the allowance is put back.
 *
 * @example
 * const { swap: done } = await fillSwap(eli, { program, swap, takerTokenId: 1_000_000_005n });
 */
export async function fillSwap(
  client: WriteClient,
  { program, swap, takerTokenId }: FillSwapParameters,
): Promise<FillSwapReturnType> {
  await checkTradableStamp(client, program, "takerTokenId", takerTokenId, client.account.address);
  const [fee, royaltyAmount] = await read(
    client,
    {
      address: program.market,
      abi: marketAbi,
      functionName: "quoteSwap",
      args: [swap.order.makerTokenId, takerTokenId],
    },
    [marketErrorCatalog],
  );
  const fees = fee + royaltyAmount;
  // What the contract would answer; said before an approval that the swap could never use.
  if (fees > swap.order.maxFees)
    throw new ContractRevertError(
      "MarketFeesTooHigh",
      [fees, swap.order.maxFees],
      undefined,
      marketErrorCatalog.sentences.MarketFeesTooHigh,
    );
  const result = await withAllowance(client, program.points, program.market, fees, () =>
    execute(
      client,
      {
        address: program.market,
        abi: marketAbi,
        functionName: "swap",
        args: [swap.order, swap.signature, takerTokenId],
      },
      [marketErrorCatalog],
    ),
  );
  const [log] = parseEventLogs({ abi: marketAbi, eventName: "Swapped", logs: result.receipt.logs });
  if (!log) throw new PunchcardError(`No Swapped event in transaction ${result.hash}.`);
  return { ...result, swap: { ...log.args } };
}
