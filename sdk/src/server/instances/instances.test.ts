import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import pg from "pg";
import { cancelOrder, listStamp, toWire, type Signed } from "../../index.js";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { marketProgram, stampIds } from "../../../../test/helpers/sdkProgram.js";
import { serveConfigSchema } from "../../cli/serve.js";
import { leaderLockKey } from "./leader.js";
import { startProgramServer, type StartProgramServerParameters, type StartProgramServerReturnType } from "../start.js";

const { cup } = stampIds;

async function until(check: () => Promise<boolean> | boolean, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Runs SQL on a connection of the test's own (e.g. to end the instances' sessions, as a restart would). */
async function onDatabase<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const postBody = (signed: Signed<unknown>) =>
  JSON.stringify(toWire({ kind: "listing", order: signed.order, signature: signed.signature }));

/** Two instances of one program's server on one Postgres database, and what a test does with them. */
async function twoInstances(extra: Partial<StartProgramServerParameters> = {}) {
  const fixture = await loadFixture(marketProgram);
  const { program, ben } = fixture;
  const url = await freshDatabase("postgres");
  const start = () =>
    startProgramServer({
      program,
      client: ben,
      db: url,
      port: 0,
      pollingInterval: 50,
      electionRetryMs: 250,
      // Both instances take dozens of listings of a few stamps: the book's caps are not what this measures.
      maxOpenOrdersPerStamp: 1_000,
      ...extra,
    });
  const a = await start();
  const b = await start();
  const servers = [a, b];
  const leaders = () => servers.filter((s) => s.election!.leading);
  const get = async (server: StartProgramServerReturnType, path: string) =>
    (await (await fetch(`${server.url}${path}`)).json()) as { status: string; orders: { orderHash: string }[] };
  const post = (server: StartProgramServerReturnType, signed: Signed<unknown>) =>
    fetch(`${server.url}/orders`, { method: "POST", headers: { "content-type": "application/json" }, body: postBody(signed) });
  const storedHashes = () =>
    onDatabase(url, async (c) => (await c.query<{ order_hash: string }>("SELECT order_hash FROM book_orders")).rows);
  return {
    ...fixture,
    url,
    a,
    b,
    servers,
    leaders,
    get,
    post,
    storedHashes,
    close: () => Promise.all(servers.map((s) => s.close())),
  };
}

describe("server: several instances on one Postgres", () => {
  if (!databaseEngines().includes("postgres")) return;

  it("exactly one follows; the other's cached answers follow the book; killed, the leader is replaced within 10 s, and no acknowledged order is lost or doubled", async function () {
    this.timeout(120_000);
    const { program, ada, ben, url, a, b, leaders, get, post, storedHashes, close } = await twoInstances();
    try {
      expect(leaders()).to.have.length(1);
      const leader = leaders()[0]!;
      const standby = leader === a ? b : a;

      // A listing posted on the leader; the standby caches its page, then the chain cancels the listing: the
      // leader applies it, and the standby's answer changes with the book (its cache was dropped).
      const cancelled = await listStamp(ben, { program, tokenId: cup(2n), price: 200n, currency: program.points });
      expect((await post(leader, cancelled)).status).to.equal(201);
      const page = `/listings?seriesId=1&currency=${program.points}`;
      expect((await get(standby, page)).orders.map((o) => o.orderHash)).to.deep.equal([cancelled.orderHash]);
      expect((await get(standby, `/orders/${cancelled.orderHash}`)).status).to.equal("open");
      await cancelOrder(ben, { program, order: { listing: cancelled } });
      await until(async () => (await get(standby, `/orders/${cancelled.orderHash}`)).status === "cancelled", "the cancel");
      expect((await get(standby, page)).orders).to.deep.equal([]);

      // Posts go on through both instances while the leader's lock connection is cut, as when its process dies.
      const acknowledged = new Set<string>();
      let price = 300n;
      const posting = (async () => {
        for (let i = 0; i < 40; i++) {
          const listing = await listStamp(ada, { program, tokenId: cup(1n), price: price++, currency: program.points });
          const answer = await post(i % 2 ? a : b, listing);
          if (answer.status === 201) acknowledged.add(listing.orderHash);
        }
      })();
      const killedAt = Date.now();
      await onDatabase(url, (c) => c.query("SELECT pg_terminate_backend($1)", [leader.election!.backendPid]));
      await until(() => standby.election!.leading, "the standby to take over", 10_000);
      const tookOver = Date.now() - killedAt;
      expect(tookOver).to.be.below(10_000);
      // The instance that lost its lock stopped following, and waits before it contends again.
      expect(leader.election!.leading).to.equal(false);
      await posting;
      expect(acknowledged.size).to.be.greaterThan(30);
      const hashes = (await storedHashes()).map((r) => r.order_hash);
      expect(new Set(hashes).size).to.equal(hashes.length);
      for (const hash of acknowledged) expect(hashes).to.include(hash);

      // The new leader follows: a cancel on the chain reaches both instances' answers.
      const second = await listStamp(ben, { program, tokenId: cup(2n), price: 210n, currency: program.points });
      expect((await post(leader, second)).status).to.equal(201);
      expect((await get(leader, `/orders/${second.orderHash}`)).status).to.equal("open");
      await cancelOrder(ben, { program, order: { listing: second } });
      await until(async () => (await get(leader, `/orders/${second.orderHash}`)).status === "cancelled", "the cancel");
      // Still exactly one leader, rounds later.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(leaders()).to.deep.equal([standby]);

      // The leader closed (SIGTERM): it lets the lock go, and the other takes over.
      const closing = Date.now();
      await standby.close();
      expect(Date.now() - closing).to.be.below(5_000);
      await until(() => leader.election!.leading, "the other to take over after a close", 10_000);
    } finally {
      await close();
    }
  });

  it("Postgres ending every session under two instances: no 5xx that a retry does not mend, nothing lost, one leader again", async function () {
    this.timeout(120_000);
    const { program, ada, ben, url, a, b, leaders, get, post, storedHashes, close } = await twoInstances();
    try {
      const acknowledged = new Set<string>();
      const failures: number[] = [];
      let price = 500n;
      const posting = (async () => {
        for (let i = 0; i < 40; i++) {
          const listing = await listStamp(ada, { program, tokenId: cup(1n), price: price++, currency: program.points });
          const server = i % 2 ? a : b;
          for (let attempt = 0; ; attempt++) {
            const answer = await post(server, listing);
            if (answer.status < 500) {
              expect(answer.status).to.be.oneOf([200, 201]);
              acknowledged.add(listing.orderHash);
              break;
            }
            failures.push(answer.status);
            if (attempt >= 5) throw new Error(`post still ${answer.status} after ${attempt + 1} tries`);
            await new Promise((r) => setTimeout(r, 200));
          }
          await get(server, `/orders/${listing.orderHash}`);
        }
      })();
      // What a restart does to the instances: every session of theirs ends at once (this role may end its own).
      await new Promise((r) => setTimeout(r, 150));
      const ended = await onDatabase(url, (c) =>
        c.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND usename = current_user AND pid <> pg_backend_pid()",
        ),
      );
      expect(ended.rowCount).to.be.greaterThan(1);
      await posting;
      expect(acknowledged.size).to.equal(40);
      const hashes = (await storedHashes()).map((r) => r.order_hash);
      expect(new Set(hashes).size).to.equal(hashes.length);
      for (const hash of acknowledged) expect(hashes).to.include(hash);
      // One instance leads again, and follows.
      await until(() => leaders().length === 1, "a leader again", 10_000);
      const listing = await listStamp(ben, { program, tokenId: cup(2n), price: 220n, currency: program.points });
      expect((await post(a, listing)).status).to.equal(201);
      await cancelOrder(ben, { program, order: { listing } });
      for (const server of [a, b])
        await until(async () => (await get(server, `/orders/${listing.orderHash}`)).status === "cancelled", "the cancel");
      expect(leaders()).to.have.length(1);
    } finally {
      await close();
    }
  });

  it("counts one rate limit across both instances, and reads X-Forwarded-For from the trusted proxy only", async function () {
    this.timeout(60_000);
    // One instance behind a proxy on this host (127.0.0.1 trusted), one reached directly; one minute throughout.
    const fixture = await loadFixture(marketProgram);
    const url = await freshDatabase("postgres");
    const clock = () => Date.UTC(2026, 10, 23, 12, 0, 15);
    const start = (trustedProxies: string[]) =>
      startProgramServer({
        program: fixture.program,
        client: fixture.ben,
        db: url,
        port: 0,
        pollingInterval: 50,
        rateLimitPerMinute: 3,
        rateLimitScope: "shared",
        trustedProxies,
        clock,
      });
    const proxied = await start(["127.0.0.1"]);
    const direct = await start([]);
    try {
      const status = async (server: StartProgramServerReturnType, forwarded?: string) =>
        (await fetch(`${server.url}/health`, forwarded ? { headers: { "x-forwarded-for": forwarded } } : {})).status;
      // Behind the proxy, a client is counted on the address the proxy forwards.
      expect(await status(proxied, "203.0.113.7")).to.equal(200);
      expect(await status(proxied, "203.0.113.7")).to.equal(200);
      // Abuse: a client reaching the other instance directly forges the header; it is counted on its socket
      // address, whatever it forges.
      for (const forged of ["203.0.113.7", "1.1.1.1", "2.2.2.2"]) expect(await status(direct, forged)).to.equal(200);
      const refused = await fetch(`${direct.url}/health`, { headers: { "x-forwarded-for": "3.3.3.3" } });
      expect(refused.status).to.equal(429);
      expect(((await refused.json()) as { error: { message: string } }).error.message).to.contain("127.0.0.1");
      // The count is one across the instances: the proxy's own address (no header) was used up on the other.
      expect(await status(proxied)).to.equal(429);
      // The forwarded client has one count left, wherever it is taken.
      expect(await status(proxied, "203.0.113.7")).to.equal(200);
      expect(await status(proxied, "203.0.113.7")).to.equal(429);
      expect(await status(proxied, "203.0.113.8")).to.equal(200);
    } finally {
      await Promise.all([proxied.close(), direct.close()]);
    }
  });
});

describe("server: one instance on SQLite", () => {
  it("follows without an election", async () => {
    const { program, ben } = await loadFixture(marketProgram);
    const server = await startProgramServer({ program, client: ben, db: await freshDatabase("sqlite"), port: 0 });
    try {
      expect(server.election).to.equal(undefined);
      expect(typeof (await server.book.lastBlock())).to.equal("bigint");
    } finally {
      await server.close();
    }
  });
});

describe("server: the serve flags of several instances", () => {
  const valid = {
    program: "deployments/localhost/example.json",
    rpc: "http://127.0.0.1:8545",
    db: "postgres://punchcard@127.0.0.1/book",
    port: "8787",
    host: "127.0.0.1",
    confirmations: "0",
    quota: "20",
    pollMs: "1000",
    rate: "60",
    memberRate: "0",
  };

  it("takes trusted proxies as IP addresses and the limits' scope by name, refusing anything else with the flag's name", () => {
    const parsed = serveConfigSchema.parse({ ...valid, trustProxy: "10.0.0.2, ::1", rateLimits: "shared" });
    expect(parsed.trustProxy).to.deep.equal(["10.0.0.2", "::1"]);
    expect(parsed.rateLimits).to.equal("shared");
    expect(serveConfigSchema.parse(valid).trustProxy).to.deep.equal([]);
    // A host name or a range is not an address a socket has: trusting it would trust nothing, or the wrong thing.
    for (const trustProxy of ["10.0.0.2,proxy.internal", "10.0.0.0/8", ""]) {
      const refused = serveConfigSchema.safeParse({ ...valid, trustProxy });
      if (trustProxy === "") expect(refused.success).to.equal(true);
      else expect(refused.error?.issues[0]?.message).to.contain("--trust-proxy");
    }
    expect(serveConfigSchema.safeParse({ ...valid, rateLimits: "global" }).error?.issues[0]?.message).to.contain("--rate-limits");
  });
});

describe("server: the leader lock's key", () => {
  it("is one signed 64-bit integer per program, whatever the address's case, and differs between programs", () => {
    const key = leaderLockKey("31337:0x5fbdb2315678afecb367f032d93f642f64180aa3");
    expect(key).to.equal("-2614274016919241111");
    expect(leaderLockKey("31337:0x5FbDB2315678afecb367f032d93F642f64180aa3")).to.equal(key);
    expect(leaderLockKey("1:0x5fbdb2315678afecb367f032d93f642f64180aa3")).to.not.equal(key);
    const value = BigInt(key);
    expect(value >= -(2n ** 63n) && value < 2n ** 63n).to.equal(true);
  });
});
