import type { Compilable, ExpressionBuilder, Kysely } from "kysely";
import { getAddress, zeroAddress, type Address } from "viem";
import { decodeStampId } from "../../utils/stampId.js";
import type { OrderView } from "../../serverApi/schemas.js";
import { decodeCursor, encodeCursor, pastCursor } from "./cursor.js";
import { pageText, VIEW_COLUMNS } from "./pageText.js";
import { PreparedQuery } from "./prepared.js";
import { fromSortKey, rowTime, toSortKey, type BookOrderRow, type BookOrderStatus, type OrderBookTables } from "./schema.js";

/** Hashes per `IN (...)`: well under SQLite's 32,766 bound parameters and Postgres' 65,535. */
const CHUNK = 500;

function* chunksOf<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += CHUNK) yield items.slice(i, i + CHUNK);
}

/** Open, or stale for this reason only: one the chain may take back (funds come in, fees go down). */
const openOrStaleFor = (code: string) => (eb: ExpressionBuilder<OrderBookTables, "book_orders">) =>
  eb.or([eb("status", "=", "open"), eb.and([eb("status", "=", "stale"), eb("reason_code", "=", code)])]);

/** A stored order as the API answers it. */
export function viewOf(row: BookOrderRow): OrderView {
  return {
    kind: row.kind,
    order: JSON.parse(row.order_json),
    orderHash: row.order_hash,
    signature: row.signature,
    ...(row.permit_json === null ? {} : { permit: JSON.parse(row.permit_json) }),
    status: row.status,
    ...(row.reason === null ? {} : { reason: row.reason }),
    createdAt: row.created_at,
  } as OrderView;
}

/** Oldest first: swaps and a member's orders. */
const byAge = { column: "created_at", direction: "asc" } as const;

/** The values every page query takes besides its filters: the chain's clock, the page's length, its cursor. */
type PageSlot = "time" | "limit" | "value" | "hash";

/** Where a page starts and how long it is. */
interface PageQuery {
  cursor?: string;
  limit?: number;
}

/** What a stored order needs to be checked against the chain again. */
export type StoredOrder = Pick<
  BookOrderRow,
  "order_hash" | "kind" | "order_json" | "signature" | "permit_json" | "status" | "reason_code"
>;

/**
 * The book's tables for one program: the orders (by hash, and the open ones by series, currency, stamp, member,
 * paged by cursor), the writes that take an order out or put it back, and the block the book has followed to.
 * Every query is scoped to the program (`key`); what is open depends on the chain's clock, given by the caller.
 */
export class BookStore {
  constructor(
    readonly db: Kysely<OrderBookTables>,
    /** `chainId:market`. */
    readonly key: string,
  ) {}

  /** The queries this store compiled, by shape. */
  private readonly prepared = new Map<string, PreparedQuery<string, never>>();

  /**
   * Runs `write` in one database transaction, over a store bound to it: every write in it lands, or none (a fault
   * half way leaves the book as it was, and the follower applies the same blocks again).
   */
  async transaction<T>(write: (store: BookStore) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => write(new BookStore(trx, this.key)));
  }

  /** Stored orders by hash (those the book holds), in chunks the database takes in one `IN`. */
  async rows(orderHashes: readonly string[]): Promise<BookOrderRow[]> {
    const found: BookOrderRow[] = [];
    for (const chunk of chunksOf(orderHashes.map((h) => h.toLowerCase())))
      found.push(
        ...(await this.db
          .selectFrom("book_orders")
          .selectAll()
          .where("program", "=", this.key)
          .where("order_hash", "in", chunk)
          .execute()),
      );
    return found;
  }

  /** One stored order by hash, whatever its status. */
  async row(orderHash: string): Promise<BookOrderRow | undefined> {
    const query = this.prepare("row", ["hash"], (v) =>
      this.db.selectFrom("book_orders").selectAll().where("order_hash", "=", v.hash).where("program", "=", this.key),
    );
    return (await query.run(this.db, { hash: orderHash.toLowerCase() }))[0];
  }

  /** Stores an order; answers whether it did (two inserts of one order at once: the second does nothing). */
  async insert(row: BookOrderRow): Promise<boolean> {
    const result = await this.db
      .insertInto("book_orders")
      .values(row)
      .onConflict((c) => c.column("order_hash").doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** Open orders: not expired by `time`, a `*_sort` key (the chain's clock) or a prepared query's stand-in. */
  private open(time: string) {
    return this.db
      .selectFrom("book_orders")
      .selectAll()
      .where("program", "=", this.key)
      .where("status", "=", "open")
      .where("expiry_sort", ">", time);
  }

  /**
   * The page query of one shape (which filters, a cursor or none), built and compiled on its first use by this store
   * (see {@link PreparedQuery}).
   */
  private prepare<Name extends string, Row>(
    shape: string,
    names: readonly Name[],
    build: (values: Record<Name, string>) => Compilable<Row>,
  ): PreparedQuery<Name, Row> {
    let query = this.prepared.get(shape) as PreparedQuery<Name, Row> | undefined;
    if (!query) this.prepared.set(shape, (query = new PreparedQuery(names, build)) as unknown as PreparedQuery<string, never>);
    return query;
  }

  /**
   * A page of `build`'s rows, `limit` long, after `after` (a decoded cursor) if given, by `order`, as the JSON text
   * the API answers (see {@link pageText}).
   */
  private async pageOf<Name extends string>(
    shape: string,
    names: readonly Name[],
    build: (values: Record<Name, string>) => ReturnType<BookStore["openAt"]>,
    order: { column: "price_sort" | "created_at"; direction: "asc" | "desc" },
    values: Record<Name, string>,
    q: PageQuery,
    chainTime: bigint,
  ): Promise<string> {
    const after = decodeCursor(q.cursor, 2);
    const limit = q.limit ?? 50;
    const all = [...names, "time", "limit", ...(after ? ["value", "hash"] : [])] as (Name | PageSlot)[];
    const query = this.prepare(`${shape}${after ? " after" : ""}`, all, (v) => {
      let query = build(v).where("expiry_sort", ">", v.time);
      if (after) query = query.where(pastCursor(order.column, order.direction, [v.value, v.hash]));
      return query
        .orderBy(order.column, order.direction)
        .orderBy("order_hash", "asc")
        .limit(v.limit as unknown as number);
    });
    const rows = await query.run(this.db, {
      ...values,
      time: toSortKey(chainTime),
      limit: limit + 1,
      ...(after ? { value: after[0]!, hash: after[1]! } : {}),
    } as Record<Name | PageSlot, unknown>);
    if (rows.length <= limit) return pageText(rows, undefined);
    const last = rows[limit - 1]!;
    return pageText(rows.slice(0, limit), encodeCursor([last[order.column], last.order_hash]));
  }

  /** Open listings of a series in a currency, cheapest first: the page's JSON text. */
  async listings(q: { seriesId: bigint; currency?: Address } & PageQuery, chainTime: bigint): Promise<string> {
    return this.pageOf(
      "listings",
      ["series", "currency"],
      (v) => this.openAt().where("kind", "=", "listing").where("series_id", "=", v.series).where("currency", "=", v.currency),
      { column: "price_sort", direction: "asc" },
      { series: q.seriesId.toString(), currency: (q.currency ?? zeroAddress).toLowerCase() },
      q,
      chainTime,
    );
  }

  /** The cheapest open listing of every series that has one, in a currency. */
  async bestListings(q: { currency?: Address }, chainTime: bigint): Promise<OrderView[]> {
    const currency = (q.currency ?? zeroAddress).toLowerCase();
    const rows = await this.open(toSortKey(chainTime))
      .where("kind", "=", "listing")
      .where("currency", "=", currency)
      .where((eb) =>
        eb(
          "price_sort",
          "=",
          eb
            .selectFrom("book_orders as i")
            .select((e) => e.fn.min("i.price_sort").as("p"))
            .where("i.program", "=", this.key)
            .where("i.kind", "=", "listing")
            .where("i.status", "=", "open")
            .where("i.expiry_sort", ">", toSortKey(chainTime))
            .where("i.currency", "=", currency)
            .whereRef("i.series_id", "=", "book_orders.series_id"),
        ),
      )
      .orderBy("order_hash", "asc")
      .execute();
    const best = new Map<string, BookOrderRow>();
    for (const row of rows) if (!best.has(row.series_id)) best.set(row.series_id, row);
    return [...best.values()].sort((a, b) => (fromSortKey(a.series_id) < fromSortKey(b.series_id) ? -1 : 1)).map(viewOf);
  }

  /**
   * Open offers, highest price first: on one stamp (offers on that stamp and on its whole series, which it can
   * fill), or on a series (offers on the series and on each of its stamps).
   */
  async offers(q: { tokenId?: bigint; seriesId?: bigint } & PageQuery, chainTime: bigint): Promise<string> {
    const byPrice = { column: "price_sort", direction: "desc" } as const;
    if (q.tokenId !== undefined) {
      const series = decodeStampId(q.tokenId).seriesId.toString();
      return this.pageOf(
        "offers on a stamp",
        ["series", "token"],
        (v) =>
          this.openAt().where("kind", "=", "offer").where("series_id", "=", v.series).where("token_id", "in", [v.token, "0"]),
        byPrice,
        { series, token: q.tokenId.toString() },
        q,
        chainTime,
      );
    }
    return this.pageOf(
      "offers on a series",
      ["series"],
      (v) => this.openAt().where("kind", "=", "offer").where("series_id", "=", v.series),
      byPrice,
      { series: q.seriesId!.toString() },
      q,
      chainTime,
    );
  }

  /** Open swaps that want a stamp of a series, oldest first. */
  async swaps(q: { wantedSeriesId: bigint } & PageQuery, chainTime: bigint): Promise<string> {
    return this.pageOf(
      "swaps",
      ["series"],
      (v) => this.openAt().where("kind", "=", "swap").where("wanted_series_id", "=", v.series),
      byAge,
      { series: q.wantedSeriesId.toString() },
      q,
      chainTime,
    );
  }

  /** A member's open orders, oldest first. */
  async ordersOf(q: { member: Address } & PageQuery, chainTime: bigint): Promise<string> {
    return this.pageOf(
      "orders of a member",
      ["member"],
      (v) => this.openAt().where("signer", "=", v.member),
      byAge,
      { member: getAddress(q.member) },
      q,
      chainTime,
    );
  }

  /**
   * Open orders, their expiry left to the page (it compares it to the chain's clock): the columns of their answer and
   * their sort values, not every column (each page row is read from the database and made into an object).
   */
  private openAt() {
    return this.db
      .selectFrom("book_orders")
      .select([...VIEW_COLUMNS, "price_sort"])
      .where("program", "=", this.key)
      .where("status", "=", "open");
  }

  /** How many orders are open. */
  async openCount(chainTime: bigint): Promise<number> {
    const { n } = await this.open(toSortKey(chainTime))
      .clearSelect()
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  /** The last block whose events were applied, if any. */
  async lastBlock(): Promise<bigint | undefined> {
    const row = await this.db.selectFrom("book_cursor").select("last_block").where("program", "=", this.key).executeTakeFirst();
    return row ? BigInt(row.last_block) : undefined;
  }

  /** Remembers the last block applied, so a restart goes on from the next. */
  async saveCursor(block: bigint): Promise<void> {
    const at = rowTime();
    await this.db
      .insertInto("book_cursor")
      .values({ program: this.key, last_block: block.toString(), updated_at: at })
      .onConflict((c) => c.column("program").doUpdateSet({ last_block: block.toString(), updated_at: at }))
      .execute();
  }

  /**
   * Takes orders out of the open book with a code for programs and a sentence for people. Only open and stale
   * orders move: one filled, cancelled or expired stays as it is; a stale one takes the newer reason.
   */
  async takeOut(
    orderHashes: readonly string[],
    status: BookOrderStatus,
    code: string,
    reason: string,
    at: string,
  ): Promise<void> {
    for (const chunk of chunksOf(orderHashes.map((h) => h.toLowerCase())))
      await this.db
        .updateTable("book_orders")
        .set({ status, reason_code: code, reason, updated_at: at })
        .where("program", "=", this.key)
        .where("order_hash", "in", chunk)
        .where("status", "in", ["open", "stale"])
        .execute();
  }

  /** Puts orders back in the open book. */
  async reopen(orderHashes: readonly string[], at: string): Promise<void> {
    for (const chunk of chunksOf(orderHashes.map((h) => h.toLowerCase())))
      await this.db
        .updateTable("book_orders")
        .set({ status: "open", reason_code: null, reason: null, updated_at: at })
        .where("program", "=", this.key)
        .where("order_hash", "in", chunk)
        .execute();
  }

  /** Marks an order expired, with the time it ran out. */
  async expire(orderHash: string, reason: string, at: string): Promise<void> {
    await this.db
      .updateTable("book_orders")
      .set({ status: "expired", reason_code: "expired", reason, updated_at: at })
      .where("program", "=", this.key)
      .where("order_hash", "=", orderHash)
      .execute();
  }

  /** Orders taken out by the chain's events (filled, cancelled, stale): what a rollback checks again. */
  async takenOut(): Promise<StoredOrder[]> {
    return this.db
      .selectFrom("book_orders")
      .select(["order_hash", "kind", "order_json", "signature", "permit_json", "status", "reason_code"])
      .where("program", "=", this.key)
      .where("status", "in", ["filled", "cancelled", "stale"])
      .execute();
  }

  /** Hashes of a seller's open listings of one stamp at one price in one currency. */
  async openListingsLike(listing: { tokenId: bigint; seller: Address; currency: Address; price: bigint }): Promise<string[]> {
    const rows = await this.db
      .selectFrom("book_orders")
      .select("order_hash")
      .where("program", "=", this.key)
      .where("kind", "=", "listing")
      .where("status", "=", "open")
      .where("token_id", "=", String(listing.tokenId))
      .where("signer", "=", listing.seller)
      .where("currency", "=", listing.currency.toLowerCase())
      .where("price_sort", "=", toSortKey(listing.price))
      .execute();
    return rows.map((r) => r.order_hash);
  }

  /** A signer's open and stale orders with their nonces. */
  async liveOrdersOf(signer: Address): Promise<{ orderHash: string; nonce: bigint }[]> {
    const rows = await this.db
      .selectFrom("book_orders")
      .select(["order_hash", "nonce"])
      .where("program", "=", this.key)
      .where("signer", "=", signer)
      .where("status", "in", ["open", "stale"])
      .execute();
    return rows.map((r) => ({ orderHash: r.order_hash, nonce: BigInt(r.nonce) }));
  }

  /** Hashes of the open listings and swaps of these stamps. */
  async openOrdersOfStamps(tokenIds: readonly bigint[]): Promise<string[]> {
    const rows = await this.db
      .selectFrom("book_orders")
      .select("order_hash")
      .where("program", "=", this.key)
      .where("token_id", "in", tokenIds.map(String))
      .where("kind", "in", ["listing", "swap"])
      .where("status", "=", "open")
      .execute();
    return rows.map((r) => r.order_hash);
  }

  /** Hashes of these buyers' offers that are open, or stale for want of funds (a buyer may be funded again). */
  async fundableOffersOf(buyers: readonly Address[]): Promise<string[]> {
    const rows = await this.db
      .selectFrom("book_orders")
      .select("order_hash")
      .where("program", "=", this.key)
      .where("signer", "in", [...buyers])
      .where("kind", "=", "offer")
      .where(openOrStaleFor("unfunded"))
      .execute();
    return rows.map((r) => r.order_hash);
  }

  /** Hashes of the orders a change of the Market's settings may close or reopen: open, or stale for its fees. */
  async settingsSensitive(): Promise<string[]> {
    const rows = await this.db
      .selectFrom("book_orders")
      .select("order_hash")
      .where("program", "=", this.key)
      .where(openOrStaleFor("fees_raised"))
      .execute();
    return rows.map((r) => r.order_hash);
  }

  /** The currencies and buyers of open (or stale for want of funds) offers in another ERC-20 than `except`. */
  async offerFundingOutside(except: Address): Promise<{ currency: string; signer: string }[]> {
    return this.db
      .selectFrom("book_orders")
      .select(["currency", "signer"])
      .distinct()
      .where("program", "=", this.key)
      .where("kind", "=", "offer")
      .where("currency", "!=", except.toLowerCase())
      .where(openOrStaleFor("unfunded"))
      .execute();
  }

  /** Open and stale orders that have expired by `chainTime`, with their expiry. */
  async expiredBy(chainTime: bigint): Promise<{ orderHash: string; expiry: bigint }[]> {
    const rows = await this.db
      .selectFrom("book_orders")
      .select(["order_hash", "expiry_sort"])
      .where("program", "=", this.key)
      .where("status", "in", ["open", "stale"])
      .where("expiry_sort", "<=", toSortKey(chainTime))
      .execute();
    return rows.map((r) => ({ orderHash: r.order_hash, expiry: fromSortKey(r.expiry_sort) }));
  }

  /** How many orders are open (expired or not) signed by a member, and offering a stamp (listings and swaps). */
  async openCounts(signer: Address, tokenId: bigint | undefined): Promise<{ member: number; stamp: number }> {
    // Asked on every post before the chain is read: compiled once (see PreparedQuery), not built and compiled per post.
    const ofMember = this.prepare("open of a member", ["signer"], (v) =>
      this.openOf()
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("signer", "=", v.signer),
    );
    const ofStamp = this.prepare("open of a stamp", ["token"], (v) =>
      this.openOf()
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("token_id", "=", v.token)
        .where("kind", "in", ["listing", "swap"]),
    );
    const [member, stamp] = await Promise.all([
      ofMember.run(this.db, { signer }),
      tokenId === undefined ? Promise.resolve([{ n: 0 }]) : ofStamp.run(this.db, { token: tokenId.toString() }),
    ]);
    return { member: Number(member[0]!.n), stamp: Number(stamp[0]!.n) };
  }

  private openOf() {
    return this.db.selectFrom("book_orders").where("program", "=", this.key).where("status", "=", "open");
  }

  /**
   * Deletes up to `limit` orders that left the book (filled, cancelled, expired, stale) and have not changed since
   * `before` (an ISO time): what a member's history needs of them is on the chain (the ledger's sales and cancels);
   * a pruned order posted again is checked afresh. Returns how many went.
   */
  async prune(before: string, limit: number): Promise<number> {
    const doomed = this.db
      .selectFrom("book_orders")
      .select("order_hash")
      .where("program", "=", this.key)
      .where("status", "in", ["filled", "cancelled", "expired", "stale"])
      .where("updated_at", "<", before)
      .limit(limit);
    const result = await this.db
      .deleteFrom("book_orders")
      .where("program", "=", this.key)
      .where("order_hash", "in", doomed)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
