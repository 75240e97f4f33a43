import { marketErrorCatalog } from "../errors/market.js";
import { hashTypedData } from "viem";
import { readContract, signTypedData } from "viem/actions";
import { marketAbi } from "../generated/abis.js";
import { InvalidArgumentError } from "../errors.js";
import { checkCurrency } from "./stampChecks.js";
import { requireRange } from "./validate.js";
import type { Address } from "viem";
import type { Program, WriteClient } from "../program.js";
import { decodeStampId, encodeStampId } from "../utils/stampId.js";
import { expiryIn } from "../utils/expiryIn.js";
import { marketDomain, offerTypes, type Offer, type Signed } from "../types/orders.js";
import { randomSalt } from "../utils/randomSalt.js";
import { read } from "./read.js";

/** What an offer signs (see `makeOffer`). */
export interface SignOfferParameters {
  program: Program;
  /** The one stamp wanted; omit it and give `seriesId` to take any stamp of the series. */
  tokenId?: bigint;
  seriesId?: bigint;
  /** What the buyer pays, in the currency's smallest unit. */
  price: bigint;
  /** The program's Points or an ERC-20 the brand allows (never the native coin). */
  currency: Address;
  /**
   * The most royalty + market fee the sale may take out of the price, i.e. what the holder who accepts pays in fees
   * (default: what the Market's rules take now, read from the contract). If the brand raises either afterwards,
   * the offer stops filling rather than paying the seller less than it shows.
   */
  maxFees?: bigint;
  /** Unix seconds after which the offer cannot be accepted (default: 7 days from now). */
  expiry?: bigint;
}

/**
 * Builds and signs an offer (see {@link makeOffer}) without touching the member's allowance: what `makeOffer` signs,
 * and what `signPurchase` signs for a relayer, whose buyer pays through a permit instead of an approval.
 */
export async function signOfferOrder(
  client: WriteClient,
  { program, tokenId, seriesId, price, currency, expiry, maxFees }: SignOfferParameters,
): Promise<Signed<Offer>> {
  expiry ??= await expiryIn(client);
  if (tokenId === undefined && seriesId === undefined) {
    throw new InvalidArgumentError("tokenId", "or seriesId is required: say which stamp, or which series, you want.");
  }
  const series = tokenId !== undefined ? decodeStampId(tokenId).seriesId : seriesId!;
  if (tokenId !== undefined && seriesId !== undefined && seriesId !== series) {
    throw new InvalidArgumentError("seriesId", `${seriesId} does not match stamp ${tokenId}, which is of series ${series}.`);
  }
  requireRange("price", price, 0n);
  if (maxFees !== undefined) requireRange("maxFees", maxFees, 0n, price);
  await checkCurrency(client, program, currency, false);
  const market = { address: program.market, abi: marketAbi } as const;
  // Stamps' royalty is the same for every stamp of a series: any one quotes an offer on the whole series.
  const quoted = tokenId ?? encodeStampId(series, 1n);
  const [, royaltyAmount, fee] = await read(
    client,
    {
      ...market,
      functionName: "quoteSale",
      args: [quoted, currency, price],
    },
    [marketErrorCatalog],
  );
  maxFees ??= royaltyAmount + fee;
  const buyer = client.account.address;
  const nonce = await readContract(client, { ...market, functionName: "nonces", args: [buyer] });
  const order: Offer = {
    buyer,
    seriesId: series,
    tokenId: tokenId ?? 0n,
    price,
    maxFees,
    currency,
    expiry,
    nonce,
    salt: randomSalt(),
  };
  const typedData = { domain: marketDomain(program), types: offerTypes, primaryType: "Offer", message: order } as const;
  const signature = await signTypedData(client, { account: client.account, ...typedData });
  return { order, signature, orderHash: hashTypedData(typedData) };
}
