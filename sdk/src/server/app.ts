import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import type { Kysely } from "kysely";
import { getAddress, type Address } from "viem";
import { z } from "zod";
import type { OrderBookTables } from "./orderBook/schema.js";
import type { Program, ReadClient, WriteClient } from "../program.js";
import {
  addressSchema,
  bestListingsQuerySchema,
  bytes32Schema,
  listingsQuerySchema,
  offersQuerySchema,
  pageQuerySchema,
  postOrderSchema,
  relaySchemas,
  swapsQuerySchema,
  type ErrorBody,
  type RelayAction,
} from "./api.js";
import { openApiDocument } from "./openapi.js";
import { BookRefusal, OrderBook } from "./orderBook/index.js";
import { Relayer } from "./relay.js";

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
  /** Milliseconds since 1970 for the rate limits' minutes (tests; default Date.now). */
  clock?: () => number;
  /** Today's UTC date for quotas (tests). */
  today?: () => string;
}

export interface ProgramServer {
  app: Hono;
  book: OrderBook;
  relayer: Relayer | undefined;
}

/** Counts per key within the current minute (in memory: a refused post stores nothing anywhere). */
function perMinute(limit: number, clock: () => number) {
  let window = 0;
  let counts = new Map<string, number>();
  const roll = () => {
    const minute = Math.floor(clock() / 60_000);
    if (minute !== window) [window, counts] = [minute, new Map()];
  };
  return {
    limit,
    take(key: string): { ok: true } | { ok: false; retryAfter: number } {
      roll();
      const used = counts.get(key) ?? 0;
      if (used >= limit) return { ok: false, retryAfter: 60 - (Math.floor(clock() / 1000) % 60) };
      counts.set(key, used + 1);
      return { ok: true };
    },
    giveBack(key: string) {
      roll();
      const used = counts.get(key) ?? 0;
      if (used > 0) counts.set(key, used - 1);
    },
  };
}

const refuse = (c: Context, status: 400 | 404 | 409 | 413 | 422 | 429 | 503, code: string, message: string) =>
  c.json({ error: { code, message } } satisfies ErrorBody, status);

/** The first problem zod found, with the field it is about: "order.price must be ...". */
function problemOf(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join(".") : "the request";
  if (issue.code === "unrecognized_keys") return `${where} has unknown field(s) ${issue.keys.join(", ")}.`;
  if (issue.code === "invalid_union" && issue.path.length === 0) return "kind must be listing, offer or swap.";
  return `${where}: ${issue.message}.`;
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new BookRefusal(400, "invalid_request", problemOf(result.error));
  return result.data;
}

const page = (q: { cursor?: string | undefined; limit?: string | undefined }) => ({
  ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
  ...(q.limit === undefined ? {} : { limit: Number(q.limit) }),
});

/**
 * The program server as a Hono app: the order book (POST /orders, GET listings, offers, swaps, a member's orders,
 * one order), the relayer (POST /relay/<action>), /openapi.json and /health. Every refusal is a 4xx with
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
  const book = new OrderBook({ program, client, db });
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
  const app = new Hono();

  if (options.corsOrigins && options.corsOrigins.length > 0) app.use("*", cors({ origin: options.corsOrigins }));
  if (options.rateLimitPerMinute !== undefined) {
    const limit = options.rateLimitPerMinute;
    let window = 0;
    let counts = new Map<string, number>();
    app.use("*", async (c, next) => {
      const minute = Math.floor(Date.now() / 60_000);
      if (minute !== window) [window, counts] = [minute, new Map()];
      // @hono/node-server hands the Node request in env.incoming; elsewhere every client counts as one.
      const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
      const client = env?.incoming?.socket?.remoteAddress ?? "unknown";
      const used = (counts.get(client) ?? 0) + 1;
      counts.set(client, used);
      if (used > limit) {
        c.header("Retry-After", String(60 - (Math.floor(Date.now() / 1000) % 60)));
        return refuse(
          c,
          429,
          "rate_limited",
          `More than ${limit} requests this minute from ${client}; wait for the next minute.`,
        );
      }
      await next();
    });
  }
  const maxSize = options.maxBodyBytes ?? 64 * 1024;
  app.use(
    "*",
    bodyLimit({
      maxSize,
      onError: (c) => refuse(c, 413, "body_too_large", `The request body is larger than ${maxSize} bytes.`),
    }),
  );

  const body = async (c: Context): Promise<unknown> => {
    if (!/^application\/json\b/i.test(c.req.header("content-type") ?? ""))
      throw new BookRefusal(400, "invalid_request", "Send the body as JSON with Content-Type: application/json.");
    try {
      return await c.req.json();
    } catch {
      throw new BookRefusal(400, "invalid_json", "The body is not valid JSON.");
    }
  };

  app.get("/health", async (c) => {
    const last = await book.lastBlock();
    return c.json({
      ok: true,
      chainId: program.chainId,
      ...(last === undefined ? {} : { lastBlock: last.toString() }),
      openOrders: await book.openCount(),
    });
  });
  app.get("/openapi.json", (c) => c.json(openApiDocument()));

  const members =
    options.memberRateLimitPerMinute === undefined
      ? undefined
      : perMinute(options.memberRateLimitPerMinute, options.clock ?? Date.now);
  app.post("/orders", async (c) => {
    const order = parse(postOrderSchema, await body(c));
    if (!members) {
      const { created, view } = await book.post(order);
      return c.json(view, created ? 201 : 200);
    }
    const o = order.order as { seller?: string; buyer?: string; maker?: string };
    const signer = getAddress((order.kind === "listing" ? o.seller : order.kind === "offer" ? o.buyer : o.maker)!);
    const taken = members.take(signer);
    if (!taken.ok) {
      c.header("Retry-After", String(taken.retryAfter));
      return refuse(
        c,
        429,
        "member_rate_limited",
        `${signer} posted ${members.limit} orders this minute, the most this server takes from one member; wait ${taken.retryAfter} s.`,
      );
    }
    try {
      const { created, view } = await book.post(order);
      return c.json(view, created ? 201 : 200);
    } catch (error) {
      // Someone else's post naming this member as signer, with a signature that is not theirs: not their count.
      if (error instanceof BookRefusal && error.code === "bad_signature") members.giveBack(signer);
      throw error;
    }
  });
  // Answers of the book's GETs, by URL, kept while the book's version stands (no order stored, no block applied
  // since): a popular page is computed and serialized once per change, not once per request.
  const answers = new Map<string, { version: number; body: string }>();
  const cached = async (c: Context, compute: () => Promise<unknown>) => {
    const key = c.req.url;
    const hit = answers.get(key);
    if (hit && hit.version === book.version) return c.body(hit.body, 200, { "content-type": "application/json" });
    const version = book.version;
    const body = JSON.stringify(await compute());
    if (version === book.version) {
      if (answers.size >= 1_000) answers.clear();
      answers.set(key, { version, body });
    }
    return c.body(body, 200, { "content-type": "application/json" });
  };

  app.get("/orders/:hash", async (c) => {
    const hash = parse(bytes32Schema, c.req.param("hash"));
    return cached(c, () => book.order(hash));
  });
  app.get("/listings", async (c) => {
    const q = parse(listingsQuerySchema, c.req.query());
    return cached(c, () =>
      book.listings({
        seriesId: BigInt(q.seriesId),
        ...(q.currency === undefined ? {} : { currency: q.currency as Address }),
        ...page(q),
      }),
    );
  });
  app.get("/listings/best", async (c) => {
    const q = parse(bestListingsQuerySchema, c.req.query());
    return cached(c, async () => ({
      orders: await book.bestListings(q.currency === undefined ? {} : { currency: q.currency as Address }),
    }));
  });
  app.get("/offers", async (c) => {
    const q = parse(offersQuerySchema, c.req.query());
    return cached(c, () =>
      book.offers({
        ...(q.tokenId === undefined ? {} : { tokenId: BigInt(q.tokenId) }),
        ...(q.seriesId === undefined ? {} : { seriesId: BigInt(q.seriesId) }),
        ...page(q),
      }),
    );
  });
  app.get("/swaps", async (c) => {
    const q = parse(swapsQuerySchema, c.req.query());
    return cached(c, () => book.swaps({ wantedSeriesId: BigInt(q.wantedSeriesId), ...page(q) }));
  });
  app.get("/members/:address/orders", async (c) => {
    const member = parse(addressSchema, c.req.param("address")) as Address;
    const q = parse(pageQuerySchema, c.req.query());
    return cached(c, () => book.ordersOf({ member, ...page(q) }));
  });
  app.post("/relay/:action", async (c) => {
    const action = c.req.param("action");
    if (!Object.hasOwn(relaySchemas, action))
      return refuse(
        c,
        404,
        "unknown_action",
        `No relayed action "${action}"; this server relays ${Object.keys(relaySchemas).join(", ")}.`,
      );
    if (!relayer) return refuse(c, 503, "relay_off", "This server has no relayer key: members send their own transactions.");
    const parsed = parse(relaySchemas[action as RelayAction], await body(c));
    return c.json(await relayer.relay(action as RelayAction, parsed as never));
  });

  app.notFound((c) => refuse(c, 404, "not_found", `No route ${c.req.method} ${c.req.path}; see /openapi.json.`));
  app.onError((error, c) => {
    if (error instanceof BookRefusal) return refuse(c, error.status, error.code, error.message);
    console.error("program server:", error);
    return c.json(
      { error: { code: "internal", message: "The server failed on this request; it is logged." } } satisfies ErrorBody,
      500,
    );
  });
  return { app, book, relayer };
}
