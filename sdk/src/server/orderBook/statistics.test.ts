import { expect } from "chai";
import { CompiledQuery, sql, type Kysely } from "kysely";
import { getAddress, keccak256, toHex } from "viem";
import { openDatabase } from "../../node/database.js";
import type { Program } from "../../program.js";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { lastQueryOf } from "../../../../test/helpers/lastQuery.js";
import { flakyChain } from "../../../../test/helpers/flakyChain.js";
import { OrderBook } from "./index.js";
import { migrateOrderBook, toSortKey, type OrderBookTables } from "./schema.js";
import { keepStatistics } from "./statistics.js";
import { BookStore } from "./store.js";

const MARKET = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const KEY = `31337:${MARKET}`;
const SELLER = getAddress("0x00000000000000000000000000000000000a11ce");
// Far in the future: the book's clock (the in-process chain's) leaves every listing open.
const EXPIRY = 10n ** 12n;

/** `n` open listings of series 1, each at its own price, written straight to the table (a bulk load, as a restore). */
async function bulkLoaded(n: number, from = 0) {
  const rows = Array.from({ length: n }, (_, j) => {
    const i = from + j;
    return {
      order_hash: keccak256(toHex(`listing ${i}`)),
      program: KEY,
      kind: "listing" as const,
      signer: SELLER,
      token_id: String(1000 + i),
      series_id: "1",
      wanted_series_id: null,
      wanted_token_id: null,
      currency: "0x0000000000000000000000000000000000000000",
      price_sort: toSortKey(BigInt(100 + ((i * 7919) % 100_000))),
      expiry_sort: toSortKey(EXPIRY),
      nonce: "0",
      order_json: JSON.stringify({ seller: SELLER, tokenId: String(1000 + i), salt: `0x${i}` }),
      signature: `0x${"ab".repeat(65)}`,
      status: "open" as const,
      reason_code: null,
      reason: null,
      created_at: "2026-12-08T00:00:00.000Z",
      updated_at: "2026-12-08T00:00:00.000Z",
    };
  });
  return rows;
}

async function load(db: Kysely<OrderBookTables>, n: number, from = 0) {
  const rows = await bulkLoaded(n, from);
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto("book_orders")
      .values(rows.slice(i, i + 500))
      .execute();
}

/** When Postgres last analyzed the book's orders (by anyone: this process, autovacuum), as text; null: never. */
async function lastAnalyzed(db: Kysely<OrderBookTables>) {
  const { rows } = await sql<{ at: string | null }>`
    SELECT greatest(last_analyze, last_autoanalyze)::text AS at FROM pg_stat_user_tables
    WHERE relid = 'book_orders'::regclass`.execute(db);
  return rows[0]!.at;
}

/** Rows a page query read to answer: what its scans returned plus what their filters dropped, from EXPLAIN ANALYZE. */
async function rowsRead(db: Kysely<OrderBookTables>, query: CompiledQuery) {
  const { rows } = await db.executeQuery<{ "QUERY PLAN": string }>(
    CompiledQuery.raw(`EXPLAIN (ANALYZE, COSTS OFF) ${query.sql}`, [...query.parameters]),
  );
  const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
  const scans = [...plan.matchAll(/Scan .*actual time=\S+ rows=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  const dropped = [...plan.matchAll(/Rows Removed by Filter: (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  return { read: scans + dropped, plan };
}

describe("order book statistics: a book filled in bulk is planned with its page index", () => {
  if (databaseEngines().includes("postgres")) {
    it("postgres: a book of 3,000 listings never analyzed is analyzed when it opens, and a page then reads its own rows, not the book", async () => {
      const location = await freshDatabase("postgres");
      const db = openDatabase<OrderBookTables>(location);
      try {
        await migrateOrderBook(db);
        // Autovacuum, which looks once a minute, must not analyze it first: this test is of the server's own check.
        await sql`ALTER TABLE book_orders SET (autovacuum_enabled = false)`.execute(db);
        await load(db, 3_000);
        expect(await lastAnalyzed(db), "loaded, not analyzed yet").to.equal(null);
        const book = new OrderBook({
          program: { chainId: 31337, market: MARKET } as unknown as Program,
          client: flakyChain().client,
          db,
        });
        await book.init();
        expect(await lastAnalyzed(db)).to.not.equal(null);

        const { spy, caught } = lastQueryOf(db);
        const store = new BookStore(spy, KEY);
        const first = JSON.parse(await store.listings({ seriesId: 1n, limit: 40 }, book.chainTime)) as { nextCursor: string };
        await store.listings({ seriesId: 1n, limit: 40, cursor: first.nextCursor }, book.chainTime);
        const { read, plan } = await rowsRead(db, caught.last!);
        // The page index seeks to the cursor and reads the page, one more and the cursor's own row (dropped); the
        // (program, status) index, which Postgres took without statistics, read all 3,000 listings and sorted them.
        expect(read, plan).to.be.at.most(42);
        expect(plan).to.contain("book_orders_listings");
        expect(plan).to.not.contain("Sort");
      } finally {
        await db.destroy();
      }
    });

    it("postgres: analyzes again only past autovacuum's rule (50 rows and a tenth of the book changed), not on every check", async () => {
      // One session: the counts of its changes are flushed to the statistics when told to, before each check.
      const db = openDatabase<OrderBookTables>(await freshDatabase("postgres"), { connections: 1 });
      const counted = () => sql`SELECT pg_stat_force_next_flush()`.execute(db);
      try {
        await migrateOrderBook(db);
        await sql`ALTER TABLE book_orders SET (autovacuum_enabled = false)`.execute(db);
        await load(db, 1_000);
        await counted();
        expect(await keepStatistics(db), "never analyzed").to.equal(true);
        expect(await keepStatistics(db), "nothing changed since").to.equal(false);
        // 100 rows more on 1,000: under 50 + a tenth of 1,100.
        await load(db, 100, 1_000);
        await counted();
        expect(await keepStatistics(db), "100 of 1,100 changed").to.equal(false);
        await load(db, 100, 1_100);
        await counted();
        expect(await keepStatistics(db), "200 of 1,200 changed").to.equal(true);
      } finally {
        await db.destroy();
      }
    });
  }

  it("sqlite: nothing to do, nothing done (its planner takes the page index without statistics)", async () => {
    const db = openDatabase<OrderBookTables>(await freshDatabase("sqlite"));
    try {
      await migrateOrderBook(db);
      await load(db, 200);
      expect(await keepStatistics(db)).to.equal(false);
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'`.execute(db);
      expect(rows[0]!.n, "no ANALYZE ran").to.equal(0);
    } finally {
      await db.destroy();
    }
  });
});
