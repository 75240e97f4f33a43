import { createHmac } from "node:crypto";
import type { Address, Hex } from "viem";
import { z } from "zod";
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
 * What a checkout is for: the package (its points and price), the member's wallet and the program (`<chain id>:<stamps
 * address>`), to carry as the payment's metadata (`package`, `wallet`, `program`) so that the webhook credits them.
 */
export interface CheckoutRequest {
  packageId: string;
  points: bigint;
  /** The price in the currency's minor unit (cents). */
  amount: bigint;
  /** Lowercase ISO 4217 code. */
  currency: string;
  wallet: Address;
  program: string;
}

/**
 * Makes the provider's checkout for a request and answers the URL the member is sent to: with Stripe, a Checkout
 * Session (`stripe.checkout.sessions.create`, see docs/payments.md); with a provider whose hosted page takes the
 * order in its URL, {@link hostedCheckout}.
 */
export type CheckoutUrlBuilder = (request: CheckoutRequest) => Promise<string> | string;

/**
 * A checkout whose page reads the order from its URL: `url` with `package`, `wallet`, `program`, `points`, `amount`,
 * `currency` and `return` (where the page sends the member back) as query parameters. The test checkout of
 * `npm run app` is one. Whatever the URL says, the webhook credits only a payment of the package's price.
 *
 * @example
 * const checkout = hostedCheckout({ url: "https://pay.example.com/checkout", returnUrl: "https://wallet.example.com/#/buy" });
 */
export function hostedCheckout({ url, returnUrl }: { url: string; returnUrl?: string }): CheckoutUrlBuilder {
  return (request) => {
    const target = new URL(url);
    const query: Record<string, string> = {
      package: request.packageId,
      wallet: request.wallet,
      program: request.program,
      points: request.points.toString(),
      amount: request.amount.toString(),
      currency: request.currency,
      ...(returnUrl === undefined ? {} : { return: returnUrl }),
    };
    for (const [name, value] of Object.entries(query)) target.searchParams.set(name, value);
    return target.toString();
  };
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
  /** The brand's name, as `GET /payments/packages` answers it (default "Punchcard"). */
  brandName?: string;
  /**
   * Makes the provider's checkout of `POST /payments/checkout` (see {@link CheckoutUrlBuilder}); without it that
   * route answers 404 and the wallet's "Buy points" page says points are not sold here.
   */
  checkout?: CheckoutUrlBuilder;
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

const wholeText = (what: string) =>
  z
    .union([z.string(), z.number().int()])
    .transform(String)
    .pipe(z.string().regex(/^[1-9][0-9]{0,30}$/, `${what} must be a whole number above 0`))
    .transform(BigInt);

const httpUrl = (what: string) =>
  z.string().refine((text) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol), `${what} must be an http(s) URL`);

/**
 * The payments file of `punchcard serve --payments <file>` (JSON): the price list, the generic webhook's provider
 * name, and the tolerance. Secrets are never in it: they come from the environment (see {@link paymentsOptionsOf}).
 */
export const paymentsConfigSchema = z.strictObject({
  priceList: z
    .record(
      z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "a package id is 1 to 64 letters, digits, _ . or -"),
      z.strictObject({
        points: wholeText("points"),
        amount: wholeText("amount (minor units)"),
        currency: z.string().regex(/^[A-Za-z]{3}$/, "currency must be an ISO 4217 code"),
      }),
    )
    .refine((list) => Object.keys(list).length > 0, "priceList must have a package"),
  webhookProvider: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/, "webhookProvider must be 1 to 32 lowercase letters, digits or -")
    .refine((name) => name !== "stripe", "webhookProvider cannot be stripe (POST /payments/stripe is Stripe's)")
    .optional(),
  toleranceSeconds: z.number().int().min(1).max(3_600).optional(),
  /** The provider's hosted checkout page: {@link hostedCheckout} builds the member's URL on it. */
  checkoutUrl: httpUrl("checkoutUrl").optional(),
  /** Where the checkout sends the member back: the wallet's "Buy points" page. */
  returnUrl: httpUrl("returnUrl").optional(),
});

/** The environment variables the payments read their secrets from, and what each is. */
export const paymentsEnvironment = {
  PUNCHCARD_RECEIPT_SECRET: "payments: the brand's receipt-id secret (at least 32 characters; keep it forever)",
  PUNCHCARD_MINTER_KEY: "payments: the private key with the Points minter role that credits and reverses",
  STRIPE_WEBHOOK_SECRET: "payments: Stripe's webhook signing secret (whsec_...); without it /payments/stripe is off",
  PUNCHCARD_WEBHOOK_SECRET: "payments: the generic webhook's secret (with webhookProvider in the payments file)",
  PUNCHCARD_SUPPORT_TOKEN: "payments: the bearer token of GET /payments/receipts; without it that route is off",
} as const;

/**
 * The payments options of a payments file's JSON and the environment's secrets; throws an Error saying what is
 * missing or wrong (never a secret's value).
 *
 * @example
 * const payments = paymentsOptionsOf(JSON.parse(text), { env: process.env, minter });
 */
export function paymentsOptionsOf(
  json: unknown,
  { env, minter }: { env: Record<string, string | undefined>; minter: WriteClient },
): PaymentsOptions {
  const parsed = paymentsConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${issue.path.join(".") || "the file"}: ${issue.message}`);
  }
  const { priceList, webhookProvider, toleranceSeconds, checkoutUrl, returnUrl } = parsed.data;
  const brandSecret = env.PUNCHCARD_RECEIPT_SECRET ?? "";
  if (brandSecret.length < 32) throw new Error("PUNCHCARD_RECEIPT_SECRET must be set, at least 32 characters.");
  const webhookSecret = env.PUNCHCARD_WEBHOOK_SECRET;
  if (webhookProvider !== undefined && !webhookSecret)
    throw new Error(`webhookProvider ${webhookProvider} needs PUNCHCARD_WEBHOOK_SECRET.`);
  const stripeWebhookSecret = env.STRIPE_WEBHOOK_SECRET;
  if (!stripeWebhookSecret && webhookProvider === undefined)
    throw new Error("Payments need STRIPE_WEBHOOK_SECRET, or webhookProvider and PUNCHCARD_WEBHOOK_SECRET.");
  return {
    priceList,
    brandSecret,
    minter,
    ...(stripeWebhookSecret ? { stripeWebhookSecret } : {}),
    ...(webhookProvider !== undefined ? { webhook: { provider: webhookProvider, secret: webhookSecret! } } : {}),
    ...(env.PUNCHCARD_SUPPORT_TOKEN ? { adminToken: env.PUNCHCARD_SUPPORT_TOKEN } : {}),
    ...(toleranceSeconds === undefined ? {} : { toleranceSeconds }),
    ...(checkoutUrl === undefined
      ? {}
      : { checkout: hostedCheckout({ url: checkoutUrl, ...(returnUrl === undefined ? {} : { returnUrl }) }) }),
  };
}
