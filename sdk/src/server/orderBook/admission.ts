import { PostgresAdapter, sql } from "kysely";
import { getAddress, type Address, type Hex } from "viem";
import type { Program, ReadClient } from "../../program.js";
import { hashOrder, orderSigner } from "../../types/orders.js";
import { decodeStampId } from "../../utils/stampId.js";
import { bookOrderOf, orderOf, type BookOrder, type OrderView, type PostOrderBody } from "../../serverApi/schemas.js";
import { evaluateOrder, permitProblem } from "../evaluate.js";
import { ServerRefusal } from "../errors.js";
import { advisoryLockKey } from "../instances/lockKey.js";
import { rowTime, toSortKey, type BookOrderRow } from "./schema.js";
import { viewOf, type BookStore } from "./store.js";

/** The row an order found open is stored as: the columns the book answers by, and the order as posted. */
function rowOf(key: string, body: PostOrderBody, book: BookOrder, orderHash: Hex): BookOrderRow {
  const order = book.signed.order as unknown as Record<string, bigint | string>;
  const stamp = (book.kind === "swap" ? order.makerTokenId : order.tokenId) as bigint;
  const series = book.kind === "offer" ? (order.seriesId as bigint) : decodeStampId(stamp).seriesId;
  const at = rowTime();
  return {
    order_hash: orderHash.toLowerCase(),
    program: key,
    kind: book.kind,
    signer: (book.kind === "listing" ? order.seller : book.kind === "offer" ? order.buyer : order.maker) as string,
    token_id: stamp.toString(),
    series_id: series.toString(),
    wanted_series_id: book.kind === "swap" ? String(order.wantedSeriesId) : null,
    wanted_token_id: book.kind === "swap" ? String(order.wantedTokenId) : null,
    currency: book.kind === "swap" ? "" : (order.currency as string).toLowerCase(),
    price_sort: toSortKey(book.kind === "swap" ? 0n : (order.price as bigint)),
    expiry_sort: toSortKey(order.expiry as bigint),
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
}

/** Open orders the book holds at most, by default: per member, and offering one stamp. */
export const DEFAULT_ORDER_CAPS = { perMember: 200, perStamp: 20 } as const;

/** What admission needs: the program, a client to read the chain, and the store to keep what it admits. */
export interface AdmissionContext {
  program: Program;
  client: ReadClient;
  store: BookStore;
  /** Called once an order is written, before it is read back: what the book answers may have changed. */
  onStored: () => void;
  /**
   * Open orders the book holds at most per member (the signer), and offering one stamp (listings and swaps of it);
   * default {@link DEFAULT_ORDER_CAPS}. One more is refused with 422, before the chain is read when the book is at the
   * cap already; posts at the same time (on any instance) never store more than the cap.
   */
  caps?: { perMember?: number; perStamp?: number };
}

/** A stored order taken out for no verdict of the chain's: stale as `refused_by_market`, the code a fault once got. */
const isDoubtful = (row: BookOrderRow): boolean => row.status === "stale" && row.reason_code === "refused_by_market";

/** What a post of a new order is charged, once it is known to be new: a hook that throws a refusal (a rate limit). */
export type ChargeNewOrder = (signer: Address) => void | Promise<void>;

/** The caps an admission holds a new order to, with their defaults filled in. */
function capsOf(context: AdmissionContext): { perMember: number; perStamp: number } {
  return {
    perMember: context.caps?.perMember ?? DEFAULT_ORDER_CAPS.perMember,
    perStamp: context.caps?.perStamp ?? DEFAULT_ORDER_CAPS.perStamp,
  };
}

/** The stamp a new order offers (listings and swaps), which the per-stamp cap counts; none for an offer. */
const offeredStamp = (book: BookOrder): bigint | undefined =>
  book.kind === "listing" ? book.signed.order.tokenId : book.kind === "swap" ? book.signed.order.makerTokenId : undefined;

/** The refusal of an order whose signer, or whose stamp, has `open` orders already, if that is the cap. */
function overCaps(
  caps: { perMember: number; perStamp: number },
  signer: Address,
  stamp: bigint | undefined,
  open: { member: number; stamp: number },
): ServerRefusal | undefined {
  if (open.member >= caps.perMember)
    return new ServerRefusal(
      422,
      "too_many_orders",
      `${signer} has ${open.member} open orders in this book, the most it holds for one member (${caps.perMember}); cancel some, or wait for them to fill or expire.`,
    );
  if (stamp !== undefined && open.stamp >= caps.perStamp)
    return new ServerRefusal(
      422,
      "too_many_orders_for_stamp",
      `Stamp ${stamp} is offered in ${open.stamp} open orders, the most this book holds for one stamp (${caps.perStamp}); cancel one first.`,
    );
  return undefined;
}

/** Thrown inside the insert's transaction to roll it back: the order took a member's or a stamp's last slot twice. */
class OverCaps extends Error {
  constructor(readonly refusal: ServerRefusal) {
    super(refusal.message);
  }
}

/**
 * Stores a new order within the caps, atomically: in one transaction the order is inserted, then the open orders of
 * its signer and its stamp are counted with it; past a cap the transaction rolls back and the refusal is thrown. On
 * SQLite the insert takes the database's write lock before the count, so no other writer (in this process or
 * another) comes between them; on Postgres, where writers do not wait for each other's inserts, the transaction
 * first takes an advisory lock per member and per stamp (in one order, so two posts never wait for each other in a
 * circle), held until it ends. Answers whether the order was stored (false: a post of it at the same time was).
 */
async function insertWithinCaps(
  context: AdmissionContext,
  row: BookOrderRow,
  signer: Address,
  stamp: bigint | undefined,
): Promise<boolean> {
  const caps = capsOf(context);
  try {
    return await context.store.transaction(async (store) => {
      if (store.db.getExecutor().adapter instanceof PostgresAdapter) {
        const keys = [`member ${signer}`, ...(stamp === undefined ? [] : [`stamp ${stamp}`])]
          .map((what) => advisoryLockKey(`punchcard order book cap ${store.key} ${what}`))
          .sort();
        for (const key of keys) await sql`SELECT pg_advisory_xact_lock(${key}::bigint)`.execute(store.db);
      }
      if (!(await store.insert(row))) return false;
      const open = await store.openCounts(signer, stamp);
      // The count holds the order just inserted: what was open before it is one less.
      const refusal = overCaps(caps, signer, stamp, { member: open.member - 1, stamp: open.stamp - 1 });
      if (refusal) throw new OverCaps(refusal);
      return true;
    });
  } catch (error) {
    throw error instanceof OverCaps ? error.refusal : error;
  }
}

/**
 * Checks a posted order against the chain and stores it if it can be filled now. An order the book holds already
 * is answered as stored (idempotent on the order hash), whatever became of it since, without asking the chain.
 * A new order is held to the caps (before the chain is read), then charged (`charge`, e.g. the signer's posts per
 * minute): a re-post of a stored order, by anyone, charges nobody.
 * Refuses with a {@link ServerRefusal}: 400 for an order or permit that is wrong in itself, 422 for one the chain
 * says cannot be filled now or one over the caps. When the chain does not answer it rejects with that fault (no
 * verdict: the server answers 503).
 */
export async function admitOrder(
  context: AdmissionContext,
  body: PostOrderBody,
  charge?: ChargeNewOrder,
): Promise<{ created: boolean; view: OrderView }> {
  const { program, client, store, onStored } = context;
  const book = bookOrderOf(body);
  const existing = await store.row(hashOrder(program, orderOf(book)).toLowerCase());
  if (existing && isDoubtful(existing)) {
    // Stale only because the chain would not answer (a server before faults were told from verdicts read an RPC
    // error as the Market's refusal): checked again, and reopened if it is open on the chain.
    const evaluation = await evaluateOrder(client, program, book);
    if (evaluation.open) {
      await store.reopen([existing.order_hash], rowTime());
      onStored();
      return { created: false, view: viewOf((await store.row(existing.order_hash))!) };
    }
  }
  if (existing) return { created: false, view: viewOf(existing) };
  const signer = getAddress(orderSigner(orderOf(book)));
  const stamp = offeredStamp(book);
  // A first look, before the chain is read: a member at the cap costs no chain read. The insert counts again.
  const refusal = overCaps(capsOf(context), signer, stamp, await store.openCounts(signer, stamp));
  if (refusal) throw refusal;
  await charge?.(signer);
  if (book.kind === "offer" && book.permit) {
    const problem = await permitProblem(client, program, book.signed.order, book.permit);
    if (problem) throw new ServerRefusal(problem.field === "permit.message.nonce" ? 422 : 400, "invalid_permit", problem.message);
  }
  const evaluation = await evaluateOrder(client, program, book);
  if (!evaluation.open) {
    const status = evaluation.code === "invalid_order" ? 400 : 422;
    throw new ServerRefusal(status, evaluation.code, evaluation.reason);
  }
  // Two posts of one order at once: the second insert does nothing, and both answer the stored row.
  await insertWithinCaps(context, rowOf(store.key, body, book, evaluation.orderHash), signer, stamp);
  onStored();
  return { created: true, view: viewOf((await store.row(evaluation.orderHash))!) };
}
