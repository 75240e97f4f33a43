import { getAddress, type Address, type Hex } from "viem";
import { z } from "zod";
import type { VoucherMessage } from "../types/rewards.js";
import type { GuardianChangeMessage, GuardianWithdrawalMessage, PurposesChangeMessage } from "../types/consent.js";
import type {
  AllOrdersCancellation,
  MarketApproval,
  OrderCancellation,
  PointsPermit,
  Redemption,
  SignedIntent,
} from "../types/intents.js";
import type { Listing, Offer, Order, OrderKind, Signed, SwapOrder } from "../types/orders.js";

// The program server's HTTP API as zod schemas, one per shape on the wire. Each is a codec between the wire and
// the SDK's types: parsing (decoding) a body answers bigints, checksummed addresses and 0x strings; `z.encode`
// writes the SDK's values back as the wire carries them. The server validates with them, the typed client
// (createProgramServerClient) writes and reads with them, and /openapi.json is generated from them (their wire
// side). Browser-safe: nothing here imports Node.
//
// On the wire every integer is a decimal string (uint256 does not fit a JSON number), every address and hex
// value a 0x string.

const UINT256_MAX = (1n << 256n) - 1n;

/** A uint256: on the wire a decimal string (no sign, no leading zero, at most 2^256 - 1), in the SDK a bigint. */
export const uintSchema = z.codec(
  z
    .string()
    .regex(/^(0|[1-9][0-9]{0,77})$/, 'must be a whole number written in decimal digits, e.g. "200"')
    // zod runs every check even after the pattern failed: convert only what matched it.
    .refine((s) => !/^[0-9]+$/.test(s) || BigInt(s) <= UINT256_MAX, "must be at most 2^256 - 1")
    .meta({ description: "A uint256 as a decimal string", example: "200" }),
  z.bigint(),
  { decode: (s) => BigInt(s), encode: (n) => n.toString() },
);

const isString = (value: unknown): value is string => typeof value === "string";

/** An address: on the wire 0x and 40 hex digits in any case, in the SDK checksummed. */
export const addressSchema = z.codec(
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x address of 20 bytes")
    .meta({ description: "An address, 0x and 40 hex digits", example: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" }),
  z.custom<Address>(isString),
  { decode: (s) => getAddress(s), encode: (a) => a },
);

/** A 0x string the SDK types as Hex: the wire and the SDK carry it alike. */
const hexOf = (wire: z.ZodString) => z.codec(wire, z.custom<Hex>(isString), { decode: (s) => s as Hex, encode: (h) => h });

export const bytes32Schema = hexOf(z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be 0x and 64 hex digits"));

export const signatureSchema = hexOf(
  z
    .string()
    .regex(/^0x([0-9a-fA-F]{2}){1,2048}$/, "must be a 0x hex signature")
    .meta({ description: "An EIP-712 signature (65 bytes), or an ERC-1271 wallet's signature" }),
);

// Each message schema answers its SDK type (`satisfies`): a field added to the type and not here, or left a
// string here, fails to compile. No schema carries an `id`: the OpenAPI document writes each in place, so every
// schema in it stands alone (a validator given one schema of it needs nothing else).

export const listingSchema = z.strictObject({
  seller: addressSchema,
  tokenId: uintSchema,
  price: uintSchema,
  minSellerAmount: uintSchema,
  currency: addressSchema,
  expiry: uintSchema,
  nonce: uintSchema,
  tokenNonce: uintSchema,
  salt: bytes32Schema,
}) satisfies z.ZodType<Listing>;

export const offerSchema = z.strictObject({
  buyer: addressSchema,
  seriesId: uintSchema,
  tokenId: uintSchema,
  price: uintSchema,
  maxFees: uintSchema,
  currency: addressSchema,
  expiry: uintSchema,
  nonce: uintSchema,
  salt: bytes32Schema,
}) satisfies z.ZodType<Offer>;

export const swapOrderSchema = z.strictObject({
  maker: addressSchema,
  makerTokenId: uintSchema,
  makerTokenNonce: uintSchema,
  wantedSeriesId: uintSchema,
  wantedTokenId: uintSchema,
  maxFees: uintSchema,
  expiry: uintSchema,
  nonce: uintSchema,
  salt: bytes32Schema,
}) satisfies z.ZodType<SwapOrder>;

/** The schema of each kind of order. */
export const orderSchemas = { listing: listingSchema, offer: offerSchema, swap: swapOrderSchema } as const;

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
    }) satisfies z.ZodType<PointsPermit>,
    signature: signatureSchema,
  })
  .meta({
    description: "An ERC-2612 permit as the SDK's signPointsPermit makes it",
  }) satisfies z.ZodType<SignedIntent<PointsPermit>>;

/** The body of `POST /orders`: one signed order of a kind. */
export const postOrderSchema = z
  .discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("listing"), order: listingSchema, signature: signatureSchema }),
    z.strictObject({
      kind: z.literal("offer"),
      order: offerSchema,
      signature: signatureSchema,
      permit: permitSchema.optional().meta({
        description:
          "The buyer's permit for the offer's currency (signPointsPermit, spender the Market, value at least the price, deadline at least the expiry): the book counts the allowance it grants, and the relayer submits it before the trade if the allowance is then short. Lets a member with no allowance bid.",
      }),
    }),
    z.strictObject({ kind: z.literal("swap"), order: swapOrderSchema, signature: signatureSchema }),
  ])
  .meta({
    description:
      "A signed listing, offer (with the buyer's permit, optionally) or swap, as the SDK's listStamp/makeOffer/proposeSwap make it",
  });
/** The body of `POST /orders` as the wire carries it. */
export type PostOrderBody = z.input<typeof postOrderSchema>;
/** The body of `POST /orders` in the SDK's types: an order, its signature and an offer's permit. */
export type PostedOrder = z.output<typeof postOrderSchema>;

export const ORDER_STATUSES = ["open", "filled", "cancelled", "expired", "stale"] as const;
export type BookOrderStatus = (typeof ORDER_STATUSES)[number];

/** One order of the book as the server answers it. */
export const orderViewSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("listing"), order: listingSchema }),
    z.object({ kind: z.literal("offer"), order: offerSchema, permit: permitSchema.optional() }),
    z.object({ kind: z.literal("swap"), order: swapOrderSchema }),
  ])
  .and(
    z.object({
      orderHash: bytes32Schema,
      signature: signatureSchema,
      status: z.enum(ORDER_STATUSES),
      reason: z.string().optional().meta({ description: "Why the order is not open, in a sentence" }),
      createdAt: z.string().meta({ description: "When the server accepted it, ISO 8601" }),
    }),
  );
/** One order of the book as the wire carries it. */
export type OrderView = z.input<typeof orderViewSchema>;

export const orderPageSchema = z.object({
  orders: z.array(orderViewSchema),
  nextCursor: z.string().optional().meta({ description: "Pass as ?cursor= for the next page; absent on the last" }),
});
export type OrderPage = z.input<typeof orderPageSchema>;

/** The answer of `GET /listings/best`: one order per series. */
export const bestListingsSchema = z.object({ orders: z.array(orderViewSchema) });

/** The contract's custom error a refused action would have reverted with, decoded with the program's ABIs. */
export const revertRefusalSchema = z
  .object({
    errorName: z.string().meta({ description: "The Solidity error, e.g. StampsSeriesSoldOut" }),
    args: z.array(z.string()).meta({ description: "Its arguments as text: integers in decimal, addresses in hex" }),
  })
  .meta({ description: "Present on would_revert when the program's ABIs name the revert; absent for one they do not" });
export type RevertRefusal = z.infer<typeof revertRefusalSchema>;

export const errorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), revert: revertRefusalSchema.optional() }) })
  .meta({ description: "Every refusal: a code for programs and a sentence for people" });
export type ErrorBody = z.infer<typeof errorSchema>;

const limitSchema = z
  .codec(
    z
      .string()
      .regex(/^[1-9][0-9]{0,2}$/, "must be a whole number from 1 to 100")
      .refine((s) => Number(s) <= 100, "must be at most 100"),
    z.number(),
    { decode: (s) => Number(s), encode: (n) => n.toString() },
  )
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

export const healthSchema = z.object({
  ok: z.boolean(),
  chainId: z.number(),
  lastBlock: uintSchema.optional(),
  openOrders: z.number(),
  /** Whether the chain's RPC and the database answered the last measure (servers before 0.x may leave these out). */
  chain: z.enum(["ok", "unreachable"]).optional(),
  database: z.enum(["ok", "unreachable"]).optional(),
  /** The chain's head, and how many blocks the book trails it past its confirmations. */
  head: uintSchema.optional(),
  lag: uintSchema.optional(),
  /** The relayer's balance in wei, when it has one. */
  relayerBalance: uintSchema.optional(),
  /** When this measure was taken (answers are cached for a moment). */
  checkedAt: z.string().optional(),
  /** What is wrong, in sentences; empty when ok. */
  problems: z.array(z.string()).optional(),
});
/** The server's health in the SDK's types (`lastBlock` a bigint). */
export type Health = z.output<typeof healthSchema>;

// ---- Relay: each action a member signs and the brand's relayer submits ----

const signedIntentOf = <Message extends z.ZodType>(message: Message) => z.strictObject({ message, signature: signatureSchema });

/** A signed order as the SDK returns it; `orderHash` may come along and is recomputed by the server anyway. */
const signedOrderOf = <Order extends z.ZodType>(order: Order) =>
  z.strictObject({ order, signature: signatureSchema, orderHash: bytes32Schema.optional() });

/** A member's permit on a relayed trade, sent before it only if their allowance is short. */
const tradePermitSchema = permitSchema.optional();

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
      }) satisfies z.ZodType<VoucherMessage>,
      signature: signatureSchema,
    }),
  }),
  consentChange: z.strictObject({
    change: signedIntentOf(
      z.strictObject({
        wallet: addressSchema,
        purposes: uintSchema,
        nonce: uintSchema,
        deadline: uintSchema,
      }) satisfies z.ZodType<PurposesChangeMessage>,
    ),
    guardianSignature: signatureSchema.optional(),
  }),
  guardianChange: z.strictObject({
    change: signedIntentOf(
      z.strictObject({
        wallet: addressSchema,
        oldGuardian: addressSchema,
        newGuardian: addressSchema,
        nonce: uintSchema,
        deadline: uintSchema,
      }) satisfies z.ZodType<GuardianChangeMessage>,
    ),
    newGuardianSignature: signatureSchema,
  }),
  guardianWithdrawal: z.strictObject({
    withdrawal: signedIntentOf(
      z.strictObject({
        wallet: addressSchema,
        guardian: addressSchema,
        purposes: uintSchema,
        nonce: uintSchema,
        deadline: uintSchema,
      }) satisfies z.ZodType<GuardianWithdrawalMessage>,
    ),
  }),
  // Trades: what the member signed (an intent, an order, an optional ERC-2612 permit); the relayer submits it.
  marketApproval: z.strictObject({
    approval: signedIntentOf(
      z.strictObject({
        owner: addressSchema,
        operator: addressSchema,
        approved: z.boolean(),
        nonce: uintSchema,
        deadline: uintSchema,
      }) satisfies z.ZodType<MarketApproval>,
    ),
  }),
  buy: z
    .strictObject({ listing: signedOrderOf(listingSchema), purchase: signedOrderOf(offerSchema), permit: tradePermitSchema })
    .meta({ description: "The buyer's signed purchase (signPurchase) of a signed listing; the buyer's quota" }),
  acceptOffer: z
    .strictObject({ offer: signedOrderOf(offerSchema), listing: signedOrderOf(listingSchema), permit: tradePermitSchema })
    .meta({ description: "The seller's signed listing at an offer's price, matched with the offer; the seller's quota" }),
  swap: z
    .strictObject({
      order: signedOrderOf(swapOrderSchema),
      counterOrder: signedOrderOf(swapOrderSchema),
      permit: tradePermitSchema,
    })
    .meta({ description: "A swap order and the taker's counter-order (the taker pays the fees); the taker's quota" }),
  cancel: z.strictObject({
    cancellation: z.strictObject({
      message: z.strictObject({ orderHash: bytes32Schema, deadline: uintSchema }) satisfies z.ZodType<OrderCancellation>,
      signature: signatureSchema,
      // The order cancelled (signCancel keeps the order's own signature along; it is not needed and not used).
      order: z.discriminatedUnion("kind", [
        z.strictObject({ kind: z.literal("listing"), order: listingSchema, signature: signatureSchema.optional() }),
        z.strictObject({ kind: z.literal("offer"), order: offerSchema, signature: signatureSchema.optional() }),
        z.strictObject({ kind: z.literal("swap"), order: swapOrderSchema, signature: signatureSchema.optional() }),
      ]) satisfies z.ZodType<Order>,
    }),
  }),
  cancelAll: z.strictObject({
    cancellation: signedIntentOf(
      z.strictObject({
        signer: addressSchema,
        nonce: uintSchema,
        deadline: uintSchema,
      }) satisfies z.ZodType<AllOrdersCancellation>,
    ),
  }),
  redeem: z.strictObject({
    redemption: signedIntentOf(
      z.strictObject({
        member: addressSchema,
        amount: uintSchema,
        rewardId: bytes32Schema,
        nonce: uintSchema,
        deadline: uintSchema,
      }) satisfies z.ZodType<Redemption>,
    ),
  }),
} as const;
export type RelayAction = keyof typeof relaySchemas;
/** The body of `POST /relay/<action>` in the SDK's types, as the server's relayer reads it. */
export type RelayBody<Action extends RelayAction> = z.output<(typeof relaySchemas)[Action]>;

export const relayResultSchema = z.object({
  hash: bytes32Schema.meta({ description: "The relayer's transaction" }),
  member: addressSchema,
  remainingToday: z.number().meta({ description: "Relayed actions the member has left today (UTC)" }),
  permitHash: bytes32Schema
    .optional()
    .meta({ description: "The member's permit, when the relayer had to submit it before the trade" }),
});
export type RelayResult = z.output<typeof relayResultSchema>;

// ---- The SDK's forms of what the server answers ----

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

/** The order of a book order, in the one vocabulary (`hashOrder`, `orderSigner` take it). */
export function orderOf(book: BookOrder): Order {
  if (book.kind === "listing") return { kind: book.kind, order: book.signed.order };
  if (book.kind === "offer") return { kind: book.kind, order: book.signed.order };
  return { kind: book.kind, order: book.signed.order };
}

/** A decoded order, its signature, hash and an offer's permit, as a book order. */
function bookOrderFrom(
  posted: { signature: Hex; permit?: SignedIntent<PointsPermit> | undefined } & Order,
  orderHash: Hex,
): BookOrder {
  const { signature } = posted;
  if (posted.kind === "listing") return { kind: "listing", signed: { order: posted.order, signature, orderHash } };
  if (posted.kind === "swap") return { kind: "swap", signed: { order: posted.order, signature, orderHash } };
  return {
    kind: "offer",
    signed: { order: posted.order, signature, orderHash },
    ...(posted.permit === undefined ? {} : { permit: posted.permit }),
  };
}

/**
 * The SDK form of a posted body: its integers as bigints, its addresses checksummed. Throws zod's error if the
 * body does not match `postOrderSchema`.
 *
 * @example
 * const { kind, signed } = bookOrderOf(body);
 */
export function bookOrderOf(body: PostOrderBody): BookOrder {
  // The hash is filled in by the Market's own hashing (evaluateOrder); a placeholder until then.
  return bookOrderFrom(postOrderSchema.parse(body), "0x");
}

/**
 * The SDK's form of an order the server answered.
 *
 * @example
 * const { signed } = toBookEntry(view); // signed: Signed<Listing> when view.kind is "listing"
 */
export function toBookEntry(view: OrderView): BookEntry {
  return bookEntryOf(orderViewSchema.parse(view));
}

/** The SDK's form of an order the server answered, once decoded by `orderViewSchema`. */
export function bookEntryOf(decoded: z.output<typeof orderViewSchema>): BookEntry {
  return {
    ...bookOrderFrom(decoded, decoded.orderHash),
    status: decoded.status,
    ...(decoded.reason === undefined ? {} : { reason: decoded.reason }),
    createdAt: decoded.createdAt,
  };
}

/**
 * A permit read from the wire, in the SDK's types.
 *
 * @example
 * const permit = permitFromWire(body.permit); // SignedIntent<PointsPermit>
 */
export function permitFromWire(wire: z.input<typeof permitSchema>): SignedIntent<PointsPermit> {
  return permitSchema.parse(wire);
}

/** Every bigint as a decimal string, recursively: what the wire carries. */
export type Wire<T> = T extends bigint
  ? string
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/**
 * A value with every bigint written as a decimal string, whatever its shape (the schemas' `z.encode` writes a
 * known shape; this writes any).
 *
 * @example
 * toWire({ price: 200n }); // { price: "200" }
 */
export function toWire<T>(value: T): Wire<T> {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as Wire<T>;
}

/** The first problem zod found, with the field it is about: "order.price must be ...". */
export function problemOf(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join(".") : "the request";
  if (issue.code === "unrecognized_keys") return `${where} has unknown field(s) ${issue.keys.join(", ")}.`;
  if (issue.code === "invalid_union" && issue.path.length === 0) return "kind must be listing, offer or swap.";
  return `${where}: ${issue.message}.`;
}

export type { OrderKind };
