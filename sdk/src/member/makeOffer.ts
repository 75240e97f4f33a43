import { hashTypedData, type Address } from "viem";
import { readContract, signTypedData } from "viem/actions";
import { marketAbi } from "../generated/abis.js";
import { InvalidArgumentError } from "../errors.js";
import { ensureAllowance } from "../internal/allowance.js";
import { checkCurrency } from "../internal/stampChecks.js";
import { requireRange } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";
import { decodeStampId } from "../utils/stampId.js";
import { expiryIn } from "../utils/expiryIn.js";
import { marketDomain, offerTypes, type Offer, type Signed } from "../types/orders.js";
import { randomSalt } from "../utils/randomSalt.js";

export interface MakeOfferParameters {
  program: Program;
  /** The one stamp wanted; omit it and give `seriesId` to take any stamp of the series. */
  tokenId?: bigint;
  seriesId?: bigint;
  /** What the buyer pays, in the currency's smallest unit. */
  price: bigint;
  /** The program's Points or an ERC-20 the brand allows (never the native coin). */
  currency: Address;
  /** Unix seconds after which the offer cannot be accepted (default: 7 days from now). */
  expiry?: bigint;
}

export type MakeOfferReturnType = Signed<Offer>;

/**
 * Makes an offer on a stamp, or on any stamp of a series, by signing it off-chain. The Market is approved
 * for the price now, so the holder who accepts ({@link acceptOffer}) is paid at once.
 *
 * @example
 * const offer = await makeOffer(cleo, { program, seriesId: 1n, price: 150n, currency: program.points });
 */
export async function makeOffer(
  client: WriteClient,
  { program, tokenId, seriesId, price, currency, expiry }: MakeOfferParameters,
): Promise<MakeOfferReturnType> {
  expiry ??= await expiryIn(client);
  if (tokenId === undefined && seriesId === undefined) {
    throw new InvalidArgumentError("tokenId", "or seriesId is required: say which stamp, or which series, you want.");
  }
  const series = tokenId !== undefined ? decodeStampId(tokenId).seriesId : seriesId!;
  if (tokenId !== undefined && seriesId !== undefined && seriesId !== series) {
    throw new InvalidArgumentError("seriesId", `${seriesId} does not match stamp ${tokenId}, which is of series ${series}.`);
  }
  requireRange("price", price, 0n);
  await checkCurrency(client, program, currency, false);
  const buyer = client.account.address;
  const nonce = await readContract(client, { address: program.market, abi: marketAbi, functionName: "nonces", args: [buyer] });
  const order: Offer = { buyer, seriesId: series, tokenId: tokenId ?? 0n, price, currency, expiry, nonce, salt: randomSalt() };
  await ensureAllowance(client, currency, program.market, price);
  const typedData = { domain: marketDomain(program), types: offerTypes, primaryType: "Offer", message: order } as const;
  const signature = await signTypedData(client, { account: client.account, ...typedData });
  return { order, signature, orderHash: hashTypedData(typedData) };
}
