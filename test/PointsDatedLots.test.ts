import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ADMIN_DELAY, Expiry, deployTokens } from "./fixtures/tokens";
import {
  DATED_DAYS,
  DAY,
  LOT_DAYS,
  PENDING_DAYS,
  datedExpiryOf,
  deployDatedPoints,
  pointsWithTerms,
} from "./fixtures/pointsLifecycle";

const ZERO = ethers.ZeroAddress;
const reason = ethers.encodeBytes32String("visit");
const receipt = (n: number) => ethers.keccak256(ethers.toUtf8Bytes(`dated-receipt-${n}`));
/** Gas a member's transfer may take however many dust transfers others sent them (MAX_DATED_LOTS lot writes). */
const SPEND_GAS_BOUND = 400_000n;

/** Moves the chain to the start of a fresh period of `lotDays` days (so a test's dates do not depend on the hour). */
async function startOfPeriod(lotDays: number) {
  const now = await time.latest();
  await time.increaseTo((Math.floor(now / (lotDays * DAY)) + 1) * lotDays * DAY + 60);
}

describe("Points: expiry in dated lots, spent oldest first", () => {
  it("terms: dated lots need expiry days above pendingDays + 1 + the period, and are announced", async () => {
    const { stamps, admin } = await loadFixture(deployTokens);
    const factory = await ethers.getContractFactory("Points");
    const deploy = (pendingDays: number, expiryDays: number) =>
      factory.deploy("P", "P", 0, true, admin.address, ADMIN_DELAY, stamps.getAddress(), {
        pendingDays,
        expiry: Expiry.DatedLots,
        expiryDays,
      });
    // 16 days: periods of 1 day, so more than 14 + 1 + 1 is needed; 3651 is over MAX_TERM_DAYS.
    for (const [pending, days] of [
      [14, 16],
      [0, 0],
      [0, 3651],
    ] as const) {
      await expect(deploy(pending, days)).to.be.revertedWithCustomError(factory, "PointsInvalidTerms").withArgs(pending, days);
    }
    const points = await deploy(14, 17);
    await expect(points.deploymentTransaction()).to.emit(points, "PointsTermsSet").withArgs(14, Expiry.DatedLots, 17);
    expect(await points.MAX_DATED_LOTS()).to.equal(32n);
    // 3650 days: periods of ceil(3650 / 32) = 115 days, so pendingDays + 1 + 115 must stay below.
    await expect(deploy(3534, 3650)).to.be.revertedWithCustomError(factory, "PointsInvalidTerms");
    await expect(deploy(3533, 3650)).not.to.be.reverted;
  });

  it("each earn expires on its own date; spends take the oldest lots first; expire burns exactly what is left of them", async () => {
    const { points, minter, stranger, members } = await loadFixture(deployDatedPoints);
    const [ada, bo] = [members[0]!, members[1]!];
    await startOfPeriod(2);
    await points.connect(minter).reward(ada.address, 100, reason);
    const first = datedExpiryOf(await time.latest());
    await time.increase(10 * DAY);
    await points.connect(minter).reward(ada.address, 50, reason);
    const second = datedExpiryOf(await time.latest());
    expect(second - first).to.equal(10 * DAY);
    expect(await points.expiringBy(ada.address, first)).to.deep.equal([100n, BigInt(first)]);
    expect(await points.expiringBy(ada.address, second)).to.deep.equal([150n, BigInt(first)]);

    // 120 spent: the first lot's 100, then 20 of the second.
    await expect(points.connect(ada).transfer(bo.address, 70)).to.emit(points, "Transfer").withArgs(ada.address, bo.address, 70);
    await points.connect(ada).redeem(50, reason);
    expect(await points.expiringBy(ada.address, first)).to.deep.equal([0n, 0n]);
    expect(await points.expiringBy(ada.address, second)).to.deep.equal([30n, BigInt(second)]);

    await time.increaseTo(first);
    await expect(points.connect(stranger).expire(ada.address))
      .to.be.revertedWithCustomError(points, "PointsNothingToExpire")
      .withArgs(ada.address);
    await time.increaseTo(second);
    expect(await points.balanceOf(ada.address)).to.equal(30n); // never a silent shrink
    expect(await points.spendableOf(ada.address)).to.equal(0n);
    await expect(points.connect(ada).redeem(1, reason))
      .to.be.revertedWithCustomError(points, "PointsNotSpendable")
      .withArgs(ada.address, 0, 1);
    await expect(points.connect(stranger).expire(ada.address))
      .to.emit(points, "PointsExpired")
      .withArgs(ada.address, 30)
      .and.to.emit(points, "Transfer")
      .withArgs(ada.address, ZERO, 30);
    expect(await points.balanceOf(ada.address)).to.equal(0n);
    expect(await points.totalSupply()).to.equal(70n);
    await expect(points.connect(stranger).expire(ada.address)).to.be.revertedWithCustomError(points, "PointsNothingToExpire");
  });

  it("expired points cannot be spent beside live ones: a spend needing them reverts by name, the live ones still move", async () => {
    const { points, minter, stranger, members } = await loadFixture(deployDatedPoints);
    const [ada, bo] = [members[0]!, members[1]!];
    await startOfPeriod(2);
    await points.connect(minter).reward(ada.address, 100, reason);
    const first = datedExpiryOf(await time.latest());
    await time.increase(6 * DAY);
    await points.connect(minter).reward(ada.address, 20, reason);
    await time.increaseTo(first);
    expect(await points.spendableOf(ada.address)).to.equal(20n);
    expect(await points.balanceOf(ada.address)).to.equal(120n);
    await expect(points.connect(ada).transfer(bo.address, 21))
      .to.be.revertedWithCustomError(points, "PointsNotSpendable")
      .withArgs(ada.address, 20, 21);
    await points.connect(ada).transfer(bo.address, 20);
    // The spend found the first lot expired and set it aside: still in the balance, burned only by expire.
    expect(await points.balanceOf(ada.address)).to.equal(100n);
    expect((await points.expiringBy(ada.address, first))[0]).to.equal(100n);
    await expect(points.connect(stranger).expire(ada.address)).to.emit(points, "PointsExpired").withArgs(ada.address, 100);
    expect(await points.balanceOf(ada.address)).to.equal(0n);
  });

  it("points received form a lot dated when received; a transfer to oneself refreshes nothing", async () => {
    const { points, minter, members } = await loadFixture(deployDatedPoints);
    const [ada, bo] = [members[0]!, members[1]!];
    await startOfPeriod(2);
    await points.connect(minter).reward(bo.address, 40, reason);
    const boEarned = datedExpiryOf(await time.latest());
    await time.increase(20 * DAY);
    await points.connect(bo).transfer(bo.address, 40); // to oneself: the lot keeps its date
    expect(await points.expiringBy(bo.address, boEarned)).to.deep.equal([40n, BigInt(boEarned)]);
    await points.connect(bo).transfer(ada.address, 15);
    const adaReceived = datedExpiryOf(await time.latest());
    expect(adaReceived - boEarned).to.equal(20 * DAY);
    expect(await points.expiringBy(ada.address, boEarned)).to.deep.equal([0n, 0n]);
    expect(await points.expiringBy(ada.address, adaReceived)).to.deep.equal([15n, BigInt(adaReceived)]);
    expect(await points.expiringBy(bo.address, boEarned)).to.deep.equal([25n, BigInt(boEarned)]);
  });

  it("a credit forms its lot when credited; a reversal takes that lot first, during pending or after", async () => {
    const { points, minter, members } = await loadFixture(deployDatedPoints);
    const ada = members[0]!;
    await startOfPeriod(2);
    await points.connect(minter).reward(ada.address, 100, reason);
    const rewarded = datedExpiryOf(await time.latest());
    await time.increase(4 * DAY);
    await points.connect(minter).credit(ada.address, 60, receipt(1));
    const credited = datedExpiryOf(await time.latest());
    expect(await points.expiringBy(ada.address, credited)).to.deep.equal([160n, BigInt(rewarded)]);
    expect(await points.spendableOf(ada.address)).to.equal(100n);
    await points.connect(ada).redeem(30, reason); // from the reward's lot: the credit is pending
    await expect(points.connect(minter).reversePurchase(receipt(1)))
      .to.emit(points, "PointsPurchaseReversed")
      .withArgs(ada.address, receipt(1), 60, 60, 0);
    expect(await points.expiringBy(ada.address, credited)).to.deep.equal([70n, BigInt(rewarded)]);

    // After pending too the purchase's own lot goes first: the reward's lot and the newer one keep their points.
    await points.connect(minter).credit(ada.address, 50, receipt(2));
    const second = datedExpiryOf(await time.latest());
    await time.increase((PENDING_DAYS + 1) * DAY);
    await points.connect(minter).reward(ada.address, 5, reason);
    await expect(points.connect(minter).reversePurchase(receipt(2)))
      .to.emit(points, "PointsPurchaseReversed")
      .withArgs(ada.address, receipt(2), 50, 50, 0);
    expect(await points.expiringBy(ada.address, rewarded)).to.deep.equal([70n, BigInt(rewarded)]);
    expect(await points.expiringBy(ada.address, second)).to.deep.equal([70n, BigInt(rewarded)]);
    expect(await points.balanceOf(ada.address)).to.equal(75n);
  });

  it("a reversal after pending burns no expired lot: only what the member can spend, the rest is a shortfall", async () => {
    const { points, minter, stranger, members } = await loadFixture(deployDatedPoints);
    const ada = members[0]!;
    await startOfPeriod(2);
    await points.connect(minter).credit(ada.address, 80, receipt(1));
    const credited = datedExpiryOf(await time.latest());
    await time.increaseTo(credited - 3 * DAY);
    await points.connect(minter).reward(ada.address, 10, reason);
    await time.increaseTo(credited);
    await expect(points.connect(minter).reversePurchase(receipt(1)))
      .to.emit(points, "PointsPurchaseReversed")
      .withArgs(ada.address, receipt(1), 80, 10, 70);
    await expect(points.connect(stranger).expire(ada.address)).to.emit(points, "PointsExpired").withArgs(ada.address, 80);
    expect(await points.balanceOf(ada.address)).to.equal(0n);
  });

  it("dust cannot grief a member: 1-wei transfers of one period share a lot, and a spend stays under 400k gas", async () => {
    const { points, minter, members } = await loadFixture(deployDatedPoints);
    const [ada, bo, attacker] = [members[0]!, members[1]!, members[2]!];
    // At the start of a period, so Ada's first lot lives the full DATED_DAYS and is still live at the end of the
    // dust (started late in a period it would expire up to a period early, and the test would depend on the clock).
    await startOfPeriod(LOT_DAYS);
    await points.connect(minter).reward(attacker.address, 1000, reason);
    await points.connect(minter).reward(ada.address, 1000, reason);
    // The attacker sends 1 wei every day for the whole life of a lot (and five times a day, which adds no lot).
    for (let day = 0; day < DATED_DAYS - 1; day++) {
      for (let i = 0; i < (day % 10 === 0 ? 5 : 1); i++) await points.connect(attacker).transfer(ada.address, 1);
      await time.increase(DAY);
    }
    const expiringLater = await points.expiringBy(ada.address, (await time.latest()) + DATED_DAYS * DAY);
    const held = await points.spendableOf(ada.address);
    expect(expiringLater[0]).to.equal(held);
    const tx = await points.connect(ada).transfer(bo.address, held);
    const gas = (await tx.wait())!.gasUsed;
    expect(gas < SPEND_GAS_BOUND).to.equal(true, `a spend of every lot took ${gas} gas`);
    if (process.env.REPORT_GAS) console.log(`      spend of every dust lot, 40-day expiry: ${gas} gas`);
    expect(await points.balanceOf(ada.address)).to.equal(0n);
    expect(await points.balanceOf(bo.address)).to.equal(held);
  });

  it("with the longest expiry, ten years of monthly dust still leave at most MAX_DATED_LOTS lots to spend", async () => {
    const { points, minter, members } = await pointsWithTerms({ pendingDays: 0, expiry: Expiry.DatedLots, expiryDays: 3650 });
    const [ada, bo, attacker] = [members[0]!, members[1]!, members[2]!];
    await points.connect(minter).reward(attacker.address, 1000, reason);
    for (let month = 0; month < 120; month++) {
      // The attacker's own points expire too: topped up every five years.
      if (month === 60) await points.connect(minter).reward(attacker.address, 1000, reason);
      await points.connect(attacker).transfer(ada.address, 1);
      await time.increase(30 * DAY);
    }
    const gas = (await (await points.connect(ada).transfer(bo.address, await points.spendableOf(ada.address))).wait())!.gasUsed;
    expect(gas < SPEND_GAS_BOUND).to.equal(true, `a spend of every lot took ${gas} gas`);
    if (process.env.REPORT_GAS) console.log(`      spend of every dust lot, 3650-day expiry: ${gas} gas`);
  });

  it("ERC-20 moves still work between members; transferFrom and permit spend lots like a transfer", async () => {
    const { points, minter, members } = await loadFixture(deployDatedPoints);
    const [ada, bo, carl] = [members[0]!, members[1]!, members[2]!];
    await startOfPeriod(2);
    await points.connect(minter).reward(ada.address, 100, reason);
    const rewarded = datedExpiryOf(await time.latest());
    await points.connect(ada).approve(carl.address, 60);
    await expect(points.connect(carl).transferFrom(ada.address, bo.address, 60))
      .to.emit(points, "Transfer")
      .withArgs(ada.address, bo.address, 60);
    expect(await points.allowance(ada.address, carl.address)).to.equal(0n);
    expect(await points.expiringBy(ada.address, rewarded)).to.deep.equal([40n, BigInt(rewarded)]);
  });
});
