import { hashTypedData, type Address, type Hex, type TypedDataDefinition, type TypedDataDomain } from "viem";
import type { Program } from "../program.js";

// The EIP-712 types of Market orders: the same fields, in the same order, as the TYPEHASH strings in
// contracts/interfaces/IMarket.sol (a test checks the SDK's hashes against the contract's).

export const listingTypes = {
  Listing: [
    { name: "seller", type: "address" },
    { name: "tokenId", type: "uint256" },
    { name: "price", type: "uint256" },
    { name: "minSellerAmount", type: "uint256" },
    { name: "currency", type: "address" },
    { name: "expiry", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "tokenNonce", type: "uint256" },
    { name: "salt", type: "bytes32" },
  ],
} as const;

export const offerTypes = {
  Offer: [
    { name: "buyer", type: "address" },
    { name: "seriesId", type: "uint256" },
    { name: "tokenId", type: "uint256" },
    { name: "price", type: "uint256" },
    { name: "maxFees", type: "uint256" },
    { name: "currency", type: "address" },
    { name: "expiry", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "salt", type: "bytes32" },
  ],
} as const;

export const swapOrderTypes = {
  SwapOrder: [
    { name: "maker", type: "address" },
    { name: "makerTokenId", type: "uint256" },
    { name: "makerTokenNonce", type: "uint256" },
    { name: "wantedSeriesId", type: "uint256" },
    { name: "wantedTokenId", type: "uint256" },
    { name: "maxFees", type: "uint256" },
    { name: "expiry", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "salt", type: "bytes32" },
  ],
} as const;

/** A member's signed offer to sell one stamp. */
export interface Listing {
  seller: Address;
  tokenId: bigint;
  price: bigint;
  /** The least the seller accepts once the royalty and the market fee are taken; raised fees stop the listing. */
  minSellerAmount: bigint;
  /** Zero address: the chain's native coin. */
  currency: Address;
  expiry: bigint;
  nonce: bigint;
  tokenNonce: bigint;
  salt: Hex;
}

/** A member's signed bid for one stamp (tokenId) or any stamp of a series (tokenId 0), in an ERC-20. */
export interface Offer {
  buyer: Address;
  seriesId: bigint;
  tokenId: bigint;
  price: bigint;
  /** The most royalty + market fee the sale may take out of the price (what the holder who accepts pays in fees). */
  maxFees: bigint;
  currency: Address;
  expiry: bigint;
  nonce: bigint;
  salt: Hex;
}

/** A member's signed "my stamp for one of yours" (wantedTokenId 0: any stamp of wantedSeriesId). */
export interface SwapOrder {
  maker: Address;
  makerTokenId: bigint;
  makerTokenNonce: bigint;
  wantedSeriesId: bigint;
  wantedTokenId: bigint;
  /** The most Points the taker pays for the swap: swap fee + royalty. */
  maxFees: bigint;
  expiry: bigint;
  nonce: bigint;
  salt: Hex;
}

/** An order with its signature and EIP-712 hash: what a member shares for others to fill. */
export interface Signed<Order> {
  order: Order;
  signature: Hex;
  orderHash: Hex;
}

/** The Market's three kinds of order, by the name every API uses for them. */
export interface OrderKinds {
  listing: Listing;
  offer: Offer;
  swap: SwapOrder;
}
export type OrderKind = keyof OrderKinds;

/**
 * One Market order, keyed on its kind: the one vocabulary of the SDK, the order book, the relayer and the wire.
 *
 * @example
 * const order: Order = { kind: "listing", order: listing.order };
 */
export type Order<Kind extends OrderKind = OrderKind> = { [K in Kind]: { kind: K; order: OrderKinds[K] } }[Kind];

/** A signed order named by its kind, as the member's actions and getOrderStatus take it: `{ listing }`, `{ offer }` or `{ swap }`. */
export type SignedOrder = { listing: Signed<Listing> } | { offer: Signed<Offer> } | { swap: Signed<SwapOrder> };

/**
 * The order of a signed order named by its kind, in the one vocabulary, with its signature and hash.
 *
 * @example
 * const { order, signature } = fromSignedOrder({ listing }); // order: { kind: "listing", order: listing.order }
 */
export function fromSignedOrder(signed: SignedOrder): { order: Order; signature: Hex; orderHash: Hex } {
  if ("listing" in signed)
    return {
      order: { kind: "listing", order: signed.listing.order },
      signature: signed.listing.signature,
      orderHash: signed.listing.orderHash,
    };
  if ("offer" in signed)
    return {
      order: { kind: "offer", order: signed.offer.order },
      signature: signed.offer.signature,
      orderHash: signed.offer.orderHash,
    };
  return {
    order: { kind: "swap", order: signed.swap.order },
    signature: signed.swap.signature,
    orderHash: signed.swap.orderHash,
  };
}

/** The order's signer: the seller of a listing, the buyer of an offer, the maker of a swap. */
export function orderSigner(order: Order): Address {
  return order.kind === "listing" ? order.order.seller : order.kind === "offer" ? order.order.buyer : order.order.maker;
}

/**
 * The order's EIP-712 typed data on this program's chain and Market: what its signer signs. viem's functions take
 * it in the general form, so it is answered as one.
 *
 * @example
 * await verifyTypedData(client, { address: orderSigner(order), ...orderTypedData(program, order), signature });
 */
export function orderTypedData(program: Program, order: Order): TypedDataDefinition {
  const domain = marketDomain(program);
  const typedData =
    order.kind === "listing"
      ? ({ domain, types: listingTypes, primaryType: "Listing", message: order.order } as const)
      : order.kind === "offer"
        ? ({ domain, types: offerTypes, primaryType: "Offer", message: order.order } as const)
        : ({ domain, types: swapOrderTypes, primaryType: "SwapOrder", message: order.order } as const);
  return typedData as unknown as TypedDataDefinition;
}

/**
 * The order's EIP-712 hash on this program's chain and Market: what the Market's hashListing/hashOffer/hashSwapOrder
 * return, and what the Market records the order under.
 *
 * @example
 * const orderHash = hashOrder(program, { kind: "listing", order: listing });
 */
export function hashOrder(program: Program, order: Order): Hex {
  return hashTypedData(orderTypedData(program, order));
}

/**
 * The Market's EIP-712 domain: name, version, chain and address, so an order is valid on one Market only.
 *
 * @example
 * hashTypedData({ domain: marketDomain(program), types: listingTypes, primaryType: "Listing", message: listing });
 */
export function marketDomain(program: Program): TypedDataDomain {
  return { name: "Punchcard Market", version: "1", chainId: program.chainId, verifyingContract: program.market };
}

// The EIP-712 types of signed cancellations: the same fields as CANCEL_ORDER_TYPEHASH and CANCEL_ALL_TYPEHASH in
// contracts/interfaces/IMarket.sol. A relayer submits them (`relayCancel`), so a member cancels without gas.

export const cancelOrderTypes = {
  CancelOrder: [
    { name: "orderHash", type: "bytes32" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export const cancelAllOrdersTypes = {
  CancelAllOrders: [
    { name: "signer", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;
