import { z } from "zod";
import { addressSchema, uintSchema } from "./schemas.js";

// Points bought by card: what the payments webhooks answer, and the receipts support reads.

/** What a payments webhook answers once the event is stored (or was seen before, or is not about points). */
export const paymentWebhookAnswerSchema = z
  .object({
    received: z.literal(true),
    outcome: z.enum(["applied", "duplicate", "ignored"]).meta({
      description: "applied: stored, the chain follows; duplicate: seen before, nothing changed; ignored: not about points",
    }),
  })
  .meta({ description: "The event is stored durably: the provider must not send it again" });

/** The query of `GET /payments/receipts`: exactly one of a wallet, a provider's payment id or a receipt id. */
export const paymentReceiptsQuerySchema = z
  .strictObject({
    wallet: z
      .string()
      .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x address of 20 bytes")
      .optional(),
    paymentId: z.string().min(1).max(200).optional(),
    receiptId: z
      .string()
      .regex(/^0x[0-9a-fA-F]{64}$/, "must be 0x and 64 hex digits")
      .optional(),
  })
  .refine((q) => [q.wallet, q.paymentId, q.receiptId].filter((v) => v !== undefined).length === 1, {
    message: "give exactly one of wallet, paymentId, receiptId",
  });

/** One payment as support reads it: where the member's points stand. */
export const paymentReceiptSchema = z.object({
  receiptId: z.string(),
  program: z.string().nullable().meta({ description: "<chain id>:<stamps address> of the program that credits it" }),
  provider: z.string(),
  paymentId: z.string().nullable().meta({ description: "null once erased" }),
  wallet: z.string().nullable().meta({ description: "null until the payment is seen, and once erased" }),
  packageId: z.string().nullable(),
  points: z.string().nullable(),
  amount: z.string().nullable().meta({ description: "Paid, in the currency's minor unit" }),
  currency: z.string().nullable(),
  refunded: z.string().meta({ description: "Refunded or lost in a dispute, minor units" }),
  status: z.enum(["paid", "refunded", "disputed"]),
  paid: z.boolean().meta({ description: "Whether the payment's success was seen (a refund may come first)" }),
  chain: z.enum(["queued", "credited", "reversed", "settled", "erased"]).meta({
    description: "queued: the outbox will send; settled: refunded before any credit, nothing to send",
  }),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  creditTx: z.string().nullable(),
  reverseTx: z.string().nullable(),
  burned: z.string().nullable(),
  shortfall: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** One webhook event seen about these receipts: never its body. */
export const paymentEventSchema = z.object({
  provider: z.string(),
  eventId: z.string(),
  receiptId: z.string().nullable(),
  type: z.string(),
  outcome: z.enum(["applied", "duplicate", "ignored", "refused"]),
  code: z.string().nullable().meta({ description: "Why it was refused" }),
  receivedAt: z.string(),
});

export const paymentReceiptsSchema = z.object({
  receipts: z.array(paymentReceiptSchema),
  events: z.array(paymentEventSchema).meta({ description: "The events seen about them, refused ones included" }),
});

/** One points package members can buy: what it credits and what it costs. */
export const pointsPackageSchema = z.object({
  id: z.string().meta({ description: "The package id: what POST /payments/checkout takes" }),
  points: uintSchema.meta({ description: "Points credited, in the points' smallest unit" }),
  amount: uintSchema.meta({ description: "The price in the currency's minor unit (cents)" }),
  currency: z.string().meta({ description: "ISO 4217 code, upper case", example: "EUR" }),
});

/** The answer of `GET /payments/packages`: the price list in the brand's currency, cheapest first. */
export const paymentPackagesSchema = z
  .object({
    brand: z.string().meta({ description: "The brand's name, as the checkout shows it" }),
    checkout: z.boolean().meta({ description: "Whether POST /payments/checkout is on (a checkout is configured)" }),
    packages: z.array(pointsPackageSchema),
  })
  .meta({ description: "What members can buy, and for how much" });
export type PaymentPackages = z.output<typeof paymentPackagesSchema>;

/** The body of `POST /payments/checkout`: which package, credited to which wallet. */
export const checkoutBodySchema = z.strictObject({
  package: z.string().min(1).max(64).meta({ description: "A package id of GET /payments/packages" }),
  wallet: addressSchema.meta({ description: "The member's wallet (or passkey account) the points go to" }),
});

/** The answer of `POST /payments/checkout`: where the member pays, and what for. */
export const checkoutAnswerSchema = z
  .object({
    url: z.string().meta({ description: "The provider's checkout page: send the member there" }),
    package: z.string(),
    points: uintSchema,
    amount: uintSchema,
    currency: z.string().meta({ description: "ISO 4217 code, upper case" }),
    wallet: addressSchema,
  })
  .meta({ description: "The checkout carries the package and the wallet as metadata; the webhook reads them back" });
export type CheckoutAnswer = z.output<typeof checkoutAnswerSchema>;
