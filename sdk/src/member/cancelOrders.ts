import { parseEventLogs, type Address } from "viem";
import { readContract } from "viem/actions";
import { marketAbi } from "../abis";
import { InvalidArgumentError } from "../errors";
import { execute, type ExecuteResult } from "../internal/execute";
import { requireAddress } from "../internal/validate";
import type { Program, WriteClient } from "../program";
import type { Listing, Offer, Signed, SwapOrder } from "./orderTypes";

/** One of the caller's signed orders, by kind. */
export type AnyOrder = { listing: Signed<Listing> } | { offer: Signed<Offer> } | { swap: Signed<SwapOrder> };

/**
 * Cancels one of the caller's orders on-chain: it can never be filled afterwards. Only its signer can.
 *
 * @example
 * await cancelOrder(ada, { program, order: { listing } });
 */
export async function cancelOrder(client: WriteClient, { program, order }: { program: Program; order: AnyOrder }): Promise<ExecuteResult> {
  const market = { address: program.market, abi: marketAbi } as const;
  if ("listing" in order) return execute(client, { ...market, functionName: "cancelListing", args: [order.listing.order] });
  if ("offer" in order) return execute(client, { ...market, functionName: "cancelOffer", args: [order.offer.order] });
  if ("swap" in order) return execute(client, { ...market, functionName: "cancelSwap", args: [order.swap.order] });
  throw new InvalidArgumentError("order", "must be { listing }, { offer } or { swap }.");
}

/**
 * Cancels every open order the caller ever signed, in one transaction (bumps their order nonce).
 *
 * @example
 * const { newNonce } = await cancelAllOrders(ada, { program });
 */
export async function cancelAllOrders(client: WriteClient, { program }: { program: Program }): Promise<ExecuteResult & { newNonce: bigint }> {
  const result = await execute(client, { address: program.market, abi: marketAbi, functionName: "incrementNonce", args: [] });
  const [log] = parseEventLogs({ abi: marketAbi, eventName: "NonceIncremented", logs: result.receipt.logs });
  return { ...result, newNonce: log?.args.newNonce ?? 0n };
}

/**
 * Withdraws native coin the Market credited to the caller: payments it could not push, e.g. to a
 * contract wallet (a multisig treasury) whose `receive` needs more gas or refuses coin. With `to`, the
 * coin goes to another address, for wallets that cannot receive it at all.
 *
 * @example
 * await withdrawPayments(treasurySafe, { program, to: treasuryColdWallet });
 */
export async function withdrawPayments(
  client: WriteClient,
  { program, to }: { program: Program; to?: Address },
): Promise<ExecuteResult & { amount: bigint }> {
  const owed = await readContract(client, { address: program.market, abi: marketAbi, functionName: "owed", args: [client.account.address] });
  if (owed === 0n) {
    throw new InvalidArgumentError("client", `account ${client.account.address} is owed nothing by the Market.`);
  }
  const result = to
    ? await execute(client, { address: program.market, abi: marketAbi, functionName: "withdrawTo", args: [requireAddress("to", to)] })
    : await execute(client, { address: program.market, abi: marketAbi, functionName: "withdraw", args: [] });
  return { ...result, amount: owed };
}
