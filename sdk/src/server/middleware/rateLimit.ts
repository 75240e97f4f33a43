import type { Context, MiddlewareHandler } from "hono";
import { refuse } from "./errors.js";

/** Counts per key within the current minute of a clock. */
export interface RateLimiter {
  readonly limit: number;
  /** Counts one for the key, or refuses with the seconds left in the minute. */
  take(key: string): { ok: true } | { ok: false; retryAfter: number };
  /** Takes back one count of the key (a request that should not have counted). */
  giveBack(key: string): void;
}

/**
 * At most `limit` per key per minute of `clock` (milliseconds since 1970, the server's clock). In memory: a refused
 * request stores nothing anywhere, and a restart starts the minute afresh.
 *
 * @example
 * const members = createRateLimiter({ limit: 10, clock: Date.now });
 * if (!members.take(signer).ok) // 429
 */
export function createRateLimiter({ limit, clock }: { limit: number; clock: () => number }): RateLimiter {
  let window = 0;
  let counts = new Map<string, number>();
  const roll = () => {
    const minute = Math.floor(clock() / 60_000);
    if (minute !== window) [window, counts] = [minute, new Map()];
  };
  return {
    limit,
    take(key) {
      roll();
      const used = counts.get(key) ?? 0;
      if (used >= limit) return { ok: false, retryAfter: 60 - (Math.floor(clock() / 1000) % 60) };
      counts.set(key, used + 1);
      return { ok: true };
    },
    giveBack(key) {
      roll();
      const used = counts.get(key) ?? 0;
      if (used > 0) counts.set(key, used - 1);
    },
  };
}

/** A limit's answer, for a client or a member alike: 429 with `code`, and Retry-After, the seconds to the next minute. */
export function refuseLimited(c: Context, code: string, retryAfter: number, message: string) {
  c.header("Retry-After", String(retryAfter));
  return refuse(c, 429, code, message);
}

/**
 * Requests per minute per client address: past the limit, 429 `rate_limited` with Retry-After until the minute ends.
 * The address is the socket's (@hono/node-server hands the Node request in env.incoming); elsewhere every client
 * counts as one.
 */
export function rateLimitPerClient(limiter: RateLimiter): MiddlewareHandler {
  return async (c, next) => {
    const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
    const client = env?.incoming?.socket?.remoteAddress ?? "unknown";
    const taken = limiter.take(client);
    if (!taken.ok) {
      const message = `More than ${limiter.limit} requests this minute from ${client}; wait for the next minute.`;
      return refuseLimited(c, "rate_limited", taken.retryAfter, message);
    }
    await next();
  };
}
