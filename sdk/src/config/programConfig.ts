import { z } from "zod";
import { addressSchema as address } from "./addressSchema.js";
import {
  MAX_MARKET_FEE_BPS,
  MAX_PAUSE_SECONDS,
  MAX_POINTS_TERM_DAYS,
  MAX_ROYALTY_BPS,
  MAX_SERIES_SUPPLY,
  MAX_TIERS,
  MAX_VOUCHER_STAMPS,
  MIN_NOTICE_PERIOD_SECONDS,
  MIN_PAUSE_SECONDS,
} from "../constants.js";
import { InvalidArgumentError } from "../errors.js";
import { configProblems, percentOfBps } from "./configIssues.js";
import { datedLotDays } from "../types/pointsExpiry.js";

const safeText = z.string().refine((value) => !/["\\\u0000-\u001f\u007f]/.test(value), {
  message: "cannot contain quotes, backslashes or control characters",
});

/** A stamp series created at deploy time. */
export const seriesConfigSchema = z.strictObject({
  name: safeText.min(1, "is required"),
  maxSupply: z.number().int().min(1).max(Number(MAX_SERIES_SUPPLY)),
  soulbound: z.boolean().default(false),
  imageURI: safeText.default(""),
  baseURI: safeText.default(""),
});

/** A code stored on-chain as bytes32: short text (at most 31 bytes), e.g. "five-visits". */
const code = z
  .string()
  .min(1, "is required")
  .refine((value) => new TextEncoder().encode(value).length <= 31, { message: "is at most 31 bytes" });

/** A point in time, as an ISO 8601 date-time ("2026-12-01T00:00:00Z"). */
const instant = z.iso.datetime({ offset: true });

/**
 * A journey: steps the brand verifies off-chain, then pays by a signed voucher (stamps of a series and/or points,
 * the points also counting as status points). Points are in the token's smallest unit (whole points at 0 decimals).
 */
export const journeyConfigSchema = z.strictObject({
  /** The journey's code, on-chain as bytes32 (the reason of its Points rewards too). */
  id: code,
  name: z.string().min(1, "is required"),
  description: z.string().default(""),
  /** What the member does, described for people; the brand's backend checks them, the chain does not. */
  steps: z.array(z.string().min(1)).default([]),
  reward: z.strictObject({
    /** Series of the stamps a completion mints (its position in `series`, from 1); required when `stamps` > 0. */
    seriesId: z.number().int().min(1).optional(),
    /** Stamps one completion mints, at most 10. */
    stamps: z.number().int().min(0).max(MAX_VOUCHER_STAMPS).default(0),
    /** Points one completion rewards (and status points earned). */
    points: z.number().int().min(0).default(0),
  }),
  /** When vouchers of the journey may be redeemed; open from deployment and forever when absent. */
  window: z.strictObject({ start: instant.optional(), end: instant.optional() }).optional(),
  /** Completions per member (0: no limit). */
  limitPerMember: z.number().int().min(0).default(1),
  /** A referral: each voucher names the referee, paid once per (referrer, referee); the referee must be a new member. */
  referral: z.boolean().default(false),
});

/** A tier: members whose status points reach `threshold` hold it (tiers in increasing order). */
export const tierConfigSchema = z.strictObject({
  name: z.string().min(1, "is required"),
  threshold: z.number().int().min(1),
});

/** A perk: conditions a member must all meet (a shop checks them with one call), and how it is claimed. */
export const perkConfigSchema = z.strictObject({
  id: code,
  name: z.string().min(1, "is required"),
  description: z.string().default(""),
  requires: z
    .strictObject({
      /** Holds a stamp of this series (its position in `series`, from 1). */
      seriesId: z.number().int().min(1).optional(),
      /** Holds at least this many stamps, of any series. */
      stamps: z.number().int().min(0).default(0),
      /** Holds at least this tier (a tier's name). */
      tier: z.string().optional(),
      /** Can spend at least this many points now (smallest unit): pending and expired points do not count. */
      points: z.number().int().min(0).default(0),
    })
    .default({ stamps: 0, points: 0 }),
  claim: z
    .strictObject({
      /** Points a claim burns (smallest unit). */
      points: z.number().int().min(0).default(0),
      /** A claim burns one stamp of this series (its position in `series`, from 1), which the member picks. */
      stampOfSeries: z.number().int().min(1).optional(),
      /** Seconds of a claim period, one claim per member per period (0: one claim ever). */
      periodSeconds: z.number().int().min(0).default(0),
    })
    .default({ points: 0, periodSeconds: 0 }),
});

/**
 * A loyalty program, as a brand describes it in a JSON file (see programs/example.json).
 * Every default is stated here and nowhere else.
 */
export const programConfigSchema = z
  .strictObject({
    /** The brand's name, shown in logs and the deployment record. */
    brand: z.string().min(1, "is required"),
    /**
     * Where `punchcard deploy` deploys: the chain's id (checked against the RPC's before anything is sent) and its
     * JSON-RPC URL. `--chain-id` and `--rpc` override them. Not part of the config's hash: the same program may be
     * deployed on several chains.
     */
    network: z.strictObject({ chainId: z.number().int().positive().optional(), rpc: z.url().optional() }).optional(),
    stamps: z.strictObject({
      name: z.string().min(1, "is required"),
      symbol: z.string().min(1, "is required").max(11, "is at most 11 characters"),
      /** ERC-7572 collection metadata. */
      contractURI: z.string().default(""),
    }),
    points: z.strictObject({
      name: z.string().min(1, "is required"),
      symbol: z.string().min(1, "is required").max(11, "is at most 11 characters"),
      /** 0 for whole-number points. */
      decimals: z.number().int().min(0).max(18).default(0),
      /** Whether members may send points to each other. */
      transferable: z.boolean().default(true),
      /**
       * Whole days points bought with money (creditPurchase) stay pending: counted, not spendable. They become
       * spendable at 00:00 UTC after that many days; 0: at once.
       */
      pendingDays: z.number().int().min(0).max(MAX_POINTS_TERM_DAYS).default(0),
      /**
       * When points expire: "none" (never), "inactivity": the whole balance expires after `days` without any
       * earn or spend by the member (`days` above pendingDays + 1), or "dated": every earn (reward, credit, points
       * received) joins a lot of its period (ceil(days / 32) days) that expires `days` after the period began, and
       * spends take the oldest lots first (`days` above pendingDays + 1 + the period). Expired points are burned by
       * expirePoints.
       */
      expiry: z
        .strictObject({
          model: z.enum(["none", "inactivity", "dated"]).default("none"),
          days: z.number().int().min(0).max(MAX_POINTS_TERM_DAYS).default(0),
        })
        .default({ model: "none", days: 0 }),
    }),
    /** Receiver of the royalty on every trade. */
    treasury: address,
    /** Royalty in basis points (100 = 1 %), at most 1,000 (10 %). */
    royaltyBps: z
      .number()
      .int()
      .min(0)
      .max(Number(MAX_ROYALTY_BPS), {
        error: (issue) =>
          `royalty ${percentOfBps(issue.input)} is above the ${percentOfBps(MAX_ROYALTY_BPS)} maximum (royaltyBps ${String(issue.input)}; 100 = 1 %)`,
      })
      .default(500),
    /** "open": any ERC-721 transfer; "market-only": tradable stamps move only through the program's Market. */
    transferPolicy: z.enum(["open", "market-only"]).default("market-only"),
    /** Under "market-only", whether members may give stamps to each other directly. */
    giftsAllowed: z.boolean().default(false),
    market: z
      .strictObject({
        /** Market fee in basis points of each sale's price (on top of nothing: it comes out of the price), at most 500. */
        feeBps: z
          .number()
          .int()
          .min(0)
          .max(Number(MAX_MARKET_FEE_BPS), {
            error: (issue) =>
              `market fee ${percentOfBps(issue.input)} is above the ${percentOfBps(MAX_MARKET_FEE_BPS)} maximum (feeBps ${String(issue.input)}; 100 = 1 %)`,
          })
          .default(0),
        /** Receiver of the market fee; defaults to the treasury. */
        feeRecipient: address.optional(),
        /** ERC-20s (e.g. a stablecoin) orders may be priced in, besides the native coin and the program's Points. */
        allowedCurrencies: z.array(address).default([]),
        /** Points the taker of a stamp-for-stamp swap pays the brand (0: free). */
        swapFee: z.number().int().min(0).default(0),
      })
      .default({ feeBps: 0, allowedCurrencies: [], swapFee: 0 }),
    roles: z
      .strictObject({
        /** The brand's backend, which mints stamps and rewards points. Defaults to the deployer. */
        minter: address.optional(),
        /** Who may pause the program in an emergency. Defaults to the deployer. */
        pauser: address.optional(),
        /** Seconds a handover of the admin role must wait (two-step). */
        adminDelaySeconds: z
          .number()
          .int()
          .min(0)
          .default(2 * 24 * 60 * 60),
      })
      .default({ adminDelaySeconds: 2 * 24 * 60 * 60 }),
    /**
     * What the program promises members about its end, fixed at deployment: the end takes effect no sooner than
     * `noticePeriodSeconds` after the admin announces it, and a pause lifts by itself after `maxPauseSeconds`.
     */
    lifecycle: z
      .strictObject({
        /** Shortest notice of the program's end, at least 30 days (the contract refuses less). */
        noticePeriodSeconds: z
          .number()
          .int()
          .min(Number(MIN_NOTICE_PERIOD_SECONDS))
          .max(2 ** 32 - 1)
          .default(90 * 24 * 60 * 60),
        /** Longest a pause may last, between one hour and 30 days. */
        maxPauseSeconds: z
          .number()
          .int()
          .min(Number(MIN_PAUSE_SECONDS))
          .max(Number(MAX_PAUSE_SECONDS))
          .default(14 * 24 * 60 * 60),
      })
      .default({ noticePeriodSeconds: 90 * 24 * 60 * 60, maxPauseSeconds: 14 * 24 * 60 * 60 }),
    /** Series created at deploy time, in order (their ids are 1, 2, ...). */
    series: z.array(seriesConfigSchema).default([]),
    /** Journeys set up at deploy time. */
    journeys: z.array(journeyConfigSchema).default([]),
    /** Tiers, lowest first, at most 8: tier 1 is the first. */
    tiers: z.array(tierConfigSchema).max(MAX_TIERS).default([]),
    /** Perks set up at deploy time. */
    perks: z.array(perkConfigSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const seriesCount = config.series.length;
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const { pendingDays, expiry } = config.points;
    if (expiry.model === "none" && expiry.days !== 0) issue(["points", "expiry", "days"], 'must be 0 when the model is "none"');
    if (expiry.model === "inactivity" && expiry.days <= pendingDays + 1)
      issue(["points", "expiry", "days"], `must be above points.pendingDays + 1 (${pendingDays + 1}) under "inactivity"`);
    if (expiry.model === "dated" && expiry.days <= pendingDays + 1 + datedLotDays(expiry.days))
      issue(
        ["points", "expiry", "days"],
        `must be above points.pendingDays + 1 + the lot period (${pendingDays + 1 + datedLotDays(expiry.days)}) under "dated"`,
      );
    config.tiers.forEach((tier, i) => {
      const previous = config.tiers[i - 1];
      if (previous && tier.threshold <= previous.threshold) issue(["tiers", i, "threshold"], "must be above the tier before");
    });
    config.journeys.forEach((journey, i) => {
      const { seriesId, stamps, points } = journey.reward;
      if (seriesId !== undefined && seriesId > seriesCount)
        issue(["journeys", i, "reward", "seriesId"], "is not a series of this config");
      if (stamps > 0 && seriesId === undefined) issue(["journeys", i, "reward", "seriesId"], "is required when stamps > 0");
      if (stamps === 0 && points === 0) issue(["journeys", i, "reward"], "must pay stamps or points");
      const { start, end } = journey.window ?? {};
      if (start && end && Date.parse(end) < Date.parse(start)) issue(["journeys", i, "window", "end"], "is before the start");
    });
    config.perks.forEach((perk, i) => {
      const { seriesId, tier } = perk.requires;
      if (seriesId !== undefined && seriesId > seriesCount)
        issue(["perks", i, "requires", "seriesId"], "is not a series of this config");
      if (tier !== undefined && !config.tiers.some((t) => t.name === tier))
        issue(["perks", i, "requires", "tier"], "is not a tier of this config");
      const { stampOfSeries } = perk.claim;
      if (stampOfSeries !== undefined && stampOfSeries > seriesCount)
        issue(["perks", i, "claim", "stampOfSeries"], "is not a series of this config");
    });
  });

/** A program config as written in the file (defaults optional). */
export type ProgramConfigInput = z.input<typeof programConfigSchema>;
/** A validated program config with every default filled in. */
export type ProgramConfig = z.output<typeof programConfigSchema>;

/**
 * Validates a program config; a bad file gets an {@link InvalidArgumentError} naming the field and what is wrong.
 *
 * @example
 * const config = parseProgramConfig(JSON.parse(text));
 */
export function parseProgramConfig(input: unknown): ProgramConfig {
  const parsed = programConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = configProblems(programConfigSchema, parsed.error.issues);
  const [first] = problems;
  const list = problems.map(({ field, problem }) => `${field.replace(/^config\.?/, "") || "(top level)"}: ${problem}`);
  throw new InvalidArgumentError(
    first?.field ?? "config",
    first?.problem.startsWith("has ") ? first.problem : `is invalid: ${first?.problem ?? "unknown problem"}`,
    problems.length > 1 ? `All problems:\n  ${list.join("\n  ")}` : "Fix the field and run again.",
  );
}
