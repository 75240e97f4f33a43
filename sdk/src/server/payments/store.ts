import { getAddress, type Address, type Hex } from "viem";
import type { Kysely, Selectable } from "kysely";
import { programKey } from "../../node/ledger/syncLedger.js";
import type { Program } from "../../program.js";
import type { PaymentReceiptsTable, PaymentTables } from "./schema.js";

/** One payment's row as read back. */
export type PaymentReceiptRow = Selectable<PaymentReceiptsTable>;

/** A payment's success, checked against the price list, to record. */
export interface PaymentRecord {
  receiptId: Hex;
  provider: string;
  paymentId: string;
  wallet: Address;
  packageId: string;
  points: bigint;
  amount: bigint;
  currency: string;
}

/** A refund (`amount`: refunded so far) or a dispute lost (`amount`: disputed), to record. */
export interface ReversalRecord {
  receiptId: Hex;
  provider: string;
  paymentId: string;
  kind: "refunded" | "disputed";
  amount: bigint;
  currency: string;
}

/** What recording an event did: changed the receipt, changed nothing (seen before), or was refused (why). */
export type RecordOutcome = { outcome: "applied" | "duplicate" } | { outcome: "refused"; code: string; message: string };

const iso = (ms: number) => new Date(ms).toISOString();

/** A new receipt's place in the outbox: queued for the chain now, nothing sent or tried yet. */
const queuedWork = (now: string) =>
  ({
    chain: "queued",
    credit_sent: 0,
    work: 1,
    version: 1,
    attempts: 0,
    next_at: now,
    lease_until: null,
    last_error: null,
    credit_tx: null,
    reverse_tx: null,
    burned: null,
    shortfall: null,
    created_at: now,
    updated_at: now,
    erased_at: null,
  }) as const;

/**
 * The payments' store: each payment's receipt (support's record and the outbox's queue, one row) and each webhook
 * event seen. Every change is one conditional statement on the receipt's row, so the same event delivered ten times
 * at once changes it once, and an answer is sent only after the statement commits (the outbox then owns the work).
 */
export class PaymentStore {
  /** The program this store's reads and outbox serve, `<chain id>:<stamps address>`: one database may hold several. */
  readonly program: string;

  constructor(
    readonly db: Kysely<PaymentTables>,
    program: Program,
    private readonly clock: () => number = Date.now,
  ) {
    this.program = programKey(program);
  }

  /** Notes an event seen (never its body); a second delivery of the same event keeps the first note. */
  async noteEvent(note: {
    provider: string;
    eventId: string;
    receiptId: Hex | null;
    type: string;
    outcome: "applied" | "duplicate" | "ignored" | "refused";
    code?: string;
  }): Promise<void> {
    await this.db
      .insertInto("payment_events")
      .values({
        provider: note.provider,
        event_id: note.eventId,
        receipt_id: note.receiptId,
        type: note.type,
        outcome: note.outcome,
        code: note.code ?? null,
        received_at: iso(this.clock()),
      })
      .onConflict((oc) => oc.columns(["provider", "event_id"]).doNothing())
      .execute();
  }

  /** Records a payment's success: a new receipt queued for its credit, or the details of one a refund opened. */
  async recordPayment(payment: PaymentRecord): Promise<RecordOutcome> {
    const now = iso(this.clock());
    const details = {
      program: this.program,
      wallet: payment.wallet,
      package_id: payment.packageId,
      points: payment.points.toString(),
      amount: payment.amount.toString(),
      currency: payment.currency,
    };
    const inserted = await this.db
      .insertInto("payment_receipts")
      .values({
        receipt_id: payment.receiptId,
        provider: payment.provider,
        payment_id: payment.paymentId,
        ...details,
        refunded: "0",
        paid: 1,
        status: "paid",
        ...queuedWork(now),
      })
      .onConflict((oc) => oc.column("receipt_id").doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return { outcome: "applied" };
    // A refund came first: the payment fills in its row, which stays refunded (the outbox then credits nothing).
    const filled = await this.db
      .updateTable("payment_receipts")
      .set((eb) => ({ ...details, paid: 1, version: eb("version", "+", 1), updated_at: now }))
      .where("receipt_id", "=", payment.receiptId)
      .where("paid", "=", 0)
      .where("erased_at", "is", null)
      .executeTakeFirst();
    return { outcome: Number(filled.numUpdatedRows) === 1 ? "applied" : "duplicate" };
  }

  /**
   * Records a refund or a dispute lost: the receipt is to be reversed (the whole package: the contract reverses a
   * receipt whole). Refused when it is larger than the payment or in another currency. Seen before its payment, it
   * opens the receipt, which then never credits.
   */
  async recordReversal(reversal: ReversalRecord): Promise<RecordOutcome> {
    const now = iso(this.clock());
    const inserted = await this.db
      .insertInto("payment_receipts")
      .values({
        receipt_id: reversal.receiptId,
        program: null,
        provider: reversal.provider,
        payment_id: reversal.paymentId,
        wallet: null,
        package_id: null,
        points: null,
        amount: null,
        currency: reversal.currency,
        refunded: reversal.amount.toString(),
        paid: 0,
        status: reversal.kind,
        ...queuedWork(now),
      })
      .onConflict((oc) => oc.column("receipt_id").doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return { outcome: "applied" };
    const row = await this.receipt(reversal.receiptId);
    if (!row) return { outcome: "duplicate" };
    if (row.currency !== null && row.currency !== reversal.currency)
      return {
        outcome: "refused",
        code: "currency_mismatch",
        message: `The payment was in ${row.currency.toUpperCase()}, the ${reversal.kind === "refunded" ? "refund" : "dispute"} in ${reversal.currency.toUpperCase()}.`,
      };
    if (row.amount !== null && reversal.amount > BigInt(row.amount))
      return {
        outcome: "refused",
        code: "refund_exceeds_payment",
        message: `${reversal.amount} is more than the payment's ${row.amount} (minor units): nothing was reversed.`,
      };
    // Only the first refund or dispute of a paid receipt reverses it; later ones note the larger amount.
    const reversed = await this.db
      .updateTable("payment_receipts")
      .set((eb) => ({
        status: reversal.kind,
        refunded: reversal.amount.toString(),
        work: 1,
        next_at: now,
        version: eb("version", "+", 1),
        updated_at: now,
      }))
      .where("receipt_id", "=", reversal.receiptId)
      .where("status", "=", "paid")
      .executeTakeFirst();
    if (Number(reversed.numUpdatedRows) === 1) return { outcome: "applied" };
    if (BigInt(row.refunded) < reversal.amount)
      await this.db
        .updateTable("payment_receipts")
        .set({ refunded: reversal.amount.toString(), updated_at: now })
        .where("receipt_id", "=", reversal.receiptId)
        .where("refunded", "=", row.refunded)
        .execute();
    return { outcome: "duplicate" };
  }

  /** One receipt, or undefined. */
  receipt(receiptId: Hex): Promise<PaymentReceiptRow | undefined> {
    return this.db.selectFrom("payment_receipts").selectAll().where("receipt_id", "=", receiptId).executeTakeFirst();
  }

  /** Support's read: the receipts of a wallet, newest first, at most 100. */
  receipts({ wallet }: { wallet: Address }): Promise<PaymentReceiptRow[]> {
    return this.db
      .selectFrom("payment_receipts")
      .selectAll()
      .where("wallet", "=", getAddress(wallet))
      .where((eb) => eb.or([eb("program", "=", this.program), eb("program", "is", null)]))
      .orderBy("created_at", "desc")
      .limit(100)
      .execute();
  }

  /** The receipts of these ids (lowercase hex). */
  async receiptsById(receiptIds: readonly Hex[]): Promise<PaymentReceiptRow[]> {
    if (receiptIds.length === 0) return [];
    return this.db.selectFrom("payment_receipts").selectAll().where("receipt_id", "in", receiptIds).execute();
  }

  /** The events seen about these receipts, oldest first, at most 500: what was decided, never a body. */
  async eventsOf(receiptIds: readonly Hex[]) {
    if (receiptIds.length === 0) return [];
    const rows = await this.db
      .selectFrom("payment_events")
      .selectAll()
      .where("receipt_id", "in", receiptIds)
      .orderBy("received_at")
      .limit(500)
      .execute();
    return rows.map((e) => ({
      provider: e.provider,
      eventId: e.event_id,
      receiptId: e.receipt_id,
      type: e.type,
      outcome: e.outcome,
      code: e.code,
      receivedAt: e.received_at,
    }));
  }

  /** Receipts with work due now that no live worker holds, oldest first. */
  due(limit: number): Promise<PaymentReceiptRow[]> {
    const now = iso(this.clock());
    return this.db
      .selectFrom("payment_receipts")
      .selectAll()
      .where("work", "=", 1)
      .where("next_at", "<=", now)
      .where((eb) => eb.or([eb("program", "=", this.program), eb("program", "is", null)]))
      .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]))
      .orderBy("next_at")
      .limit(limit)
      .execute();
  }

  /**
   * Takes a receipt for `leaseMs` if it is still as read (its version) and no live worker holds it. `creditSent`
   * is written in the same statement: once true, a later refund of the receipt reverses on chain.
   */
  async claim(row: PaymentReceiptRow, leaseMs: number, creditSent: boolean): Promise<boolean> {
    const now = this.clock();
    const taken = await this.db
      .updateTable("payment_receipts")
      .set({
        lease_until: iso(now + leaseMs),
        credit_sent: creditSent ? 1 : row.credit_sent,
        program: row.program ?? (creditSent ? this.program : null),
      })
      .where("receipt_id", "=", row.receipt_id)
      .where("version", "=", row.version)
      .where("work", "=", 1)
      .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", iso(now))]))
      .executeTakeFirst();
    return Number(taken.numUpdatedRows) === 1;
  }

  /**
   * What the chain did for a receipt taken at `version`; its work is done unless an event changed it since (then
   * the outbox takes it again, and sees the change).
   */
  async settle(
    row: PaymentReceiptRow,
    done: Pick<Partial<PaymentReceiptRow>, "credit_tx" | "reverse_tx" | "burned" | "shortfall"> & {
      chain: PaymentReceiptRow["chain"];
    },
  ): Promise<void> {
    const now = iso(this.clock());
    await this.db
      .updateTable("payment_receipts")
      .set((eb) => ({
        ...done,
        work: eb.case().when("version", "=", row.version).then(0).else(1).end(),
        attempts: 0,
        last_error: null,
        lease_until: null,
        next_at: now,
        updated_at: now,
      }))
      .where("receipt_id", "=", row.receipt_id)
      .execute();
  }

  /** A send failed: tried again after `delayMs`, with the reason for support. */
  async retryLater(row: PaymentReceiptRow, delayMs: number, reason: string): Promise<void> {
    const now = this.clock();
    await this.db
      .updateTable("payment_receipts")
      .set((eb) => ({
        attempts: eb("attempts", "+", 1),
        next_at: iso(now + delayMs),
        last_error: reason.slice(0, 500),
        lease_until: null,
        updated_at: iso(now),
      }))
      .where("receipt_id", "=", row.receipt_id)
      .execute();
  }

  /**
   * Erasure: drops the wallet and the provider's payment id from every receipt of `wallet`, so nothing the server
   * holds ties a receipt id to the person (the id itself, the amounts and where the chain stands stay: a later
   * refund still reverses by receipt id, and a retried payment webhook still finds its receipt). A credit not yet
   * sent is dropped with them. The link store's forget calls it; returns the receipts erased.
   *
   * @example
   * await payments.store.forgetWallet(wallet);
   */
  async forgetWallet(wallet: Address): Promise<number> {
    const now = iso(this.clock());
    const erased = await this.db
      .updateTable("payment_receipts")
      .set((eb) => ({
        wallet: null,
        payment_id: null,
        erased_at: now,
        updated_at: now,
        chain: eb
          .case()
          .when("credit_sent", "=", 0)
          .then("erased" as PaymentReceiptRow["chain"])
          .else(eb.ref("chain"))
          .end(),
        work: eb.case().when("credit_sent", "=", 0).then(0).else(eb.ref("work")).end(),
      }))
      .where("wallet", "=", getAddress(wallet))
      .executeTakeFirst();
    return Number(erased.numUpdatedRows);
  }
}
