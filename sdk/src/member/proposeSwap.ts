import { hashTypedData } from "viem";
import { readContract, signTypedData } from "viem/actions";
import { marketAbi } from "../generated/abis.js";
import { InvalidArgumentError } from "../errors.js";
import { checkTradableStamp } from "../internal/stampChecks.js";
import type { Program, WriteClient } from "../program.js";
import { decodeStampId } from "../utils/stampId.js";
import { expiryIn } from "../utils/expiryIn.js";
import { marketDomain, swapOrderTypes, type Signed, type SwapOrder } from "../types/orders.js";
import { randomSalt } from "../utils/randomSalt.js";

export interface ProposeSwapParameters {
  program: Program;
  /** The caller's stamp to give. */
  makerTokenId: bigint;
  /** The one stamp wanted; omit it and give `wantedSeriesId` to take any stamp of that series. */
  wantedTokenId?: bigint;
  wantedSeriesId?: bigint;
  expiry?: bigint;
}

export type ProposeSwapReturnType = Signed<SwapOrder>;

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
): Promise<ProposeSwapReturnType> {
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
