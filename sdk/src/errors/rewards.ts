import type { ContractErrorSentences } from "./types.js";
import { rewardsErrorAbi } from "../generated/errorAbi.js";
import { errorCatalog } from "./catalog.js";
import { stampsErrorCatalog } from "./stamps.js";
import { pointsErrorCatalog } from "./points.js";

/**
 * One sentence per custom error only Rewards raises, saying what happened and what to do.
 */
export const rewardsErrors = {
  RewardsUnknownJourney: ([journeyId]) =>
    `Journey ${journeyId} does not exist or is closed: set it up first (setJourney, or the program config's journeys).`,
  RewardsInvalidJourney: ([journeyId]) =>
    `Journey ${journeyId} is inconsistent: it must pay stamps (of a series, at most 10 per voucher) or points, and its window cannot end before it starts.`,
  RewardsVoucherExpired: ([voucherId, expiry]) =>
    `Voucher ${voucherId} expired at ${new Date(Number(expiry) * 1000).toISOString()}: ask the brand for a new one.`,
  RewardsVoucherAlreadyRedeemed: ([voucherId]) => `Voucher ${voucherId} was already redeemed: a voucher pays once.`,
  RewardsVoucherWasCancelled: ([voucherId]) => `The brand cancelled voucher ${voucherId}: it can no longer be redeemed.`,
  RewardsInvalidIssuer: ([signer]) =>
    `The voucher is signed by ${signer}, which is not an issuer (its role was revoked, or the voucher was altered): ask the brand for a new one.`,
  RewardsOutsideWindow: ([journeyId, start, end]) =>
    `Journey ${journeyId} is not open now (window ${start} to ${end === 0n ? "no end" : end}): redeem within its window.`,
  RewardsVoucherAboveJourney: ([journeyId, stamps, points]) =>
    `The voucher pays ${stamps} stamps and ${points} points, more than journey ${journeyId} allows: sign it within the journey's reward.`,
  RewardsLimitReached: ([journeyId, member, limit]) =>
    `${member} has completed journey ${journeyId} ${limit} times, as often as it allows.`,
  RewardsReferralMismatch: ([journeyId, referee]) =>
    `Journey ${journeyId} and the voucher's referee ${referee} do not match: a referral journey names a referee, any other journey none.`,
  RewardsSelfReferral: ([member]) => `${member} cannot refer themselves.`,
  RewardsRefereeLinked: ([referee]) =>
    `${referee} is or once was linked to a customer account: only a wallet that never linked can be referred.`,
  RewardsRefereeAlreadyReferred: ([referee, referrer]) =>
    `${referee} was already referred, by ${referrer}: a member is referred at most once, whoever refers them.`,
  RewardsRefereeIsReferrer: ([referee]) =>
    `${referee} has referred someone, so is a member already: only a new member can be referred (no mutual referrals).`,
  RewardsInvalidTiers: ([index]) =>
    `Tier threshold ${index} is invalid: at most 8 tiers, each above zero and above the one before.`,
  RewardsInvalidPerk: ([perkId]) => `Perk ${perkId} is inconsistent: its minimum tier is above the highest tier (8).`,
  RewardsUnknownPerk: ([perkId]) => `Perk ${perkId} does not exist or was withdrawn.`,
  RewardsPerkLocked: ([member, perkId]) =>
    `${member} does not meet the conditions of perk ${perkId} (stamps, points they can spend now, or tier): check isUnlocked first.`,
  RewardsWrongStamp: ([perkId, tokenId, seriesId]) =>
    seriesId === 0n
      ? `Perk ${perkId} burns no stamp: claim it without one (stamp ${tokenId} given).`
      : `Perk ${perkId} is paid with a stamp of series ${seriesId}: pass one you hold as tokenId (got ${tokenId}).`,
  RewardsNotStampHolder: ([member, tokenId]) =>
    `${member} does not hold stamp ${tokenId}: only its holder can spend it on a perk.`,
  RewardsStampNotApproved: ([member, tokenId]) =>
    `${member} has not approved Rewards for stamp ${tokenId}: approve that one stamp (ERC-721 approve), then claim.`,
  RewardsPerkAlreadyClaimed: ([member, perkId, period]) =>
    `${member} already claimed perk ${perkId} in this period (${period}): wait for the next one.`,
} satisfies ContractErrorSentences<"rewards">;

/** The errors and sentences of Rewards and, through it, of the contracts it calls: what an action calling it decodes a revert with. */
export const rewardsErrorCatalog = /* @__PURE__ */ errorCatalog(rewardsErrorAbi, rewardsErrors, [
  stampsErrorCatalog,
  pointsErrorCatalog,
]);
