import { isIP } from "node:net";
import type { Context, MiddlewareHandler } from "hono";
import { sql, type Kysely } from "kysely";
import type { InstanceTables } from "../instances/schema.js";
import { refuse } from "./errors.js";

/** One count taken, or refused with the seconds left in the minute. */
export type RateLimitTaken = { ok: true } | { ok: false; retryAfter: number };

/** Counts per key within the current minute of a clock. */
export interface RateLimiter {
  readonly limit: number;
  /**
   * Where the counts live: `"instance"` (this process; each instance behind a load balancer counts on its own) or
   * `"shared"` (the database: every instance on it counts against one limit).
   */
  readonly scope: "instance" | "shared";
  /** Counts one for the key, or refuses with the seconds left in the minute. */
  take(key: string): Promise<RateLimitTaken>;
  /** Takes back one count of the key (a request that should not have counted). */
  giveBack(key: string): Promise<void>;
}

const minuteOf = (ms: number) => Math.floor(ms / 60_000);
const secondsLeft = (ms: number) => 60 - (Math.floor(ms / 1000) % 60);

/**
 * At most `limit` per key per minute of `clock` (milliseconds since 1970, the server's clock), counted in this
 * process: a refused request stores nothing anywhere, a restart starts the minute afresh, and several instances
 * count each on their own (use {@link createSharedRateLimiter} for one limit across them).
 *
 * @example
 * const members = createRateLimiter({ limit: 10, clock: Date.now });
 * if (!(await members.take(signer)).ok) // 429
 */
export function createRateLimiter({ limit, clock }: { limit: number; clock: () => number }): RateLimiter {
  let window = 0;
  let counts = new Map<string, number>();
  const roll = () => {
    const minute = minuteOf(clock());
    if (minute !== window) [window, counts] = [minute, new Map()];
  };
  return {
    limit,
    scope: "instance",
    async take(key) {
      roll();
      const used = counts.get(key) ?? 0;
      if (used >= limit) return { ok: false, retryAfter: secondsLeft(clock()) };
      counts.set(key, used + 1);
      return { ok: true };
    },
    async giveBack(key) {
      roll();
      const used = counts.get(key) ?? 0;
      if (used > 0) counts.set(key, used - 1);
    },
  };
}

export interface CreateSharedRateLimiterParameters {
  /** The database every instance shares (migrated: its `rate_counts` table comes with the order book's 0005). */
  db: Kysely<InstanceTables>;
  /** Which limit this is, e.g. `31337:0xmarket:client`: limits of several programs or kinds on one database apart. */
  name: string;
  limit: number;
  clock: () => number;
}

/**
 * At most `limit` per key per minute of `clock`, counted in the database, so every instance on it counts against
 * one limit. Each take is one statement, `INSERT ... ON CONFLICT DO UPDATE SET used = used + 1 WHERE used < limit
 * RETURNING used` (SQLite and Postgres alike): two instances taking the last count at once cannot both get it, and
 * a refused take changes nothing. Rows of past minutes are deleted as the minutes turn. The instances' clocks
 * should agree to the second (NTP); the minute is the server's, not the database's.
 *
 * @example
 * const clients = createSharedRateLimiter({ db, name: `${book.key}:client`, limit: 600, clock: Date.now });
 */
export function createSharedRateLimiter({ db, name, limit, clock }: CreateSharedRateLimiterParameters): RateLimiter {
  let swept = 0;
  const sweep = (minute: number) => {
    if (minute === swept) return;
    swept = minute;
    // Best effort and off the request's path: a row left behind is only space, never a wrong count.
    void db
      .deleteFrom("rate_counts")
      .where("name", "=", name)
      .where("minute", "<", minute - 1)
      .execute()
      .catch(() => {});
  };
  return {
    limit,
    scope: "shared",
    async take(key) {
      const now = clock();
      // The insert of a key's first count is not held to the limit: a limit of none refuses before it.
      if (limit < 1) return { ok: false, retryAfter: secondsLeft(now) };
      const minute = minuteOf(now);
      sweep(minute);
      const counted = await db
        .insertInto("rate_counts")
        .values({ name, key, minute, used: 1 })
        .onConflict((oc) =>
          oc
            .columns(["name", "key", "minute"])
            .doUpdateSet({ used: sql<number>`rate_counts.used + 1` })
            .where("rate_counts.used", "<", limit),
        )
        .returning("used")
        .executeTakeFirst();
      return counted ? { ok: true } : { ok: false, retryAfter: secondsLeft(now) };
    },
    async giveBack(key) {
      await db
        .updateTable("rate_counts")
        .set({ used: sql<number>`used - 1` })
        .where("name", "=", name)
        .where("key", "=", key)
        .where("minute", "=", minuteOf(clock()))
        .where("used", ">", 0)
        .execute();
    },
  };
}

/** A limit's answer, for a client or a member alike: 429 with `code`, and Retry-After, the seconds to the next minute. */
export function refuseLimited(c: Context, code: string, retryAfter: number, message: string) {
  c.header("Retry-After", String(retryAfter));
  return refuse(c, 429, code, message);
}

/** An address as compared: an IPv4 address Node hands as IPv6-mapped (`::ffff:10.0.0.1`) is the IPv4 one. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(trimmed);
  return mapped ? mapped[1]! : trimmed;
}

/**
 * The client's address: the socket's, unless the socket is a trusted proxy's. Behind trusted proxies, the
 * right-most address of X-Forwarded-For that is not a trusted proxy: each proxy appends the address it was
 * reached from, so everything left of that is what the client wrote and proves nothing. A forwarded value that
 * is not an IP address is the proxy's mistake: the socket's address is used. Without a socket (tests through
 * `app.request`), "unknown".
 */
export function clientAddress(c: Context, trustedProxies: ReadonlySet<string>): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const socket = normalizeAddress(env?.incoming?.socket?.remoteAddress ?? "unknown");
  if (!trustedProxies.has(socket)) return socket;
  const forwarded = (c.req.header("x-forwarded-for") ?? "").split(",").map(normalizeAddress).filter(Boolean);
  for (let i = forwarded.length - 1; i >= 0; i--) {
    const hop = forwarded[i]!;
    if (isIP(hop) === 0) return socket;
    if (!trustedProxies.has(hop)) return hop;
  }
  // Every hop a trusted proxy: the request came from inside; the left-most is the first of them.
  return forwarded[0] ?? socket;
}

/**
 * Requests per minute per client address ({@link clientAddress}): past the limit, 429 `rate_limited` with
 * Retry-After until the minute ends.
 */
export function rateLimitPerClient(
  limiter: RateLimiter,
  { trustedProxies = new Set<string>() }: { trustedProxies?: ReadonlySet<string> } = {},
): MiddlewareHandler {
  return async (c, next) => {
    const client = clientAddress(c, trustedProxies);
    const taken = await limiter.take(client);
    if (!taken.ok) {
      const message = `More than ${limiter.limit} requests this minute from ${client}; wait for the next minute.`;
      return refuseLimited(c, "rate_limited", taken.retryAfter, message);
    }
    await next();
  };
}
