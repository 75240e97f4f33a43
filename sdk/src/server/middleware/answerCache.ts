import type { MiddlewareHandler } from "hono";

/**
 * Keeps the answers of GETs by URL while the source's version stands (for the order book: no order stored, no block
 * applied since), so a popular page is computed and serialized once per change, not once per request. Only 200s
 * are kept; at 1,000 URLs the cache starts again. With several instances on one Postgres, the book's version also
 * rises when another instance writes to the book (the leader election's connection hears the database's
 * notification, see `instances/leader.ts`), so no instance answers from before a write it did not make.
 */
export function answerCache(source: { readonly version: number }): MiddlewareHandler {
  const answers = new Map<string, { version: number; body: string }>();
  return async (c, next) => {
    const key = c.req.url;
    const hit = answers.get(key);
    if (hit && hit.version === source.version) return c.body(hit.body, 200, { "content-type": "application/json" });
    const version = source.version;
    await next();
    if (c.res.status !== 200 || version !== source.version) return;
    const body = await c.res.clone().text();
    if (answers.size >= 1_000) answers.clear();
    answers.set(key, { version, body });
  };
}
