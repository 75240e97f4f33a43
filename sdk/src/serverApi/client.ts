import type { Address, Hex } from "viem";
import { z } from "zod";
import type { SignedForgetRequest } from "../types/forgetLink.js";
import type { PointsPermit, SignedIntent } from "../types/intents.js";
import type { Listing, Offer, Signed, SwapOrder } from "../types/orders.js";
import { ProgramServerError } from "./errors.js";
import {
  bestListingsRoute,
  forgetLinkRoute,
  confirmLinkRoute,
  askGuardianRoute,
  guardianRequestsRoute,
  declineGuardianRequestRoute,
  healthRoute,
  listingsRoute,
  memberOrdersRoute,
  offersRoute,
  orderRoute,
  paymentCheckoutRoute,
  paymentPackagesRoute,
  postOrderRoute,
  relayPolicyRoute,
  relayRoutes,
  sponsorUserOperationRoute,
  swapsRoute,
  type RelayRoute,
} from "./routes.js";
import {
  bookEntryOf,
  errorSchema,
  problemOf,
  toWire,
  type BookEntry,
  type Health,
  type RelayAction,
  type RelayResult,
  type Wire,
  type relaySchemas,
} from "./schemas.js";
import type { ConfirmLinkAnswer, ForgetLinkAnswer } from "./links.js";
import type { GuardianRequest, GuardianRequests } from "./guardians.js";
import type { SignedGuardianRequestDecline, SignedGuardianRequestsRead } from "../types/guardianRequest.js";
import type { PurposesChangeMessage, SignedConsent } from "../types/consent.js";
import type { RelayPolicyView } from "./relayPolicy.js";
import type { UnsponsoredUserOperationBody, UserOperationSponsorship } from "./userOps.js";
import type { CheckoutAnswer, PaymentPackages } from "./payments.js";

export { ProgramServerError } from "./errors.js";

/** A page of orders in the SDK's types, and the cursor of the next page. */
export interface BookPage {
  orders: BookEntry[];
  nextCursor?: string;
}

/** A UserOp to sponsor as the SDK builds it (`prepareSponsoredUserOperation`): paymaster gas limits may be absent (0). */
export type UserOperationToSponsor = Omit<
  UnsponsoredUserOperationBody,
  "factory" | "factoryData" | "paymasterVerificationGasLimit" | "paymasterPostOpGasLimit"
> & {
  factory?: Address | undefined;
  factoryData?: Hex | undefined;
  paymasterVerificationGasLimit?: bigint | undefined;
  paymasterPostOpGasLimit?: bigint | undefined;
};

type PageOptions = { cursor?: string; limit?: number };

/** The relay body of an action, in the SDK's types (bigints), as the member's sign* functions return them. */
export type RelayInput<A extends RelayAction> = z.input<(typeof relaySchemas)[A]> extends infer W ? UnWire<W> : never;
type UnWire<T> = T extends string ? string | bigint : T extends object ? { [K in keyof T]: UnWire<T[K]> } : T;

type Json<Schema extends z.ZodType = z.ZodType> = { content: { "application/json": { schema: Schema } } };

/** What the client needs of a route definition (routes.ts): where it is, what it takes, what it answers. */
interface ClientRoute {
  method: "get" | "post";
  path: string;
  request?: { params?: z.ZodType; query?: z.ZodType; body?: Json };
  responses: { 200: Json } & Record<number, Partial<Json>>;
}
type Part<Route, Key extends string> = Route extends { request: { [K in Key]: infer Schema extends z.ZodType } }
  ? z.output<Schema>
  : undefined;
type BodyOf<Route> = Route extends { request: { body: Json<infer Schema> } } ? z.output<Schema> : undefined;
type AnswerOf<Route> = Route extends { responses: { 200: Json<infer Schema> } } ? z.output<Schema> : never;

/** Writes a value in the SDK's types as the wire carries it, by its schema; what does not fit is refused here. */
function write<Schema extends z.ZodType>(schema: Schema, value: z.output<Schema>): z.input<Schema> {
  try {
    return z.encode(schema, value);
  } catch (error) {
    if (error instanceof z.ZodError) throw new ProgramServerError(400, "invalid_request", problemOf(error));
    throw error;
  }
}

/**
 * A typed client of a Punchcard program server (`punchcard serve`): post signed orders, find them, relay a
 * member's signed actions. Each call is built from the route's definition (routes.ts): its path, its schemas to
 * write the request and read the answer. Uses `fetch` only, so it runs in browsers; bigints travel as decimal
 * strings.
 *
 * @example
 * const server = createProgramServerClient("https://market.example.com");
 * await server.postOrder({ listing: await listStamp(ada, { program, tokenId, price: 200n, currency: program.points }) });
 * const { orders } = await server.listings({ seriesId: 1n, currency: program.points });
 */
export function createProgramServerClient(url: string, options: { fetch?: typeof fetch } = {}) {
  const base = url.replace(/\/+$/, "");
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function call<Route extends ClientRoute>(
    route: Route,
    input: { params?: Part<Route, "params">; query?: Part<Route, "query">; body?: BodyOf<Route> } = {},
  ): Promise<AnswerOf<Route>> {
    const { params, query, body } = route.request ?? {};
    const names = params && input.params !== undefined ? (write(params, input.params) as Record<string, string>) : {};
    let path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(names[name] ?? ""));
    if (query && input.query !== undefined) {
      const written = Object.entries(write(query, input.query) as Record<string, string | undefined>);
      const entries = written.filter((entry): entry is [string, string] => entry[1] !== undefined);
      if (entries.length > 0) path += `?${new URLSearchParams(entries).toString()}`;
    }
    const sent = body && input.body !== undefined ? write(body.content["application/json"].schema, input.body) : undefined;
    const response = await doFetch(`${base}${path}`, {
      method: route.method.toUpperCase(),
      ...(sent === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(sent) }),
    });
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = errorSchema.safeParse(json);
      throw error.success
        ? new ProgramServerError(response.status, error.data.error.code, error.data.error.message, error.data.error.revert)
        : new ProgramServerError(response.status, "unexpected", `The server answered ${response.status} without a reason.`);
    }
    const answer =
      route.responses[response.status]?.content?.["application/json"].schema ??
      route.responses[200].content["application/json"].schema;
    return answer.parse(json) as AnswerOf<Route>;
  }

  const toPage = (page: { orders: Parameters<typeof bookEntryOf>[0][]; nextCursor?: string | undefined }): BookPage => ({
    orders: page.orders.map(bookEntryOf),
    ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
  });

  return {
    /** Whether the server is up, its chain and the last block it applied. */
    health: (): Promise<Health> => call(healthRoute),
    /**
     * Posts a signed order; answers it as stored (posting it again is harmless). An offer may carry the buyer's
     * permit (signPointsPermit for at least the price, lasting at least as long as the offer): a buyer with no
     * allowance can bid, and the relayer submits the permit when the offer is accepted.
     */
    postOrder: async (
      order:
        | { listing: Signed<Listing> }
        | { offer: Signed<Offer>; permit?: SignedIntent<PointsPermit> }
        | { swap: Signed<SwapOrder> },
    ): Promise<BookEntry> => {
      const body: BodyOf<typeof postOrderRoute> =
        "listing" in order
          ? { kind: "listing", order: order.listing.order, signature: order.listing.signature }
          : "offer" in order
            ? {
                kind: "offer",
                order: order.offer.order,
                signature: order.offer.signature,
                ...(order.permit === undefined ? {} : { permit: order.permit }),
              }
            : { kind: "swap", order: order.swap.order, signature: order.swap.signature };
      return bookEntryOf(await call(postOrderRoute, { body }));
    },
    /** One order by hash, whatever its status. */
    order: async (orderHash: Hex): Promise<BookEntry> => bookEntryOf(await call(orderRoute, { params: { hash: orderHash } })),
    /** Open listings of a series in a currency (default the native coin), cheapest first. */
    listings: async (q: { seriesId: bigint; currency?: Address } & PageOptions): Promise<BookPage> =>
      toPage(await call(listingsRoute, { query: q })),
    /** The cheapest open listing of each series in a currency. */
    bestListings: async (q: { currency?: Address } = {}): Promise<BookEntry[]> =>
      toPage(await call(bestListingsRoute, { query: q })).orders,
    /** Open offers on a stamp (and its series) or on a series, highest first. */
    offers: async (q: ({ tokenId: bigint } | { seriesId: bigint }) & PageOptions): Promise<BookPage> =>
      toPage(await call(offersRoute, { query: q })),
    /** Open swaps wanting a stamp of a series. */
    swaps: async (q: { wantedSeriesId: bigint } & PageOptions): Promise<BookPage> => toPage(await call(swapsRoute, { query: q })),
    /** A member's open orders. */
    ordersOf: async (member: Address, q: PageOptions = {}): Promise<BookPage> =>
      toPage(await call(memberOrdersRoute, { params: { address: member }, query: q })),
    /** What the brand's relayer sponsors, its limits and what is left today (the member's too, when given). */
    relayPolicy: (member?: Address): Promise<RelayPolicyView> =>
      call(relayPolicyRoute, { query: member === undefined ? {} : { member } }),
    /** The points packages members can buy by card: points and price in the brand's currency, cheapest first. */
    paymentPackages: (): Promise<PaymentPackages> => call(paymentPackagesRoute),
    /**
     * Starts buying a package for a wallet: answers the provider's checkout URL (send the member there). Refused
     * (ProgramServerError 422) for a package not on the price list or a wallet the brand does not credit.
     */
    checkout: (request: { package: string; wallet: Address }): Promise<CheckoutAnswer> =>
      call(paymentCheckoutRoute, { body: request }),
    /**
     * Has the brand's relayer submit what the member signed; answers the transaction hash. The body may carry
     * bigints or decimal strings; it is checked against the action's schema before it is sent.
     */
    relay: async <A extends RelayAction>(action: A, body: RelayInput<A> | Wire<RelayInput<A>>): Promise<RelayResult> => {
      const route: RelayRoute<RelayAction> = relayRoutes[action];
      const parsed = route.request.body.content["application/json"].schema.safeParse(toWire(body));
      if (!parsed.success) throw new ProgramServerError(400, "invalid_request", problemOf(parsed.error));
      return call(route, { body: parsed.data });
    },
    /**
     * "Forget me": sends the wallet's signed request ({@link signForgetRequest}); the brand erases its record tying
     * the wallet to the customer and answers what it erased and what stays public on the chain. Sending the same
     * request again changes nothing (`status: "already_forgotten"`).
     */
    forgetLink: (request: SignedForgetRequest): Promise<ForgetLinkAnswer> => call(forgetLinkRoute, { body: request }),
    /**
     * The wallet linked itself from the brand's link request (its own transaction, or a passkey card's UserOp): the
     * brand reads the link from the chain and marks its record linked. Refused (409) before the link is mined.
     */
    confirmLink: (wallet: Address): Promise<ConfirmLinkAnswer> => call(confirmLinkRoute, { body: { wallet } }),
    /**
     * A minor asks their guardian to approve a purpose ({@link signGuardianRequest}); the server keeps it for the
     * guardian the on-chain link names. Sending the same request again answers the one kept.
     */
    askGuardian: (body: { change: SignedConsent<PurposesChangeMessage> }): Promise<GuardianRequest> =>
      call(askGuardianRoute, { body }),
    /** The signer's guardian requests ({@link signGuardianRequestsRead}): to answer as a guardian, and sent as a minor. */
    guardianRequests: (read: SignedGuardianRequestsRead): Promise<GuardianRequests> =>
      call(guardianRequestsRoute, { body: read }),
    /** The guardian declines a request ({@link signGuardianRequestDecline}); to approve, relay the change instead. */
    declineGuardianRequest: (decline: SignedGuardianRequestDecline): Promise<GuardianRequest> =>
      call(declineGuardianRequestRoute, { body: decline }),
    /**
     * Asks the brand to pay for a member's UserOp (complete but for the paymaster's data and the passkey's
     * signature): the server applies its sponsorship policy and answers the paymaster and the data its sponsor key
     * signed for this UserOp alone, valid until `validUntil`. Use it as `prepareSponsoredUserOperation`'s `sponsor`.
     */
    sponsorUserOperation: (userOperation: UserOperationToSponsor): Promise<UserOperationSponsorship> => {
      const { sender, nonce, factory, factoryData, callData, callGasLimit, verificationGasLimit, preVerificationGas } =
        userOperation;
      const { maxFeePerGas, maxPriorityFeePerGas, paymasterVerificationGasLimit, paymasterPostOpGasLimit } = userOperation;
      return call(sponsorUserOperationRoute, {
        body: {
          sender,
          nonce,
          ...(factory === undefined ? {} : { factory, factoryData }),
          callData,
          callGasLimit,
          verificationGasLimit,
          preVerificationGas,
          maxFeePerGas,
          maxPriorityFeePerGas,
          paymasterVerificationGasLimit: paymasterVerificationGasLimit ?? 0n,
          paymasterPostOpGasLimit: paymasterPostOpGasLimit ?? 0n,
        },
      });
    },
  };
}

export type ProgramServerClient = ReturnType<typeof createProgramServerClient>;
