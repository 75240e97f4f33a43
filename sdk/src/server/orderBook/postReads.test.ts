import { expect } from "chai";
import { createPublicClient, type Hex } from "viem";
import { hardhat } from "viem/chains";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { signTypedData } from "viem/actions";
import { orderTypedData, toWire } from "../../index.js";
import { manyListings } from "../../../../test/helpers/bookServer.js";
import { flakyChain } from "../../../../test/helpers/flakyChain.js";
import { installMulticall3, MULTICALL3 } from "../../../../test/helpers/multicall3.js";
import { marketProgram, stampIds } from "../../../../test/helpers/sdkProgram.js";
import { openDatabase } from "../../node/database.js";
import { createProgramServer } from "../app.js";
import type { OrderBookTables } from "./schema.js";

const { cup } = stampIds;
const POSTS = 20;

/**
 * A program server whose chain reads are counted by JSON-RPC method, over a client as `punchcard serve` makes it
 * where the chain has Multicall3 (`multicall`: the reads of one post folded into one eth_call) or not.
 */
async function countedServer(multicall: boolean) {
  const fixture = await loadFixture(marketProgram);
  if (multicall) await installMulticall3(fixture.brand);
  const { chain, transport } = flakyChain();
  const client = multicall
    ? createPublicClient({
        chain: { ...hardhat, contracts: { multicall3: { address: MULTICALL3 } } },
        transport,
        batch: { multicall: true },
      })
    : createPublicClient({ chain: hardhat, transport });
  const db = openDatabase<OrderBookTables>(":memory:");
  const server = createProgramServer({ program: fixture.program, client, db, maxOpenOrdersPerStamp: 1_000 });
  await server.book.init();
  const post = async (body: unknown) => {
    const response = await server.app.request("/orders", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(toWire(body)),
    });
    return { status: response.status, json: (await response.json()) as { error?: { code: string } } };
  };
  return { ...fixture, chain, db, post };
}

const listingBody = (signed: { order: unknown; signature: Hex }) => ({
  kind: "listing",
  order: signed.order,
  signature: signed.signature,
});

describe("order book: the chain reads of a post", () => {
  for (const multicall of [false, true])
    it(`${multicall ? "with Multicall3" : "without Multicall3"}: posts checked at the same time read the chain's head once between them, each stored`, async () => {
      const setup = await countedServer(multicall);
      const listings = await manyListings(setup, setup.ada, cup(1n), POSTS);
      setup.chain.calls.clear();
      const answers = await Promise.all(listings.map((l) => setup.post(listingBody(l))));
      expect(answers.map((a) => a.status)).to.deep.equal(listings.map(() => 201));
      const calls = Object.fromEntries(setup.chain.calls);
      // Before: 140 requests for the 20 posts without Multicall3 (each its eth_getBlockByNumber and 6 eth_calls),
      // 32 with it (20 eth_getBlockByNumber, 12 eth_calls); now 45 and 13.
      expect(calls.eth_getBlockByNumber, JSON.stringify(calls)).to.be.at.most(2);
      if (multicall) expect(setup.chain.total() / POSTS, JSON.stringify(calls)).to.be.at.most(1);
      // Its own hash and record are each post's; the seller's nonce, the stamp's holder, transfer count and the
      // quote (one stamp, one price) are the same for all: asked once while in flight.
      else expect(calls.eth_call, JSON.stringify(calls)).to.be.at.most(2 * POSTS + 4);
    });

  it("with Multicall3: posts checked at the same time put all their reads in one eth_call between them", async () => {
    const setup = await countedServer(true);
    const listings = await manyListings(setup, setup.ada, cup(1n), POSTS);
    setup.chain.calls.clear();
    const answers = await Promise.all(listings.map((l) => setup.post(listingBody(l))));
    expect(answers.map((a) => a.status)).to.deep.equal(listings.map(() => 201));
    const calls = Object.fromEntries(setup.chain.calls);
    // Before: 12 eth_calls for the 20 posts (viem's multicall batches hold 1,024 bytes of calldata, two posts' reads);
    // now one Multicall3 aggregate carries every post's reads, and the head is read once.
    expect(calls.eth_call, JSON.stringify(calls)).to.equal(1);
    expect(setup.chain.total(), JSON.stringify(calls)).to.be.at.most(2);
  });

  it("a shared read gives each post its own verdict: a forged signature and an expired listing among valid posts are refused", async () => {
    const setup = await countedServer(true);
    const [a, b, c] = await manyListings(setup, setup.ada, cup(1n), 3);
    const [benListing] = await manyListings(setup, setup.ben, cup(2n), 1);
    const forged = { ...benListing!, signature: a!.signature };
    const { timestamp } = await setup.brand.getBlock();
    const order = { ...c!.order, expiry: timestamp - 1n };
    const typedData = orderTypedData(setup.program, { kind: "listing", order });
    const expired = { order, signature: await signTypedData(setup.ada, { account: setup.ada.account, ...typedData }) };
    setup.chain.calls.clear();
    const [okA, okB, badSignature, gone] = await Promise.all([a!, b!, forged, expired].map((l) => setup.post(listingBody(l))));
    expect([okA!.status, okB!.status]).to.deep.equal([201, 201]);
    expect(badSignature!.json.error?.code).to.equal("bad_signature");
    expect(gone!.json.error?.code).to.equal("expired");
    expect(setup.chain.calls.get("eth_getBlockByNumber") ?? 0).to.be.at.most(2);
    expect(await setup.db.selectFrom("book_orders").select("order_hash").execute()).to.have.length(2);
  });
});
