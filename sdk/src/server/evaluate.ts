import type { Hex } from "viem";
import { readContract } from "viem/actions";
import { toPunchcardError } from "../errors.js";
import { marketAbi } from "../generated/abis.js";
import type { Program, ReadClient } from "../program.js";
import { getOrderStatus } from "../read/getOrderStatus.js";
import { decodeStampId, encodeStampId } from "../utils/stampId.js";
import type { BookOrder } from "./api.js";

/** Where an order stands for the book: open, or a status, a code for programs and a sentence for people. */
export type Evaluation =
  | { open: true; orderHash: Hex }
  | {
      open: false;
      orderHash: Hex | undefined;
      status: "filled" | "cancelled" | "expired" | "stale";
      /** invalid_order, bad_signature, expired, filled, cancelled, nonce_bumped, stamp_moved, unfunded, refused_by_market, fees_raised */
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
 * Everything the book checks of a signed order, against the chain now: its shape, the SDK's getOrderStatus
 * (signature for this chain and Market, ERC-1271 too; expiry; the Market's record; nonce; the stamp's holder and
 * transfer count; an offer's balance and allowance), then the Market's quote: the brand's price bounds and minimum
 * royalty (the quote reverts with the SDK's sentence) and what the signer agreed to (minSellerAmount, maxFees).
 */
export async function evaluateOrder(client: ReadClient, program: Program, book: BookOrder): Promise<Evaluation> {
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
  let status;
  try {
    status = await getOrderStatus(client, { program, order });
  } catch (error) {
    // A stamp id that decodes to no series, a currency that is not an ERC-20: the chain refuses to answer.
    return refuse(undefined, "stale", "refused_by_market", toPunchcardError(error).shortMessage);
  }
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
    case "unfunded":
      return refuse(orderHash, "stale", "unfunded", status.reason!);
    case "open":
      break;
  }
  try {
    if (book.kind === "listing") {
      const { tokenId, currency, price, minSellerAmount } = book.signed.order;
      const [sellerAmount] = await readContract(client, {
        ...market,
        functionName: "quoteSale",
        args: [tokenId, currency, price],
      });
      if (sellerAmount < minSellerAmount)
        return refuse(
          orderHash,
          "stale",
          "fees_raised",
          `The Market would now pay the seller ${sellerAmount}, less than the ${minSellerAmount} they signed for: the royalty or the fee went up.`,
        );
    } else if (book.kind === "offer") {
      const { tokenId, seriesId, currency, price, maxFees } = book.signed.order;
      const quoted = tokenId === 0n ? encodeStampId(seriesId, 1n) : tokenId;
      const [, royalty, fee] = await readContract(client, {
        ...market,
        functionName: "quoteSale",
        args: [quoted, currency, price],
      });
      if (royalty + fee > maxFees)
        return refuse(
          orderHash,
          "stale",
          "fees_raised",
          `The sale would now take ${royalty + fee} in royalty and fee, more than the ${maxFees} the offer accepts.`,
        );
    } else {
      const { makerTokenId, wantedTokenId, wantedSeriesId, maxFees } = book.signed.order;
      const quoted = wantedTokenId === 0n ? encodeStampId(wantedSeriesId, 1n) : wantedTokenId;
      const [fee, royalty] = await readContract(client, { ...market, functionName: "quoteSwap", args: [makerTokenId, quoted] });
      if (fee + royalty > maxFees)
        return refuse(
          orderHash,
          "stale",
          "fees_raised",
          `The swap would now cost the taker ${fee + royalty} Points, more than the ${maxFees} it accepts.`,
        );
    }
  } catch (error) {
    return refuse(orderHash, "stale", "refused_by_market", toPunchcardError(error).shortMessage);
  }
  return { open: true, orderHash };
}
