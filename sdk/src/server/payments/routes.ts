import { createHash, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getAddress, type Address, type Hex } from "viem";
import { paymentReceiptsRoute, paymentWebhookRoute, stripeWebhookRoute } from "../../serverApi/routes.js";
import { ServerRefusal } from "../errors.js";
import { routeGroup, serverRoute } from "../routes/route.js";
import { receiptIdOfPayment, type PaymentsContext } from "./config.js";
import { genericPaymentEvent, stripePaymentEvent, WebhookBodyError, WebhookSignatureError, type PaymentEvent } from "./events.js";
import type { PaymentOutbox } from "./outbox.js";
import type { PaymentReceiptRow, PaymentStore, RecordOutcome } from "./store.js";
import { walletProblem } from "./wallets.js";

export interface PaymentsRoutesOptions {
  context: PaymentsContext;
  store: PaymentStore;
  outbox: PaymentOutbox;
  /** Milliseconds since 1970 for the signatures' tolerance (tests; default Date.now). */
  clock?: () => number;
  log?: (message: string) => void;
}

type Refusal = Extract<RecordOutcome, { outcome: "refused" }>;
const refusal = (code: string, message: string): Refusal => ({ outcome: "refused", code, message });

/** Whether a payment may credit: its package is on the price list at its amount and currency, its wallet a member's. */
async function purchaseProblem(
  context: PaymentsContext,
  event: Extract<PaymentEvent, { kind: "succeeded" }>,
): Promise<Refusal | { wallet: Address; packageId: string; points: bigint }> {
  const { packageId } = event;
  const pack = packageId === undefined ? undefined : context.priceList[packageId];
  if (packageId === undefined || pack === undefined)
    return refusal("unknown_package", `No points package ${JSON.stringify(packageId ?? null)} in the price list.`);
  if (pack.currency.toLowerCase() !== event.currency)
    return refusal(
      "currency_mismatch",
      `Package ${packageId} is sold in ${pack.currency.toUpperCase()}, not ${event.currency.toUpperCase()}.`,
    );
  if (pack.amount !== event.amount)
    return refusal(
      "amount_mismatch",
      `Package ${packageId} costs ${pack.amount}, the payment was ${event.amount} (minor units).`,
    );
  const { wallet } = event;
  if (wallet === undefined || (await walletProblem(context, wallet)) !== undefined)
    return refusal("unknown_wallet", "The payment's metadata.wallet is not a member's wallet.");
  return { wallet: getAddress(wallet), packageId, points: pack.points };
}

const wire = (row: PaymentReceiptRow) => ({
  receiptId: row.receipt_id,
  program: row.program,
  provider: row.provider,
  paymentId: row.payment_id,
  wallet: row.wallet,
  packageId: row.package_id,
  points: row.points,
  amount: row.amount,
  currency: row.currency,
  refunded: row.refunded,
  status: row.status,
  paid: Number(row.paid) === 1,
  chain: row.chain,
  attempts: Number(row.attempts),
  nextAttemptAt: Number(row.work) === 1 ? row.next_at : null,
  lastError: row.last_error,
  creditTx: row.credit_tx,
  reverseTx: row.reverse_tx,
  burned: row.burned,
  shortfall: row.shortfall,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * `POST /payments/stripe`, `POST /payments/webhook` and `GET /payments/receipts`. A webhook is verified over its
 * raw body, read, checked against the price list, and stored; it is answered 200 only once stored (the outbox
 * then owns the credit or reversal), 401 when its signature is missing, wrong or too old (logged without the
 * body), 422 when refused (recorded), 503 when the store did not answer (the provider retries).
 */
export function paymentsRoutes({
  context,
  store,
  outbox,
  clock = Date.now,
  log = (m) => console.error(m),
}: PaymentsRoutesOptions) {
  const app = routeGroup();
  const tolerance = context.toleranceSeconds ?? 300;
  // Read first, as text: a signature is over the bytes sent, and the route's schema would read them as JSON.
  const rawBody: MiddlewareHandler = async (c, next) => {
    await c.req.text();
    await next();
  };

  async function receive(c: Context, provider: string, read: (rawBody: string) => PaymentEvent) {
    const raw = await c.req.text();
    let event: PaymentEvent;
    try {
      event = read(raw);
    } catch (error) {
      if (error instanceof WebhookSignatureError) {
        log(`payments: refused a ${provider} webhook: ${error.code} (${raw.length} bytes, body not logged)`);
        throw new ServerRefusal(401, error.code, error.message);
      }
      if (error instanceof WebhookBodyError) throw new ServerRefusal(400, "invalid_event", error.message);
      throw error;
    }
    // Another program's payment on a store and provider account shared by several: its own server credits it.
    if (event.kind === "succeeded" && event.program !== undefined && event.program.toLowerCase() !== store.program)
      return c.json({ received: true, outcome: "ignored" }, 200);
    const note = { provider, eventId: event.eventId, type: event.type };
    if (event.kind === "ignored") {
      await store.noteEvent({ ...note, receiptId: null, outcome: "ignored" });
      return c.json({ received: true, outcome: "ignored" }, 200);
    }
    const receiptId = receiptIdOfPayment({ brandSecret: context.brandSecret, provider, paymentId: event.paymentId });
    let outcome: RecordOutcome;
    if (event.kind === "succeeded") {
      const checked = await purchaseProblem(context, event);
      outcome =
        "outcome" in checked
          ? checked
          : await store.recordPayment({
              receiptId,
              provider,
              paymentId: event.paymentId,
              amount: event.amount,
              currency: event.currency,
              ...checked,
            });
    } else {
      outcome = await store.recordReversal({
        receiptId,
        provider,
        paymentId: event.paymentId,
        kind: event.kind,
        amount: event.amount,
        currency: event.currency,
      });
    }
    await store.noteEvent({
      ...note,
      receiptId,
      outcome: outcome.outcome,
      ...(outcome.outcome === "refused" ? { code: outcome.code } : {}),
    });
    if (outcome.outcome === "refused") {
      log(`payments: refused ${provider} event ${event.eventId} (${event.type}): ${outcome.code}`);
      throw new ServerRefusal(422, outcome.code, outcome.message);
    }
    if (outcome.outcome === "applied") outbox.wake();
    return c.json({ received: true, outcome: outcome.outcome }, 200);
  }

  const off = (what: string) => {
    throw new ServerRefusal(404, "not_found", `This server takes no ${what}.`);
  };
  app.openapi(serverRoute(stripeWebhookRoute, [rawBody]), async (c) => {
    const secret = context.stripeWebhookSecret ?? off("Stripe webhooks");
    const signature = c.req.header("stripe-signature");
    return receive(c, "stripe", (raw) =>
      stripePaymentEvent({ rawBody: raw, signature, secret, toleranceSeconds: tolerance, now: clock() }),
    );
  });
  app.openapi(serverRoute(paymentWebhookRoute, [rawBody]), async (c) => {
    const webhook = context.webhook ?? off("generic payment webhooks");
    const signature = c.req.header("punchcard-signature");
    return receive(c, webhook.provider, (raw) =>
      genericPaymentEvent({ rawBody: raw, signature, secret: webhook.secret, toleranceSeconds: tolerance, now: clock() }),
    );
  });

  const admin: MiddlewareHandler = async (c, next) => {
    const token = context.adminToken ?? off("support reads");
    const given = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
    // Compared as digests: equal lengths, constant time, whatever was sent.
    if (!timingSafeEqual(digest(given), digest(token)))
      throw new ServerRefusal(401, "unauthorized", "Send Authorization: Bearer <the brand's admin token>.");
    await next();
  };
  app.openapi(serverRoute(paymentReceiptsRoute, [admin]), async (c) => {
    const { wallet, paymentId, receiptId } = c.req.valid("query");
    const providers = ["stripe", ...(context.webhook ? [context.webhook.provider] : [])];
    const ids: Hex[] = receiptId
      ? [receiptId.toLowerCase() as Hex]
      : paymentId
        ? providers.map((provider) => receiptIdOfPayment({ brandSecret: context.brandSecret, provider, paymentId }))
        : [];
    const rows = wallet ? await store.receipts({ wallet: getAddress(wallet) }) : await store.receiptsById(ids);
    const events = await store.eventsOf(rows.length > 0 ? rows.map((r) => r.receipt_id as Hex) : ids);
    return c.json({ receipts: rows.map(wire), events }, 200);
  });
  return app;
}
