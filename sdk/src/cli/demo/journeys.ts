/**
 * Chapter `journeys`: completions paid by vouchers the brand signs (redeemed by the member or the brand's relayer),
 * a referral, the tier-up it brings, and two perks claimed: a weekly refill, and a cake for a burned stamp.
 */
import { claimPerk, ContractRevertError, encodeStampId, perksOf, redeemVoucher, signVoucher, tierOf } from "../../index.js";
import type { DemoContext } from "./context.js";

/**
 * Pays Ada's and Ben's five visits and Ada's referral of Fay by voucher, then has Ada and Eli claim perks.
 *
 * @example
 * await journeysChapter(context);
 */
export async function journeysChapter(context: DemoContext): Promise<void> {
  const { backend, ada, ben, eli, fay, program, config, series, step, say } = context;
  const cup = series.cup;
  const journeySeries = series.journey;
  step("journeys: completions paid by vouchers the brand signs, redeemed by the member or a relayer");
  const visits = { journeyId: "five-visits", stamps: 1n, points: 50n };
  const adaVoucher = await signVoucher(backend, { program, member: ada.account.address, ...visits });
  say(`Ada's five visits were checked by the brand's backend: it signed voucher ${adaVoucher.order.voucherId.slice(0, 10)}…`);
  const adaDone = await redeemVoucher(ada, { program, voucher: adaVoucher });
  say(
    `Ada redeemed it: ${adaDone.completion.stamps} soulbound "${journeySeries.name}" stamp and ${adaDone.completion.points} ${config.points.symbol}`,
  );
  try {
    await redeemVoucher(ada, { program, voucher: adaVoucher });
    throw new Error("a replayed voucher was accepted");
  } catch (error) {
    if (!(error instanceof ContractRevertError) || error.errorName !== "RewardsVoucherAlreadyRedeemed") throw error;
    say(`redeeming it again: refused (${error.errorName})`);
  }
  const benVoucher = await signVoucher(backend, { program, member: ben.account.address, ...visits });
  await redeemVoucher(backend, { program, voucher: benVoucher });
  say("Ben's voucher was redeemed by the brand's relayer: Ben paid no gas, and only Ben was paid");
  const referral = await signVoucher(backend, {
    program,
    member: ada.account.address,
    journeyId: "refer-a-friend",
    points: 100n,
    referee: fay.account.address,
  });
  await redeemVoucher(ada, { program, voucher: referral });
  say(`Ada referred Fay, a new member: ${referral.order.points} ${config.points.symbol}, and Fay can never be referred again`);
  const adaTier = await tierOf(ada, { program, member: ada.account.address });
  const tierName = config.tiers[adaTier.tier - 1]?.name ?? "none";
  say(
    `tier-up: Ada has ${adaTier.status} status points, tier ${adaTier.tier} (${tierName}): every point rewarded counts (the batch, the journey, the referral), and status points are never spent`,
  );
  const perkIds = config.perks.map((p) => p.id);
  const unlocked = (await perksOf(ada, { program, member: ada.account.address, perkIds }))
    .map((p, i) => (p.unlocked ? perkIds[i] : undefined))
    .filter(Boolean);
  say(`perks Ada unlocked (isUnlocked, one view call each): ${unlocked.join(", ")}`);
  const { claim } = await claimPerk(ada, { program, perkId: "free-refill" });
  const [refill] = await perksOf(ada, { program, member: ada.account.address, perkIds: ["free-refill"] });
  say(
    `Ada claimed free-refill in claim period ${claim.period} (one a week): the shop checks isClaimed = ${refill!.claimed}, so not twice`,
  );
  const eliCup = encodeStampId(cup.seriesId, 5n);
  const { claim: cake } = await claimPerk(eli, { program, perkId: "cup-for-a-cake", tokenId: eliCup });
  say(
    `Eli spent his stamp ${cake.stampBurned} on cup-for-a-cake: he approved Rewards for that one stamp, which burned it; no role can spend a member's stamp`,
  );
}
