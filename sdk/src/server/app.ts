import { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import type { Kysely } from "kysely";
import type { LinkStore } from "../node/linkStore/linkStore.js";
import type { InstanceTables } from "./instances/schema.js";
import type { OrderBookTables } from "./orderBook/schema.js";
import type { Program, ReadClient, WriteClient } from "../program.js";
import { limitBody } from "./middleware/bodyLimit.js";
import { notFound, onError } from "./middleware/errors.js";
import {
  createRateLimiter,
  createSharedRateLimiter,
  normalizeAddress,
  rateLimitPerClient,
  type RateLimiter,
} from "./middleware/rateLimit.js";
import { OrderBook, type OrderBookOptions } from "./orderBook/index.js";
import type { RelayPolicy } from "./relay/policy.js";
import { Relayer } from "./relayer.js";
import { confirmLinkRoutes } from "./links/confirmRoutes.js";
import { forgetRoutes, type LinkForgetTables } from "./links/forgetRoutes.js";
import { guardianRoutes, type GuardianRequestTables } from "./guardians/guardianRoutes.js";
import { healthRoutes } from "./routes/health.js";
import { openApiConfig } from "./routes/openapi.js";
import { ordersRoutes } from "./routes/orders.js";
import { relayRoutesOf } from "./routes/relay.js";
import { createPayments, type Payments, type PaymentsOptions, type PaymentTables } from "./payments/index.js";
import { defaultRelayPolicy } from "./relay/policy.js";
import { userOpRoutes } from "./userOps/routes.js";
import { UserOpSponsor, type UserOpSponsorOptions } from "./userOps/sponsor.js";

/** The book's database seen through the tables several instances share (its migration 0005 made them). */
const instanceTables = (db: Kysely<OrderBookTables>) => db as unknown as Kysely<InstanceTables>;

export interface ProgramServerOptions {
  program: Program;
  /** Reads the chain: checks orders, follows events. */
  client: ReadClient;
  db: Kysely<OrderBookTables>;
  /** The brand's relayer key, or keys (relays go out from the least busy); without one, /relay answers 503. */
  relayer?: WriteClient | readonly WriteClient[];
  /** Relayed actions per member per UTC day: replaces the policy's `member.actionsPerDay` (default 20). */
  quota?: number;
  /** What the relayer sponsors, for whom, how much (default {@link defaultRelayPolicy}; see `relayPolicyOf`). */
  relayPolicy?: RelayPolicy;
  /** Take the relayer keys' nonces through the database, for instances sharing a key (default: on Postgres). */
  shareRelayerNonces?: boolean;
  /** A relayed transaction not mined after this many milliseconds is sent again at a higher fee (default 30 s). */
  relayStuckAfterMs?: number;
  /** Largest request body, in bytes (default 64 KiB). */
  maxBodyBytes?: number;
  /** Origins allowed by CORS (default: none, i.e. no CORS headers). */
  corsOrigins?: string[];
  /** Requests per minute one client address may make (default: no limit); more get 429 until the minute ends. */
  rateLimitPerMinute?: number;
  /**
   * Orders per minute one member (the order's signer) may post (default: no limit); more get 429 until the minute
   * ends. A post whose signature is not the signer's does not count against them.
   */
  memberRateLimitPerMinute?: number;
  /**
   * Where the rate limits count: `"instance"` (default; in this process, so each of several instances allows the
   * limit on its own) or `"shared"` (in the database, one limit across every instance on it).
   */
  rateLimitScope?: "instance" | "shared";
  /**
   * Addresses of the reverse proxies in front of this server (load balancers), exact IPs. A request from one of
   * them is counted on the client address its X-Forwarded-For names (the right-most address that is not a trusted
   * proxy); any other request on its socket address, whatever X-Forwarded-For it sends. Default: none.
   */
  trustedProxies?: string[];
  /** Open orders one member may have in the book (default 200): see {@link OrderBookOptions}. */
  maxOpenOrdersPerMember?: number;
  /** Open listings and swaps of one stamp (default 20). */
  maxOpenOrdersPerStamp?: number;
  /** Days a filled, cancelled, expired or stale order is kept after its last change (default 30). */
  retainClosedDays?: number;
  /** Orders the follower checks against the chain at once (default 32). */
  recheckConcurrency?: number;
  /** Milliseconds since 1970 for the rate limits' minutes (tests; default Date.now). */
  clock?: () => number;
  /** Today's UTC date for quotas (tests). */
  today?: () => string;
  /**
   * Points bought by card: the price list, the brand's receipt secret, the webhook secrets and the minter key
   * (default: none, and the /payments routes answer 404). See docs/payments.md.
   */
  payments?: PaymentsOptions;
  /**
   * The brand's link store (`LinkStore.open`, with the brand's key): enables `POST /links/forget`, where a wallet's
   * signed request erases its link record. Without one, that route answers 503. The caller closes it.
   */
  linkStore?: LinkStore;
  /**
   * Members' passkey accounts: the BrandPaymaster, its sponsor key and the MemberAccountFactory. Enables
   * `POST /userops/sponsor`, which signs a UserOp's paymaster data after the relay policy allowed it (without it, the
   * route answers 503). See docs/accounts.md.
   */
  userOps?: Pick<UserOpSponsorOptions, "sponsor" | "paymaster" | "factory" | "lifetime" | "bundler">;
}

export interface ProgramServer {
  app: OpenAPIHono;
  book: OrderBook;
  relayer: Relayer | undefined;
  /** Points bought by card, when configured: its store, its outbox (started by startProgramServer) and its routes. */
  payments: Payments | undefined;
  /** The sponsor of members' UserOps, when configured. */
  userOpSponsor: UserOpSponsor | undefined;
}

export interface CreateAppParameters extends Pick<
  ProgramServerOptions,
  | "maxBodyBytes"
  | "corsOrigins"
  | "rateLimitPerMinute"
  | "memberRateLimitPerMinute"
  | "clock"
  | "rateLimitScope"
  | "trustedProxies"
  | "linkStore"
> {
  program: Program;
  book: OrderBook;
  relayer: Relayer | undefined;
  payments?: Payments | undefined;
  userOpSponsor?: UserOpSponsor | undefined;
}

/**
 * The program server's HTTP app over its order book and relayer: CORS, the per-client rate limit and the body limit
 * on every request, then the routes (health, orders, relay, links/forget) and /openapi.json, generated from them. Every refusal
 * is answered by the error middleware.
 *
 * @example
 * const app = createApp({ program, book, relayer: undefined });
 */
export function createApp(parameters: CreateAppParameters): OpenAPIHono {
  const { program, book, relayer } = parameters;
  const clock = parameters.clock ?? Date.now;
  const app = new OpenAPIHono();

  if (parameters.corsOrigins && parameters.corsOrigins.length > 0) app.use("*", cors({ origin: parameters.corsOrigins }));
  const limiter = (kind: string, limit: number): RateLimiter =>
    parameters.rateLimitScope === "shared"
      ? createSharedRateLimiter({ db: instanceTables(book.db), name: `${book.key}:${kind}`, limit, clock })
      : createRateLimiter({ limit, clock });
  const trustedProxies = new Set((parameters.trustedProxies ?? []).map(normalizeAddress));
  if (parameters.rateLimitPerMinute !== undefined) {
    app.use("*", rateLimitPerClient(limiter("client", parameters.rateLimitPerMinute), { trustedProxies }));
  }
  app.use("*", limitBody({ maxBytes: parameters.maxBodyBytes ?? 64 * 1024 }));

  const members =
    parameters.memberRateLimitPerMinute === undefined ? undefined : limiter("member", parameters.memberRateLimitPerMinute);
  app.route("/", healthRoutes({ program, book, relayerAddresses: relayer?.senders.senders.map((s) => s.address), clock }));
  app.doc("/openapi.json", openApiConfig);
  app.route("/", ordersRoutes({ book, members }));
  app.route("/", relayRoutesOf({ relayer, clock, trustedProxies }));
  app.route("/", userOpRoutes({ sponsor: parameters.userOpSponsor, clock, trustedProxies }));
  if (parameters.payments) app.route("/", parameters.payments.routes);
  app.route(
    "/",
    forgetRoutes({
      program,
      client: book.client,
      db: book.db as unknown as Kysely<LinkForgetTables>,
      linkStore: parameters.linkStore,
      forgetPayments: parameters.payments?.forgetWallet,
    }),
  );
  app.route("/", confirmLinkRoutes({ linkStore: parameters.linkStore }));
  app.route("/", guardianRoutes({ program, client: book.client, db: book.db as unknown as Kysely<GuardianRequestTables> }));

  app.notFound(notFound);
  app.onError(onError);
  return app;
}

/**
 * The program server: the order book (POST /orders, GET listings, offers, swaps, a member's orders, one order), the
 * relayer (POST /relay/<action>), /openapi.json and /health, as a Hono app (createApp). Every refusal is a 4xx with
 * `{ error: { code, message } }`; nothing is stored for a refused request. Call `book.init()` before serving and
 * `book.follow()` to keep it in step with the chain.
 *
 * @example
 * const { app, book } = createProgramServer({ program, client, db: openDatabase("server.sqlite") });
 * await book.init();
 * await book.follow({ confirmations: 2n });
 * serve({ fetch: app.fetch, port: 8787 });
 */
export function createProgramServer(options: ProgramServerOptions): ProgramServer {
  const { program, client, db } = options;
  const bookOptions: OrderBookOptions = { program, client, db };
  for (const key of ["maxOpenOrdersPerMember", "maxOpenOrdersPerStamp", "retainClosedDays", "recheckConcurrency"] as const)
    if (options[key] !== undefined) bookOptions[key] = options[key];
  const book = new OrderBook(bookOptions);
  const relayer = options.relayer
    ? new Relayer({
        program,
        relayer: options.relayer,
        db,
        ...(options.quota === undefined ? {} : { quota: options.quota }),
        ...(options.relayPolicy ? { policy: options.relayPolicy } : {}),
        ...(options.shareRelayerNonces === undefined ? {} : { shareNonces: options.shareRelayerNonces }),
        ...(options.relayStuckAfterMs === undefined ? {} : { stuckAfterMs: options.relayStuckAfterMs }),
        storedPermit: (offerHash) => book.permitOf(offerHash),
        ...(options.today ? { today: options.today } : {}),
      })
    : undefined;
  const payments = options.payments
    ? createPayments({
        program,
        chain: client,
        db: db as unknown as Kysely<PaymentTables>,
        options: options.payments,
        ...(options.clock ? { clock: options.clock } : {}),
      })
    : undefined;
  const basePolicy = options.relayPolicy ?? defaultRelayPolicy;
  const userOpSponsor = options.userOps
    ? new UserOpSponsor({
        ...options.userOps,
        program,
        client,
        db,
        // The relayer's policy, its quota included: one policy for relayed actions and UserOps.
        policy:
          relayer?.policy ??
          (options.quota === undefined
            ? basePolicy
            : { ...basePolicy, member: { ...basePolicy.member, actionsPerDay: options.quota } }),
        ...(options.today ? { today: options.today } : {}),
      })
    : undefined;
  return {
    app: createApp({ ...options, book, relayer, payments, userOpSponsor }),
    book,
    relayer,
    payments,
    userOpSponsor,
  };
}
