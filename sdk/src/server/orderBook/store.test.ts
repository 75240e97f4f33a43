import { expect } from "chai";
import { CompiledQuery, type Kysely } from "kysely";
import { getAddress, keccak256, toHex } from "viem";
import { openDatabase } from "../../node/database.js";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { lastQueryOf } from "../../../../test/helpers/lastQuery.js";
import { migrateOrderBook, toSortKey, type OrderBookTables } from "./schema.js";
import { BookStore } from "./store.js";

const KEY = "31337:0x5fbdb2315678afecb367f032d93f642f64180aa3";
const MEMBER = getAddress("0x00000000000000000000000000000000000a11ce");
const CHAIN_TIME = 1_000n;

/**
 * `n` open orders of one kind, signed by one member: prices among 7 values and creation times among 5, so pages
 * end inside runs of ties, which only the hash breaks.
 */
function rows(kind: "listing" | "offer", n: number, prices = 7) {
  return Array.from({ length: n }, (_, i) => ({
    order_hash: keccak256(toHex(`${kind} ${i}`)),
    program: KEY,
    kind,
    signer: MEMBER,
    token_id: kind === "offer" ? "0" : String(1000 + i),
    series_id: "1",
    wanted_series_id: null,
    wanted_token_id: null,
    currency: "0x0000000000000000000000000000000000000000",
    price_sort: toSortKey(BigInt(100 + (i % prices))),
    expiry_sort: toSortKey(CHAIN_TIME + 3_600n),
    nonce: "0",
    order_json: "{}",
    signature: "0x",
    status: "open" as const,
    reason_code: null,
    reason: null,
    created_at: `2026-12-07T00:00:0${i % 5}.000Z`,
    updated_at: `2026-12-07T00:00:0${i % 5}.000Z`,
  }));
}

async function seeded(location: string, listings: number, offers: number, prices?: number) {
  const db = openDatabase<OrderBookTables>(location);
  await migrateOrderBook(db);
  for (const kind of ["listing", "offer"] as const) {
    const all = rows(kind, kind === "listing" ? listings : offers, prices);
    for (let i = 0; i < all.length; i += 500)
      await db
        .insertInto("book_orders")
        .values(all.slice(i, i + 500))
        .execute();
  }
  return db;
}

/** Every page of a paged read (the store answers a page's JSON text), `limit` at a time, as one list of hashes. */
async function walk(read: (cursor: string | undefined) => Promise<string>) {
  const hashes: string[] = [];
  let cursor: string | undefined;
  do {
    const page = JSON.parse(await read(cursor)) as { orders: { orderHash: string }[]; nextCursor?: string };
    hashes.push(...page.orders.map((o) => o.orderHash));
    cursor = page.nextCursor;
  } while (cursor);
  return hashes;
}

const byHash = (a: { order_hash: string }, b: { order_hash: string }) => (a.order_hash < b.order_hash ? -1 : 1);

describe("order book store: pages by cursor, and its tables", () => {
  for (const engine of databaseEngines())
    it(`${engine}: pages of listings, offers and a member's orders hold every order once, in order, across runs of equal prices and times`, async () => {
      const db = await seeded(await freshDatabase(engine), 120, 90);
      try {
        const store = new BookStore(db, KEY);
        const page = { limit: 8 };
        const listings = rows("listing", 120).sort((a, b) =>
          a.price_sort === b.price_sort ? byHash(a, b) : a.price_sort < b.price_sort ? -1 : 1,
        );
        const read = (cursor: string | undefined) => ({ ...page, ...(cursor ? { cursor } : {}) });
        expect(await walk((c) => store.listings({ seriesId: 1n, ...read(c) }, CHAIN_TIME))).to.deep.equal(
          listings.map((r) => r.order_hash),
        );
        const offers = rows("offer", 90).sort((a, b) =>
          a.price_sort === b.price_sort ? byHash(a, b) : a.price_sort > b.price_sort ? -1 : 1,
        );
        expect(await walk((c) => store.offers({ seriesId: 1n, ...read(c) }, CHAIN_TIME))).to.deep.equal(
          offers.map((r) => r.order_hash),
        );
        const mine = [...rows("listing", 120), ...rows("offer", 90)].sort((a, b) =>
          a.created_at === b.created_at ? byHash(a, b) : a.created_at < b.created_at ? -1 : 1,
        );
        expect(await walk((c) => store.ordersOf({ member: MEMBER, ...read(c) }, CHAIN_TIME))).to.deep.equal(
          mine.map((r) => r.order_hash),
        );
      } finally {
        await db.destroy();
      }
    });

  for (const engine of databaseEngines())
    it(`${engine}: each shape of page query is built and compiled once, not once per read, and reads the same pages`, async () => {
      const db = await seeded(await freshDatabase(engine), 120, 90);
      try {
        let compiled = 0;
        const counting: Kysely<OrderBookTables> = db.withPlugin({
          transformQuery: ({ node }) => (compiled++, node),
          transformResult: ({ result }) => Promise.resolve(result),
        });
        const store = new BookStore(counting, KEY);
        const plain = new BookStore(db, KEY);
        // Walks of listings at 8 page sizes: 3 to 40 pages each, every one with a cursor but the first.
        for (let limit = 3; limit <= 40; limit += 5) {
          const read = (s: BookStore) => (cursor: string | undefined) =>
            s.listings({ seriesId: 1n, limit, ...(cursor ? { cursor } : {}) }, CHAIN_TIME);
          expect(await walk(read(store))).to.deep.equal(await walk(read(plain)));
        }
        expect(compiled, "listings: one query without a cursor, one with").to.equal(2);
        // Every other page and the order by hash: each shape once more, however often it is read.
        for (let i = 0; i < 5; i++) {
          await walk((cursor) => store.offers({ seriesId: 1n, limit: 7, ...(cursor ? { cursor } : {}) }, CHAIN_TIME));
          await walk((cursor) => store.ordersOf({ member: MEMBER, limit: 30, ...(cursor ? { cursor } : {}) }, CHAIN_TIME));
          await store.offers({ tokenId: 1000n, limit: 5 }, CHAIN_TIME);
          await store.swaps({ wantedSeriesId: 1n, limit: 5 }, CHAIN_TIME);
          expect((await store.row(rows("listing", 1)[0]!.order_hash.toUpperCase()))?.kind).to.equal("listing");
        }
        expect(compiled).to.equal(2 + 2 + 2 + 1 + 1 + 1);
      } finally {
        await db.destroy();
      }
    });

  for (const engine of databaseEngines())
    it(`${engine}: the unused relay_quota table is dropped (0006); the relayer counts in relay_budget`, async () => {
      const db = await seeded(await freshDatabase(engine), 0, 0);
      try {
        const tables = (await db.introspection.getTables()).map((t) => t.name);
        expect(tables).to.include.members(["book_orders", "relay_budget", "relay_nonce"]);
        expect(tables).to.not.include("relay_quota");
      } finally {
        await db.destroy();
      }
    });

  it("sqlite: a member's orders and the swaps wanting a series are read in index order, not sorted per page (0009)", async () => {
    const db = await seeded(await freshDatabase("sqlite"), 300, 0);
    try {
      const { spy, caught } = lastQueryOf(db);
      const store = new BookStore(spy, KEY);
      const planOf = async (read: (cursor: string | undefined) => Promise<string>) => {
        const cursor = (JSON.parse(await read(undefined)) as { nextCursor?: string }).nextCursor;
        await read(cursor);
        const query = caught.last!;
        const plan = await db.executeQuery<{ detail: string }>(
          CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters]),
        );
        return plan.rows.map((r) => r.detail).join("\n");
      };
      const member = await planOf((cursor) =>
        store.ordersOf({ member: MEMBER, limit: 20, ...(cursor ? { cursor } : {}) }, CHAIN_TIME),
      );
      expect(member).to.contain("book_orders_signer_age");
      expect(member, "no sort of the member's rows per page").to.not.contain("TEMP B-TREE");
      const swaps = await planOf((cursor) =>
        store.swaps({ wantedSeriesId: 1n, limit: 20, ...(cursor ? { cursor } : {}) }, CHAIN_TIME),
      );
      expect(swaps).to.contain("book_orders_wanted_age");
      expect(swaps).to.not.contain("TEMP B-TREE");
    } finally {
      await db.destroy();
    }
  });

  if (databaseEngines().includes("postgres"))
    it("postgres: a page in the middle of 2,000 listings seeks to its cursor in the index, not reads every row before it", async () => {
      const db = await seeded(await freshDatabase("postgres"), 2_000, 0, 2_000);
      try {
        // The query the store sends, caught on its way, then explained with its parameters.
        const { spy, caught } = lastQueryOf(db);
        const store = new BookStore(spy, KEY);
        let cursor: string | undefined;
        for (let i = 0; i < 20; i++)
          cursor = (
            JSON.parse(await store.listings({ seriesId: 1n, limit: 50, ...(cursor ? { cursor } : {}) }, CHAIN_TIME)) as {
              nextCursor?: string;
            }
          ).nextCursor;
        await db.executeQuery(CompiledQuery.raw("ANALYZE book_orders"));
        const query = caught.last!;
        const plan = await db.executeQuery<{ "QUERY PLAN": string }>(
          CompiledQuery.raw(`EXPLAIN ANALYZE ${query.sql}`, [...query.parameters]),
        );
        const lines = plan.rows.map((r) => r["QUERY PLAN"]).join("\n");
        const dropped = [...lines.matchAll(/Rows Removed by Filter: (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
        // The 20th page starts after 950 listings, each at its own price: none is read to be dropped.
        expect(dropped, lines).to.be.below(50);
        expect(lines).to.match(/Index Cond: .*price_sort >= /);
      } finally {
        await db.destroy();
      }
    });
});
