import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
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
});
