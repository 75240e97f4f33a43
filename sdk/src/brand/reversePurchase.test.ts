import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  creditPurchase,
  expirePoints,
  getPointsLifecycle,
  getProgramInfo,
  receiptIdOf,
  redeemPoints,
  reversePurchase,
  rewardPoints,
} from "../index.js";
import { deployProgram } from "../deploy.js";
import { testConfig, viemActors } from "../../../test/helpers/viem.js";
import { expectRejectedBeforeSending, expectRevert } from "../../../test/helpers/sdkErrors.js";

const DAY = 24 * 60 * 60;

/** The test program with purchases pending 14 days and points expiring after 60 days of inactivity. */
async function lifecycleProgram() {
  const actors = await viemActors();
  const base = testConfig(actors.treasury.account.address, actors.backend.account.address);
  const config = { ...base, points: { ...base.points, pendingDays: 14, expiry: { model: "inactivity" as const, days: 60 } } };
  const { program } = await deployProgram(actors.brand, { config });
  return { ...actors, program };
}

/** The test program with purchases pending 14 days and earns expiring in dated lots 64 days on (2-day lots). */
async function datedProgram() {
  const actors = await viemActors();
  const base = testConfig(actors.treasury.account.address, actors.backend.account.address);
  const config = { ...base, points: { ...base.points, pendingDays: 14, expiry: { model: "dated" as const, days: 64 } } };
  const { program } = await deployProgram(actors.brand, { config });
  return { ...actors, program };
}

describe("sdk: reversePurchase, expirePoints, getPointsLifecycle", () => {
  it("a purchase is pending, then reversed during pending: the whole credit is burned, once", async () => {
    const { program, backend, members } = await loadFixture(lifecycleProgram);
    const alice = members[0]!.account.address;
    const receiptId = receiptIdOf("order-1", "secret");
    await creditPurchase(backend, { program, member: alice, amount: 250n, receiptId });
    expect(await getPointsLifecycle(backend, { program, member: alice })).to.deep.equal({
      balance: 250n,
      pending: 250n,
      spendable: 0n,
      expired: 0n,
      expiring: 0n,
      expiresAt: null,
    });
    await expectRevert(redeemPoints(members[0]!, { program, amount: 1n, rewardId: "cake" }), "PointsNotSpendable");
    const reversed = await reversePurchase(backend, { program, receiptId });
    expect([reversed.member, reversed.amount, reversed.burned, reversed.shortfall]).to.deep.equal([alice, 250n, 250n, 0n]);
    expect((await getPointsLifecycle(backend, { program, member: alice })).balance).to.equal(0n);
    const again = await expectRevert(reversePurchase(backend, { program, receiptId }), "PointsReceiptAlreadyReversed");
    expect(again.message).to.match(/already reversed/);
    await expectRevert(creditPurchase(backend, { program, member: alice, amount: 250n, receiptId }), "PointsReceiptReversed");
  });

  it("after pending burns what is left and reports the shortfall; a never-credited receipt is blocked", async () => {
    const { program, backend, members } = await loadFixture(lifecycleProgram);
    const alice = members[0]!.account.address;
    const receiptId = receiptIdOf("order-2", "secret");
    await creditPurchase(backend, { program, member: alice, amount: 100n, receiptId });
    await time.increase(16 * DAY);
    await redeemPoints(members[0]!, { program, amount: 70n, rewardId: "cake" });
    const reversed = await reversePurchase(backend, { program, receiptId });
    expect([reversed.burned, reversed.shortfall]).to.deep.equal([30n, 70n]);
    const early = await reversePurchase(backend, { program, receiptId: receiptIdOf("order-3", "secret") });
    expect([early.member, early.amount]).to.deep.equal([null, 0n]);
    await expectRejectedBeforeSending(backend, [
      [() => reversePurchase(backend, { program, receiptId: "0x1234" }), "receiptId"],
      [() => reversePurchase(backend, { program, receiptId: `0x${"0".repeat(64)}` }), "receiptId"],
      [() => getPointsLifecycle(backend, { program, member: alice, withinDays: 1.5 }), "withinDays"],
      [() => expirePoints(backend, { program, member: "0x0000000000000000000000000000000000000000" }), "member"],
    ]);
  });

  it("warns of points expiring within N days, and anyone burns them once expired", async () => {
    const { program, backend, members } = await loadFixture(lifecycleProgram);
    const [alice, keeper] = [members[0]!.account.address, members[1]!];
    await rewardPoints(backend, { program, reason: "welcome", rewards: [{ member: alice, amount: 40n }] });
    const rewardedAt = BigInt(await time.latest());
    expect((await getPointsLifecycle(backend, { program, member: alice, withinDays: 30 })).expiring).to.equal(0n);
    await time.increase(45 * DAY);
    const soon = await getPointsLifecycle(backend, { program, member: alice, withinDays: 30 });
    expect([soon.expired, soon.expiring, soon.expiresAt, soon.spendable]).to.deep.equal([
      0n,
      40n,
      rewardedAt + 60n * BigInt(DAY),
      40n,
    ]);
    await expectRevert(expirePoints(keeper, { program, member: alice }), "PointsNothingToExpire");
    await time.increase(15 * DAY);
    expect(await getPointsLifecycle(backend, { program, member: alice, withinDays: 0 })).to.deep.include({
      spendable: 0n,
      expired: 40n,
      expiring: 40n,
      expiresAt: rewardedAt + 60n * BigInt(DAY),
    });
    const { expired } = await expirePoints(keeper, { program, member: alice });
    expect(expired).to.equal(40n);
    expect((await getPointsLifecycle(backend, { program, member: alice })).balance).to.equal(0n);
  });

  it("under dated lots warns of each lot's date, spends the oldest first, and expirePoints burns exactly the expired rest", async () => {
    const { program, backend, members } = await loadFixture(datedProgram);
    const [alice, keeper] = [members[0]!.account.address, members[1]!];
    const period = 2n * BigInt(DAY);
    expect((await getProgramInfo(backend, { program })).points).to.deep.include({
      pendingDays: 14,
      expiry: { model: "dated", days: 64 },
    });
    await rewardPoints(backend, { program, reason: "welcome", rewards: [{ member: alice, amount: 40n }] });
    const firstExpiry = (BigInt(await time.latest()) / period) * period + 64n * BigInt(DAY);
    await time.increase(10 * DAY);
    await rewardPoints(backend, { program, reason: "visit", rewards: [{ member: alice, amount: 25n }] });
    await redeemPoints(members[0]!, { program, amount: 30n, rewardId: "cake" }); // from the first lot
    await time.increaseTo(firstExpiry - 20n * BigInt(DAY));
    const soon = await getPointsLifecycle(backend, { program, member: alice, withinDays: 25 });
    expect([soon.balance, soon.spendable, soon.expired, soon.expiring, soon.expiresAt]).to.deep.equal([
      35n,
      35n,
      0n,
      10n,
      firstExpiry,
    ]);
    const later = await getPointsLifecycle(backend, { program, member: alice, withinDays: 35 });
    expect([later.expiring, later.expiresAt]).to.deep.equal([35n, firstExpiry]);
    await expectRevert(expirePoints(keeper, { program, member: alice }), "PointsNothingToExpire");
    await time.increaseTo(firstExpiry);
    const after = await getPointsLifecycle(backend, { program, member: alice, withinDays: 30 });
    expect([after.balance, after.spendable, after.expired, after.expiring]).to.deep.equal([35n, 25n, 10n, 35n]);
    const refused = await expectRevert(
      redeemPoints(members[0]!, { program, amount: 26n, rewardId: "cake" }),
      "PointsNotSpendable",
    );
    expect(refused.message).to.match(/expired dated lots/);
    expect((await expirePoints(keeper, { program, member: alice })).expired).to.equal(10n);
    expect((await getPointsLifecycle(backend, { program, member: alice })).balance).to.equal(25n);
  });
});
