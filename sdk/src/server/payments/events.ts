import { createHmac, timingSafeEqual } from "node:crypto";
import Stripe from "stripe";
import { z } from "zod";

/**
 * A provider's webhook event as the payments routes read it, whatever the provider: a payment's success, a refund
 * (`amount`: refunded so far), a dispute lost (`amount`: disputed), or a type that is not about points.
 */
export type PaymentEvent =
  | {
      kind: "succeeded";
      eventId: string;
      type: string;
      paymentId: string;
      amount: bigint;
      currency: string;
      /** The checkout's `metadata.wallet` and `metadata.package`, unchecked. */
      wallet: string | undefined;
      packageId: string | undefined;
      /** The checkout's `metadata.program` (`<chain id>:<stamps address>`): absent, the program of the server. */
      program: string | undefined;
    }
  | {
      kind: "refunded" | "disputed";
      eventId: string;
      type: string;
      paymentId: string;
      amount: bigint;
      currency: string;
    }
  | { kind: "ignored"; eventId: string; type: string };

/** A webhook whose signature is missing, does not verify, or is too old: refused (401) and logged without its body. */
export class WebhookSignatureError extends Error {
  override name = "WebhookSignatureError";
  constructor(
    readonly code: "signature_missing" | "signature_invalid" | "signature_expired",
    message: string,
  ) {
    super(message);
  }
}

/** A signed event whose body is not an event this server reads (400). */
export class WebhookBodyError extends Error {
  override name = "WebhookBodyError";
}

const minorUnits = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^(0|[1-9][0-9]{0,30})$/, "a whole number of the currency's minor unit"),
]);
const str = z.string().min(1).max(200);
const metadata = z.record(z.string(), z.string()).optional();

// Only the fields read, each checked: Stripe sends many more, kept out of everything this server stores.
const stripePaymentIntent = z.object({
  id: str,
  amount_received: z.number().int().nonnegative(),
  currency: str,
  metadata,
});
// A charge or dispute with no PaymentIntent (Stripe's older Charges API) was never a points purchase.
const stripeCharge = z.object({
  payment_intent: str.nullish(),
  amount_refunded: z.number().int().nonnegative(),
  currency: str,
});
const stripeDispute = z.object({
  payment_intent: str.nullish(),
  amount: z.number().int().nonnegative(),
  currency: str,
  status: str,
});
const stripeEvent = z.object({ id: str, type: str, data: z.object({ object: z.unknown() }) });

function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new WebhookBodyError(`The ${what} lacks a field this server reads: ${result.error.issues[0]?.path.join(".")}.`);
  return result.data;
}

/** A webhook as it arrived: its raw body, its signature header, and what to check the signature with. */
export interface SignedWebhook {
  rawBody: string;
  signature: string | undefined;
  secret: string;
  /** How old (or how far ahead) the signed timestamp may be, in seconds. */
  toleranceSeconds: number;
  /** Milliseconds since 1970 (tests; default Date.now()). */
  now?: number;
}

/**
 * A Stripe webhook verified by its `Stripe-Signature` header (with `stripe.webhooks.constructEvent`, offline: no API
 * key, no request to Stripe) and read: `payment_intent.succeeded` (the PaymentIntent's `metadata.wallet` and
 * `metadata.package`; one without a package is not a points purchase, ignored), `charge.refunded`,
 * `charge.dispute.closed` with status `lost`; any other type, and a charge with no PaymentIntent, is ignored.
 *
 * @example
 * const event = stripePaymentEvent({ rawBody, signature: c.req.header("stripe-signature"), secret, toleranceSeconds: 300 });
 */
export function stripePaymentEvent({
  rawBody,
  signature,
  secret,
  toleranceSeconds,
  now = Date.now(),
}: SignedWebhook): PaymentEvent {
  if (!signature) throw new WebhookSignatureError("signature_missing", "The Stripe-Signature header is missing.");
  let verified: unknown;
  try {
    verified = Stripe.webhooks.constructEvent(rawBody, signature, secret, toleranceSeconds, undefined, now);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/tolerance/i.test(message))
      throw new WebhookSignatureError("signature_expired", `The event was signed more than ${toleranceSeconds} s ago.`);
    throw new WebhookSignatureError("signature_invalid", "The Stripe-Signature does not verify with this server's secret.");
  }
  const event = parsed(stripeEvent, verified, "Stripe event");
  const base = { eventId: event.id, type: event.type };
  const object = event.data.object;
  if (event.type === "payment_intent.succeeded") {
    const intent = parsed(stripePaymentIntent, object, "PaymentIntent");
    // A payment with no points package is the brand's other business on the same account: not ours to refuse.
    if (intent.metadata?.package === undefined) return { ...base, kind: "ignored" };
    return {
      ...base,
      kind: "succeeded",
      paymentId: intent.id,
      amount: BigInt(intent.amount_received),
      currency: intent.currency.toLowerCase(),
      wallet: intent.metadata?.wallet,
      packageId: intent.metadata?.package,
      program: intent.metadata?.program,
    };
  }
  if (event.type === "charge.refunded") {
    const charge = parsed(stripeCharge, object, "Charge");
    if (!charge.payment_intent) return { ...base, kind: "ignored" };
    const currency = charge.currency.toLowerCase();
    return { ...base, kind: "refunded", paymentId: charge.payment_intent, amount: BigInt(charge.amount_refunded), currency };
  }
  if (event.type === "charge.dispute.closed") {
    const dispute = parsed(stripeDispute, object, "Dispute");
    if (dispute.status !== "lost" || !dispute.payment_intent) return { ...base, kind: "ignored" };
    const currency = dispute.currency.toLowerCase();
    return { ...base, kind: "disputed", paymentId: dispute.payment_intent, amount: BigInt(dispute.amount), currency };
  }
  return { ...base, kind: "ignored" };
}

/** The body of the generic webhook (docs/payments.md). */
const genericEvent = z.discriminatedUnion("type", [
  z.object({
    id: str,
    type: z.literal("payment.succeeded"),
    paymentId: str,
    amount: minorUnits,
    currency: str,
    wallet: z.string().max(200).optional(),
    package: z.string().max(200).optional(),
    program: z.string().max(200).optional(),
  }),
  z.object({
    id: str,
    type: z.enum(["payment.refunded", "payment.dispute_lost"]),
    paymentId: str,
    amount: minorUnits,
    currency: str,
  }),
]);

/** The generic webhook's header: `Punchcard-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]`. */
export const GENERIC_SIGNATURE_HEADER = "Punchcard-Signature";

/**
 * The signature of a generic webhook body: `HMAC-SHA256(secret, timestamp + "." + rawBody)` as lowercase hex, the
 * `v1` of {@link GENERIC_SIGNATURE_HEADER}. A provider (or its adapter) signs with it; tests too.
 *
 * @example
 * const header = `t=${t},v1=${webhookSignature({ secret, timestamp: t, rawBody })}`;
 */
export function webhookSignature({ secret, timestamp, rawBody }: { secret: string; timestamp: number; rawBody: string }) {
  return createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex");
}

/**
 * A generic webhook verified by its {@link GENERIC_SIGNATURE_HEADER} (any `v1` matching, compared in constant time;
 * the timestamp within `toleranceSeconds` of the clock, either side) and read.
 *
 * @example
 * const event = genericPaymentEvent({ rawBody, signature: c.req.header("punchcard-signature"), secret, toleranceSeconds: 300 });
 */
export function genericPaymentEvent({
  rawBody,
  signature,
  secret,
  toleranceSeconds,
  now = Date.now(),
}: SignedWebhook): PaymentEvent {
  if (!signature) throw new WebhookSignatureError("signature_missing", `The ${GENERIC_SIGNATURE_HEADER} header is missing.`);
  const parts = signature.split(",").map((part) => part.trim().split("="));
  const timestamp = Number(parts.find(([k]) => k === "t")?.[1]);
  const given = parts.filter(([k, v]) => k === "v1" && v !== undefined && /^[0-9a-f]{64}$/i.test(v)).map(([, v]) => v!);
  if (!Number.isSafeInteger(timestamp) || given.length === 0)
    throw new WebhookSignatureError("signature_invalid", `${GENERIC_SIGNATURE_HEADER} needs t=<unix seconds>,v1=<hex>.`);
  const expected = Buffer.from(webhookSignature({ secret, timestamp, rawBody }), "hex");
  if (!given.some((hex) => timingSafeEqual(Buffer.from(hex, "hex"), expected)))
    throw new WebhookSignatureError(
      "signature_invalid",
      `The ${GENERIC_SIGNATURE_HEADER} does not verify with this server's secret.`,
    );
  // Checked after the signature, so a forger learns nothing about the clock.
  if (Math.abs(Math.floor(now / 1000) - timestamp) > toleranceSeconds)
    throw new WebhookSignatureError("signature_expired", `The event was signed more than ${toleranceSeconds} s away from now.`);
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new WebhookBodyError("The body is not valid JSON.");
  }
  const event = parsed(genericEvent, json, "event");
  const base = { eventId: event.id, type: event.type, paymentId: event.paymentId, currency: event.currency.toLowerCase() };
  const amount = BigInt(event.amount);
  if (event.type === "payment.succeeded" && event.package === undefined)
    return { eventId: event.id, type: event.type, kind: "ignored" };
  if (event.type === "payment.succeeded")
    return { ...base, kind: "succeeded", amount, wallet: event.wallet, packageId: event.package, program: event.program };
  return { ...base, kind: event.type === "payment.refunded" ? "refunded" : "disputed", amount };
}
