import { expect } from "chai";
import { Hono } from "hono";
import type { Kysely } from "kysely";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { openDatabase } from "../../node/database.js";
import type { InstanceTables } from "../instances/schema.js";
import { migrateOrderBook, type OrderBookTables } from "../orderBook/schema.js";
import { clientAddress, createRateLimiter, createSharedRateLimiter, rateLimitPerClient } from "./rateLimit.js";

describe("server: the rate limiter", () => {
  it("counts per key within the minute of the server's clock, gives back, and starts afresh the next minute", async () => {
    let now = Date.UTC(2026, 10, 23, 12, 0, 15);
    const limiter = createRateLimiter({ limit: 2, clock: () => now });
    expect(await limiter.take("ada")).to.deep.equal({ ok: true });
    expect(await limiter.take("ada")).to.deep.equal({ ok: true });
    expect(await limiter.take("ada")).to.deep.equal({ ok: false, retryAfter: 45 });
    expect(await limiter.take("ben")).to.deep.equal({ ok: true });
    await limiter.giveBack("ada");
    expect(await limiter.take("ada")).to.deep.equal({ ok: true });
    now += 45_000;
    expect(await limiter.take("ada")).to.deep.equal({ ok: true });
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

describe("server: the client address behind a trusted proxy", () => {
  const limited = (trusted: string[]) =>
    new Hono()
      .use("*", rateLimitPerClient(createRateLimiter({ limit: 1, clock: () => 0 }), { trustedProxies: new Set(trusted) }))
      .get("/", (c) => c.text("ok"));
  const from = (app: ReturnType<typeof limited>, socket: string, forwarded?: string) =>
    app.request("/", forwarded === undefined ? {} : { headers: { "x-forwarded-for": forwarded } }, {
      incoming: { socket: { remoteAddress: socket } },
    });
  const trusted = new Set(["10.0.0.2", "10.0.0.3"]);
  const addressOf = async (socket: string, forwarded?: string) => {
    let seen = "";
    const app = new Hono().get("/", (c) => c.text((seen = clientAddress(c, trusted))));
    await app.request("/", forwarded === undefined ? {} : { headers: { "x-forwarded-for": forwarded } }, {
      incoming: { socket: { remoteAddress: socket } },
    });
    return seen;
  };

  it("takes the right-most forwarded address that is not a trusted proxy, from a trusted proxy only", async () => {
    expect(await addressOf("10.0.0.2", "203.0.113.7")).to.equal("203.0.113.7");
    // Two trusted proxies in a row: the client is the first hop neither of them is.
    expect(await addressOf("10.0.0.2", "203.0.113.7, 10.0.0.3")).to.equal("203.0.113.7");
    // An IPv4 client as Node hands it on a dual-stack socket is the same client.
    expect(await addressOf("::ffff:10.0.0.2", "::ffff:203.0.113.7")).to.equal("203.0.113.7");
    expect(await addressOf("198.51.100.1")).to.equal("198.51.100.1");
    // Abuse: a client writes addresses of its own left of what the proxy appended; they are not read.
    expect(await addressOf("10.0.0.2", "1.1.1.1, 2.2.2.2, 203.0.113.7")).to.equal("203.0.113.7");
    // Abuse: a client that is not a trusted proxy forges the header; its socket address is its address.
    expect(await addressOf("198.51.100.1", "203.0.113.7")).to.equal("198.51.100.1");
    // A proxy that forwards garbage: counted on the proxy, never on the garbage.
    expect(await addressOf("10.0.0.2", "not-an-ip")).to.equal("10.0.0.2");
  });

  it("limits a client forging X-Forwarded-For on its socket address, and clients behind the proxy each on their own", async () => {
    const app = limited(["10.0.0.2"]);
    expect((await from(app, "198.51.100.1", "1.1.1.1")).status).to.equal(200);
    // Another forged address does not buy a new count.
    expect((await from(app, "198.51.100.1", "2.2.2.2")).status).to.equal(429);
    // Through the proxy, two clients: one count each.
    expect((await from(app, "10.0.0.2", "203.0.113.7")).status).to.equal(200);
    expect((await from(app, "10.0.0.2", "203.0.113.8")).status).to.equal(200);
    expect((await from(app, "10.0.0.2", "203.0.113.7")).status).to.equal(429);
    // Without a trusted proxy configured, the proxy's socket is one client.
    const plain = limited([]);
    expect((await from(plain, "10.0.0.2", "203.0.113.7")).status).to.equal(200);
    expect((await from(plain, "10.0.0.2", "203.0.113.8")).status).to.equal(429);
  });
});

describe("server: the rate limit shared through the database", () => {
  for (const engine of databaseEngines()) {
    it(`${engine}: two instances count against one limit, atomically, and a refused take counts nothing`, async () => {
      const location = await freshDatabase(engine);
      const first = openDatabase<OrderBookTables>(location);
      const second = openDatabase<OrderBookTables>(location);
      try {
        await migrateOrderBook(first);
        await migrateOrderBook(second);
        let now = Date.UTC(2026, 10, 23, 12, 0, 15);
        const shared = (db: typeof first, name = "31337:0xmarket:client") =>
          createSharedRateLimiter({ db: db as unknown as Kysely<InstanceTables>, name, limit: 5, clock: () => now });
        const [a, b] = [shared(first), shared(second)];
        expect(a.scope).to.equal("shared");
        // 40 takes at once, half through each instance: exactly the limit get through.
        const taken = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).take("203.0.113.7")));
        expect(taken.filter((t) => t.ok)).to.have.length(5);
        expect(taken.find((t) => !t.ok)).to.deep.equal({ ok: false, retryAfter: 45 });
        const row = await (second as unknown as Kysely<InstanceTables>)
          .selectFrom("rate_counts")
          .select("used")
          .executeTakeFirstOrThrow();
        expect(row.used).to.equal(5);
        // One handed back on one instance is one more on the other.
        await a.giveBack("203.0.113.7");
        expect(await b.take("203.0.113.7")).to.deep.equal({ ok: true });
        expect(await a.take("203.0.113.7")).to.deep.include({ ok: false });
        // Another client, and another limit's name, count apart.
        expect(await a.take("203.0.113.8")).to.deep.equal({ ok: true });
        expect(await shared(first, "31337:0xmarket:member").take("203.0.113.7")).to.deep.equal({ ok: true });
        // A limit of none gives none, on the first take too (as in memory).
        const none = createSharedRateLimiter({
          db: first as unknown as Kysely<InstanceTables>,
          name: "none",
          limit: 0,
          clock: () => now,
        });
        expect(await none.take("203.0.113.7")).to.deep.include({ ok: false });
        expect(await createRateLimiter({ limit: 0, clock: () => now }).take("203.0.113.7")).to.deep.include({ ok: false });
        // The next minute starts afresh.
        now += 45_000;
        expect(await b.take("203.0.113.7")).to.deep.equal({ ok: true });
      } finally {
        await first.destroy();
        await second.destroy();
      }
    });
  }
});
