import type { Hex } from "viem";
import type { ProgramConfig } from "../config/programConfig.js";
import { toBytes32 } from "../internal/validate.js";
import type { JourneyRules, PerkRules } from "../types/rewards.js";

type JourneyConfig = ProgramConfig["journeys"][number];
type PerkConfig = ProgramConfig["perks"][number];

const seconds = (instant: string | undefined) => (instant === undefined ? 0n : BigInt(Math.floor(Date.parse(instant) / 1000)));

/**
 * A journey of the program config as the Rewards contract stores it.
 *
 * @example
 * const { journeyId, rules } = journeyOf(config.journeys[0]);
 */
export function journeyOf(journey: JourneyConfig): { journeyId: Hex; rules: JourneyRules } {
  return {
    journeyId: toBytes32("journey.id", journey.id),
    rules: {
      seriesId: BigInt(journey.reward.seriesId ?? 0),
      maxStamps: journey.reward.stamps,
      maxPoints: BigInt(journey.reward.points),
      start: seconds(journey.window?.start),
      end: seconds(journey.window?.end),
      limitPerMember: journey.limitPerMember,
      referral: journey.referral,
      active: true,
    },
  };
}

/**
 * A perk of the program config as the Rewards contract stores it; its tier named is turned into its number (from 1).
 *
 * @example
 * const { perkId, rules } = perkOf(config.perks[0], config.tiers);
 */
export function perkOf(perk: PerkConfig, tiers: ProgramConfig["tiers"]): { perkId: Hex; rules: PerkRules } {
  const tier = perk.requires.tier === undefined ? 0 : tiers.findIndex((t) => t.name === perk.requires.tier) + 1;
  return {
    perkId: toBytes32("perk.id", perk.id),
    rules: {
      seriesId: BigInt(perk.requires.seriesId ?? 0),
      minStamps: perk.requires.stamps,
      minTier: tier,
      minPoints: BigInt(perk.requires.points),
      pointsCost: BigInt(perk.claim.points),
      stampCostSeriesId: perk.claim.stampOfSeries ?? 0,
      period: BigInt(perk.claim.periodSeconds),
      active: true,
    },
  };
}
