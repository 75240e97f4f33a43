import type { Kysely } from "kysely";
import type { Program } from "../../program.js";
import type { PaymentTables } from "../../server/payments/schema.js";
import type { LedgerTables } from "./schema.js";
import { programKey } from "./syncLedger.js";

/** One day and currency of points bought by card: the money, and what the chain did for it. */
export interface MoneyDay {
  /** The UTC day, YYYY-MM-DD: a payment's when it was received, a refund's when its first refund or dispute was. */
  day: string;
  /** Lowercase ISO 4217 code. */
  currency: string;
  /** Paid that day, in the currency's minor unit. */
  moneyIn: bigint;
  /** Refunded or lost in disputes that day, minor units. */
  moneyBack: bigint;
  /** Points the chain credited for the payments of that day (matched by receipt id). */
  pointsCredited: bigint;
  /** Points the chain burned reversing the refunds of that day (matched by receipt id). */
  pointsReversed: bigint;
  /** Payments of that day. */
  payments: number;
  /** Of them, or of that day's refunds, those the chain does not (yet) show as it should. */
  unmatched: number;
}

/** A receipt whose chain entry is missing: paid and not credited, or refunded after a credit and not reversed. */
export interface UnmatchedReceipt {
  receiptId: string;
  day: string;
  currency: string;
  amount: bigint;
  /** `credit`: no credit on chain; `reversal`: credited, refunded, no reversal on chain. */
  missing: "credit" | "reversal";
  /** Where the store says the chain stands (`queued` while the outbox still sends). */
  chain: string;
}

export interface MoneyPerDayParameters {
  /** The ledger, synced (`punchcard ledger sync`). */
  ledger: Kysely<LedgerTables>;
  /** The program server's database (the payments' store: order book migrations 0007 and 0011). */
  store: Kysely<PaymentTables>;
  program: Program;
}

export interface MoneyPerDayReturnType {
  days: MoneyDay[];
  unmatched: UnmatchedReceipt[];
}

const REVERSAL_TYPES = ["charge.refunded", "charge.dispute.closed", "payment.refunded", "payment.dispute_lost"];
const dayOf = (iso: string) => iso.slice(0, 10);

/**
 * Money in and money back per day and currency, from the payments' store, joined by receipt id to the ledger's
 * on-chain credits (`points.credited`) and reversals (`points.purchase.reversed`, the points burned): and every
 * receipt the chain does not (yet) match. A payment counts on the day it was received; a refund on the day its first
 * refund or dispute event was. Receipts of other programs in the same store are left out; rows from before the
 * store knew programs (migration 0011) count as this program's.
 *
 * @example
 * const { days, unmatched } = await moneyPerDay({ ledger, store, program });
 */
export async function moneyPerDay({ ledger, store, program }: MoneyPerDayParameters): Promise<MoneyPerDayReturnType> {
  const key = programKey(program);
  const receipts = await store
    .selectFrom("payment_receipts")
    .selectAll()
    .where((eb) => eb.or([eb("program", "=", key), eb("program", "is", null)]))
    .execute();
  const ids = receipts.map((r) => r.receipt_id.toLowerCase());
  const refundDays = new Map<string, string>();
  const entries = await chainEntries(ledger, key);
  if (ids.length > 0) {
    const events = await store
      .selectFrom("payment_events")
      .select(["receipt_id", "received_at"])
      .where("type", "in", REVERSAL_TYPES)
      .where("outcome", "in", ["applied", "duplicate"])
      .where("receipt_id", "in", ids)
      .orderBy("received_at")
      .execute();
    for (const e of events) if (e.receipt_id && !refundDays.has(e.receipt_id)) refundDays.set(e.receipt_id, dayOf(e.received_at));
  }
  const days = new Map<string, MoneyDay>();
  const row = (day: string, currency: string) => {
    const id = `${day} ${currency}`;
    let found = days.get(id);
    if (!found) {
      found = { day, currency, moneyIn: 0n, moneyBack: 0n, pointsCredited: 0n, pointsReversed: 0n, payments: 0, unmatched: 0 };
      days.set(id, found);
    }
    return found;
  };
  const unmatched: UnmatchedReceipt[] = [];
  for (const receipt of receipts) {
    const id = receipt.receipt_id.toLowerCase();
    const currency = receipt.currency ?? "";
    const credited = entries.credited.get(id);
    const reversed = entries.reversed.get(id);
    if (Number(receipt.paid) === 1 && receipt.amount !== null) {
      const day = dayOf(receipt.created_at);
      const paid = row(day, currency);
      paid.moneyIn += BigInt(receipt.amount);
      paid.payments += 1;
      if (credited !== undefined) paid.pointsCredited += credited;
      // A payment refunded before any credit (`settled`) or erased before one was sent needs no credit.
      else if (receipt.status === "paid" && receipt.chain !== "erased") {
        paid.unmatched += 1;
        unmatched.push({ receiptId: id, day, currency, amount: BigInt(receipt.amount), missing: "credit", chain: receipt.chain });
      }
    }
    const refunded = BigInt(receipt.refunded);
    if (refunded > 0n) {
      const day = refundDays.get(id) ?? dayOf(receipt.updated_at);
      const back = row(day, currency);
      back.moneyBack += refunded;
      if (reversed !== undefined) back.pointsReversed += reversed;
      else if (credited !== undefined) {
        back.unmatched += 1;
        unmatched.push({ receiptId: id, day, currency, amount: refunded, missing: "reversal", chain: receipt.chain });
      }
    }
  }
  const order = (a: { day: string; currency: string }, b: { day: string; currency: string }) =>
    a.day === b.day ? a.currency.localeCompare(b.currency) : a.day.localeCompare(b.day);
  return { days: [...days.values()].sort(order), unmatched: unmatched.sort(order) };
}

/** The program's credits and reversals on chain, by lowercase receipt id: points credited, and points burned. */
async function chainEntries(ledger: Kysely<LedgerTables>, key: string) {
  const rows = await ledger
    .selectFrom("ledger_entries")
    .select(["kind", "code", "amount", "args"])
    .where("program", "=", key)
    .where("kind", "in", ["points.credited", "points.purchase.reversed"])
    .execute();
  const credited = new Map<string, bigint>();
  const reversed = new Map<string, bigint>();
  for (const r of rows) {
    if (r.code === null) continue;
    const id = r.code.toLowerCase();
    if (r.kind === "points.credited") credited.set(id, (credited.get(id) ?? 0n) + BigInt(r.amount ?? "0"));
    else {
      const { burned } = JSON.parse(r.args) as { burned?: string | number };
      reversed.set(id, (reversed.get(id) ?? 0n) + BigInt(burned ?? r.amount ?? "0"));
    }
  }
  return { credited, reversed };
}
