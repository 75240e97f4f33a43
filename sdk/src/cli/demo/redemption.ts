/** Chapter `redemption`: a member redeems points for a reward. */
import { getBalances, redeemPoints } from "../../index.js";
import type { DemoContext } from "./context.js";

/**
 * Dev redeems 120 points for a free coffee.
 *
 * @example
 * await redemptionChapter(context);
 */
export async function redemptionChapter(context: DemoContext): Promise<void> {
  const { dev, program, config, step, say } = context;
  step("a member redeems points");
  await redeemPoints(dev, { program, amount: 120n, rewardId: "free-coffee" });
  const devBalance = await getBalances(dev, { program, member: dev.account.address });
  say(`Dev redeemed 120 ${config.points.symbol} for "free-coffee"; ${devBalance.points} left`);
}
