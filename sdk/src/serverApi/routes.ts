import type { RouteConfig } from "@hono/zod-openapi";
import { z } from "zod";
import {
  addressSchema,
  bestListingsQuerySchema,
  bestListingsSchema,
  bytes32Schema,
  errorSchema,
  healthSchema,
  listingsQuerySchema,
  offersQuerySchema,
  orderPageSchema,
  orderViewSchema,
  pageQuerySchema,
  postOrderSchema,
  relayResultSchema,
  relaySchemas,
  swapsQuerySchema,
  type RelayAction,
} from "./schemas.js";
import { confirmLinkAnswerSchema, confirmLinkBodySchema, forgetLinkAnswerSchema, forgetLinkBodySchema } from "./links.js";
import {
  askGuardianBodySchema,
  guardianRequestDeclineBodySchema,
  guardianRequestSchema,
  guardianRequestsReadBodySchema,
  guardianRequestsSchema,
} from "./guardians.js";
import { relayPolicyQuerySchema, relayPolicySchema } from "./relayPolicy.js";
import { unsponsoredUserOperationSchema, userOperationSponsorshipSchema } from "./userOps.js";
import {
  checkoutAnswerSchema,
  checkoutBodySchema,
  paymentPackagesSchema,
  paymentReceiptsQuerySchema,
  paymentReceiptsSchema,
  paymentWebhookAnswerSchema,
} from "./payments.js";

// Every route of the program server, defined once as plain data: method, path, request and response schemas. The
// server wraps each with @hono/zod-openapi's createRoute (validation and /openapi.json come from it), and the typed
// client builds its requests and reads its answers from the same objects. Plain data, so the browser loads zod and
// nothing of the server (the import above is of a type only).

const json = <Schema extends z.ZodType>(description: string, schema: Schema) => ({
  description,
  content: { "application/json": { schema } },
});
const jsonBody = <Schema extends z.ZodType>(schema: Schema) => ({
  required: true as const,
  content: { "application/json": { schema } },
});

const malformed = json("The request is malformed; the message names the field", errorSchema);
const refused = json("Refused: the message says why", errorSchema);

export const healthRoute = {
  method: "get",
  path: "/health",
  summary: "Whether the server is up and how far it follows the chain",
  responses: {
    200: json("Up: the chain and the database answer, the book keeps up", healthSchema),
    503: json(
      "Degraded: the same body, with `error` naming the problems",
      healthSchema.extend({ error: errorSchema.shape.error }),
    ),
  },
} satisfies RouteConfig;

export const postOrderRoute = {
  method: "post",
  path: "/orders",
  summary:
    "Post a signed listing, offer (with the buyer's permit, optionally) or swap; it is checked against the chain before it is stored",
  request: { body: jsonBody(postOrderSchema) },
  responses: {
    201: json("Stored", orderViewSchema),
    200: json("Already stored", orderViewSchema),
    400: malformed,
    422: refused,
    429: json(
      "Too many requests this minute from the client address, or too many orders this minute signed by the order's signer; see Retry-After",
      errorSchema,
    ),
  },
} satisfies RouteConfig;

export const orderRoute = {
  method: "get",
  path: "/orders/{hash}",
  summary: "One order by its EIP-712 hash, with its status and why",
  request: { params: z.strictObject({ hash: bytes32Schema }) },
  responses: { 200: json("The order", orderViewSchema), 400: malformed, 404: json("Unknown", errorSchema) },
} satisfies RouteConfig;

export const listingsRoute = {
  method: "get",
  path: "/listings",
  summary: "Open listings of a series in a currency, cheapest first",
  request: { query: listingsQuerySchema },
  responses: { 200: json("A page", orderPageSchema), 400: malformed },
} satisfies RouteConfig;

export const bestListingsRoute = {
  method: "get",
  path: "/listings/best",
  summary: "The cheapest open listing of each series, in a currency",
  request: { query: bestListingsQuerySchema },
  responses: { 200: json("One per series", bestListingsSchema), 400: malformed },
} satisfies RouteConfig;

export const offersRoute = {
  method: "get",
  path: "/offers",
  summary: "Open offers on a stamp (tokenId) or a series (seriesId), highest first",
  request: { query: offersQuerySchema },
  responses: { 200: json("A page", orderPageSchema), 400: malformed },
} satisfies RouteConfig;

export const swapsRoute = {
  method: "get",
  path: "/swaps",
  summary: "Open swaps wanting a stamp of a series, oldest first",
  request: { query: swapsQuerySchema },
  responses: { 200: json("A page", orderPageSchema), 400: malformed },
} satisfies RouteConfig;

export const memberOrdersRoute = {
  method: "get",
  path: "/members/{address}/orders",
  summary: "A member's open orders, oldest first",
  request: { params: z.strictObject({ address: addressSchema }), query: pageQuerySchema },
  responses: { 200: json("A page", orderPageSchema), 400: malformed },
} satisfies RouteConfig;

export const relayPolicyRoute = {
  method: "get",
  path: "/relay/policy",
  summary: "What the brand's relayer sponsors (actions, who, limits per member and per day) and what is left today",
  request: { query: relayPolicyQuerySchema },
  responses: {
    200: json("The policy and today's spending", relayPolicySchema),
    400: malformed,
    503: json("No relayer configured", errorSchema),
  },
} satisfies RouteConfig;

export const askGuardianRoute = {
  method: "post",
  path: "/guardians/requests",
  summary:
    "A minor asks their guardian to approve marketing or partner sharing: the minor's signed PurposesChange, kept for the guardian named on-chain",
  request: { body: jsonBody(askGuardianBodySchema) },
  responses: {
    200: json("Kept for the guardian (or this same request, kept before)", guardianRequestSchema),
    400: malformed,
    409: json("Another request of this wallet is waiting for its guardian", errorSchema),
    422: json(
      "Refused: not a minor in this program, nothing to approve, bad signature, stale nonce, expired or too distant deadline",
      errorSchema,
    ),
    429: json("Too many requests this minute from the client address", errorSchema),
    503: json("The chain or the database does not answer", errorSchema),
  },
} satisfies RouteConfig;

export const guardianRequestsRoute = {
  method: "post",
  path: "/guardians/requests/list",
  summary: "The signer's guardian requests: those to answer as a guardian, those sent as a minor (a signed read)",
  request: { body: jsonBody(guardianRequestsReadBodySchema) },
  responses: {
    200: json("The reader's requests", guardianRequestsSchema),
    400: malformed,
    422: json("Refused: bad signature, expired or too distant deadline, another chain", errorSchema),
    429: json("Too many requests this minute from the client address", errorSchema),
    503: json("The chain or the database does not answer", errorSchema),
  },
} satisfies RouteConfig;

export const declineGuardianRequestRoute = {
  method: "post",
  path: "/guardians/requests/decline",
  summary: "The minor's guardian declines a request (signed): nothing changes on-chain, the minor sees it declined",
  request: { body: jsonBody(guardianRequestDeclineBodySchema) },
  responses: {
    200: json("Declined now, or before", guardianRequestSchema),
    400: malformed,
    403: json("The signer is not the guardian of the request's wallet", errorSchema),
    404: json("No such request", errorSchema),
    409: json("The request is no longer pending (approved, closed or expired)", errorSchema),
    422: json("Refused: bad signature, another chain", errorSchema),
    429: json("Too many requests this minute from the client address", errorSchema),
    503: json("The chain or the database does not answer", errorSchema),
  },
} satisfies RouteConfig;

export const forgetLinkRoute = {
  method: "post",
  path: "/links/forget",
  summary:
    "Forget me: on the wallet's signed request (EIP-712 ForgetLink, or an ERC-1271 wallet's signature), the brand erases its link record and says what stays public on the chain",
  request: { body: jsonBody(forgetLinkBodySchema) },
  responses: {
    200: json("Erased now, or this same request was carried out before (status already_forgotten)", forgetLinkAnswerSchema),
    400: malformed,
    404: json("The brand's link store holds no record of the wallet: nothing to erase", errorSchema),
    422: json("Refused: bad signature, expired or too distant deadline, another chain; the message says why", errorSchema),
    429: json("Too many requests this minute from the client address", errorSchema),
    503: json("This server keeps no link store, or the chain or the database does not answer", errorSchema),
  },
} satisfies RouteConfig;

export const confirmLinkRoute = {
  method: "post",
  path: "/links/confirm",
  summary:
    "A wallet linked itself from the brand's link request (its own transaction, or a passkey card's UserOp): the brand reads the link from the chain and marks its record linked. Anyone may ask: nothing is taken from the request but the wallet",
  request: { body: jsonBody(confirmLinkBodySchema) },
  responses: {
    200: json("The record is linked (now, or before)", confirmLinkAnswerSchema),
    400: malformed,
    404: json("The brand's link store prepared no link for this wallet (no_link_request)", errorSchema),
    409: json(
      "The chain shows no link of the wallet (not_linked_on_chain), or one with another commitment (other_commitment): nothing was marked",
      errorSchema,
    ),
    429: json("Too many requests this minute from the client address", errorSchema),
    503: json("This server keeps no link store, or the chain or the database does not answer", errorSchema),
  },
} satisfies RouteConfig;

export const sponsorUserOperationRoute = {
  method: "post",
  path: "/userops/sponsor",
  summary:
    "Sponsor a member's UserOp: the relay policy checks it (a member account of this program, eligible, within budget, calls only to the program that would not revert), and the brand's sponsor key signs the paymaster's data for it alone",
  request: { body: jsonBody(unsponsoredUserOperationSchema) },
  responses: {
    200: json(
      "Sponsored: put paymaster and paymasterData in the UserOp, sign it with the passkey, send it",
      userOperationSponsorshipSchema,
    ),
    400: malformed,
    422: json(
      "Refused: not_member_account, outside_program, not_sponsored, not_eligible, send_it_yourself, would_revert, stale_nonce, fee_too_high; the message says why, and a would_revert names the contract's error in revert (errorName, args) when the program's ABIs decode it",
      errorSchema,
    ),
    429: json("The member's sponsorship for today is used, or too many requests this minute", errorSchema),
    503: json(
      "No sponsor key configured, or sponsorship paused (outside its dates, the program's budget for today spent, the paymaster's deposit at its floor)",
      errorSchema,
    ),
  },
} satisfies RouteConfig;

/** The route of one relayed action: `POST /relay/<action>` with the action's body. */
export type RelayRoute<Action extends RelayAction> = {
  method: "post";
  path: `/relay/${Action}`;
  summary: string;
  request: { body: { required: true; content: { "application/json": { schema: (typeof relaySchemas)[Action] } } } };
  responses: {
    200: { description: string; content: { "application/json": { schema: typeof relayResultSchema } } };
    400: typeof malformed;
    422: typeof refused;
    429: typeof malformed;
    503: typeof malformed;
  };
};

function relayRoute<Action extends RelayAction>(action: Action): RelayRoute<Action> {
  return {
    method: "post",
    path: `/relay/${action}`,
    summary: `Relay ${action}: the brand's relayer submits what the member signed, within the member's daily quota`,
    request: { body: { required: true, content: { "application/json": { schema: relaySchemas[action] } } } },
    responses: {
      200: json("Sent", relayResultSchema),
      400: malformed,
      422: json(
        "Refused: not sponsored (not_eligible, send_it_yourself, changes_nothing, not_sponsored) or would revert (would_revert, naming the contract's error in revert when the program's ABIs decode it); the message says why",
        errorSchema,
      ),
      429: json("The member's sponsorship for today is used, or too many relay requests this minute", errorSchema),
      503: json(
        "No relayer configured, or sponsorship paused (outside its dates, the program's budget for today spent, the relayer's balance at its floor, gas above the cap)",
        errorSchema,
      ),
    },
  };
}

/** The route of each relayed action, by action. */
export const relayRoutes = Object.fromEntries(
  (Object.keys(relaySchemas) as RelayAction[]).map((action) => [action, relayRoute(action)]),
) as { [Action in RelayAction]: RelayRoute<Action> };

const webhookResponses = (header: string) => ({
  200: json("Stored durably (or seen before, or not about points): the provider may stop sending it", paymentWebhookAnswerSchema),
  400: json("The signed body is not an event this server reads", errorSchema),
  401: json(`${header} missing, not verifying, or older than the tolerance (5 min); logged without the body`, errorSchema),
  404: json("This server has no secret for this provider", errorSchema),
  422: json(
    "Refused and recorded: unknown_package, amount_mismatch, currency_mismatch, unknown_wallet, refund_exceeds_payment",
    errorSchema,
  ),
  503: json("The store did not answer: nothing was stored, the provider should retry", errorSchema),
});
const rawJsonBody = { required: true as const, content: { "application/json": { schema: z.object({}).passthrough() } } };

export const stripeWebhookRoute = {
  method: "post",
  path: "/payments/stripe",
  summary:
    "Stripe's webhook (Stripe-Signature): payment_intent.succeeded credits the package's points, charge.refunded and a lost charge.dispute.closed reverse them",
  request: { body: rawJsonBody },
  responses: webhookResponses("Stripe-Signature"),
} satisfies RouteConfig;

export const paymentWebhookRoute = {
  method: "post",
  path: "/payments/webhook",
  summary:
    "The generic payments webhook (Punchcard-Signature: t=<unix s>,v1=HMAC-SHA256(secret, t + '.' + body)): payment.succeeded, payment.refunded, payment.dispute_lost",
  request: { body: rawJsonBody },
  responses: webhookResponses("Punchcard-Signature"),
} satisfies RouteConfig;

export const paymentReceiptsRoute = {
  method: "get",
  path: "/payments/receipts",
  summary: "Support: where a member's bought points stand (Authorization: Bearer <admin token>; never public)",
  request: { query: paymentReceiptsQuerySchema },
  responses: {
    200: json("The receipts, newest first (at most 100)", paymentReceiptsSchema),
    400: malformed,
    401: json("No or a wrong admin token", errorSchema),
    404: json("This server has no admin token: the route is off", errorSchema),
  },
} satisfies RouteConfig;

export const paymentPackagesRoute = {
  method: "get",
  path: "/payments/packages",
  summary: "The points packages members can buy by card: points and price in the brand's currency, cheapest first",
  responses: {
    200: json("The price list", paymentPackagesSchema),
    404: json("This server sells no points", errorSchema),
  },
} satisfies RouteConfig;

export const paymentCheckoutRoute = {
  method: "post",
  path: "/payments/checkout",
  summary:
    "Start buying a package: the provider's checkout URL, carrying the package and the wallet as metadata (the webhook credits that wallet once paid)",
  request: { body: jsonBody(checkoutBodySchema) },
  responses: {
    200: json("Send the member to `url`", checkoutAnswerSchema),
    400: malformed,
    404: json("This server sells no points, or has no checkout configured", errorSchema),
    422: json(
      "Refused: unknown_package, unknown_wallet (zero, one of the program's contracts, a contract the brand does not know, or a wallet the brand refuses), or program_ending (the end is announced: no points are sold)",
      errorSchema,
    ),
    429: json("Too many requests this minute from the client address", errorSchema),
    503: json("The chain or the provider did not answer: nothing was started, try again", errorSchema),
  },
} satisfies RouteConfig;

/** Every route, in the order the OpenAPI document lists them. */
export const apiRoutes: RouteConfig[] = [
  healthRoute,
  postOrderRoute,
  orderRoute,
  listingsRoute,
  bestListingsRoute,
  offersRoute,
  swapsRoute,
  memberOrdersRoute,
  relayPolicyRoute,
  ...Object.values(relayRoutes),
  sponsorUserOperationRoute,
  stripeWebhookRoute,
  paymentWebhookRoute,
  paymentReceiptsRoute,
  paymentPackagesRoute,
  paymentCheckoutRoute,
  forgetLinkRoute,
  confirmLinkRoute,
  askGuardianRoute,
  guardianRequestsRoute,
  declineGuardianRequestRoute,
];
