import { expect } from "chai";
import { buyStamp, cancelOrder, listStamp, toWire } from "../../index.js";
import { stampIds } from "../../../../test/helpers/sdkProgram.js";
import { bookSetup, manyListings, until } from "../../../../test/helpers/bookServer.js";
import { createProgramServer } from "../app.js";

const { cup } = stampIds;
/** Listings of one stamp in the sale test: the 1,600 scaled to run in seconds on the in-process chain. */
const LISTINGS = 200;

describe("order book: a follower that keeps up", () => {
  it(`one sale of a stamp with ${LISTINGS} listings: all re-checked in one bounded batch, each distinct chain read sent once`, async function () {
    this.timeout(120_000);
    const setup = await bookSetup({ maxOpenOrdersPerStamp: 1_000, maxOpenOrdersPerMember: 1_000 });
    const { program, ada, cleo, chain, server, statuses } = setup;
    const listings = await manyListings(setup, ada, cup(1n), LISTINGS);
    for (const l of listings)
      await server.book.post(toWire({ kind: "listing", order: l.order, signature: l.signature }) as never);
    await server.book.follow({ pollingInterval: 20 });
    try {
      const head = await ada.getBlockNumber();
      await until(async () => (await server.book.lastBlock()) === head, "the book to reach the head");
      chain.calls.clear();
      const started = Date.now();
      await buyStamp(cleo, { program, listing: listings[0]! });
      await until(async () => (await server.book.order(listings[0]!.orderHash)).status === "filled", "the fill", 60_000);
      const elapsed = Date.now() - started;
      const rows = await statuses();
      expect(rows.filter((r) => r.endsWith(":filled:filled"))).to.have.length(1);
      expect(rows.filter((r) => r.endsWith(":stale:stamp_moved"))).to.have.length(LISTINGS - 1);
      const calls = chain.calls.get("eth_call") ?? 0;
      console.log(`      ${LISTINGS} listings re-checked in ${elapsed} ms with ${calls} eth_call (${chain.total()} requests)`);
      // One by one it was 7 calls a listing (its hash, its record, the block, the nonce, the holder, the transfer
      // count, the quote): each listing's own hash and record are all that differ now.
      expect(calls).to.be.at.most(2 * LISTINGS + 20);
      expect(elapsed).to.be.below(30_000);
    } finally {
      await server.book.stop();
    }
  });

  it("a stop during a batch returns within the grace, writes nothing of it, and the next start applies the blocks", async function () {
    this.timeout(120_000);
    const setup = await bookSetup({ maxOpenOrdersPerStamp: 1_000, maxOpenOrdersPerMember: 1_000, recheckConcurrency: 8 });
    const { program, ada, ben, cleo, chain, db, server, statuses } = setup;
    const listings = await manyListings(setup, ada, cup(1n), 64);
    for (const l of listings)
      await server.book.post(toWire({ kind: "listing", order: l.order, signature: l.signature }) as never);
    await server.book.follow({ pollingInterval: 20 });
    const head = await ada.getBlockNumber();
    await until(async () => (await server.book.lastBlock()) === head, "the book to reach the head");
    const before = await statuses();
    // A slow node: every call of the re-check takes 150 ms, so the batch takes seconds.
    chain.delayMs = 150;
    chain.calls.clear();
    await buyStamp(cleo, { program, listing: listings[0]! });
    const saleBlock = await ada.getBlockNumber();
    await until(async () => (chain.calls.get("eth_call") ?? 0) > 10, "the re-check under way");
    const stopping = Date.now();
    await server.book.stop();
    const stopMs = Date.now() - stopping;
    console.log(`      stopped ${stopMs} ms into a batch of 64 re-checks`);
    expect(stopMs).to.be.below(3_000);
    expect(await statuses()).to.deep.equal(before);
    expect(await server.book.lastBlock()).to.be.below(saleBlock);

    // The next start, on the same database, applies the batch in full.
    const next = createProgramServer({ program, client: ben, db });
    await next.book.init();
    await next.book.follow({ pollingInterval: 20 });
    try {
      await until(
        async () => (await next.book.order(listings[0]!.orderHash)).status === "filled",
        "the fill after restart",
        30_000,
      );
      expect((await statuses()).filter((r) => r.endsWith(":stale:stamp_moved"))).to.have.length(63);
    } finally {
      await next.book.stop();
    }
  });

  it("a stop while the chain hangs returns after the grace, and the batch writes nothing after it", async function () {
    this.timeout(60_000);
    const setup = await bookSetup();
    const { program, ada, cleo, chain, server, post, statuses } = setup;
    const listing = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
    expect((await post(listing)).status).to.equal(201);
    await server.book.follow({ pollingInterval: 20 });
    const head = await ada.getBlockNumber();
    await until(async () => (await server.book.lastBlock()) === head, "the book to reach the head");
    chain.outage = "hang";
    chain.callsOnly = true;
    chain.down = true;
    chain.calls.clear();
    await buyStamp(cleo, { program, listing });
    const saleBlock = await ada.getBlockNumber();
    await until(async () => (chain.calls.get("eth_call") ?? 0) > 0, "the re-check under way");
    const stopping = Date.now();
    await server.book.stop(500);
    expect(Date.now() - stopping).to.be.within(400, 1_500);
    chain.down = false;
    await new Promise((r) => setTimeout(r, 200));
    expect((await statuses())[0]).to.match(/:open:null$/);
    expect(await server.book.lastBlock()).to.be.below(saleBlock);
  });

  it("prunes what left the book after the grace period, never an open order; a pruned order posted again is checked afresh", async () => {
    const { program, ada, ben, cleo, db, server, post } = await bookSetup({ retainClosedDays: 1 });
    const sold = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
    const cancelled = await listStamp(ben, { program, tokenId: cup(2n), price: 200n, currency: program.points });
    const open = await listStamp(cleo, { program, tokenId: cup(3n), price: 200n, currency: program.points });
    for (const l of [sold, cancelled, open]) expect((await post(l)).status).to.equal(201);
    await server.book.follow({ pollingInterval: 20 });
    try {
      await buyStamp(cleo, { program, listing: sold });
      await cancelOrder(ben, { program, order: { listing: cancelled } });
      await until(async () => (await server.book.order(cancelled.orderHash)).status === "cancelled", "the cancel");
      await until(async () => (await server.book.order(sold.orderHash)).status === "filled", "the fill");
    } finally {
      await server.book.stop();
    }
    // Within the grace period nothing goes.
    expect(await server.book.prune(Date.now())).to.equal(0);
    // A day and more later the filled and the cancelled go, the open one stays.
    expect(await server.book.prune(Date.now() + 2 * 86_400_000)).to.equal(2);
    const left = await db.selectFrom("book_orders").select(["order_hash", "status"]).execute();
    expect(left).to.deep.equal([{ order_hash: open.orderHash.toLowerCase(), status: "open" }]);
    // Posted again, the sold listing is checked against the chain: refused (its stamp moved), not stored again.
    const again = await post(sold);
    expect(again.status).to.equal(422);
    expect(again.json).to.have.nested.property("error.code", "stamp_moved");
    expect(await db.selectFrom("book_orders").select("order_hash").execute()).to.have.length(1);
  });
});
