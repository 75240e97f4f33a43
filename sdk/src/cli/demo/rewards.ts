/** Chapter `rewards`: the backend rewards the five members with a stamp each and welcome points, one batch each. */
import { mintStamps, rewardPoints } from "../../index.js";
import type { DemoContext } from "./context.js";

/**
 * Mints one cup stamp to each member and rewards each with welcome points, in one transaction each.
 *
 * @example
 * await rewardsChapter(context);
 */
export async function rewardsChapter(context: DemoContext): Promise<void> {
  const { backend, members, names, program, config, series, step, say } = context;
  const cup = series.cup;
  step("reward five members with stamps and points, in one batch each");
  const everyone = members.map((m) => m.account.address);
  const minted = await mintStamps(backend, { program, seriesId: cup.seriesId, to: everyone });
  say(`minted ${minted.stamps.map((s) => `#${s.edition}→${names.get(s.to.toLowerCase())}`).join(", ")} in one transaction`);
  const rewarded = await rewardPoints(backend, {
    program,
    reason: "welcome-bonus",
    rewards: members.map((m, i) => ({ member: m.account.address, amount: BigInt(100 + 50 * i) })),
  });
  say(
    `rewarded ${rewarded.rewarded.map((r) => `${names.get(r.member.toLowerCase())} ${r.amount}`).join(", ")} ${config.points.symbol}`,
  );
}
