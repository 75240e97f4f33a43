import { erc20Abi, isAddressEqual, zeroAddress, type Address, type Hex } from "viem";
import { getBlock, readContract, verifyTypedData } from "viem/actions";
import { marketAbi, stampsAbi } from "../generated/abis.js";
import type { Program, ReadClient } from "../program.js";
import {
  listingTypes,
  marketDomain,
  offerTypes,
  swapOrderTypes,
  type Listing,
  type Offer,
  type Signed,
  type SwapOrder,
} from "../types/orders.js";

/** One of a member's signed orders, by kind. */
export type SignedOrder = { listing: Signed<Listing> } | { offer: Signed<Offer> } | { swap: Signed<SwapOrder> };

/**
 * Where an order stands. `open`: it can be filled now. Otherwise why not, for good (`filled`, `cancelled`,
 * `expired`, `stale`: the stamp moved or the signer bumped their nonce; `invalid`: not signed by its signer on
 * this chain and Market) or for now (`unfunded`: the offer's buyer lacks the balance or allowance).
 */
export type OrderState = "open" | "filled" | "cancelled" | "expired" | "stale" | "invalid" | "unfunded";

export interface GetOrderStatusParameters {
  program: Program;
  order: SignedOrder;
}

export interface GetOrderStatusReturnType {
  state: OrderState;
  /** The order's EIP-712 hash, as the Market computes it. */
  orderHash: Hex;
  /** A sentence a person can act on, for any state but `open`. */
  reason?: string;
}

/**
 * Whether a signed order can be filled now, and if not why, from the chain's state and the chain's clock: the
 * signature (EIP-712 for this chain and Market; ERC-1271 wallets too), expiry, the signer's nonce, the Market's
 * record (filled, cancelled), the stamp's holder and transfer count, and an offer's funding. What an order book
 * checks before it shows an order, and after every block.
 *
 * @example
 * const { state, reason } = await getOrderStatus(client, { program, order: { listing } });
 * if (state !== "open") console.log(`not for sale: ${reason}`);
 */
export async function getOrderStatus(
  client: ReadClient,
  { program, order }: GetOrderStatusParameters,
): Promise<GetOrderStatusReturnType> {
  const market = { address: program.market, abi: marketAbi } as const;
  const stamps = { address: program.stamps, abi: stampsAbi } as const;
  const signed = "listing" in order ? order.listing : "offer" in order ? order.offer : order.swap;
  const signer =
    "listing" in order ? order.listing.order.seller : "offer" in order ? order.offer.order.buyer : order.swap.order.maker;

  const orderHash =
    "listing" in order
      ? await readContract(client, { ...market, functionName: "hashListing", args: [order.listing.order] })
      : "offer" in order
        ? await readContract(client, { ...market, functionName: "hashOffer", args: [order.offer.order] })
        : await readContract(client, { ...market, functionName: "hashSwapOrder", args: [order.swap.order] });
  const answer = (state: OrderState, reason?: string): GetOrderStatusReturnType =>
    reason === undefined ? { state, orderHash } : { state, orderHash, reason };

  const domain = marketDomain(program);
  const valid =
    "listing" in order
      ? await verifyTypedData(client, {
          address: signer,
          domain,
          types: listingTypes,
          primaryType: "Listing",
          message: order.listing.order,
          signature: signed.signature,
        })
      : "offer" in order
        ? await verifyTypedData(client, {
            address: signer,
            domain,
            types: offerTypes,
            primaryType: "Offer",
            message: order.offer.order,
            signature: signed.signature,
          })
        : await verifyTypedData(client, {
            address: signer,
            domain,
            types: swapOrderTypes,
            primaryType: "SwapOrder",
            message: order.swap.order,
            signature: signed.signature,
          });
  if (!valid)
    return answer("invalid", `The signature is not ${signer}'s over this order, on chain ${program.chainId} and this Market.`);

  const status = await readContract(client, { ...market, functionName: "orderStatus", args: [orderHash] });
  if (status === 1) return answer("filled", "The offer was already accepted.");
  if (status === 2) return answer("cancelled", "Its signer cancelled it.");

  const now = (await getBlock(client, { blockTag: "latest" })).timestamp;
  if (signed.order.expiry <= now)
    return answer("expired", `It expired at ${new Date(Number(signed.order.expiry) * 1000).toISOString()}.`);

  const nonce = await readContract(client, { ...market, functionName: "nonces", args: [signer] });
  if (nonce !== signed.order.nonce) return answer("stale", `${signer} cancelled all their orders since signing it.`);

  // A listing or a swap offers a stamp: it must still be the signer's, unmoved since signing.
  const offered: { tokenId: bigint; tokenNonce: bigint } | undefined =
    "listing" in order
      ? { tokenId: order.listing.order.tokenId, tokenNonce: order.listing.order.tokenNonce }
      : "swap" in order
        ? { tokenId: order.swap.order.makerTokenId, tokenNonce: order.swap.order.makerTokenNonce }
        : undefined;
  if (offered) {
    const holder = await readContract(client, { ...stamps, functionName: "ownerOf", args: [offered.tokenId] }).catch(
      () => zeroAddress as Address,
    );
    if (!isAddressEqual(holder, signer)) return answer("stale", `Stamp ${offered.tokenId} is no longer ${signer}'s.`);
    const moves = await readContract(client, { ...stamps, functionName: "transferCount", args: [offered.tokenId] });
    if (moves !== offered.tokenNonce) return answer("stale", `Stamp ${offered.tokenId} has moved since the order was signed.`);
  }

  // An offer pays from the buyer's balance through the Market's allowance.
  if ("offer" in order) {
    const { currency, price, buyer } = order.offer.order;
    const token = { address: currency, abi: erc20Abi } as const;
    const [balance, allowance] = await Promise.all([
      readContract(client, { ...token, functionName: "balanceOf", args: [buyer] }),
      readContract(client, { ...token, functionName: "allowance", args: [buyer, program.market] }),
    ]);
    if (balance < price) return answer("unfunded", `${buyer} holds ${balance} of ${currency}, less than the ${price} offered.`);
    if (allowance < price)
      return answer("unfunded", `${buyer} lets the Market spend ${allowance} of ${currency}, less than the ${price} offered.`);
  }
  return answer("open");
}
