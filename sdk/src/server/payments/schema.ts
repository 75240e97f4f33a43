/**
 * The tables of points bought by card (the order book's migration `0007_payments` makes them): one row per
 * payment, keyed by its receipt id, which is both the brand's support record and the outbox of what the chain still
 * has to do; and one row per webhook event seen. Amounts and points are decimal text (they may exceed 2^53).
 */
export interface PaymentReceiptsTable {
  /** `HMAC-SHA256(brandSecret, provider + ":" + paymentId)` as 0x hex: what the chain sees, naming nobody. */
  receipt_id: string;
  /**
   * The program that credits it, `<chain id>:<lowercase stamps address>` (migration 0011); null in a row from before
   * and in one a refund opened, until its payment is seen.
   */
  program: string | null;
  /** `stripe`, or the generic webhook's provider name. */
  provider: string;
  /** The provider's payment id (a Stripe PaymentIntent `pi_...`); null once erased. */
  payment_id: string | null;
  /** The member's checksummed wallet; null until the payment is seen, and once erased. */
  wallet: string | null;
  package_id: string | null;
  /** Points the package credits. */
  points: string | null;
  /** What was paid, in the currency's minor unit (cents). */
  amount: string | null;
  /** Lowercase ISO 4217 code. */
  currency: string | null;
  /** Refunded or lost in a dispute so far, minor units; "0" when none. */
  refunded: string;
  /** 1 once the payment's success was seen (a refund may be seen first). */
  paid: number;
  /** What the provider says: `paid`, then `refunded` or `disputed` (a dispute lost); a refund seen first opens the row unpaid (`paid` 0). */
  status: "paid" | "refunded" | "disputed";
  /** Where the chain stands: `queued`, `credited`, `reversed`, `settled` (refunded before any credit: nothing to do), `erased`. */
  chain: "queued" | "credited" | "reversed" | "settled" | "erased";
  /** 1 once a credit may have been sent: a refund then needs a reversal on chain. */
  credit_sent: number;
  /** 1 while the outbox has something to send for this receipt. */
  work: number;
  /** Raised by every event that changes the row: the worker's "done" only holds for the version it read. */
  version: number;
  /** Failed sends so far (reset on success). */
  attempts: number;
  /** ISO time before which the outbox does not try again. */
  next_at: string;
  /** ISO time until which one worker holds the row. */
  lease_until: string | null;
  /** The last failure, as one redacted line, for support. */
  last_error: string | null;
  credit_tx: string | null;
  reverse_tx: string | null;
  /** Points burned by the reversal, and those the member had already spent (for the brand to settle). */
  burned: string | null;
  shortfall: string | null;
  created_at: string;
  updated_at: string;
  erased_at: string | null;
}

/** A webhook event as seen: its provider's id, type and what was decided; never its body. */
export interface PaymentEventsTable {
  provider: string;
  event_id: string;
  receipt_id: string | null;
  type: string;
  /** `applied`, `duplicate` (seen before, or changes nothing), `ignored` (a type not about points), `refused`. */
  outcome: "applied" | "duplicate" | "ignored" | "refused";
  /** The refusal's code (`unknown_package`, `amount_mismatch`, ...) when refused. */
  code: string | null;
  received_at: string;
}

export interface PaymentTables {
  payment_receipts: PaymentReceiptsTable;
  payment_events: PaymentEventsTable;
}
