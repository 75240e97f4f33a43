import type { Hex } from "viem";
import type { Program, ReadClient } from "../../program.js";
import { hashOrder } from "../../types/orders.js";
import { decodeStampId } from "../../utils/stampId.js";
import { bookOrderOf, orderOf, type BookOrder, type OrderView, type PostOrderBody } from "../../serverApi/schemas.js";
import { evaluateOrder, permitProblem } from "../evaluate.js";
import { ServerRefusal } from "../errors.js";
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

/** What admission needs: the program, a client to read the chain, and the store to keep what it admits. */
export interface AdmissionContext {
  program: Program;
  client: ReadClient;
  store: BookStore;
  /** Called once an order is written, before it is read back: what the book answers may have changed. */
  onStored: () => void;
}

/**
 * Checks a posted order against the chain and stores it if it can be filled now. An order the book holds already
 * is answered as stored (idempotent on the order hash), whatever became of it since, without asking the chain.
 * Refuses with a {@link ServerRefusal}: 400 for an order or permit that is wrong in itself, 422 for one the chain
 * says cannot be filled now.
 */
export async function admitOrder(
  { program, client, store, onStored }: AdmissionContext,
  body: PostOrderBody,
): Promise<{ created: boolean; view: OrderView }> {
  const book = bookOrderOf(body);
  const existing = await store.row(hashOrder(program, orderOf(book)).toLowerCase());
  if (existing) return { created: false, view: viewOf(existing) };
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
  await store.insert(rowOf(store.key, body, book, evaluation.orderHash));
  onStored();
  return { created: true, view: viewOf((await store.row(evaluation.orderHash))!) };
}
