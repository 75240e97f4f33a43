import { getAddress, parseEther, parseGwei, type Address } from "viem";
import { z } from "zod";
import { relaySchemas, type RelayAction } from "../../serverApi/schemas.js";

/** What one scope (a member, or the whole program) may spend per UTC day. */
export interface SponsorCaps {
  actionsPerDay: number;
  gasPerDay: bigint;
  /** In wei. */
  coinPerDay: bigint;
}

/**
 * The brand's sponsorship policy: what the relayer pays for, for whom, and how much. The request never decides:
 * who is a member is read from the chain (a consent link, a stamp or points held) or from the brand's allowlist.
 */
export interface RelayPolicy {
  /** The relayed actions sponsored. */
  actions: RelayAction[];
  eligibility: {
    /** A wallet linked in the consent registry. */
    consent: boolean;
    /** A wallet holding a stamp or points. */
    holders: boolean;
    /** `redeemVoucher` for anyone: the brand's backend signed the voucher, and the simulation checks its signer. */
    vouchers: boolean;
    /** Wallets the brand's backend vouches for. */
    allowlist: Address[];
  };
  member: SponsorCaps;
  program: SponsorCaps;
  /** Below this balance (wei) of a relayer key, sponsorship stops. */
  minRelayerBalance: bigint;
  /** Above this gas price (wei), relays wait. */
  maxGasPrice: bigint;
  /** A member holding at least this (wei) is asked to send their own transaction; 0 never asks. */
  selfPayBalance: bigint;
  /** Relay requests per minute per client address; 0 no limit. */
  perIpPerMinute: number;
  /** Sponsorship starts (inclusive) and ends (exclusive) at these instants, when set. */
  startsAt?: Date;
  endsAt?: Date;
}

/** The policy when none is configured: members only, modest daily caps, a floor and a gas price cap. */
export const defaultRelayPolicy: RelayPolicy = {
  actions: Object.keys(relaySchemas) as RelayAction[],
  eligibility: { consent: true, holders: true, vouchers: true, allowlist: [] },
  member: { actionsPerDay: 20, gasPerDay: 5_000_000n, coinPerDay: parseEther("0.01") },
  program: { actionsPerDay: 10_000, gasPerDay: 2_000_000_000n, coinPerDay: parseEther("2") },
  minRelayerBalance: parseEther("0.01"),
  maxGasPrice: parseGwei("200"),
  selfPayBalance: parseEther("0.005"),
  perIpPerMinute: 30,
};

const wei = z.union([z.string().regex(/^[0-9]+$/, "must be a whole number of wei in decimal digits"), z.number().int().min(0)]);
const capsConfig = z
  .strictObject({
    actionsPerDay: z.number().int().min(0).optional(),
    gasPerDay: wei.optional(),
    coinPerDay: wei.optional().meta({ description: "wei" }),
  })
  .optional();
const instant = z.iso.datetime({ offset: true, message: "must be an ISO 8601 instant, e.g. 2027-01-01T00:00:00Z" });

/** The policy file of `punchcard serve --relay-policy`: every field optional, a missing one keeps its default. */
export const relayPolicyConfigSchema = z.strictObject({
  actions: z.array(z.enum(Object.keys(relaySchemas) as [RelayAction, ...RelayAction[]])).optional(),
  eligibility: z
    .strictObject({
      consent: z.boolean().optional(),
      holders: z.boolean().optional(),
      vouchers: z.boolean().optional(),
      allowlist: z.array(z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be 0x addresses")).optional(),
    })
    .optional(),
  member: capsConfig,
  program: capsConfig,
  minRelayerBalance: wei.optional(),
  maxGasPrice: wei.optional(),
  selfPayBalance: wei.optional(),
  perIpPerMinute: z.number().int().min(0).optional(),
  startsAt: instant.optional(),
  endsAt: instant.optional(),
});
export type RelayPolicyConfig = z.input<typeof relayPolicyConfigSchema>;

const caps = (base: SponsorCaps, given: z.output<typeof capsConfig>): SponsorCaps => ({
  actionsPerDay: given?.actionsPerDay ?? base.actionsPerDay,
  gasPerDay: given?.gasPerDay === undefined ? base.gasPerDay : BigInt(given.gasPerDay),
  coinPerDay: given?.coinPerDay === undefined ? base.coinPerDay : BigInt(given.coinPerDay),
});
const weiOr = (given: string | number | undefined, base: bigint) => (given === undefined ? base : BigInt(given));

/**
 * A policy from its configuration (a parsed JSON file): what is given replaces the default, what is not keeps it.
 * Throws a sentence naming the field on a bad value.
 *
 * @example
 * const policy = relayPolicyOf({ member: { actionsPerDay: 5 }, eligibility: { allowlist: ["0x7099...79C8"] } });
 */
export function relayPolicyOf(config: unknown, base: RelayPolicy = defaultRelayPolicy): RelayPolicy {
  const parsed = relayPolicyConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`The relay policy's ${issue.path.join(".") || "top level"} ${issue.message}.`);
  }
  const c = parsed.data;
  const policy: RelayPolicy = {
    actions: c.actions ?? base.actions,
    eligibility: {
      consent: c.eligibility?.consent ?? base.eligibility.consent,
      holders: c.eligibility?.holders ?? base.eligibility.holders,
      vouchers: c.eligibility?.vouchers ?? base.eligibility.vouchers,
      allowlist: c.eligibility?.allowlist?.map((a) => getAddress(a)) ?? base.eligibility.allowlist,
    },
    member: caps(base.member, c.member),
    program: caps(base.program, c.program),
    minRelayerBalance: weiOr(c.minRelayerBalance, base.minRelayerBalance),
    maxGasPrice: weiOr(c.maxGasPrice, base.maxGasPrice),
    selfPayBalance: weiOr(c.selfPayBalance, base.selfPayBalance),
    perIpPerMinute: c.perIpPerMinute ?? base.perIpPerMinute,
  };
  const startsAt = c.startsAt === undefined ? base.startsAt : new Date(c.startsAt);
  const endsAt = c.endsAt === undefined ? base.endsAt : new Date(c.endsAt);
  if (startsAt && endsAt && endsAt <= startsAt) throw new Error("The relay policy's endsAt must be after its startsAt.");
  return { ...policy, ...(startsAt ? { startsAt } : {}), ...(endsAt ? { endsAt } : {}) };
}

/** Why the policy does not sponsor at `now` (before its start, after its end), or undefined when it does. */
export function outsideDates(policy: RelayPolicy, now: Date): string | undefined {
  if (policy.startsAt && now < policy.startsAt) return `Sponsorship starts at ${policy.startsAt.toISOString()}.`;
  if (policy.endsAt && now >= policy.endsAt) return `Sponsorship ended at ${policy.endsAt.toISOString()}.`;
  return undefined;
}
