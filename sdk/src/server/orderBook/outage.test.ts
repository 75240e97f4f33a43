import { expect } from "chai";
import { loadFixture, mine } from "@nomicfoundation/hardhat-network-helpers";
import type { Hex } from "viem";
import { buyStamp, listStamp } from "../../index.js";
import { openDatabase } from "../../node/database.js";
import { marketProgram, stampIds } from "../../../../test/helpers/sdkProgram.js";
import { flakyChain, type Outage } from "../../../../test/helpers/flakyChain.js";
import { bookSetup as outageSetup, until } from "../../../../test/helpers/bookServer.js";
import { createProgramServer } from "../app.js";
import type { OrderBookTables } from "./schema.js";

const { cup } = stampIds;

describe("order book: the chain stopped (transport errors are not verdicts)", () => {
  for (const outage of ["fetch", "internal"] satisfies Outage[])
    it(`${outage}: a post while the chain is down is answered 503 with Retry-After, stores nothing, and is stored once the chain is back`, async () => {
      const { program, ada, chain, post, statuses } = await outageSetup();
      const listing = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
      chain.outage = outage;
      chain.down = true;
      for (let i = 0; i < 3; i++) {
        const answer = await post(listing);
        expect(answer.status).to.equal(503);
        expect(answer.headers.get("retry-after")).to.equal("5");
        expect(answer.json).to.deep.equal({
          error: { code: "chain_unavailable", message: "The chain's RPC did not answer. Nothing was decided; try again in 5 s." },
        });
      }
      expect(await statuses()).to.deep.equal([]);
      chain.down = false;
      const stored = await post(listing);
      expect(stored.status).to.equal(201);
      expect(stored.json.status).to.equal("open");
    });

  it("a read while the database is down is answered 503 database_unavailable with Retry-After, never 500", async () => {
    // Nothing listens on port 1: every query fails to connect, as when Postgres is down or restarting.
    const fixture = await loadFixture(marketProgram);
    const { client } = flakyChain();
    const db = openDatabase<OrderBookTables>("postgres://punchcard:punchcard@127.0.0.1:1/punchcard_none");
    const { app } = createProgramServer({ program: fixture.program, client, db });
    try {
      for (const path of [
        `/orders/0x${"ab".repeat(32)}`,
        `/listings?seriesId=1`,
        `/members/${fixture.ada.account.address}/orders`,
      ]) {
        const response = await app.request(path);
        expect(response.status, path).to.equal(503);
        expect(response.headers.get("retry-after")).to.equal("5");
        expect(((await response.json()) as { error: { code: string } }).error.code).to.equal("database_unavailable");
      }
    } finally {
      await db.destroy();
    }
  });

  it("the chain stops during a re-check: no order changes state, the failure is logged without the RPC's key, and the batch is applied once it is back", async () => {
    const { program, ada, cleo, chain, server, post, statuses } = await outageSetup();
    const listings: Awaited<ReturnType<typeof listStamp>>[] = [];
    for (const price of [200n, 300n, 400n]) {
      const listing = await listStamp(ada, { program, tokenId: cup(1n), price, currency: program.points });
      expect((await post(listing)).status).to.equal(201);
      listings.push(listing);
    }
    const logged: string[] = [];
    const log = console.error;
    console.error = (...parts: unknown[]) => logged.push(parts.map(String).join(" "));
    await server.book.follow({ pollingInterval: 20 });
    try {
      const before = await statuses();
      const cursor = await server.book.lastBlock();
      // Blocks and logs still come, but every re-check's call fails: the outage begins inside the batch.
      chain.outage = "fetch";
      chain.callsOnly = true;
      chain.down = true;
      await buyStamp(cleo, { program, listing: listings[0]! });
      await until(async () => logged.length >= 5, "five failed attempts at the batch");
      expect(await statuses()).to.deep.equal(before);
      expect(await server.book.lastBlock()).to.equal(cursor);
      for (const line of logged) {
        expect(line).to.match(/^order book: following the chain failed: /);
        expect(line).to.not.contain("SECRETKEY123");
        expect(line).to.not.contain("pa55");
      }
      expect(logged[0]).to.contain("HTTP request failed");

      chain.down = false;
      const status = async (hash: Hex) => (await server.book.order(hash)).status;
      await until(async () => (await status(listings[0]!.orderHash)) === "filled", "the fill, once the chain is back");
      for (const other of listings.slice(1)) expect(await status(other.orderHash)).to.equal("stale");
      expect((await server.book.order(listings[1]!.orderHash)).reason).to.contain(`Stamp ${cup(1n)}`);
    } finally {
      console.error = log;
      await server.book.stop();
    }
  });

  it("/health tells the chain's head, the book's lag, the database and the relayer's balance, from a short cache, and is degraded (503) while the chain is down or the book trails", async () => {
    let now = 1_000_000;
    const { brand, chain, request, server } = await outageSetup({ clock: () => now });
    await server.book.follow({ pollingInterval: 20 });
    try {
      const head = await brand.getBlockNumber();
      await until(async () => (await server.book.lastBlock()) === head, "the book to reach the head");
      const up = await request("GET", "/health");
      expect(up.status).to.equal(200);
      expect(up.json).to.deep.include({ ok: true, chain: "ok", database: "ok", head: head.toString(), lag: "0", problems: [] });

      chain.down = true;
      chain.calls.clear();
      // Within the cache the last measure is answered again: no request reaches the chain or the database.
      for (let i = 0; i < 20; i++) expect((await request("GET", "/health")).status).to.equal(200);
      expect(chain.total()).to.equal(0);
      now += 2_000;
      const down = await request("GET", "/health");
      expect(down.status).to.equal(503);
      expect(down.json).to.deep.include({
        ok: false,
        chain: "unreachable",
        database: "ok",
        problems: ["The chain's RPC does not answer."],
      });
      expect(down.json).to.have.nested.property("error.code", "degraded");
    } finally {
      await server.book.stop();
    }
    chain.down = false;
    // Back up, but the book stopped following while the chain went on: it trails, and says so.
    await mine(12);
    now += 2_000;
    const behind = await request("GET", "/health");
    expect(behind.status).to.equal(503);
    expect(behind.json).to.have.property("lag", "12");
    expect((behind.json.problems as string[])[0]).to.match(/^The order book trails the chain by 12 blocks/);
  });

  it("/health tells the relayer's balance in wei", async () => {
    const fixture = await outageSetup({ withRelayer: true });
    const balance = await fixture.brand.getBalance({ address: fixture.brand.account.address });
    const answer = await fixture.request("GET", "/health");
    expect(answer.status).to.equal(200);
    expect(answer.json).to.have.property("relayerBalance", balance.toString());
  });

  it("a re-post of an order an RPC error once staled (as refused_by_market) is checked again and reopened; one stale for a verdict is answered as stored", async () => {
    const { program, ada, ben, db, post } = await outageSetup();
    const doubtful = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
    const moved = await listStamp(ben, { program, tokenId: cup(2n), price: 200n, currency: program.points });
    for (const l of [doubtful, moved]) expect((await post(l)).status).to.equal(201);
    // What a server before this change wrote when the RPC failed during a re-check.
    const stale = (code: string) => ({ status: "stale" as const, reason_code: code, reason: "HTTP request failed." });
    await db
      .updateTable("book_orders")
      .set(stale("refused_by_market"))
      .where("order_hash", "=", doubtful.orderHash.toLowerCase())
      .execute();
    await db
      .updateTable("book_orders")
      .set(stale("stamp_moved"))
      .where("order_hash", "=", moved.orderHash.toLowerCase())
      .execute();
    const reopened = await post(doubtful);
    expect(reopened.status).to.equal(200);
    expect(reopened.json).to.include({ status: "open" });
    expect(reopened.json).to.not.have.property("reason");
    const kept = await post(moved);
    expect(kept.json).to.include({ status: "stale", reason: "HTTP request failed." });
  });
});
