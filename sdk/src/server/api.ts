import { getAddress, type Hex } from "viem";
import { z } from "zod";
import type { PointsPermit, SignedIntent } from "../types/intents.js";
import type { Listing, Offer, Signed, SwapOrder } from "../types/orders.js";

// The program server's HTTP API, as zod schemas: the server validates requests with them, the typed client
// (createProgramServerClient) builds and reads them, and /openapi.json is generated from them. Browser-safe:
// nothing here imports Node.
//
// On the wire every integer is a decimal string (uint256 does not fit a JSON number), every address and hex
// value a 0x string.

const UINT256_MAX = (1n << 256n) - 1n;

/** A uint256 as a decimal string: no sign, no leading zero, at most 2^256 - 1. */
export const uintSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, 'must be a whole number written in decimal digits, e.g. "200"')
  // zod runs every check even after the pattern failed: convert only what matched it.
  .refine((s) => !/^[0-9]+$/.test(s) || BigInt(s) <= UINT256_MAX, "must be at most 2^256 - 1")
  .meta({ description: "A uint256 as a decimal string", example: "200" });

export const addressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x address of 20 bytes")
  .meta({ description: "An address, 0x and 40 hex digits", example: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" });

export const bytes32Schema = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be 0x and 64 hex digits");

export const signatureSchema = z
  .string()
  .regex(/^0x([0-9a-fA-F]{2}){1,2048}$/, "must be a 0x hex signature")
  .meta({ description: "An EIP-712 signature (65 bytes), or an ERC-1271 wallet's signature" });

export const listingWireSchema = z.strictObject({
  seller: addressSchema,
  tokenId: uintSchema,
  price: uintSchema,
  minSellerAmount: uintSchema,
  currency: addressSchema,
  expiry: uintSchema,
  nonce: uintSchema,
  tokenNonce: uintSchema,
  salt: bytes32Schema,
});

export const offerWireSchema = z.strictObject({
  buyer: addressSchema,
  seriesId: uintSchema,
  tokenId: uintSchema,
  price: uintSchema,
  maxFees: uintSchema,
  currency: addressSchema,
  expiry: uintSchema,
  nonce: uintSchema,
  salt: bytes32Schema,
});

export const swapOrderWireSchema = z.strictObject({
  maker: addressSchema,
  makerTokenId: uintSchema,
  makerTokenNonce: uintSchema,
  wantedSeriesId: uintSchema,
  wantedTokenId: uintSchema,
  maxFees: uintSchema,
  expiry: uintSchema,
  nonce: uintSchema,
  salt: bytes32Schema,
});

/** A member's ERC-2612 permit (signPointsPermit): what lets the Market pull their Points or permit currency. */
export const permitSchema = z
  .strictObject({
    message: z.strictObject({
      token: addressSchema,
      owner: addressSchema,
      spender: addressSchema,
      value: uintSchema,
      nonce: uintSchema,
      deadline: uintSchema,
    }),
    signature: signatureSchema,
  })
  .meta({ id: "Permit", description: "An ERC-2612 permit as the SDK's signPointsPermit makes it" });

/** A member's permit on a relayed trade, sent before it only if their allowance is short. */
const permitWireSchema = permitSchema.optional();

/** The body of `POST /orders`: one signed order of a kind. */
export const postOrderSchema = z
  .discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("listing"), order: listingWireSchema, signature: signatureSchema }),
    z.strictObject({
      kind: z.literal("offer"),
      order: offerWireSchema,
      signature: signatureSchema,
      permit: permitSchema.optional().meta({
        description:
          "The buyer's permit for the offer's currency (signPointsPermit, spender the Market, value at least the price, deadline at least the expiry): the book counts the allowance it grants, and the relayer submits it before the trade if the allowance is then short. Lets a member with no allowance bid.",
      }),
    }),
    z.strictObject({ kind: z.literal("swap"), order: swapOrderWireSchema, signature: signatureSchema }),
  ])
  .meta({
    id: "PostOrder",
    description:
      "A signed listing, offer (with the buyer's permit, optionally) or swap, as the SDK's listStamp/makeOffer/proposeSwap make it",
  });
export type PostOrderBody = z.infer<typeof postOrderSchema>;
export type OrderKind = PostOrderBody["kind"];

export const ORDER_STATUSES = ["open", "filled", "cancelled", "expired", "stale"] as const;
export type BookOrderStatus = (typeof ORDER_STATUSES)[number];

/** One order of the book as the server answers it. */
export const orderViewSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("listing"), order: listingWireSchema }),
    z.object({ kind: z.literal("offer"), order: offerWireSchema, permit: permitSchema.optional() }),
    z.object({ kind: z.literal("swap"), order: swapOrderWireSchema }),
  ])
  .and(
    z.object({
      orderHash: bytes32Schema,
      signature: signatureSchema,
      status: z.enum(ORDER_STATUSES),
      reason: z.string().optional().meta({ description: "Why the order is not open, in a sentence" }),
      createdAt: z.string().meta({ description: "When the server accepted it, ISO 8601" }),
    }),
  )
  .meta({ id: "Order" });
export type OrderView = z.infer<typeof orderViewSchema>;

export const orderPageSchema = z
  .object({
    orders: z.array(orderViewSchema),
    nextCursor: z.string().optional().meta({ description: "Pass as ?cursor= for the next page; absent on the last" }),
  })
  .meta({ id: "OrderPage" });
export type OrderPage = z.infer<typeof orderPageSchema>;

export const errorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .meta({ id: "Error", description: "Every refusal: a code for programs and a sentence for people" });
export type ErrorBody = z.infer<typeof errorSchema>;

const limitSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,2}$/, "must be a whole number from 1 to 100")
  .refine((s) => Number(s) <= 100, "must be at most 100")
  .optional();
const cursorSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,400}$/, "must be a cursor this server returned")
  .optional();

export const listingsQuerySchema = z.strictObject({
  seriesId: uintSchema,
  currency: addressSchema.optional().meta({ description: "Default: the native coin (zero address)" }),
  cursor: cursorSchema,
  limit: limitSchema,
});
export const bestListingsQuerySchema = z.strictObject({ currency: addressSchema.optional() });
export const offersQuerySchema = z
  .strictObject({ tokenId: uintSchema.optional(), seriesId: uintSchema.optional(), cursor: cursorSchema, limit: limitSchema })
  .refine((q) => (q.tokenId === undefined) !== (q.seriesId === undefined), "give exactly one of tokenId and seriesId");
export const swapsQuerySchema = z.strictObject({ wantedSeriesId: uintSchema, cursor: cursorSchema, limit: limitSchema });
export const pageQuerySchema = z.strictObject({ cursor: cursorSchema, limit: limitSchema });

export const healthSchema = z
  .object({ ok: z.boolean(), chainId: z.number(), lastBlock: uintSchema.optional(), openOrders: z.number() })
  .meta({ id: "Health" });
export type Health = z.infer<typeof healthSchema>;

// ---- Relay: each action a member signs and the brand's relayer submits ----

const signedConsentOf = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.strictObject({ message: z.strictObject(shape), signature: signatureSchema });

const signedIntentOf = signedConsentOf;

/** A signed order as the SDK returns it; `orderHash` may come along and is recomputed by the server anyway. */
const signedOrderOf = <Order extends z.ZodType>(order: Order) =>
  z.strictObject({ order, signature: signatureSchema, orderHash: bytes32Schema.optional() });

/** The bodies of `POST /relay/<action>`, by action. Adding a relayed action starts here. */
export const relaySchemas = {
  redeemVoucher: z.strictObject({
    voucher: z.strictObject({
      order: z.strictObject({
        member: addressSchema,
        journeyId: bytes32Schema,
        stamps: uintSchema,
        points: uintSchema,
        expiry: uintSchema,
        voucherId: bytes32Schema,
        referee: addressSchema,
      }),
      signature: signatureSchema,
    }),
  }),
  consentChange: z.strictObject({
    change: signedConsentOf({ wallet: addressSchema, purposes: uintSchema, nonce: uintSchema, deadline: uintSchema }),
    guardianSignature: signatureSchema.optional(),
  }),
  guardianChange: z.strictObject({
    change: signedConsentOf({
      wallet: addressSchema,
      oldGuardian: addressSchema,
      newGuardian: addressSchema,
      nonce: uintSchema,
      deadline: uintSchema,
    }),
    newGuardianSignature: signatureSchema,
  }),
  guardianWithdrawal: z.strictObject({
    withdrawal: signedConsentOf({
      wallet: addressSchema,
      guardian: addressSchema,
      purposes: uintSchema,
      nonce: uintSchema,
      deadline: uintSchema,
    }),
  }),
  // Trades: what the member signed (an intent, an order, an optional ERC-2612 permit); the relayer submits it.
  marketApproval: z.strictObject({
    approval: signedIntentOf({
      owner: addressSchema,
      operator: addressSchema,
      approved: z.boolean(),
      nonce: uintSchema,
      deadline: uintSchema,
    }),
  }),
  buy: z
    .strictObject({
      listing: signedOrderOf(listingWireSchema),
      purchase: signedOrderOf(offerWireSchema),
      permit: permitWireSchema,
    })
    .meta({ description: "The buyer's signed purchase (signPurchase) of a signed listing; the buyer's quota" }),
  acceptOffer: z
    .strictObject({ offer: signedOrderOf(offerWireSchema), listing: signedOrderOf(listingWireSchema), permit: permitWireSchema })
    .meta({ description: "The seller's signed listing at an offer's price, matched with the offer; the seller's quota" }),
  swap: z
    .strictObject({
      order: signedOrderOf(swapOrderWireSchema),
      counterOrder: signedOrderOf(swapOrderWireSchema),
      permit: permitWireSchema,
    })
    .meta({ description: "A swap order and the taker's counter-order (the taker pays the fees); the taker's quota" }),
  cancel: z.strictObject({
    cancellation: z.strictObject({
      message: z.strictObject({ orderHash: bytes32Schema, deadline: uintSchema }),
      signature: signatureSchema,
      // The order cancelled (signCancel keeps the order's own signature along; it is not needed and not used).
      order: z.discriminatedUnion("kind", [
        z.strictObject({ kind: z.literal("listing"), order: listingWireSchema, signature: signatureSchema.optional() }),
        z.strictObject({ kind: z.literal("offer"), order: offerWireSchema, signature: signatureSchema.optional() }),
        z.strictObject({ kind: z.literal("swap"), order: swapOrderWireSchema, signature: signatureSchema.optional() }),
      ]),
    }),
  }),
  cancelAll: z.strictObject({
    cancellation: signedIntentOf({ signer: addressSchema, nonce: uintSchema, deadline: uintSchema }),
  }),
  redeem: z.strictObject({
    redemption: signedIntentOf({
      member: addressSchema,
      amount: uintSchema,
      rewardId: bytes32Schema,
      nonce: uintSchema,
      deadline: uintSchema,
    }),
  }),
} as const;
export type RelayAction = keyof typeof relaySchemas;
export type RelayBody<Action extends RelayAction> = z.infer<(typeof relaySchemas)[Action]>;

export const relayResultSchema = z
  .object({
    hash: bytes32Schema.meta({ description: "The relayer's transaction" }),
    member: addressSchema,
    remainingToday: z.number().meta({ description: "Relayed actions the member has left today (UTC)" }),
    permitHash: bytes32Schema
      .optional()
      .meta({ description: "The member's permit, when the relayer had to submit it before the trade" }),
  })
  .meta({ id: "RelayResult" });
export type RelayResult = z.infer<typeof relayResultSchema>;

// ---- Conversions between the SDK's types and the wire ----

/** Every bigint as a decimal string, recursively: what the wire carries. */
export type Wire<T> = T extends bigint
  ? string
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/**
 * A value with every bigint written as a decimal string, for a request body.
 *
 * @example
 * toWire({ price: 200n }); // { price: "200" }
 */
export function toWire<T>(value: T): Wire<T> {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as Wire<T>;
}

const bigintFields = new Set([
  "tokenId",
  "price",
  "minSellerAmount",
  "expiry",
  "nonce",
  "tokenNonce",
  "seriesId",
  "maxFees",
  "makerTokenId",
  "makerTokenNonce",
  "wantedSeriesId",
  "wantedTokenId",
  "stamps",
  "points",
  "purposes",
  "deadline",
  "value",
  "amount",
]);
const addressFields = new Set([
  "seller",
  "buyer",
  "maker",
  "currency",
  "member",
  "referee",
  "wallet",
  "guardian",
  "oldGuardian",
  "newGuardian",
  "owner",
  "operator",
  "spender",
  "token",
  "signer",
]);

/**
 * An order or message read from the wire, with its integers as bigints and its addresses checksummed.
 *
 * @example
 * const listing = fromWire<Listing>(body.order);
 */
export function fromWire<T>(value: Record<string, unknown>): T {
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      bigintFields.has(k) && typeof v === "string"
        ? BigInt(v)
        : addressFields.has(k) && typeof v === "string"
          ? getAddress(v)
          : v,
    ]),
  ) as T;
}

/**
 * A permit read from the wire, in the SDK's types.
 *
 * @example
 * const permit = permitFromWire(body.permit); // SignedIntent<PointsPermit>
 */
export function permitFromWire(wire: z.infer<typeof permitSchema>): SignedIntent<PointsPermit> {
  return { message: fromWire<PointsPermit>(wire.message), signature: wire.signature as Hex };
}

/** An order read back from the server, in the SDK's types: what buyStamp/acceptOffer/fillSwap take. */
export type BookOrder =
  | { kind: "listing"; signed: Signed<Listing> }
  | { kind: "offer"; signed: Signed<Offer>; permit?: SignedIntent<PointsPermit> }
  | { kind: "swap"; signed: Signed<SwapOrder> };

/** What the typed client returns for one order: the signed order in SDK types, and its status. */
export type BookEntry = BookOrder & {
  status: BookOrderStatus;
  reason?: string;
  createdAt: string;
};

/**
 * The SDK's form of an order the server answered.
 *
 * @example
 * const { signed } = toBookEntry(view); // signed: Signed<Listing> when view.kind is "listing"
 */
export function toBookEntry(view: OrderView): BookEntry {
  const signature = view.signature as Hex;
  const orderHash = view.orderHash as Hex;
  const common = {
    status: view.status,
    createdAt: view.createdAt,
    ...(view.reason === undefined ? {} : { reason: view.reason }),
  };
  if (view.kind === "listing")
    return { kind: "listing", signed: { order: fromWire<Listing>(view.order), signature, orderHash }, ...common };
  if (view.kind === "offer")
    return {
      kind: "offer",
      signed: { order: fromWire<Offer>(view.order), signature, orderHash },
      ...(view.permit === undefined ? {} : { permit: permitFromWire(view.permit) }),
      ...common,
    };
  return { kind: "swap", signed: { order: fromWire<SwapOrder>(view.order), signature, orderHash }, ...common };
}
