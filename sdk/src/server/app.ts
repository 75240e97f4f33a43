import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import type { Kysely } from "kysely";
import type { Address } from "viem";
import type { OrderBookTables } from "./orderBook/schema.js";
import type { Program, ReadClient, WriteClient } from "../program.js";
import { notFound, onError, refuse } from "./middleware/errors.js";
import { createRateLimiter, rateLimitPerClient } from "./middleware/rateLimit.js";
import { OrderBook, type OrderBookOptions } from "./orderBook/index.js";
import { Relayer } from "./relayer.js";
import { healthRoutes } from "./routes/health.js";
import { openApiConfig } from "./routes/openapi.js";
import { ordersRoutes } from "./routes/orders.js";
import { relayRoutesOf } from "./routes/relay.js";

export interface ProgramServerOptions {
  program: Program;
  /** Reads the chain: checks orders, follows events. */
  client: ReadClient;
  db: Kysely<OrderBookTables>;
  /** The brand's relayer; without it, /relay answers 503. */
  relayer?: WriteClient;
  /** Relayed actions per member per UTC day (default 20). */
  quota?: number;
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
}

export interface ProgramServer {
  app: OpenAPIHono;
  book: OrderBook;
  relayer: Relayer | undefined;
}

export interface CreateAppParameters extends Pick<
  ProgramServerOptions,
  "maxBodyBytes" | "corsOrigins" | "rateLimitPerMinute" | "memberRateLimitPerMinute" | "clock"
> {
  program: Program;
  book: OrderBook;
  relayer: Relayer | undefined;
  /** The relayer's address, whose balance /health tells. */
  relayerAddress?: Address | undefined;
}

/**
 * The program server's HTTP app over its order book and relayer: CORS, the per-client rate limit and the body limit
 * on every request, then the routes (health, orders, relay) and /openapi.json, generated from them. Every refusal
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
  if (parameters.rateLimitPerMinute !== undefined)
    app.use("*", rateLimitPerClient(createRateLimiter({ limit: parameters.rateLimitPerMinute, clock })));
  const maxSize = parameters.maxBodyBytes ?? 64 * 1024;
  app.use(
    "*",
    bodyLimit({
      maxSize,
      onError: (c) => refuse(c, 413, "body_too_large", `The request body is larger than ${maxSize} bytes.`),
    }),
  );

  const members =
    parameters.memberRateLimitPerMinute === undefined
      ? undefined
      : createRateLimiter({ limit: parameters.memberRateLimitPerMinute, clock });
  app.route("/", healthRoutes({ program, book, relayerAddress: parameters.relayerAddress, clock }));
  app.doc("/openapi.json", openApiConfig);
  app.route("/", ordersRoutes({ book, members }));
  app.route("/", relayRoutesOf({ relayer }));

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
        quota: options.quota ?? 20,
        storedPermit: (offerHash) => book.permitOf(offerHash),
        ...(options.today ? { today: options.today } : {}),
      })
    : undefined;
  return {
    app: createApp({ ...options, book, relayer, relayerAddress: options.relayer?.account.address }),
    book,
    relayer,
  };
}
