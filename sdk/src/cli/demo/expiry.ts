/**
 * Chapter `expiry`: points expire after a year without activity. The chain's clock moves forward; a member is
 * warned, another's spend restarts her clock, and anyone burns the expired points with an event.
 */
import { expirePoints, getPointsLifecycle, redeemPoints } from "../../index.js";
import type { DemoContext } from "./context.js";

/**
 * Moves the chain's clock to 20 days before Ben's points expire, then 30 days on, and expires them.
 *
 * @example
 * await expiryChapter(context);
 */
export async function expiryChapter(context: DemoContext): Promise<void> {
  const { brand, backend, ada, ben, fay, program, config, step, say } = context;
  step(`points expire after ${config.points.expiry.days} days without activity`);
  const days = async (count: number) => {
    await brand.request({ method: "evm_increaseTime", params: [count * 86_400] } as never);
    await brand.request({ method: "evm_mine", params: [] } as never);
  };
  await days(config.points.expiry.days - 20);
  const warning = await getPointsLifecycle(backend, { program, member: ben.account.address, withinDays: 30 });
  const expiresOn = new Date(Number(warning.expiresAt ?? 0n) * 1000).toISOString().slice(0, 10);
  say(
    `${config.points.expiry.days - 20} days later the app warns Ben: ${warning.expiring} ${config.points.symbol} expire on ${expiresOn}`,
  );
  await redeemPoints(ada, { program, amount: 10n, rewardId: "free-coffee" });
  say(`Ada redeems 10 ${config.points.symbol}: any earn or spend restarts her ${config.points.expiry.days} days`);
  await days(30);
  const expired = await getPointsLifecycle(backend, { program, member: ben.account.address });
  say(`30 days on, Ben's ${expired.balance} ${config.points.symbol} have expired: spendable ${expired.spendable}`);
  const burnedByExpiry = await expirePoints(fay, { program, member: ben.account.address });
  say(
    `Fay, anyone, sent expirePoints for Ben: ${burnedByExpiry.expired} ${config.points.symbol} burned with a PointsExpired event (never a silent shrink)`,
  );
  const adaLeft = await getPointsLifecycle(backend, { program, member: ada.account.address });
  say(`Ada's ${adaLeft.spendable} ${config.points.symbol} are still spendable`);
}
