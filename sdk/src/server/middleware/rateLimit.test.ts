import { expect } from "chai";
import { Hono } from "hono";
import { createRateLimiter, rateLimitPerClient } from "./rateLimit.js";

describe("server: the rate limiter", () => {
  it("counts per key within the minute of the server's clock, gives back, and starts afresh the next minute", () => {
    let now = Date.UTC(2026, 10, 23, 12, 0, 15);
    const limiter = createRateLimiter({ limit: 2, clock: () => now });
    expect(limiter.take("ada")).to.deep.equal({ ok: true });
    expect(limiter.take("ada")).to.deep.equal({ ok: true });
    expect(limiter.take("ada")).to.deep.equal({ ok: false, retryAfter: 45 });
    expect(limiter.take("ben")).to.deep.equal({ ok: true });
    limiter.giveBack("ada");
    expect(limiter.take("ada")).to.deep.equal({ ok: true });
    now += 45_000;
    expect(limiter.take("ada")).to.deep.equal({ ok: true });
  });

  it("refuses a client past the limit with 429, rate_limited and Retry-After, by the clock it is given", async () => {
    let now = Date.UTC(2026, 10, 23, 12, 0, 50);
    const app = new Hono()
      .use("*", rateLimitPerClient(createRateLimiter({ limit: 1, clock: () => now })))
      .get("/", (c) => c.text("ok"));
    expect((await app.request("/")).status).to.equal(200);
    const refused = await app.request("/");
    expect(refused.status).to.equal(429);
    expect(refused.headers.get("retry-after")).to.equal("10");
    expect(((await refused.json()) as { error: { code: string } }).error.code).to.equal("rate_limited");
    now += 10_000;
    expect((await app.request("/")).status).to.equal(200);
  });
});
