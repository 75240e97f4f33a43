import type { Kysely } from "kysely";
import type { Address } from "viem";
import { getBlock } from "viem/actions";
import type { LedgerEntry } from "../../ledger/entries.js";
import type { Program, ReadClient } from "../../program.js";
import type { PointsPermit, SignedIntent } from "../../types/intents.js";
import { permitFromWire, type OrderPage, type OrderView, type PostOrderBody } from "../../serverApi/schemas.js";
import { admitOrder, type ChargeNewOrder } from "./admission.js";
import { ServerRefusal } from "../errors.js";
import { describeForLog } from "../faults.js";
import { applyToBook, followChain, rollBackBook, type FollowerContext, type FollowOptions } from "./follower.js";
import { migrateOrderBook, type OrderBookTables } from "./schema.js";
import { sharingReads } from "./sharedReads.js";
import { keepStatistics } from "./statistics.js";
import { BookStore, viewOf } from "./store.js";

export { orderBookMigrations } from "./migrations.js";
export { migrateOrderBook } from "./schema.js";
export type { BookCursorTable, BookOrdersTable, OrderBookTables } from "./schema.js";

export { DEFAULT_ORDER_CAPS, type ChargeNewOrder } from "./admission.js";
export { RECHECK_CONCURRENCY } from "./follower.js";

/** Where a page starts and how long it is (default 50). */
interface Paged {
  cursor?: string;
  limit?: number;
}

/** The paged reads of the book, each with what it is asked. */
export interface PageReads {
  listings: { seriesId: bigint; currency?: Address } & Paged;
  offers: { tokenId?: bigint; seriesId?: bigint } & Paged;
  swaps: { wantedSeriesId: bigint } & Paged;
  ordersOf: { member: Address } & Paged;
}

/** Each paged read of the store, by name. */
const pageReads: { [Read in keyof PageReads]: (store: BookStore, q: PageReads[Read], chainTime: bigint) => Promise<string> } = {
  listings: (store, q, chainTime) => store.listings(q, chainTime),
  offers: (store, q, chainTime) => store.offers(q, chainTime),
  swaps: (store, q, chainTime) => store.swaps(q, chainTime),
  ordersOf: (store, q, chainTime) => store.ordersOf(q, chainTime),
};

export interface OrderBookOptions {
  program: Program;
  /** Reads the chain: checks orders and follows it. */
  client: ReadClient;
  db: Kysely<OrderBookTables>;
  /** Open orders one member may have in the book (default 200); one more is refused with 422 `too_many_orders`. */
  maxOpenOrdersPerMember?: number;
  /** Open listings and swaps of one stamp (default 20); one more is refused with 422 `too_many_orders_for_stamp`. */
  maxOpenOrdersPerStamp?: number;
  /** Orders the follower checks against the chain at once (default 32). */
  recheckConcurrency?: number;
  /**
   * Days an order that left the book (filled, cancelled, expired, stale) is kept after its last change before it is
   * deleted (default 30). What a member's history needs of it is on the chain; posted again, it is checked afresh.
   */
  retainClosedDays?: number;
}

/**
 * The order book: signed orders checked against the chain before they are stored, kept in step with the chain by
 * following its events, and answered by series, currency, stamp, member and hash. Node only (kysely).
 *
 * It composes three parts: the store (`store.ts`: the tables, queries, paging), admission (`admission.ts`: a
 * posted order checked and stored) and the follower (`follower.ts`: the chain's events applied, reorgs rolled
 * back), whose reading of a batch of events is the pure `effectsOf` (`effects.ts`).
 */
export class OrderBook {
  readonly program: Program;
  readonly client: ReadClient;
  readonly db: Kysely<OrderBookTables>;
  readonly key: string;
  /** The chain's clock as last read: answers leave out what expired by it. */
  chainTime = 0n;
  /** Blocks behind the head the book applies events at (set by {@link follow}): /health measures its lag past them. */
  confirmations = 0n;
  /**
   * Goes up whenever what the book answers may change (an order stored, a batch of blocks applied): an answer
   * computed at one version can be served again while the version stands.
   */
  version = 0;
  private readonly store: BookStore;
  /** The client posts are checked through: a chain read already in flight for another post is shared. */
  private readonly postReads: ReadClient;
  private stopFollowing: (() => void) | undefined;
  private following: Promise<void> = Promise.resolve();
  private readonly lifecycle: { stopping: boolean; writing?: Promise<unknown> | undefined } = { stopping: false };
  private readonly recheckConcurrency: number | undefined;

  private readonly caps: { perMember?: number; perStamp?: number };
  private readonly retainClosedMs: number;
  private lastPrune = 0;
  private lastStatistics = 0;

  constructor({ program, client, db, ...options }: OrderBookOptions) {
    this.program = program;
    this.client = client;
    this.db = db;
    this.key = `${program.chainId}:${program.market.toLowerCase()}`;
    this.store = new BookStore(db, this.key);
    this.postReads = sharingReads(client);
    this.caps = {
      ...(options.maxOpenOrdersPerMember === undefined ? {} : { perMember: options.maxOpenOrdersPerMember }),
      ...(options.maxOpenOrdersPerStamp === undefined ? {} : { perStamp: options.maxOpenOrdersPerStamp }),
    };
    this.recheckConcurrency = options.recheckConcurrency;
    this.retainClosedMs = (options.retainClosedDays ?? 30) * 86_400_000;
  }

  private get follower(): FollowerContext {
    return {
      program: this.program,
      client: this.client,
      store: this.store,
      clock: this,
      lifecycle: this.lifecycle,
      ...(this.recheckConcurrency === undefined ? {} : { concurrency: this.recheckConcurrency }),
    };
  }

  /**
   * Migrates the database, brings Postgres' statistics of the orders up to date (a book restored or filled in bulk
   * is otherwise read by the wrong index until autovacuum gets to it; see {@link keepStatistics}) and reads the
   * chain's clock.
   */
  async init(): Promise<void> {
    await migrateOrderBook(this.db);
    await keepStatistics(this.db);
    this.chainTime = (await getBlock(this.client, { blockTag: "latest" })).timestamp;
  }

  /**
   * Checks a posted order against the chain and stores it if it can be filled now. Posting an order the book
   * holds already answers it as stored (idempotent on the order hash), without checking it again and without
   * `charge`, which a new order pays once it is within the caps.
   */
  async post(body: PostOrderBody, charge?: ChargeNewOrder): Promise<{ created: boolean; view: OrderView }> {
    const context = {
      program: this.program,
      client: this.postReads,
      store: this.store,
      onStored: () => this.version++,
      caps: this.caps,
    };
    return admitOrder(context, body, charge);
  }

  /**
   * Deletes orders that left the book (filled, cancelled, expired, stale) and have not changed for
   * `retainClosedDays`, up to `limit` of them; returns how many went. The follower calls it after a batch, at most
   * every ten minutes.
   */
  async prune(now = Date.now(), limit = 1_000): Promise<number> {
    const pruned = await this.store.prune(new Date(now - this.retainClosedMs).toISOString(), limit);
    if (pruned > 0) this.version++;
    return pruned;
  }

  /** The permit posted with an offer, if any: the relayer submits it when the buyer's allowance is short. */
  async permitOf(orderHash: string): Promise<SignedIntent<PointsPermit> | undefined> {
    const row = await this.store.row(orderHash);
    return row?.permit_json ? permitFromWire(JSON.parse(row.permit_json)) : undefined;
  }

  /** One order by hash, whatever its status. */
  async order(orderHash: string): Promise<OrderView> {
    const row = await this.store.row(orderHash);
    if (!row) throw new ServerRefusal(404, "not_found", `No order ${orderHash} in this book.`);
    return viewOf(row);
  }

  /** Open listings of a series in a currency, cheapest first. */
  async listings(q: PageReads["listings"]): Promise<OrderPage> {
    return JSON.parse(await this.pageJson("listings", q)) as OrderPage;
  }

  /** The cheapest open listing of every series that has one, in a currency. */
  async bestListings(q: { currency?: Address }): Promise<OrderView[]> {
    return this.store.bestListings(q, this.chainTime);
  }

  /**
   * Open offers, highest price first: on one stamp (offers on that stamp and on its whole series, which it can
   * fill), or on a series (offers on the series and on each of its stamps).
   */
  async offers(q: PageReads["offers"]): Promise<OrderPage> {
    return JSON.parse(await this.pageJson("offers", q)) as OrderPage;
  }

  /** Open swaps that want a stamp of a series, oldest first. */
  async swaps(q: PageReads["swaps"]): Promise<OrderPage> {
    return JSON.parse(await this.pageJson("swaps", q)) as OrderPage;
  }

  /** A member's open orders, oldest first. */
  async ordersOf(q: PageReads["ordersOf"]): Promise<OrderPage> {
    return JSON.parse(await this.pageJson("ordersOf", q)) as OrderPage;
  }

  /**
   * A page of {@link listings}, {@link offers}, {@link swaps} or {@link ordersOf} as the JSON text the server answers:
   * the stored orders' text spliced into the page, not parsed and serialized again (the routes answer with it).
   *
   * @example
   * const text = await book.pageJson("listings", { seriesId: 1n, limit: 20 }); // '{"orders":[...],"nextCursor":"..."}'
   */
  async pageJson<Read extends keyof PageReads>(read: Read, q: PageReads[Read]): Promise<string> {
    return pageReads[read](this.store, q, this.chainTime);
  }

  /** Open orders in this book (for /health). */
  async openCount(): Promise<number> {
    return this.store.openCount(this.chainTime);
  }

  /** The last block whose events were applied, if any. */
  async lastBlock(): Promise<bigint | undefined> {
    return this.store.lastBlock();
  }

  /**
   * Follows the chain with the SDK's watchLedger: fills, cancels, nonce bumps, stamp moves, Points balance and
   * allowance changes, the Market's settings and the clock, each applied to the orders they touch, and the block
   * remembered so a restart goes on where it stopped. When blocks it applied leave the chain (a reorg), the book
   * rolls back first ({@link rollBack}), then applies the winning chain's blocks as watchLedger delivers them.
   */
  async follow(options: FollowOptions = {}): Promise<void> {
    this.confirmations = options.confirmations ?? 0n;
    this.stopFollowing = await followChain(this.follower, options, {
      apply: (entries, toBlock) => (this.following = this.apply(entries, toBlock)),
      rollBack: (fromBlock) => (this.following = this.rollBack(fromBlock)),
    });
  }

  /**
   * Stops following. A batch under way stops between two groups of checks and writes nothing (its blocks are
   * applied again at the next start); one already writing finishes its transaction, which this waits for. A batch
   * whose chain reads hang (an RPC that does not answer) is waited for `graceMs` at most (default 3 s): it can no
   * longer write, so the database may close under it.
   */
  async stop(graceMs = 3_000): Promise<void> {
    this.lifecycle.stopping = true;
    this.stopFollowing?.();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([this.following.catch(() => {}), grace]);
    clearTimeout(timer);
    await this.lifecycle.writing?.catch(() => {});
  }

  /**
   * Undoes what blocks from `fromBlock` on did to the book, after they left the chain: every order the book took
   * out (filled, cancelled, stale) and open on the chain as it is now is reopened, and the cursor goes back to the
   * block before (see {@link rollBackBook}).
   */
  async rollBack(fromBlock: bigint): Promise<void> {
    this.version++;
    try {
      await rollBackBook(this.follower, fromBlock);
    } finally {
      this.version++;
    }
  }

  /** Applies one batch of the program's events (blocks up to toBlock) to the book (see {@link applyToBook}). */
  async apply(entries: LedgerEntry[], toBlock: bigint): Promise<void> {
    // Once before (what is computed while the batch applies is not kept) and once after.
    this.version++;
    try {
      await applyToBook(this.follower, entries, toBlock);
    } finally {
      this.version++;
    }
    if (Date.now() - this.lastPrune >= 600_000) {
      this.lastPrune = Date.now();
      // Pruning is housekeeping: a failure waits for the next turn, and the batch stays applied.
      await this.prune().catch((error: unknown) => console.error(`order book: pruning failed: ${describeForLog(error)}`));
    }
    // Posts on every instance and this batch change the book: its statistics follow within seconds, not at
    // autovacuum's next round.
    if (Date.now() - this.lastStatistics >= 10_000) {
      this.lastStatistics = Date.now();
      await keepStatistics(this.db).catch((error: unknown) =>
        console.error(`order book: refreshing the planner's statistics failed: ${describeForLog(error)}`),
      );
    }
  }
}
