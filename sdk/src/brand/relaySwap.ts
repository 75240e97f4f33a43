import { marketErrorCatalog } from "../errors/market.js";
import { parseEventLogs } from "viem";
import { marketAbi } from "../generated/abis.js";
import { PunchcardError } from "../errors.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { permitIfShort } from "../internal/relayPermit.js";
import { read } from "../internal/read.js";
import type { Program, WriteClient } from "../program.js";
import type { PointsPermit, SignedIntent } from "../types/intents.js";
import type { Signed, SwapOrder } from "../types/orders.js";

export interface RelaySwapParameters {
  program: Program;
  /** The first maker's signed swap order ({@link proposeSwap}). */
  order: Signed<SwapOrder>;
  /** The taker's signed counter-order, giving a stamp `order` wants for `order`'s stamp ({@link proposeSwap}). */
  counterOrder: Signed<SwapOrder>;
  /** The taker's Points permit for the swap's fees ({@link signPointsPermit}); sent only when the allowance is short. */
  permit?: SignedIntent<PointsPermit>;
}

export interface RelaySwapReturnType extends ExecuteResult {
  /** Points the taker paid: swap fee and royalty, to the brand's royalty receiver. */
  swapFee: bigint;
  royaltyAmount: bigint;
  permit?: ExecuteResult;
}

/**
 * Settles two swap orders that want each other's stamps from the brand's relayer account: each member receives the
 * other's stamp, and the counter-order's maker pays the swap fee and royalty in Points (at most both orders'
 * `maxFees`). Their permit is sent first only if the Points allowance is short. Simulated before sending.
 *
 * @example
 * await relaySwap(relayer, { program, order: adaSwap, counterOrder: benSwap, permit: benPermit });
 */
export async function relaySwap(
  client: WriteClient,
  { program, order, counterOrder, permit }: RelaySwapParameters,
): Promise<RelaySwapReturnType> {
  const [fee, royalty] = await read(
    client,
    {
      address: program.market,
      abi: marketAbi,
      functionName: "quoteSwap",
      args: [order.order.makerTokenId, counterOrder.order.makerTokenId],
    },
    [marketErrorCatalog],
  );
  const permitted = await permitIfShort(client, {
    token: program.points,
    owner: counterOrder.order.maker,
    spender: program.market,
    needed: fee + royalty,
    permit,
  });
  const result = await execute(
    client,
    {
      address: program.market,
      abi: marketAbi,
      functionName: "matchSwaps",
      args: [order.order, order.signature, counterOrder.order, counterOrder.signature],
    },
    [marketErrorCatalog],
  );
  const [log] = parseEventLogs({ abi: marketAbi, eventName: "Swapped", logs: result.receipt.logs });
  if (!log) throw new PunchcardError(`No Swapped event in transaction ${result.hash}.`);
  return {
    ...result,
    swapFee: log.args.swapFee,
    royaltyAmount: log.args.royaltyAmount,
    ...(permitted ? { permit: permitted } : {}),
  };
}
