import { z } from "zod";
import { addressSchema, uintSchema } from "./schemas.js";

// The relayer's sponsorship policy as `GET /relay/policy` answers it.

/** What one scope (a member, or the whole program) may spend per UTC day. */
const sponsorCapsSchema = z.object({
  actionsPerDay: z.number().meta({ description: "Relayed actions per UTC day" }),
  gasPerDay: uintSchema.meta({ description: "Gas per UTC day, charged at the estimate and settled to what was used" }),
  coinPerDay: uintSchema.meta({ description: "The chain's coin per UTC day, in wei (counted in gwei, rounded up)" }),
});
/** What one scope spent today. */
const sponsorUsageSchema = z.object({ actions: z.number(), gas: uintSchema, coin: uintSchema });

/** The query of `GET /relay/policy`: a member, to read what they have left today. */
export const relayPolicyQuerySchema = z.strictObject({ member: addressSchema.optional() });

/** The answer of `GET /relay/policy`: what the brand sponsors, its limits, and what is left today. */
export const relayPolicySchema = z
  .object({
    sponsoring: z.boolean().meta({ description: "Whether a relay would be sent now (dates, the relayer's balance)" }),
    reason: z.string().optional().meta({ description: "Why not, when sponsoring is false" }),
    relayers: z.array(addressSchema).meta({ description: "The relayer keys' addresses" }),
    actions: z.array(z.string()).meta({ description: "The relayed actions sponsored" }),
    eligibility: z.object({
      consent: z.boolean().meta({ description: "A wallet linked in the consent registry is sponsored" }),
      holders: z.boolean().meta({ description: "A wallet holding a stamp or points is sponsored" }),
      vouchers: z.boolean().meta({ description: "redeemVoucher is sponsored for anyone: the brand signed the voucher" }),
      allowlist: z.number().meta({ description: "How many wallets the brand's backend listed (not who)" }),
    }),
    startsAt: z.string().optional(),
    endsAt: z.string().optional(),
    member: sponsorCapsSchema,
    program: sponsorCapsSchema,
    minRelayerBalance: uintSchema.meta({ description: "Below this balance (wei) of a relayer key, sponsorship stops" }),
    maxGasPrice: uintSchema.meta({ description: "Above this gas price (wei), relays wait" }),
    selfPayBalance: uintSchema.meta({
      description: "A member holding at least this (wei) is asked to send their own transaction; 0: never",
    }),
    perIpPerMinute: z.number().meta({ description: "Relay requests per minute per client address; 0: no limit" }),
    today: z.object({
      day: z.string(),
      program: sponsorUsageSchema,
      member: sponsorUsageSchema.optional().meta({ description: "The member's, when ?member= is given" }),
    }),
  })
  .meta({ description: "The relayer's sponsorship policy and what it spent today (UTC)" });
export type RelayPolicyView = z.output<typeof relayPolicySchema>;
