import { expect } from "chai";
import { zeroAddress, type Hex } from "viem";
import type { Listing, Signed } from "../types/orders.js";
import { createProgramServerClient } from "./client.js";
import { ProgramServerError } from "./errors.js";

const listing: Signed<Listing> = {
  order: {
    seller: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    tokenId: (1n << 128n) + 1n,
    price: 200n,
    minSellerAmount: 180n,
    currency: zeroAddress,
    expiry: 1_900_000_000n,
    nonce: 0n,
    tokenNonce: 3n,
    salt: `0x${"ab".repeat(32)}`,
  },
  signature: `0x${"11".repeat(65)}` as Hex,
  orderHash: `0x${"22".repeat(32)}`,
};

/** A client whose fetch records the requests and answers `answer`. */
function recording(answer: unknown, status = 200) {
  const sent: Array<{ url: string; method: string; body: unknown }> = [];
  const client = createProgramServerClient("https://market.example.com/", {
    fetch: async (input, init) => {
      sent.push({
        url: String(input),
        method: init?.method ?? "GET",
        body: init?.body ? JSON.parse(String(init.body)) : undefined,
      });
      return new Response(JSON.stringify(answer), { status, headers: { "content-type": "application/json" } });
    },
  });
  return { client, sent };
}

describe("sdk: the program server's typed client", () => {
  it("writes a request by the route's schemas (integers as decimal strings) and reads the answer into SDK types", async () => {
    const view = {
      kind: "listing",
      order: { ...listing.order, tokenId: listing.order.tokenId.toString(), price: "200", minSellerAmount: "180" },
      orderHash: listing.orderHash,
      signature: listing.signature,
      status: "open",
      createdAt: "2026-11-23T12:00:00.000Z",
    };
    const wireOrder = { ...view.order, expiry: "1900000000", nonce: "0", tokenNonce: "3" };
    const { client, sent } = recording({ ...view, order: { ...wireOrder, seller: wireOrder.seller.toLowerCase() } }, 201);
    const entry = await client.postOrder({ listing });
    expect(sent).to.deep.equal([
      {
        url: "https://market.example.com/orders",
        method: "POST",
        body: { kind: "listing", order: wireOrder, signature: listing.signature },
      },
    ]);
    // Read back: bigints, and the seller checksummed though the server wrote it in lower case.
    expect(entry).to.deep.equal({ kind: "listing", signed: listing, status: "open", createdAt: view.createdAt });
  });

  it("writes a query by its schema, leaving out what is not given", async () => {
    const { client, sent } = recording({ orders: [] });
    expect(await client.listings({ seriesId: 7n, limit: 5 })).to.deep.equal({ orders: [] });
    expect(sent[0]!.url).to.equal("https://market.example.com/listings?seriesId=7&limit=5");
  });

  it("refuses, without sending it, a request its schema cannot write; the server's refusals arrive as ProgramServerError", async () => {
    const { client, sent } = recording({ error: { code: "bad_signature", message: "not the seller's" } }, 422);
    const local = await client
      .postOrder({ listing: { ...listing, order: { ...listing.order, price: -1n } } })
      .catch((error: unknown) => error);
    expect(local).to.be.instanceOf(ProgramServerError).and.deep.include({ status: 400, code: "invalid_request" });
    expect((local as Error).message).to.contain("order.price");
    expect(sent).to.deep.equal([]);
    const remote = await client.postOrder({ listing }).catch((error: unknown) => error);
    expect(remote).to.be.instanceOf(ProgramServerError).and.deep.include({ status: 422, code: "bad_signature" });
  });
});
