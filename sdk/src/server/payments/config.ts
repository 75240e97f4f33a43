import { createHmac } from "node:crypto";
import type { Address, Hex } from "viem";
import type { Program, WriteClient } from "../../program.js";

/** One points package of the brand's price list: what it credits and what it costs. */
export interface PointsPackage {
  /** Points credited to the member's wallet. */
  points: bigint;
  /** The price in the currency's minor unit (cents): a payment of any other amount is refused. */
  amount: bigint;
  /** ISO 4217 code, any case (`eur`, `USD`). */
  currency: string;
}

/**
 * Points bought by card: the brand's price list, the secrets its payment providers sign webhooks with, and the key
 * that credits. The program server serves `POST /payments/stripe`, `POST /payments/webhook` and
 * `GET /payments/receipts` from it (see docs/payments.md).
 */
export interface PaymentsOptions {
  /** The packages members can buy, by package id (the checkout's `metadata.package`). */
  priceList: Record<string, PointsPackage>;
  /**
   * The brand's secret for receipt ids (at least 32 characters): `receiptId = HMAC-SHA256(brandSecret, provider + ":"
   * + paymentId)`, so nobody without it can tie an on-chain credit to a card payment.
   */
  brandSecret: string;
  /** A client with the Points minter role: the outbox credits and reverses from its key (its own nonces). */
  minter: WriteClient;
  /** Stripe's webhook signing secret (`whsec_...`); without it `POST /payments/stripe` answers 404. */
  stripeWebhookSecret?: string;
  /** The generic HMAC webhook of another provider; without it `POST /payments/webhook` answers 404. */
  webhook?: { provider: string; secret: string };
  /** The bearer token of `GET /payments/receipts` (support); without it the route answers 404. */
  adminToken?: string;
  /** Seconds an event's signed timestamp may be away from the server's clock (default 300). */
  toleranceSeconds?: number;
  /** Whether a wallet may buy points (default: any address but zero and the program's own contracts). */
  knownWallet?: (wallet: Address) => Promise<boolean>;
  /** Milliseconds the outbox waits after a failed send before the first retry; doubles up to 15 min (default 2,000). */
  retryMs?: number;
  /** How often the outbox looks for work it was not woken for, in ms (default 5,000). */
  pollMs?: number;
  /** How long one worker holds a receipt while it sends, in ms (default 120,000): a dead worker's rows free after it. */
  leaseMs?: number;
}

/** What a payments route or the outbox needs beside the options. */
export interface PaymentsContext extends PaymentsOptions {
  program: Program;
}

/**
 * The receipt id of a provider's payment: `HMAC-SHA256(brandSecret, provider + ":" + paymentId)` as a 32-byte hex.
 * It names nobody: without the brand's secret no one can tell which card payment a chain entry is.
 *
 * @example
 * receiptIdOfPayment({ brandSecret, provider: "stripe", paymentId: "pi_3Pq..." }) // "0x5c1e..."
 */
export function receiptIdOfPayment({
  brandSecret,
  provider,
  paymentId,
}: {
  brandSecret: string;
  provider: string;
  paymentId: string;
}): Hex {
  return `0x${createHmac("sha256", brandSecret).update(`${provider}:${paymentId}`).digest("hex")}`;
}
