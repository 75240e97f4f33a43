import type { Kysely, Selectable } from "kysely";
import { erc20Abi, getAbiItem, getAddress, hashTypedData, zeroAddress, type Address } from "viem";
import { getBlock, getBlockNumber, getLogs } from "viem/actions";
import type { LedgerEntry } from "../ledger/entries.js";
import { watchLedger } from "../ledger/watchLedger.js";
import { migrateOrderBook, type BookOrdersTable, type OrderBookTables } from "../node/migrations/orderBookMigrations.js";
import type { Program, ReadClient } from "../program.js";
import { listingTypes, marketDomain, offerTypes, swapOrderTypes } from "../types/orders.js";
import { decodeStampId } from "../utils/stampId.js";
import type { PointsPermit, SignedIntent } from "../types/intents.js";
import {
  bookOrderOf,
  permitFromWire,
  type BookOrder,
  type OrderPage,
  type OrderView,
  type PostOrderBody,
} from "../serverApi/schemas.js";
import { BookRefusal } from "./errors.js";
import { evaluateOrder, permitProblem } from "./evaluate.js";

const transferEvent = getAbiItem({ abi: erc20Abi, name: "Transfer" });
const approvalEvent = getAbiItem({ abi: erc20Abi, name: "Approval" });

const pad = (value: bigint) => value.toString().padStart(78, "0");
const unpad = (value: string) => BigInt(value);
const now = () => new Date().toISOString();

/** The order's EIP-712 hash for this chain and Market, computed here: what the Market's hashListing/... return. */
function localHashOf(program: Program, book: BookOrder): string {
  const domain = marketDomain(program);
  const hash =
    book.kind === "listing"
      ? hashTypedData({ domain, types: listingTypes, primaryType: "Listing", message: book.signed.order })
      : book.kind === "offer"
        ? hashTypedData({ domain, types: offerTypes, primaryType: "Offer", message: book.signed.order })
        : hashTypedData({ domain, types: swapOrderTypes, primaryType: "SwapOrder", message: book.signed.order });
  return hash.toLowerCase();
}

function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}

function decodeCursor(cursor: string | undefined, length: number): string[] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString());
    if (Array.isArray(parts) && parts.length === length && parts.every((p) => typeof p === "string")) return parts as string[];
  } catch {
    // fall through
  }
  throw new BookRefusal(400, "bad_cursor", "cursor is not one this server returned: start again without it.");
}

type Row = Selectable<BookOrdersTable>;

function viewOf(row: Row): OrderView {
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

export interface OrderBookOptions {
  program: Program;
  /** Reads the chain: checks orders and follows it. */
  client: ReadClient;
  db: Kysely<OrderBookTables>;
}

/**
 * The order book: signed orders checked against the chain before they are stored, kept in step with the chain by
 * following its events, and answered by series, currency, stamp, member and hash. Node only (kysely).
 */
export class OrderBook {
  readonly program: Program;
  readonly client: ReadClient;
  readonly db: Kysely<OrderBookTables>;
  readonly key: string;
  /** The chain's clock as last read: answers leave out what expired by it. */
  chainTime = 0n;
  /**
   * Goes up whenever what the book answers may change (an order stored, a batch of blocks applied): an answer
   * computed at one version can be served again while the version stands.
   */
  version = 0;
  private stopFollowing: (() => void) | undefined;
  private following: Promise<void> = Promise.resolve();

  constructor({ program, client, db }: OrderBookOptions) {
    this.program = program;
    this.client = client;
    this.db = db;
    this.key = `${program.chainId}:${program.market.toLowerCase()}`;
  }

  /** Migrates the database and reads the chain's clock. */
  async init(): Promise<void> {
    await migrateOrderBook(this.db);
    this.chainTime = (await getBlock(this.client, { blockTag: "latest" })).timestamp;
  }

  /**
   * Checks a posted order against the chain and stores it if it can be filled now. Posting an order the book
   * holds already answers it as stored (idempotent on the order hash), without checking it again.
   */
  async post(body: PostOrderBody): Promise<{ created: boolean; view: OrderView }> {
    const book = bookOrderOf(body);
    // An order the book holds is answered as stored, whatever became of it since, without asking the chain.
    const existing = await this.row(localHashOf(this.program, book));
    if (existing) return { created: false, view: viewOf(existing) };
    if (book.kind === "offer" && book.permit) {
      const problem = await permitProblem(this.client, this.program, book.signed.order, book.permit);
      if (problem) throw new BookRefusal(problem.field === "permit.message.nonce" ? 422 : 400, "invalid_permit", problem.message);
    }
    const evaluation = await evaluateOrder(this.client, this.program, book);
    if (!evaluation.open) {
      const status = evaluation.code === "invalid_order" ? 400 : 422;
      throw new BookRefusal(status, evaluation.code, evaluation.reason);
    }
    const order = book.signed.order as unknown as Record<string, bigint | string>;
    const stamp = (book.kind === "swap" ? order.makerTokenId : order.tokenId) as bigint;
    const series = book.kind === "offer" ? (order.seriesId as bigint) : decodeStampId(stamp).seriesId;
    const at = now();
    const row: Row = {
      order_hash: evaluation.orderHash.toLowerCase(),
      program: this.key,
      kind: book.kind,
      signer: (book.kind === "listing" ? order.seller : book.kind === "offer" ? order.buyer : order.maker) as string,
      token_id: stamp.toString(),
      series_id: series.toString(),
      wanted_series_id: book.kind === "swap" ? String(order.wantedSeriesId) : null,
      wanted_token_id: book.kind === "swap" ? String(order.wantedTokenId) : null,
      currency: book.kind === "swap" ? "" : (order.currency as string).toLowerCase(),
      price_sort: pad(book.kind === "swap" ? 0n : (order.price as bigint)),
      expiry_sort: pad(order.expiry as bigint),
      nonce: String(order.nonce),
      order_json: JSON.stringify(body.order),
      signature: body.signature,
      permit_json: body.kind === "offer" && body.permit ? JSON.stringify(body.permit) : null,
      status: "open",
      reason_code: null,
      reason: null,
      created_at: at,
      updated_at: at,
    };
    // Two posts of one order at once: the second insert does nothing, and both answer the stored row.
    await this.db
      .insertInto("book_orders")
      .values(row)
      .onConflict((c) => c.column("order_hash").doNothing())
      .execute();
    this.version++;
    return { created: true, view: viewOf((await this.row(evaluation.orderHash))!) };
  }

  private async row(orderHash: string): Promise<Row | undefined> {
    return this.db
      .selectFrom("book_orders")
      .selectAll()
      .where("order_hash", "=", orderHash.toLowerCase())
      .where("program", "=", this.key)
      .executeTakeFirst();
  }

  /** The permit posted with an offer, if any: the relayer submits it when the buyer's allowance is short. */
  async permitOf(orderHash: string): Promise<SignedIntent<PointsPermit> | undefined> {
    const row = await this.row(orderHash);
    return row?.permit_json ? permitFromWire(JSON.parse(row.permit_json)) : undefined;
  }

  /** One order by hash, whatever its status. */
  async order(orderHash: string): Promise<OrderView> {
    const row = await this.row(orderHash);
    if (!row) throw new BookRefusal(404, "not_found", `No order ${orderHash} in this book.`);
    return viewOf(row);
  }

  private open() {
    return this.db
      .selectFrom("book_orders")
      .selectAll()
      .where("program", "=", this.key)
      .where("status", "=", "open")
      .where("expiry_sort", ">", pad(this.chainTime));
  }

  /** Open listings of a series in a currency, cheapest first. */
  async listings(q: { seriesId: bigint; currency?: Address; cursor?: string; limit?: number }): Promise<OrderPage> {
    const after = decodeCursor(q.cursor, 2);
    const limit = q.limit ?? 50;
    let query = this.open()
      .where("kind", "=", "listing")
      .where("series_id", "=", q.seriesId.toString())
      .where("currency", "=", (q.currency ?? zeroAddress).toLowerCase());
    if (after)
      query = query.where((eb) =>
        eb.or([eb("price_sort", ">", after[0]!), eb.and([eb("price_sort", "=", after[0]!), eb("order_hash", ">", after[1]!)])]),
      );
    const rows = await query
      .orderBy("price_sort", "asc")
      .orderBy("order_hash", "asc")
      .limit(limit + 1)
      .execute();
    return this.page(rows, limit, (r) => [r.price_sort, r.order_hash]);
  }

  /** The cheapest open listing of every series that has one, in a currency. */
  async bestListings(q: { currency?: Address }): Promise<OrderView[]> {
    const currency = (q.currency ?? zeroAddress).toLowerCase();
    const rows = await this.open()
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
            .where("i.expiry_sort", ">", pad(this.chainTime))
            .where("i.currency", "=", currency)
            .whereRef("i.series_id", "=", "book_orders.series_id"),
        ),
      )
      .orderBy("order_hash", "asc")
      .execute();
    const best = new Map<string, Row>();
    for (const row of rows) if (!best.has(row.series_id)) best.set(row.series_id, row);
    return [...best.values()].sort((a, b) => (unpad(a.series_id) < unpad(b.series_id) ? -1 : 1)).map(viewOf);
  }

  /**
   * Open offers, highest price first: on one stamp (offers on that stamp and on its whole series, which it can
   * fill), or on a series (offers on the series and on each of its stamps).
   */
  async offers(q: { tokenId?: bigint; seriesId?: bigint; cursor?: string; limit?: number }): Promise<OrderPage> {
    const after = decodeCursor(q.cursor, 2);
    const limit = q.limit ?? 50;
    let query = this.open().where("kind", "=", "offer");
    if (q.tokenId !== undefined) {
      const series = decodeStampId(q.tokenId).seriesId.toString();
      query = query.where("series_id", "=", series).where("token_id", "in", [q.tokenId.toString(), "0"]);
    } else {
      query = query.where("series_id", "=", q.seriesId!.toString());
    }
    if (after)
      query = query.where((eb) =>
        eb.or([eb("price_sort", "<", after[0]!), eb.and([eb("price_sort", "=", after[0]!), eb("order_hash", ">", after[1]!)])]),
      );
    const rows = await query
      .orderBy("price_sort", "desc")
      .orderBy("order_hash", "asc")
      .limit(limit + 1)
      .execute();
    return this.page(rows, limit, (r) => [r.price_sort, r.order_hash]);
  }

  /** Open swaps that want a stamp of a series, oldest first. */
  async swaps(q: { wantedSeriesId: bigint; cursor?: string; limit?: number }): Promise<OrderPage> {
    return this.byAge(this.open().where("kind", "=", "swap").where("wanted_series_id", "=", q.wantedSeriesId.toString()), q);
  }

  /** A member's open orders, oldest first. */
  async ordersOf(q: { member: Address; cursor?: string; limit?: number }): Promise<OrderPage> {
    return this.byAge(this.open().where("signer", "=", getAddress(q.member)), q);
  }

  private async byAge(base: ReturnType<OrderBook["open"]>, q: { cursor?: string; limit?: number }): Promise<OrderPage> {
    const after = decodeCursor(q.cursor, 2);
    const limit = q.limit ?? 50;
    let query = base;
    if (after)
      query = query.where((eb) =>
        eb.or([eb("created_at", ">", after[0]!), eb.and([eb("created_at", "=", after[0]!), eb("order_hash", ">", after[1]!)])]),
      );
    const rows = await query
      .orderBy("created_at", "asc")
      .orderBy("order_hash", "asc")
      .limit(limit + 1)
      .execute();
    return this.page(rows, limit, (r) => [r.created_at, r.order_hash]);
  }

  private page(rows: Row[], limit: number, key: (row: Row) => string[]): OrderPage {
    const more = rows.length > limit;
    const shown = more ? rows.slice(0, limit) : rows;
    return { orders: shown.map(viewOf), ...(more ? { nextCursor: encodeCursor(key(shown[shown.length - 1]!)) } : {}) };
  }

  /** Open orders in this book (for /health). */
  async openCount(): Promise<number> {
    const { n } = await this.open()
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

  /**
   * Follows the chain with the SDK's watchLedger: fills, cancels, nonce bumps, stamp moves, Points balance and
   * allowance changes, the Market's settings and the clock, each applied to the orders they touch, and the block
   * remembered so a restart goes on where it stopped. When blocks it applied leave the chain (a reorg), the book
   * rolls back first ({@link rollBack}), then applies the winning chain's blocks as watchLedger delivers them.
   */
  async follow(options: { confirmations?: bigint; pollingInterval?: number; onError?: (error: unknown) => void } = {}) {
    const confirmations = options.confirmations ?? 0n;
    let last = await this.lastBlock();
    if (last === undefined) {
      // A new book starts at the head: every order it will take is checked against the chain from there on.
      // Remembered at once, so a restart before the next block still goes on from here.
      last = (await getBlockNumber(this.client, { cacheTime: 0 })) - confirmations;
      await this.saveCursor(last);
    }
    this.stopFollowing = watchLedger(this.client, {
      program: this.program,
      fromBlock: last + 1n,
      confirmations,
      pollingInterval: options.pollingInterval ?? 1_000,
      onEntries: (entries, toBlock) => {
        this.following = this.apply(entries, toBlock);
        return this.following;
      },
      onReorg: (reorg) => {
        this.following = this.rollBack(reorg.fromBlock);
        return this.following;
      },
      onError: options.onError ?? ((error) => console.error("order book: following the chain failed", error)),
    });
  }

  /** Stops following and waits for the batch under way. */
  async stop(): Promise<void> {
    this.stopFollowing?.();
    await this.following.catch(() => {});
  }

  /**
   * Undoes what blocks from `fromBlock` on did to the book, after they left the chain: every order the book took out
   * (filled, cancelled, stale) is checked again against the chain as it is now, and reopened if it is open there;
   * the cursor goes back to the block before. The winning chain's events, delivered next, then take out again what
   * they fill or cancel, with their own reasons. The book does not record which block changed an order, so all
   * taken-out orders are checked: a reorg is rare and this keeps the rule simple. Expired orders stay expired.
   */
  async rollBack(fromBlock: bigint): Promise<void> {
    this.version++;
    try {
      const at = now();
      const out = await this.db
        .selectFrom("book_orders")
        .select(["order_hash", "kind", "order_json", "signature", "permit_json"])
        .where("program", "=", this.key)
        .where("status", "in", ["filled", "cancelled", "stale"])
        .execute();
      for (const row of out) {
        const evaluation = await this.evaluateRow(row);
        if (evaluation.open)
          await this.db
            .updateTable("book_orders")
            .set({ status: "open", reason_code: null, reason: null, updated_at: at })
            .where("program", "=", this.key)
            .where("order_hash", "=", row.order_hash)
            .execute();
      }
      await this.saveCursor(fromBlock - 1n);
    } finally {
      this.version++;
    }
  }

  /** A stored order checked against the chain as it is now (with its stored permit, if any). */
  private evaluateRow(row: Pick<Row, "kind" | "order_json" | "signature" | "permit_json">) {
    return evaluateOrder(
      this.client,
      this.program,
      bookOrderOf({
        kind: row.kind,
        order: JSON.parse(row.order_json),
        signature: row.signature,
        ...(row.permit_json === null ? {} : { permit: JSON.parse(row.permit_json) }),
      } as PostOrderBody),
    );
  }

  /** Applies one batch of the program's events (blocks up to toBlock) to the book. */
  async apply(entries: LedgerEntry[], toBlock: bigint): Promise<void> {
    // Once before (what is computed while the batch applies is not kept) and once after.
    this.version++;
    try {
      await this.applyBatch(entries, toBlock);
    } finally {
      this.version++;
    }
  }

  private async applyBatch(entries: LedgerEntry[], toBlock: bigint): Promise<void> {
    const at = now();
    const mark = async (hashes: string[], status: Row["status"], code: string, reason: (hash: string) => string) => {
      for (const hash of hashes)
        await this.db
          .updateTable("book_orders")
          .set({ status, reason_code: code, reason: reason(hash), updated_at: at })
          .where("program", "=", this.key)
          .where("order_hash", "=", hash.toLowerCase())
          .where("status", "in", ["open", "stale"])
          .execute();
    };
    const recheck = new Set<string>();
    const stamps = new Set<string>();
    const funders = new Set<string>();
    let settingsChanged = false;
    for (const e of entries) {
      if ((e.kind === "order.filled" || e.kind === "offer.accepted") && e.code)
        await mark([e.code], "filled", "filled", () =>
          e.kind === "order.filled"
            ? `Bought by ${getAddress(e.actor!)} in ${e.txHash}.`
            : `Accepted by ${getAddress(e.counterparty!)} in ${e.txHash}.`,
        );
      else if (e.kind === "orders.matched" && e.code) {
        // matchOrders: the Sale carries the offer's hash only; the listing it matched is not recorded on-chain
        // (the Market marks only the offer Filled). The listing is the seller's open listing of this stamp at this
        // price and currency: when exactly one such listing is in the book it is the matched one (any other
        // listing of the stamp goes stale anyway, as the stamp moved). Two alike listings stay "stale: stamp moved".
        await mark([e.code], "filled", "filled", () => `Accepted by ${getAddress(e.counterparty!)} in ${e.txHash}.`);
        const listings = await this.db
          .selectFrom("book_orders")
          .select("order_hash")
          .where("program", "=", this.key)
          .where("kind", "=", "listing")
          .where("status", "=", "open")
          .where("token_id", "=", String(e.tokenId))
          .where("signer", "=", getAddress(e.counterparty!))
          .where("currency", "=", e.currency!.toLowerCase())
          .where("price_sort", "=", pad(e.amount!))
          .execute();
        if (listings.length === 1)
          await mark([listings[0]!.order_hash], "filled", "filled", () => `Bought by ${getAddress(e.actor!)} in ${e.txHash}.`);
      } else if (e.kind === "swap" && e.code)
        await mark([e.code], "filled", "filled", () => `Swapped by ${getAddress(e.actor!)} in ${e.txHash}.`);
      else if (e.kind === "order.cancelled" && e.code)
        await mark([e.code], "cancelled", "cancelled", () => `Its signer cancelled it in ${e.txHash}.`);
      else if (e.kind === "orders.cancelled" && e.actor && e.amount !== null) {
        const stale = await this.db
          .selectFrom("book_orders")
          .select(["order_hash", "nonce"])
          .where("program", "=", this.key)
          .where("signer", "=", getAddress(e.actor))
          .where("status", "in", ["open", "stale"])
          .execute();
        await mark(
          stale.filter((r) => BigInt(r.nonce) < e.amount!).map((r) => r.order_hash),
          "stale",
          "nonce_bumped",
          () => `${getAddress(e.actor!)} cancelled all their orders (nonce ${e.amount}) in ${e.txHash}.`,
        );
      }
      if (e.contract === "stamps" && e.tokenId !== null && e.kind.startsWith("stamp.")) stamps.add(e.tokenId.toString());
      if (e.contract === "points" || (e.contract === "market" && e.kind.startsWith("payment."))) {
        if (e.actor) funders.add(getAddress(e.actor));
        if (e.counterparty) funders.add(getAddress(e.counterparty));
      }
      if (e.contract === "market" && e.kind === "setting.changed") settingsChanged = true;
      if (e.contract === "stamps" && e.kind === "setting.changed") settingsChanged = true;
    }
    const affected = this.db
      .selectFrom("book_orders")
      .select(["order_hash", "kind", "order_json", "signature", "permit_json", "status", "reason_code"])
      .where("program", "=", this.key);
    if (stamps.size > 0)
      for (const r of await affected
        .where("token_id", "in", [...stamps])
        .where("kind", "in", ["listing", "swap"])
        .where("status", "=", "open")
        .execute())
        recheck.add(r.order_hash);
    // Offers in another ERC-20 than the program's Points: that token's transfers and approvals are not program
    // events, so read them for the same blocks, by the buyers the book holds offers of.
    const fromBlock = ((await this.lastBlock()) ?? toBlock) + 1n;
    const others = await this.db
      .selectFrom("book_orders")
      .select(["currency", "signer"])
      .distinct()
      .where("program", "=", this.key)
      .where("kind", "=", "offer")
      .where("currency", "!=", this.program.points.toLowerCase())
      .where((eb) => eb.or([eb("status", "=", "open"), eb.and([eb("status", "=", "stale"), eb("reason_code", "=", "unfunded")])]))
      .execute();
    if (others.length > 0 && fromBlock <= toBlock) {
      const buyers = new Set(others.map((o) => getAddress(o.signer)));
      const logs = await getLogs(this.client, {
        address: [...new Set(others.map((o) => getAddress(o.currency)))],
        events: [transferEvent, approvalEvent],
        fromBlock,
        toBlock,
      });
      for (const log of logs) {
        const holder = log.eventName === "Transfer" ? log.args.from : log.args.owner;
        if (holder && buyers.has(getAddress(holder))) funders.add(getAddress(holder));
        // A buyer who receives tokens may be funded again.
        if (log.eventName === "Transfer" && log.args.to && buyers.has(getAddress(log.args.to)))
          funders.add(getAddress(log.args.to));
      }
    }
    if (funders.size > 0)
      for (const r of await affected
        .where("signer", "in", [...funders])
        .where("kind", "=", "offer")
        .where((eb) =>
          eb.or([eb("status", "=", "open"), eb.and([eb("status", "=", "stale"), eb("reason_code", "=", "unfunded")])]),
        )
        .execute())
        recheck.add(r.order_hash);
    if (settingsChanged)
      for (const r of await affected
        .where((eb) =>
          eb.or([eb("status", "=", "open"), eb.and([eb("status", "=", "stale"), eb("reason_code", "=", "fees_raised")])]),
        )
        .execute())
        recheck.add(r.order_hash);
    for (const hash of recheck) {
      const row = (await this.row(hash))!;
      const evaluation = await this.evaluateRow(row);
      if (evaluation.open) {
        if (row.status !== "open")
          await this.db
            .updateTable("book_orders")
            .set({ status: "open", reason_code: null, reason: null, updated_at: at })
            .where("order_hash", "=", hash)
            .execute();
      } else if (row.status === "open" || row.reason_code !== evaluation.code) {
        await mark([hash], evaluation.status, evaluation.code, () => evaluation.reason);
      }
    }
    // The clock: what has expired by the newest block is expired, with the time it ran out.
    this.chainTime = (await getBlock(this.client, { blockTag: "latest" })).timestamp;
    const expired = await this.db
      .selectFrom("book_orders")
      .select(["order_hash", "expiry_sort"])
      .where("program", "=", this.key)
      .where("status", "in", ["open", "stale"])
      .where("expiry_sort", "<=", pad(this.chainTime))
      .execute();
    for (const r of expired)
      await this.db
        .updateTable("book_orders")
        .set({
          status: "expired",
          reason_code: "expired",
          reason: `It expired at ${new Date(Number(unpad(r.expiry_sort)) * 1000).toISOString()}.`,
          updated_at: at,
        })
        .where("order_hash", "=", r.order_hash)
        .execute();
    await this.saveCursor(toBlock);
  }

  private async saveCursor(block: bigint) {
    const at = now();
    await this.db
      .insertInto("book_cursor")
      .values({ program: this.key, last_block: block.toString(), updated_at: at })
      .onConflict((c) => c.column("program").doUpdateSet({ last_block: block.toString(), updated_at: at }))
      .execute();
  }
}
