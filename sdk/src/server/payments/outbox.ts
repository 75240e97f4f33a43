import type { Address, Hex } from "viem";
import { creditPurchase } from "../../brand/creditPurchase.js";
import { reversePurchase } from "../../brand/reversePurchase.js";
import { ContractRevertError } from "../../errors.js";
import type { Program, WriteClient } from "../../program.js";
import { describeForLog } from "../faults.js";
import type { PaymentReceiptRow, PaymentStore } from "./store.js";

export interface PaymentOutboxOptions {
  store: PaymentStore;
  program: Program;
  /** A client with the Points minter role: every credit and reversal goes out from its key, one at a time. */
  minter: WriteClient;
  /** First retry after this many ms, doubling up to 15 min (default 2,000). */
  retryMs?: number;
  /** Looks for due work this often even when not woken (default 5,000 ms). */
  pollMs?: number;
  /** How long a worker holds a receipt it sends for (default 120,000 ms). */
  leaseMs?: number;
  log?: (message: string) => void;
}

const MAX_RETRY_MS = 15 * 60_000;

/** The contract's own answer that the work is done already: the receipt id's uniqueness is the last guard. */
const doneAlready = (error: unknown): PaymentReceiptRow["chain"] | undefined => {
  if (!(error instanceof ContractRevertError)) return undefined;
  if (error.errorName === "PointsReceiptAlreadyCredited") return "credited";
  if (error.errorName === "PointsReceiptReversed" || error.errorName === "PointsReceiptAlreadyReversed") return "reversed";
  return undefined;
};

/**
 * The payments' outbox: what the webhooks recorded, sent to the chain. A receipt paid and not refunded is credited
 * (`creditPurchase`); one refunded or disputed after a credit may have gone out is reversed (`reversePurchase`);
 * one refunded before any credit is settled with nothing sent. Each receipt is taken under a lease, so instances on
 * one database never send for it at once, and a worker that died frees it when the lease ends. A failed send is
 * retried with a growing delay; a send whose effect is already on chain (the contract refuses a second credit or
 * reversal of a receipt) counts as done: a crash between sending and recording never doubles a credit.
 */
export class PaymentOutbox {
  private timer: ReturnType<typeof setInterval> | undefined;
  /** The last pass queued: passes run one after another, never two at once in one outbox. */
  private tail: Promise<number> = Promise.resolve(0);
  /** A woken pass is queued and not started yet: another wake adds nothing. */
  private wakeQueued = false;

  constructor(private readonly options: PaymentOutboxOptions) {}

  /** Starts looking for due work every `pollMs`, and at once. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.wake(), this.options.pollMs ?? 5_000);
    this.wake();
  }

  /** Stops looking; waits for the passes queued. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.tail.catch(() => undefined);
  }

  /** Queues a pass (unless one is queued already): a webhook just recorded work. Failures are logged. */
  wake(): void {
    if (this.wakeQueued) return;
    this.wakeQueued = true;
    this.queue(() => {
      this.wakeQueued = false;
      return this.pass();
    }).catch((error) => this.log(`payments outbox: ${describeForLog(error)}`));
  }

  /**
   * Sends everything due, after the passes queued before it; returns the receipts it settled. Tests call it to
   * wait until what the webhooks recorded is on chain.
   */
  drain(): Promise<number> {
    return this.queue(() => this.pass());
  }

  private queue(run: () => Promise<number>): Promise<number> {
    const next = this.tail.catch(() => 0).then(run);
    this.tail = next;
    return next;
  }

  private async pass(): Promise<number> {
    let settled = 0;
    for (;;) {
      const due = await this.options.store.due(20);
      if (due.length === 0) return settled;
      let progressed = false;
      for (const row of due) {
        const outcome = await this.process(row);
        if (outcome === "settled") settled++;
        if (outcome !== "skipped") progressed = true;
      }
      if (!progressed) return settled;
    }
  }

  private log(message: string) {
    (this.options.log ?? ((m: string) => console.error(m)))(message);
  }

  private async process(row: PaymentReceiptRow): Promise<"settled" | "retry" | "skipped"> {
    const { store, program, minter } = this.options;
    const toCredit = row.status === "paid" && row.wallet !== null;
    if (!(await store.claim(row, this.options.leaseMs ?? 120_000, toCredit))) return "skipped";
    const receiptId = row.receipt_id as Hex;
    try {
      if (row.status === "paid") {
        if (row.wallet === null) return await this.settled(row, { chain: "erased" });
        const { hash } = await creditPurchase(minter, {
          program,
          member: row.wallet as Address,
          amount: BigInt(row.points!),
          receiptId,
        });
        return await this.settled(row, { chain: "credited", credit_tx: hash });
      }
      if (row.credit_sent === 0) return await this.settled(row, { chain: "settled" });
      const { hash, burned, shortfall } = await reversePurchase(minter, { program, receiptId });
      return await this.settled(row, {
        chain: "reversed",
        reverse_tx: hash,
        burned: burned.toString(),
        shortfall: shortfall.toString(),
      });
    } catch (error) {
      const already = doneAlready(error);
      if (already) return await this.settled(row, { chain: already });
      const delay = Math.min((this.options.retryMs ?? 2_000) * 2 ** Math.min(row.attempts, 20), MAX_RETRY_MS);
      const reason = describeForLog(error);
      this.log(`payments outbox: receipt ${receiptId} not sent (${reason}); trying again in ${Math.round(delay / 1000)} s`);
      await store.retryLater(row, delay, reason);
      return "retry";
    }
  }

  private async settled(row: PaymentReceiptRow, done: Parameters<PaymentStore["settle"]>[1]): Promise<"settled"> {
    await this.options.store.settle(row, done);
    return "settled";
  }
}
