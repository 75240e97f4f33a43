import { marketErrorCatalog } from "../errors/market.js";
import { hashTypedData } from "viem";
import { readContract, signTypedData } from "viem/actions";
import { marketAbi } from "../generated/abis.js";
import { InvalidArgumentError } from "../errors.js";
import { checkTradableStamp } from "../internal/stampChecks.js";
import { requireRange } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";
import { decodeStampId, encodeStampId } from "../utils/stampId.js";
import { expiryIn } from "../utils/expiryIn.js";
import { marketDomain, swapOrderTypes, type Signed, type SwapOrder } from "../types/orders.js";
import { randomSalt } from "../utils/randomSalt.js";
import { read } from "../internal/read.js";

export interface ProposeSwapParameters {
  program: Program;
  /** The caller's stamp to give. */
  makerTokenId: bigint;
  /** The one stamp wanted; omit it and give `wantedSeriesId` to take any stamp of that series. */
  wantedTokenId?: bigint;
  wantedSeriesId?: bigint;
  /**
   * The most Points the taker pays for the swap, swap fee + royalty (default: what the Market charges now, read
   * from the contract). If the brand raises either afterwards, the swap stops filling rather than costing more.
   */
  maxFees?: bigint;
  expiry?: bigint;
}

export type ProposeSwapReturnType = Signed<SwapOrder>;

/**
 * Proposes a stamp-for-stamp swap by signing it off-chain; whoever holds a wanted stamp fills it with
 * {@link fillSwap}, paying the swap fee and, under market-only with gifts off, the brand's royalty in Points. A
 * swap the brand's rules refuse (no swap royalty set) is refused here, before anything is signed.
 *
 * @example
 * const swap = await proposeSwap(ben, { program, makerTokenId: 1_000_000_002n, wantedTokenId: 1_000_000_005n });
 */
export async function proposeSwap(
  client: WriteClient,
  { program, makerTokenId, wantedTokenId, wantedSeriesId, expiry, maxFees }: ProposeSwapParameters,
): Promise<ProposeSwapReturnType> {
  expiry ??= await expiryIn(client);
  if (wantedTokenId === undefined && wantedSeriesId === undefined) {
    throw new InvalidArgumentError("wantedTokenId", "or wantedSeriesId is required: say which stamp, or which series, you want.");
  }
  const series = wantedTokenId !== undefined ? decodeStampId(wantedTokenId).seriesId : wantedSeriesId!;
  const maker = client.account.address;
  const makerTokenNonce = await checkTradableStamp(client, program, "makerTokenId", makerTokenId, maker);
  if (maxFees !== undefined) requireRange("maxFees", maxFees, 0n);
  const market = { address: program.market, abi: marketAbi } as const;
  // A swap's royalty depends on the series of each stamp, not on which stamp: any one of the series quotes it.
  const quoted = wantedTokenId ?? encodeStampId(series, 1n);
  const [fee, royaltyAmount] = await read(
    client,
    {
      ...market,
      functionName: "quoteSwap",
      args: [makerTokenId, quoted],
    },
    [marketErrorCatalog],
  );
  maxFees ??= fee + royaltyAmount;
  const nonce = await readContract(client, { ...market, functionName: "nonces", args: [maker] });
  const order: SwapOrder = {
    maker,
    makerTokenId,
    makerTokenNonce,
    wantedSeriesId: series,
    wantedTokenId: wantedTokenId ?? 0n,
    maxFees,
    expiry,
    nonce,
    salt: randomSalt(),
  };
  const typedData = { domain: marketDomain(program), types: swapOrderTypes, primaryType: "SwapOrder", message: order } as const;
  const signature = await signTypedData(client, { account: client.account, ...typedData });
  return { order, signature, orderHash: hashTypedData(typedData) };
}
