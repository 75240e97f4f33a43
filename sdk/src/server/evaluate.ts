import { erc20Abi, isAddressEqual, recoverTypedDataAddress, type Address, type Hex, type TypedDataDomain } from "viem";
import { getBlock, readContract } from "viem/actions";
import { ContractRevertError, toPunchcardError } from "../errors.js";
import { marketAbi } from "../generated/abis.js";
import type { Program, ReadClient } from "../program.js";
import { getOrderStatus } from "../read/getOrderStatus.js";
import { permitTypes, tokenDomain, type PointsPermit, type SignedIntent } from "../types/intents.js";
import type { Offer } from "../types/orders.js";
import { decodeStampId, encodeStampId } from "../utils/stampId.js";
import type { BookOrder } from "../serverApi/schemas.js";
import { faultOf } from "../utils/faults.js";

/** Where an order stands for the book: open, or a status, a code for programs and a sentence for people. */
export type Evaluation =
  | { open: true; orderHash: Hex }
  | {
      open: false;
      orderHash: Hex | undefined;
      status: "filled" | "cancelled" | "expired" | "stale";
      /** invalid_order, impossible_stamp, bad_signature, expired, filled, cancelled, nonce_bumped, stamp_moved, unfunded, refused_by_market, fees_raised */
      code: string;
      reason: string;
    };

const refuse = (
  orderHash: Hex | undefined,
  status: "filled" | "cancelled" | "expired" | "stale",
  code: string,
  reason: string,
): Evaluation => ({ open: false, orderHash, status, code, reason });

/**
 * What the signer agreed to against the Market's quote now: a sentence if the fees went past it, else undefined.
 * Rejects with the Market's revert (price bounds, minimum royalty) when it will not quote.
 */
async function quoteOf(
  client: ReadClient,
  market: { address: Address; abi: typeof marketAbi },
  book: BookOrder,
): Promise<string | undefined> {
  if (book.kind === "listing") {
    const { tokenId, currency, price, minSellerAmount } = book.signed.order;
    const [sellerAmount] = await readContract(client, { ...market, functionName: "quoteSale", args: [tokenId, currency, price] });
    return sellerAmount < minSellerAmount
      ? `The Market would now pay the seller ${sellerAmount}, less than the ${minSellerAmount} they signed for: the royalty or the fee went up.`
      : undefined;
  }
  if (book.kind === "offer") {
    const { tokenId, seriesId, currency, price, maxFees } = book.signed.order;
    const quoted = tokenId === 0n ? encodeStampId(seriesId, 1n) : tokenId;
    const [, royalty, fee] = await readContract(client, {
      ...market,
      functionName: "quoteSale",
      args: [quoted, currency, price],
    });
    return royalty + fee > maxFees
      ? `The sale would now take ${royalty + fee} in royalty and fee, more than the ${maxFees} the offer accepts.`
      : undefined;
  }
  const { makerTokenId, wantedTokenId, wantedSeriesId, maxFees } = book.signed.order;
  const quoted = wantedTokenId === 0n ? encodeStampId(wantedSeriesId, 1n) : wantedTokenId;
  const [fee, royalty] = await readContract(client, { ...market, functionName: "quoteSwap", args: [makerTokenId, quoted] });
  return fee + royalty > maxFees
    ? `The swap would now cost the taker ${fee + royalty} Points, more than the ${maxFees} it accepts.`
    : undefined;
}

/** Errors by which the Market's quote says no stamp can ever have an id the order names. */
const impossibleStampErrors = new Set(["MarketStampCannotExist", "StampsUnknownSeries"]);

/** The sentence naming the stamp and its series' supply when the quote failed because the stamp can never exist. */
function impossibleStamp(error: unknown): string | undefined {
  const refusal = toPunchcardError(error);
  return refusal instanceof ContractRevertError && impossibleStampErrors.has(refusal.errorName)
    ? refusal.shortMessage
    : undefined;
}

/**
 * Everything the book checks of a signed order, against the chain now: its shape, the SDK's getOrderStatus
 * (signature for this chain and Market, ERC-1271 too; expiry; the Market's record; nonce; the stamp's holder and
 * transfer count; an offer's balance and allowance), then the Market's quote: the brand's price bounds and minimum
 * royalty (the quote reverts with the SDK's sentence) and what the signer agreed to (minSellerAmount, maxFees). A
 * stamp that can never exist (an edition above its series' supply, a series that does not exist), which the quote
 * refuses, is named before anything else. Rejects, with no verdict, when the chain does not answer (a
 * {@link faultOf} error): that is never a refusal. `knownHash`: the order's hash as `hashOrder` computed it, if the
 * caller did already (see getOrderStatus).
 */
export async function evaluateOrder(client: ReadClient, program: Program, book: BookOrder, knownHash?: Hex): Promise<Evaluation> {
  const market = { address: program.market, abi: marketAbi } as const;
  if (book.kind === "offer" && book.signed.order.tokenId !== 0n) {
    const series = decodeStampId(book.signed.order.tokenId).seriesId;
    if (series !== book.signed.order.seriesId)
      return refuse(
        undefined,
        "stale",
        "invalid_order",
        `The offer's seriesId ${book.signed.order.seriesId} is not the series of stamp ${book.signed.order.tokenId} (${series}).`,
      );
  }
  if (book.kind === "swap" && book.signed.order.wantedTokenId !== 0n) {
    const series = decodeStampId(book.signed.order.wantedTokenId).seriesId;
    if (series !== book.signed.order.wantedSeriesId)
      return refuse(
        undefined,
        "stale",
        "invalid_order",
        `The swap's wantedSeriesId ${book.signed.order.wantedSeriesId} is not the series of stamp ${book.signed.order.wantedTokenId} (${series}).`,
      );
  }
  const order =
    book.kind === "listing" ? { listing: book.signed } : book.kind === "offer" ? { offer: book.signed } : { swap: book.signed };
  // The Market's quote goes out with the status reads (one round trip on a batching client); apart from a stamp that
  // can never exist, it is looked at only if the order is otherwise open, so its failure never hides an earlier problem.
  const quoted = quoteOf(client, market, book).then(
    (check) => ({ ok: true as const, check }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const statusRead = getOrderStatus(client, {
    program,
    order,
    ...(knownHash === undefined ? {} : { orderHash: knownHash }),
  }).then(
    (status) => ({ ok: true as const, status }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const [read, quote] = await Promise.all([statusRead, quoted]);
  // The chain did not answer: no verdict at all (the caller answers 503, or checks again on the next batch).
  if (!read.ok && faultOf(read.error)) throw read.error;
  if (!quote.ok && faultOf(quote.error)) throw quote.error;
  // A stamp no series can ever hold comes first: no other answer about such an order means anything.
  const impossible = quote.ok ? undefined : impossibleStamp(quote.error);
  if (impossible !== undefined)
    return refuse(read.ok ? read.status.orderHash : undefined, "stale", "impossible_stamp", impossible);
  // A stamp id that decodes to no series, a currency that is not an ERC-20: the chain refuses to answer.
  if (!read.ok) return refuse(undefined, "stale", "refused_by_market", toPunchcardError(read.error).shortMessage);
  const { status } = read;
  const { orderHash } = status;
  switch (status.state) {
    case "invalid":
      return refuse(orderHash, "stale", "bad_signature", status.reason!);
    case "expired":
      return refuse(orderHash, "expired", "expired", status.reason!);
    case "filled":
      return refuse(orderHash, "filled", "filled", status.reason!);
    case "cancelled":
      return refuse(orderHash, "cancelled", "cancelled", status.reason!);
    case "stale":
      return refuse(
        orderHash,
        "stale",
        /cancelled all their orders/.test(status.reason!) ? "nonce_bumped" : "stamp_moved",
        status.reason!,
      );
    case "unfunded": {
      // The allowance a posted permit grants counts, as long as the permit can still be submitted.
      const short =
        book.kind === "offer" && book.permit ? await unfundedWithPermit(client, book.signed.order, book.permit) : status.reason!;
      if (short !== undefined) return refuse(orderHash, "stale", "unfunded", short);
      break;
    }
    case "open":
      break;
  }
  if (!quote.ok) return refuse(orderHash, "stale", "refused_by_market", toPunchcardError(quote.error).shortMessage);
  if (quote.check !== undefined) return refuse(orderHash, "stale", "fees_raised", quote.check);
  return { open: true, orderHash };
}

const permitNonceAbi = [
  {
    type: "function",
    name: "nonces",
    stateMutability: "view",
    inputs: [{ name: "owner", type: "address" }],
    outputs: [{ name: "", type: "uint256" }],
  },
] as const;

/**
 * Why an offer with a posted permit cannot be paid now (undefined: it can). The buyer's balance must cover the
 * price; the allowance may fall short as long as the permit is still usable: its nonce the token's current one for
 * the buyer, its deadline not passed. (Its owner, spender, token, value and signature were checked when it was
 * posted: {@link permitProblem}.)
 */
async function unfundedWithPermit(
  client: ReadClient,
  offer: Offer,
  permit: SignedIntent<PointsPermit>,
): Promise<string | undefined> {
  const { currency, price, buyer } = offer;
  const [balance, nonce, block] = await Promise.all([
    readContract(client, { address: currency, abi: erc20Abi, functionName: "balanceOf", args: [buyer] }),
    readContract(client, { address: currency, abi: permitNonceAbi, functionName: "nonces", args: [buyer] }),
    getBlock(client, { blockTag: "latest" }),
  ]);
  if (balance < price) return `${buyer} holds ${balance} of ${currency}, less than the ${price} offered.`;
  if (nonce !== permit.message.nonce)
    return `${buyer} has not allowed the Market the ${price} offered, and the permit posted with the offer was used or replaced: it was signed for nonce ${permit.message.nonce}, the token's nonce for ${buyer} is now ${nonce}.`;
  if (permit.message.deadline < block.timestamp)
    return `${buyer} has not allowed the Market the ${price} offered, and the permit posted with the offer ran out at ${new Date(Number(permit.message.deadline) * 1000).toISOString()}.`;
  return undefined;
}

const domains = new WeakMap<ReadClient, Map<string, Promise<TypedDataDomain>>>();
/** A token's EIP-712 domain, read once per client and token (it is fixed at deployment). */
function cachedTokenDomain(client: ReadClient, token: Address): Promise<TypedDataDomain> {
  let byToken = domains.get(client);
  if (!byToken) domains.set(client, (byToken = new Map()));
  const key = token.toLowerCase();
  let domain = byToken.get(key);
  if (!domain) {
    domain = tokenDomain(client, token);
    byToken.set(key, domain);
    domain.catch(() => byToken.delete(key));
  }
  return domain;
}

/**
 * What is wrong with a permit posted with an offer, as `{ field, message }` naming the field (undefined: nothing).
 * It must be the buyer's, for the offer's currency, let the Market spend at least the price until at least the
 * offer's expiry, carry the token's current nonce for the buyer, and be signed by the buyer for this chain and
 * token (ERC-2612 permits are ECDSA signatures).
 */
export async function permitProblem(
  client: ReadClient,
  program: Program,
  offer: Offer,
  permit: SignedIntent<PointsPermit>,
): Promise<{ field: string; message: string } | undefined> {
  const m = permit.message;
  const field = (name: keyof PointsPermit) => `permit.message.${name}`;
  if (!isAddressEqual(m.owner, offer.buyer))
    return { field: field("owner"), message: `${field("owner")} is ${m.owner}, not the offer's buyer ${offer.buyer}.` };
  if (!isAddressEqual(m.token, offer.currency))
    return { field: field("token"), message: `${field("token")} is ${m.token}, not the offer's currency ${offer.currency}.` };
  if (!isAddressEqual(m.spender, program.market))
    return {
      field: field("spender"),
      message: `${field("spender")} is ${m.spender}, not this program's Market ${program.market}.`,
    };
  if (m.value < offer.price)
    return {
      field: field("value"),
      message: `${field("value")} is ${m.value}, less than the ${offer.price} the offer may spend.`,
    };
  if (m.deadline < offer.expiry)
    return {
      field: field("deadline"),
      message: `${field("deadline")} is ${m.deadline}, before the offer's expiry ${offer.expiry}: the permit must last as long as the offer.`,
    };
  let domain: TypedDataDomain;
  let nonce: bigint;
  try {
    [domain, nonce] = await Promise.all([
      cachedTokenDomain(client, m.token),
      readContract(client, { address: m.token, abi: permitNonceAbi, functionName: "nonces", args: [m.owner] }),
    ]);
  } catch (error) {
    if (faultOf(error)) throw error;
    return {
      field: field("token"),
      message: `${field("token")} ${m.token} does not support ERC-2612 permits (no eip712Domain or nonces).`,
    };
  }
  let signer: Address | undefined;
  try {
    signer = await recoverTypedDataAddress({
      domain,
      types: permitTypes,
      primaryType: "Permit",
      message: { owner: m.owner, spender: m.spender, value: m.value, nonce: m.nonce, deadline: m.deadline },
      signature: permit.signature,
    });
  } catch {
    signer = undefined;
  }
  if (!signer || !isAddressEqual(signer, m.owner))
    return {
      field: "permit.signature",
      message: `permit.signature is not ${m.owner}'s signature of this permit for token ${m.token} on chain ${program.chainId}.`,
    };
  if (m.nonce !== nonce)
    return {
      field: field("nonce"),
      message: `${field("nonce")} is ${m.nonce}, but the token's nonce for ${m.owner} is ${nonce}: the permit was used or replaced; sign a new one.`,
    };
  return undefined;
}
