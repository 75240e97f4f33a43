import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import Stripe from "stripe";
import { createWalletClient, publicActions, type Address, type Hex } from "viem";
import { readContract } from "viem/actions";
import { hardhat } from "viem/chains";
import { freshDatabase } from "../../../../../test/helpers/databases.js";
import { flakyChain } from "../../../../../test/helpers/flakyChain.js";
import { marketProgram } from "../../../../../test/helpers/sdkProgram.js";
import { pointsAbi } from "../../../generated/abis.js";
import { openDatabase } from "../../../node/database.js";
import { createProgramServer, type ProgramServerOptions } from "../../app.js";
import type { OrderBookTables } from "../../orderBook/schema.js";
import type { PaymentsOptions } from "../config.js";
import { webhookSignature } from "../events.js";
import type { PaymentTables } from "../schema.js";
import type { Kysely } from "kysely";

// Test helpers of the payments routes (not shipped: only tests import this file): a program server with payments
// over a chain and a minter that can be switched off, and webhook bodies signed as Stripe and the generic format do.

export const STRIPE_SECRET = "whsec_punchcard_test_secret";
export const GENERIC = { provider: "acmepay", secret: "acmepay-webhook-secret-for-tests" } as const;
export const BRAND_SECRET = "brand-receipt-secret-of-at-least-32-chars";
export const ADMIN_TOKEN = "support-token-for-tests";
export const priceList = {
  small: { points: 500n, amount: 499n, currency: "eur" },
  large: { points: 1_200n, amount: 999n, currency: "EUR" },
} satisfies PaymentsOptions["priceList"];

export interface PaymentsSetupOptions {
  /** A database location (default a new SQLite file); several servers may share one. */
  location?: string;
  /** Other server options (`payments` is merged over the defaults). */
  server?: Partial<Omit<ProgramServerOptions, "payments">>;
  payments?: Partial<PaymentsOptions>;
}

/** A program server with payments on marketProgram; its minter (the backend) sends over a switchable transport. */
export async function paymentsSetup(options: PaymentsSetupOptions = {}) {
  const fixture = await loadFixture(marketProgram);
  const { chain, transport } = flakyChain();
  const minter = createWalletClient({ account: fixture.backend.account.address, chain: hardhat, transport }).extend(
    publicActions,
  );
  // PAYMENTS_ON_POSTGRES=1 (with PUNCHCARD_PG_URL) runs every payments test on an emptied Postgres database.
  const location = options.location ?? (await freshDatabase(process.env.PAYMENTS_ON_POSTGRES === "1" ? "postgres" : "sqlite"));
  const logged: string[] = [];
  const open = () => {
    const db = openDatabase<OrderBookTables>(location);
    const server = createProgramServer({
      program: fixture.program,
      client: fixture.ben,
      db,
      ...options.server,
      payments: {
        priceList,
        brandSecret: BRAND_SECRET,
        minter,
        stripeWebhookSecret: STRIPE_SECRET,
        webhook: GENERIC,
        adminToken: ADMIN_TOKEN,
        retryMs: 1,
        pollMs: 20,
        ...options.payments,
      },
    });
    return { db, server, payments: server.payments! };
  };
  const first = open();
  await first.server.book.init();
  const balance = (wallet: Address) =>
    readContract(fixture.ben, { address: fixture.program.points, abi: pointsAbi, functionName: "balanceOf", args: [wallet] });
  const receiptOnChain = async (receiptId: Hex) =>
    (
      await readContract(fixture.ben, {
        address: fixture.program.points,
        abi: pointsAbi,
        functionName: "receiptOf",
        args: [receiptId],
      })
    )[0];
  return { ...fixture, ...first, open, chain, location, logged, balance, receiptOnChain };
}

export type PaymentsSetup = Awaited<ReturnType<typeof paymentsSetup>>;

/** Answers of the payments routes, read loosely. */
export interface WebhookAnswer {
  status: number;
  json: { received?: true; outcome?: string; error?: { code: string; message: string } };
}

const now = () => Math.floor(Date.now() / 1000);

/** Posts a Stripe event signed with `secret` (default the server's) at `timestamp` (default now). */
export async function postStripe(
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  body: string,
  { secret = STRIPE_SECRET, timestamp = now() }: { secret?: string; timestamp?: number } = {},
): Promise<WebhookAnswer> {
  const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
  const response = await app.request("/payments/stripe", {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signature },
    body,
  });
  return { status: response.status, json: (await response.json()) as WebhookAnswer["json"] };
}

/** Posts a generic webhook event signed as docs/payments.md says. */
export async function postGeneric(
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  event: Record<string, unknown>,
  { secret: key = GENERIC.secret, timestamp = now() }: { secret?: string; timestamp?: number } = {},
): Promise<WebhookAnswer> {
  const rawBody = JSON.stringify(event);
  const signature = `t=${timestamp},v1=${webhookSignature({ secret: key, timestamp, rawBody })}`;
  const response = await app.request("/payments/webhook", {
    method: "POST",
    headers: { "content-type": "application/json", "punchcard-signature": signature },
    body: rawBody,
  });
  return { status: response.status, json: (await response.json()) as WebhookAnswer["json"] };
}

const stripeEvent = (id: string, type: string, object: Record<string, unknown>) =>
  JSON.stringify({ id, object: "event", api_version: "2025-01-27", type, livemode: false, data: { object } });

/** A member's email, as Stripe carries it: it must never reach the chain. */
export const emailOf = (paymentId: string) => `${paymentId.replace(/[^a-z0-9]/gi, "")}.holder@example.com`;

/** `payment_intent.succeeded` of a PaymentIntent for a package, paid by a card holder with an email. */
export function stripePaid(
  paymentId: string,
  wallet: string | undefined,
  {
    pack = "small" as string | null,
    amount = 499,
    currency = "eur",
    eventId = `evt_paid_${paymentId}`,
  }: { pack?: string | null; amount?: number; currency?: string; eventId?: string } = {},
) {
  return stripeEvent(eventId, "payment_intent.succeeded", {
    id: paymentId,
    object: "payment_intent",
    amount,
    amount_received: amount,
    currency,
    receipt_email: emailOf(paymentId),
    metadata: { ...(wallet === undefined ? {} : { wallet }), ...(pack === null ? {} : { package: pack }) },
  });
}

/** `charge.refunded`: `refunded` minor units refunded so far. */
export function stripeRefunded(paymentId: string, refunded: number, { eventId = `evt_refund_${paymentId}_${refunded}` } = {}) {
  return stripeEvent(eventId, "charge.refunded", {
    id: `ch_${paymentId}`,
    object: "charge",
    payment_intent: paymentId,
    amount_refunded: refunded,
    currency: "eur",
    billing_details: { email: emailOf(paymentId) },
  });
}

/** `charge.dispute.closed`, lost (the card holder's bank took the money back) or won. */
export function stripeDisputeClosed(paymentId: string, amount: number, status: "lost" | "won" = "lost") {
  return stripeEvent(`evt_dispute_${paymentId}_${status}`, "charge.dispute.closed", {
    id: `dp_${paymentId}`,
    object: "dispute",
    payment_intent: paymentId,
    charge: `ch_${paymentId}`,
    amount,
    currency: "eur",
    status,
  });
}

/** The payments' tables of a server's database. */
export const paymentTables = (db: Kysely<OrderBookTables>) => db as unknown as Kysely<PaymentTables>;
