import { expect } from "chai";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { getAddress, keccak256, toHex } from "viem";
import { openDatabase } from "../../node/database.js";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { migrateOrderBook, toSortKey, type OrderBookTables } from "./schema.js";
import { BookStore, viewOf } from "./store.js";

const KEY = "31337:0x5fbdb2315678afecb367f032d93f642f64180aa3";
const MEMBER = getAddress("0x00000000000000000000000000000000000a11ce");
const CHAIN_TIME = 1_000n;

/** `n` open listings of series 1, at 13 prices, with order text as the book stores it. */
function listings(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    order_hash: keccak256(toHex(`listing ${i}`)),
    program: KEY,
    kind: "listing" as const,
    signer: MEMBER,
    token_id: String(1000 + i),
    series_id: "1",
    wanted_series_id: null,
    wanted_token_id: null,
    currency: "0x0000000000000000000000000000000000000000",
    price_sort: toSortKey(BigInt(100 + (i % 13))),
    expiry_sort: toSortKey(CHAIN_TIME + 3_600n),
    nonce: "0",
    order_json: JSON.stringify({ seller: MEMBER, tokenId: String(1000 + i), price: String(100 + (i % 13)), salt: `0x${i}` }),
    signature: `0x${"ab".repeat(65)}`,
    status: "open" as const,
    reason_code: null,
    reason: null,
    created_at: "2026-12-07T00:00:00.000Z",
    updated_at: "2026-12-07T00:00:00.000Z",
  }));
}

async function seeded(location: string, n: number, options: { connections?: number } = {}) {
  const db = openDatabase<OrderBookTables>(location, options);
  await migrateOrderBook(db);
  await db.insertInto("book_orders").values(listings(n)).execute();
  return db;
}

/** Reads every page of listings, `limit` at a time. */
async function walk(store: BookStore, limit: number) {
  let pages = 0;
  let cursor: string | undefined;
  do {
    const text = await store.listings({ seriesId: 1n, limit, ...(cursor ? { cursor } : {}) }, CHAIN_TIME);
    cursor = (JSON.parse(text) as { nextCursor?: string }).nextCursor;
    pages++;
  } while (cursor);
  return pages;
}

describe("order book reads: statements prepared once, pages answered from stored text", () => {
  it("postgres and sqlite: a text not marked for reuse (values inside it) is not kept: no statement per value", async () => {
    for (const engine of databaseEngines()) {
      const db = await seeded(await freshDatabase(engine), 3, { connections: 1 });
      try {
        for (let i = 0; i < 5; i++) await sql.raw(`SELECT ${i} AS n`).execute(db);
        if (engine === "postgres") {
          const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM pg_prepared_statements`.execute(db);
          expect(rows[0]!.n).to.equal("0");
        }
      } finally {
        await db.destroy();
      }
    }
  });

  it("sqlite: each page shape is prepared once, not once per read", async () => {
    const db = await seeded(await freshDatabase("sqlite"), 120);
    const prepare = SQLite.prototype.prepare;
    const prepared: string[] = [];
    SQLite.prototype.prepare = function (this: SQLite.Database, text: string) {
      prepared.push(text);
      return prepare.call(this, text);
    } as typeof prepare;
    try {
      const store = new BookStore(db, KEY);
      const pages = (await walk(store, 7)) + (await walk(store, 11));
      const pageTexts = prepared.filter((t) => t.includes("order by"));
      expect(pages).to.be.above(20);
      expect(pageTexts, "the first page, and the pages after a cursor").to.have.length(2);
    } finally {
      SQLite.prototype.prepare = prepare;
      await db.destroy();
    }
  });

  for (const engine of databaseEngines())
    it(`${engine}: a page's text is byte for byte the old answer (rows parsed and serialized again), permits and reasons too`, async () => {
      const db = await seeded(await freshDatabase(engine), 40);
      try {
        // One order with a permit, one with a reason that needs escaping: spliced as stored, quoted as JSON quotes.
        const [withPermit, withReason] = listings(2).map((r) => r.order_hash);
        await db
          .updateTable("book_orders")
          .set({ permit_json: JSON.stringify({ owner: MEMBER, value: "5", deadline: "9" }) })
          .where("order_hash", "=", withPermit!)
          .execute();
        await db
          .updateTable("book_orders")
          .set({ reason: 'said "no" \\ \u00e9\n' })
          .where("order_hash", "=", withReason!)
          .execute();
        const store = new BookStore(db, KEY);
        const all = await db.selectFrom("book_orders").selectAll().execute();
        const byHash = new Map(all.map((r) => [r.order_hash, r]));
        let cursor: string | undefined;
        let pages = 0;
        do {
          const text = await store.listings({ seriesId: 1n, limit: 9, ...(cursor ? { cursor } : {}) }, CHAIN_TIME);
          const page = JSON.parse(text) as { orders: { orderHash: string }[]; nextCursor?: string };
          const old = {
            orders: page.orders.map((o) => viewOf(byHash.get(o.orderHash)!)),
            ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
          };
          expect(text).to.equal(JSON.stringify(old));
          cursor = page.nextCursor;
          pages++;
        } while (cursor);
        expect(pages).to.equal(5);
      } finally {
        await db.destroy();
      }
    });
});
