import { getAddress, type Address, type Hex } from "viem";
import type { LedgerEntry } from "../../ledger/entries.js";
import type { Evaluation } from "../evaluate.js";
import type { BookOrderRow } from "./schema.js";

/** One change an event makes to the book, by what the event names. The follower makes them in the events' order. */
export type BookChange =
  /** A sale or a swap of this order: it is filled. */
  | { type: "filled"; orderHash: Hex; reason: string }
  /** Its signer cancelled this order. */
  | { type: "cancelled"; orderHash: Hex; reason: string }
  /**
   * matchOrders filled a listing it does not name: the Sale carries the offer's hash only (the Market marks only
   * the offer Filled). The listing is the seller's open listing of this stamp at this price and currency: when
   * exactly one such listing is in the book it is the matched one (any other listing of the stamp goes stale
   * anyway, as the stamp moved). Two alike listings stay "stale: stamp moved".
   */
  | { type: "listingMatched"; tokenId: bigint; seller: Address; currency: Address; price: bigint; reason: string }
  /** The signer raised their nonce (cancel-all): every order of theirs signed under a lower nonce is stale. */
  | { type: "nonceBumped"; signer: Address; nonce: bigint; reason: string };

/** What a batch of the program's events does to the book: the changes they name, and what to check again. */
export interface BookEffects {
  changes: BookChange[];
  /** Stamps that were minted, moved, burned or locked: their open listings and swaps are checked again. */
  stamps: Set<bigint>;
  /**
   * Wallets whose Points balance or allowance may have changed (or whose Market payments moved): their offers
   * that are open, or stale for want of funds, are checked again.
   */
  funders: Set<Address>;
  /** A Market or Stamps setting changed (fees, bounds, pause...): every open order is checked again. */
  settingsChanged: boolean;
}

/**
 * What a batch of ledger entries does to the book, read from the entries alone (no database, no chain): the
 * orders they fill or cancel, and which orders may have changed on the chain and must be checked again there
 * ({@link recheckOf}). The follower applies the changes in order, then the rechecks.
 *
 * @example
 * const { changes, stamps } = effectsOf(entries);
 */
export function effectsOf(entries: readonly LedgerEntry[]): BookEffects {
  const effects: BookEffects = { changes: [], stamps: new Set(), funders: new Set(), settingsChanged: false };
  for (const e of entries) {
    const change = changesOf(e);
    effects.changes.push(...change);
    if (e.contract === "stamps" && e.tokenId !== null && e.kind.startsWith("stamp.")) effects.stamps.add(e.tokenId);
    if (e.contract === "points" || (e.contract === "market" && e.kind.startsWith("payment."))) {
      if (e.actor) effects.funders.add(getAddress(e.actor));
      if (e.counterparty) effects.funders.add(getAddress(e.counterparty));
    }
    if ((e.contract === "market" || e.contract === "stamps") && e.kind === "setting.changed") effects.settingsChanged = true;
  }
  return effects;
}

/** The changes one entry names, if any. */
function changesOf(e: LedgerEntry): BookChange[] {
  if ((e.kind === "order.filled" || e.kind === "offer.accepted") && e.code) {
    const reason =
      e.kind === "order.filled"
        ? `Bought by ${getAddress(e.actor!)} in ${e.txHash}.`
        : `Accepted by ${getAddress(e.counterparty!)} in ${e.txHash}.`;
    return [{ type: "filled", orderHash: e.code, reason }];
  }
  if (e.kind === "orders.matched" && e.code)
    return [
      { type: "filled", orderHash: e.code, reason: `Accepted by ${getAddress(e.counterparty!)} in ${e.txHash}.` },
      {
        type: "listingMatched",
        tokenId: e.tokenId!,
        seller: getAddress(e.counterparty!),
        currency: e.currency!,
        price: e.amount!,
        reason: `Bought by ${getAddress(e.actor!)} in ${e.txHash}.`,
      },
    ];
  if (e.kind === "swap" && e.code)
    return [{ type: "filled", orderHash: e.code, reason: `Swapped by ${getAddress(e.actor!)} in ${e.txHash}.` }];
  if (e.kind === "order.cancelled" && e.code)
    return [{ type: "cancelled", orderHash: e.code, reason: `Its signer cancelled it in ${e.txHash}.` }];
  if (e.kind === "orders.cancelled" && e.actor && e.amount !== null)
    return [
      {
        type: "nonceBumped",
        signer: getAddress(e.actor),
        nonce: e.amount,
        reason: `${getAddress(e.actor)} cancelled all their orders (nonce ${e.amount}) in ${e.txHash}.`,
      },
    ];
  return [];
}

/** What checking a stored order against the chain again does to it. */
export type Recheck =
  | { action: "keep" }
  | { action: "reopen" }
  | { action: "takeOut"; status: Exclude<BookOrderRow["status"], "open">; code: string; reason: string };

/**
 * What a stored order becomes once checked against the chain again: reopened when the chain says it can be filled
 * and the book holds it out; taken out when the chain says it cannot and the book holds it open, or holds it out
 * for another reason (a stale offer now stale for its fees); else kept as it is.
 *
 * @example
 * const recheck = recheckOf(row, await evaluateOrder(client, program, order));
 */
export function recheckOf(stored: Pick<BookOrderRow, "status" | "reason_code">, evaluation: Evaluation): Recheck {
  if (evaluation.open) return stored.status === "open" ? { action: "keep" } : { action: "reopen" };
  if (stored.status === "open" || stored.reason_code !== evaluation.code)
    return { action: "takeOut", status: evaluation.status, code: evaluation.code, reason: evaluation.reason };
  return { action: "keep" };
}
