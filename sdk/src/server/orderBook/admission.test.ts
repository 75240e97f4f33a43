import { expect } from "chai";
import { getAddress } from "viem";
import { cancelOrder, listStamp, makeOffer, toWire } from "../../index.js";
import { stampIds } from "../../../../test/helpers/sdkProgram.js";
import { bookSetup, manyListings, until } from "../../../../test/helpers/bookServer.js";
import { serveConfigSchema } from "../../cli/serve.js";
import { openDatabase } from "../../node/database.js";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { createProgramServer } from "../app.js";
import type { OrderBookTables } from "./schema.js";

const { CUP, cup } = stampIds;

describe("order book: admission caps and who pays for a post", () => {
  it("caps open orders per stamp and per member: one more is refused with 422 and a reason before the chain is read; a freed slot takes one again", async () => {
    const setup = await bookSetup({ maxOpenOrdersPerStamp: 2, maxOpenOrdersPerMember: 3 });
    const { program, ada, ben, chain, server, request, post, statuses } = setup;
    const [first, second, third] = await manyListings(setup, ada, cup(1n), 3);
    expect((await post(first!)).status).to.equal(201);
    expect((await post(second!)).status).to.equal(201);

    chain.calls.clear();
    const overStamp = await post(third!);
    expect(overStamp.status).to.equal(422);
    expect(overStamp.json).to.deep.equal({
      error: {
        code: "too_many_orders_for_stamp",
        message: `Stamp ${cup(1n)} is offered in 2 open orders, the most this book holds for one stamp (2); cancel one first.`,
      },
    });
    expect(chain.total(), "no chain read for a capped post").to.equal(0);
    // A re-post of a stored order is answered as stored, cap or not.
    expect((await post(first!)).status).to.equal(200);

    // Ada's third open order (an offer) fits; her fourth does not, whatever it is.
    const offer = await makeOffer(ada, { program, seriesId: CUP, price: 100n, currency: program.points });
    const wire = (o: typeof offer) => ({ kind: "offer", order: o.order, signature: o.signature });
    expect((await request("POST", "/orders", wire(offer))).status).to.equal(201);
    const another = await makeOffer(ada, { program, seriesId: CUP, price: 101n, currency: program.points });
    const overMember = await request("POST", "/orders", wire(another));
    expect(overMember.status).to.equal(422);
    expect(overMember.json).to.have.nested.property("error.code", "too_many_orders");
    expect(overMember.json).to.have.nested.property(
      "error.message",
      `${getAddress(ada.account.address)} has 3 open orders in this book, the most it holds for one member (3); cancel some, or wait for them to fill or expire.`,
    );
    expect(await statuses()).to.have.length(3);

    // Another member is not held to Ada's count.
    const bens = await listStamp(ben, { program, tokenId: cup(2n), price: 300n, currency: program.points });
    expect((await post(bens)).status).to.equal(201);

    // Ada cancels a listing: the slot is free once the book has seen it.
    await server.book.follow({ pollingInterval: 20 });
    try {
      await cancelOrder(ada, { program, order: { listing: first! } });
      await until(async () => (await server.book.order(first!.orderHash)).status === "cancelled", "the cancel");
      expect((await post(third!)).status).to.equal(201);
    } finally {
      await server.book.stop();
    }
  });

  it("a member's post allowance counts what they post: re-posts of their stored order by anyone charge nobody, and a post the chain could not decide is given back", async () => {
    const setup = await bookSetup({ memberRateLimitPerMinute: 2, clock: () => 0 });
    const { ada, chain, post } = setup;
    const [first, second, third] = await manyListings(setup, ada, cup(1n), 3);
    expect((await post(first!)).status).to.equal(201);
    // Anyone may post Ada's public signed order again: idempotent, free, and never refused for her count.
    for (let i = 0; i < 5; i++) expect((await post(first!)).status).to.equal(200);
    // The chain is down: her post is answered 503 and does not count.
    chain.down = true;
    expect((await post(second!)).status).to.equal(503);
    chain.down = false;
    expect((await post(second!)).status).to.equal(201);
    // Her own third new order in the minute is past her allowance of 2.
    const limited = await post(third!);
    expect(limited.status).to.equal(429);
    expect(limited.json).to.have.nested.property("error.code", "member_rate_limited");
    expect(limited.headers.get("retry-after")).to.equal("60");
    // Stored orders are still answered to re-posts while she is limited.
    expect((await post(second!)).status).to.equal(200);
  });

  it("punchcard serve: the caps and the retention default to 200, 20 and 30 days, and refuse what is not a whole number from 1", () => {
    const base = { program: "p.json", rpc: "http://127.0.0.1:8545", db: "s.sqlite", port: "0", host: "127.0.0.1" };
    const rest = { confirmations: "0", quota: "20", pollMs: "1000", rate: "0", memberRate: "0" };
    const parsed = serveConfigSchema.parse({ ...base, ...rest });
    expect([parsed.maxOpenPerMember, parsed.maxOpenPerStamp, parsed.retainDays]).to.deep.equal([200, 20, 30]);
    expect(serveConfigSchema.parse({ ...base, ...rest, maxOpenPerStamp: "5" }).maxOpenPerStamp).to.equal(5);
    const refused = serveConfigSchema.safeParse({ ...base, ...rest, maxOpenPerMember: "0" });
    expect(refused.success).to.equal(false);
    expect(refused.error?.issues[0]?.message).to.equal("--max-open-per-member must be from 1 to 1000000");
    expect(serveConfigSchema.safeParse({ ...base, ...rest, retainDays: "a week" }).error?.issues[0]?.message).to.equal(
      "--retain-days must be a whole number",
    );
  });

  for (const engine of databaseEngines())
    it(`caps are atomic on ${engine}: posts at the same time over a cap (two instances on Postgres) store exactly the cap, the rest 422 with the reason`, async () => {
      const location = await freshDatabase(engine);
      const db = openDatabase<OrderBookTables>(location);
      // Two instances share a Postgres database; one SQLite file is one instance's.
      const otherDb = engine === "postgres" ? openDatabase<OrderBookTables>(location) : db;
      const setup = await bookSetup({ db, maxOpenOrdersPerStamp: 3, maxOpenOrdersPerMember: 5 });
      const { program, ada, ben } = setup;
      const client = setup.server.book.client;
      const other = createProgramServer({ program, client, db: otherDb, maxOpenOrdersPerStamp: 3, maxOpenOrdersPerMember: 5 });
      await other.book.init();
      const servers = [setup.server, other];
      const postTo = async (i: number, body: unknown) => {
        const response = await servers[i % 2]!.app.request("/orders", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(toWire(body)),
        });
        return { status: response.status, json: (await response.json()) as Record<string, unknown> };
      };
      try {
        // Eight listings of one stamp at once, with room for three.
        const listings = await manyListings(setup, ben, cup(2n), 8);
        const answers = await Promise.all(
          listings.map((l, i) => postTo(i, { kind: "listing", order: l.order, signature: l.signature })),
        );
        expect(answers.filter((a) => a.status === 201)).to.have.length(3);
        const refused = answers.filter((a) => a.status !== 201);
        expect(refused.map((a) => a.status)).to.deep.equal([422, 422, 422, 422, 422]);
        for (const { json } of refused) expect(json).to.have.nested.property("error.code", "too_many_orders_for_stamp");
        expect(refused.map((a) => (a.json.error as { message: string }).message)).to.include(
          `Stamp ${cup(2n)} is offered in 3 open orders, the most this book holds for one stamp (3); cancel one first.`,
        );
        const stored = await db
          .selectFrom("book_orders")
          .select("order_hash")
          .where("signer", "=", getAddress(ben.account.address))
          .execute();
        expect(stored).to.have.length(3);

        // Eight offers by one member at once, with room for five.
        const offers = [];
        for (let i = 0; i < 8; i++)
          offers.push(await makeOffer(ada, { program, seriesId: CUP, price: 100n + BigInt(i), currency: program.points }));
        const offered = await Promise.all(
          offers.map((o, i) => postTo(i, { kind: "offer", order: o.order, signature: o.signature })),
        );
        expect(offered.filter((a) => a.status === 201)).to.have.length(5);
        expect(offered.filter((a) => a.status === 422)).to.have.length(3);
        for (const { json } of offered.filter((a) => a.status === 422))
          expect(json).to.have.nested.property("error.code", "too_many_orders");
        const adas = await db
          .selectFrom("book_orders")
          .select("order_hash")
          .where("signer", "=", getAddress(ada.account.address))
          .execute();
        expect(adas).to.have.length(5);
      } finally {
        if (otherDb !== db) await otherDb.destroy();
        await db.destroy();
      }
    });
});
