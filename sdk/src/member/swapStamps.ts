import { hashTypedData, parseEventLogs, type Address, type Hex } from "viem";
import { readContract, signTypedData } from "viem/actions";
import { marketAbi } from "../abis";
import { InvalidArgumentError, PunchcardError } from "../errors";
import { ensureAllowance } from "../internal/allowance";
import { execute, type ExecuteResult } from "../internal/execute";
import { checkTradableStamp } from "../internal/stampChecks";
import type { Program, WriteClient } from "../program";
import { decodeStampId } from "../read/stampId";
import { expiryIn, marketDomain, randomSalt, swapOrderTypes, type Signed, type SwapOrder } from "./orderTypes";

export interface ProposeSwapParameters {
  program: Program;
  /** The caller's stamp to give. */
  makerTokenId: bigint;
  /** The one stamp wanted; omit it and give `wantedSeriesId` to take any stamp of that series. */
  wantedTokenId?: bigint;
  wantedSeriesId?: bigint;
  expiry?: bigint;
}

/**
 * Proposes a stamp-for-stamp swap by signing it off-chain; whoever holds a wanted stamp fills it with
 * {@link fillSwap}.
 *
 * @example
 * const swap = await proposeSwap(ben, { program, makerTokenId: 1_000_000_002n, wantedTokenId: 1_000_000_005n });
 */
export async function proposeSwap(
  client: WriteClient,
  { program, makerTokenId, wantedTokenId, wantedSeriesId, expiry }: ProposeSwapParameters,
): Promise<Signed<SwapOrder>> {
  expiry ??= await expiryIn(client);
  if (wantedTokenId === undefined && wantedSeriesId === undefined) {
    throw new InvalidArgumentError("wantedTokenId", "or wantedSeriesId is required: say which stamp, or which series, you want.");
  }
  const series = wantedTokenId !== undefined ? decodeStampId(wantedTokenId).seriesId : wantedSeriesId!;
  const maker = client.account.address;
  const makerTokenNonce = await checkTradableStamp(client, program, "makerTokenId", makerTokenId, maker);
  const nonce = await readContract(client, { address: program.market, abi: marketAbi, functionName: "nonces", args: [maker] });
  const order: SwapOrder = {
    maker,
    makerTokenId,
    makerTokenNonce,
    wantedSeriesId: series,
    wantedTokenId: wantedTokenId ?? 0n,
    expiry,
    nonce,
    salt: randomSalt(),
  };
  const typedData = { domain: marketDomain(program), types: swapOrderTypes, primaryType: "SwapOrder", message: order } as const;
  const signature = await signTypedData(client, { account: client.account, ...typedData });
  return { order, signature, orderHash: hashTypedData(typedData) };
}

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

/**
 * Fills a swap order: gives the caller's stamp and receives the maker's, atomically. The caller pays the
 * brand's swap fee in Points, if one is set (approved here when needed).
 *
 * @example
 * const { swap: done } = await fillSwap(eli, { program, swap, takerTokenId: 1_000_000_005n });
 */
export async function fillSwap(
  client: WriteClient,
  { program, swap, takerTokenId }: { program: Program; swap: Signed<SwapOrder>; takerTokenId: bigint },
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
