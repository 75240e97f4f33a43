import type { MiddlewareHandler } from "hono";

/**
 * Keeps the answers of GETs by URL while the source's version stands (for the order book: no order stored, no block
 * applied since), so a popular page is computed and serialized once per change, not once per request. Only 200s
 * are kept; at 1,000 URLs the cache starts again. With several instances on one Postgres, the book's version also
 * rises when another instance writes to the book (the leader election's connection hears the database's
 * notification, see `instances/leader.ts`), so no instance answers from before a write it did not make.
 *
 * The answer's text is taken as the route gives it (the text of its `c.json`, or the string it passes `c.body`: the
 * order book's pages come as text), not read back from the response: a clone of the response turned the Node
 * adapter's plain string body into a web stream read twice, a quarter of the server's time on a page no other
 * request asks for (a new cursor each request).
 */
export function answerCache(source: { readonly version: number }): MiddlewareHandler {
  const answers = new Map<string, { version: number; body: string }>();
  return async (c, next) => {
    const key = c.req.url;
    const hit = answers.get(key);
    if (hit && hit.version === source.version) return c.body(hit.body, 200, { "content-type": "application/json" });
    const version = source.version;
    let text: string | undefined;
    const { json, body } = c;
    c.body = ((data: unknown, ...rest: unknown[]) => {
      text = typeof data === "string" ? data : undefined;
      return (body as (...args: unknown[]) => Response)(data, ...rest);
    }) as typeof body;
    c.json = ((object: unknown, arg?: unknown, headers?: Record<string, string>) =>
      c.body(JSON.stringify(object), arg as never, { "content-type": "application/json", ...headers })) as unknown as typeof json;
    try {
      await next();
    } finally {
      c.json = json;
      c.body = body;
    }
    if (c.res.status !== 200 || text === undefined || version !== source.version) return;
    if (answers.size >= 1_000) answers.clear();
    answers.set(key, { version, body: text });
  };
}
