import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Expiry, NOTICE_PERIOD, Scope, deployTokens } from "./fixtures/tokens";
import {
  DAY,
  EXPIRY_DAYS,
  PENDING_DAYS,
  deployInactivityPoints,
  deployPendingPoints,
  releaseOf,
} from "./fixtures/pointsLifecycle";

const ZERO = ethers.ZeroAddress;
const reason = ethers.encodeBytes32String("welcome-bonus");
const receipt = (n: number) => ethers.keccak256(ethers.toUtf8Bytes(`shop-receipt-${n}`));
const ReceiptState = { None: 0n, Credited: 1n, Reversed: 2n } as const;

describe("Points lifecycle", () => {
  describe("terms", () => {
    it("are fixed at deployment and read back", async () => {
      const { points } = await loadFixture(deployInactivityPoints);
      const terms = await points.terms();
      expect([terms.pendingDays, terms.expiry, terms.expiryDays]).to.deep.equal([
        BigInt(PENDING_DAYS),
        BigInt(Expiry.Inactivity),
        BigInt(EXPIRY_DAYS),
      ]);
    });

    it("refuses inconsistent terms: expiry days without a model, inactivity not longer than pending, too many days", async () => {
      const { stamps, admin } = await loadFixture(deployTokens);
      const factory = await ethers.getContractFactory("Points");
      const deploy = (pendingDays: number, expiry: number, expiryDays: number) =>
        factory.deploy("P", "P", 0, true, admin.address, 0, stamps.getAddress(), { pendingDays, expiry, expiryDays });
      for (const [pending, expiry, days] of [
        [0, Expiry.None, 30],
        [14, Expiry.Inactivity, 15],
        [0, Expiry.Inactivity, 0],
        [3651, Expiry.None, 0],
        [0, Expiry.Inactivity, 3651],
      ] as const) {
        await expect(deploy(pending, expiry, days))
          .to.be.revertedWithCustomError(factory, "PointsInvalidTerms")
          .withArgs(pending, days);
      }
      await expect(deploy(14, Expiry.Inactivity, 16)).not.to.be.reverted;
    });
  });

  describe("pending purchases", () => {
    it("count in balanceOf and totalSupply at once (a Transfer event), spendable only after the pending days", async () => {
      const { points, minter, members } = await loadFixture(deployPendingPoints);
      const [ada, bo] = [members[0]!, members[1]!];
      await expect(points.connect(minter).credit(ada.address, 300, receipt(1)))
        .to.emit(points, "Transfer")
        .withArgs(ZERO, ada.address, 300)
        .and.to.emit(points, "PointsCredited")
        .withArgs(ada.address, 300, receipt(1));
      const releaseAt = releaseOf(await time.latest());
      expect(await points.balanceOf(ada.address)).to.equal(300n);
      expect(await points.totalSupply()).to.equal(300n);
      expect(await points.pendingOf(ada.address)).to.equal(300n);
      expect(await points.spendableOf(ada.address)).to.equal(0n);
      expect(await points.receiptOf(receipt(1))).to.deep.equal([ReceiptState.Credited, ada.address, 300n, BigInt(releaseAt)]);

      await points.connect(minter).reward(ada.address, 50, reason);
      expect(await points.spendableOf(ada.address)).to.equal(50n);
      await expect(points.connect(ada).transfer(bo.address, 51))
        .to.be.revertedWithCustomError(points, "PointsNotSpendable")
        .withArgs(ada.address, 50, 51);
      await expect(points.connect(ada).redeem(51, reason))
        .to.be.revertedWithCustomError(points, "PointsNotSpendable")
        .withArgs(ada.address, 50, 51);
      await points.connect(ada).approve(bo.address, 1000);
      await expect(points.connect(bo).transferFrom(ada.address, bo.address, 51))
        .to.be.revertedWithCustomError(points, "PointsNotSpendable")
        .withArgs(ada.address, 50, 51);
      await expect(points.connect(ada).transfer(bo.address, 50)).to.changeTokenBalances(points, [ada, bo], [-50, 50]);

      await time.setNextBlockTimestamp(releaseAt - 1);
      await expect(points.connect(ada).redeem(1, reason)).to.be.revertedWithCustomError(points, "PointsNotSpendable");
      await time.increaseTo(releaseAt);
      expect(await points.pendingOf(ada.address)).to.equal(0n);
      expect(await points.spendableOf(ada.address)).to.equal(300n);
      // Becoming spendable is no balance change: no event, balanceOf unchanged.
      expect(await points.balanceOf(ada.address)).to.equal(300n);
      await expect(points.connect(ada).redeem(300, reason)).to.changeTokenBalance(points, ada, -300);
    });

    it("credits of one day share a lot; lots of different days release one by one", async () => {
      const { points, minter, members } = await loadFixture(deployPendingPoints);
      const ada = members[0]!;
      const day0 = (Math.floor((await time.latest()) / DAY) + 1) * DAY;
      await time.setNextBlockTimestamp(day0 + 10);
      await points.connect(minter).credit(ada.address, 100, receipt(1));
      await time.setNextBlockTimestamp(day0 + 20_000);
      await points.connect(minter).credit(ada.address, 20, receipt(2));
      await time.setNextBlockTimestamp(day0 + 3 * DAY);
      await points.connect(minter).credit(ada.address, 7, receipt(3));
      const [, , , first] = await points.receiptOf(receipt(1));
      const [, , , second] = await points.receiptOf(receipt(2));
      expect(first).to.equal(second);
      expect(first).to.equal(BigInt(day0 + (PENDING_DAYS + 1) * DAY));
      expect(await points.pendingOf(ada.address)).to.equal(127n);
      await time.increaseTo(first);
      expect(await points.pendingOf(ada.address)).to.equal(7n);
      expect(await points.spendableOf(ada.address)).to.equal(120n);
      await points.connect(ada).redeem(120, reason);
      await expect(points.connect(ada).redeem(1, reason))
        .to.be.revertedWithCustomError(points, "PointsNotSpendable")
        .withArgs(ada.address, 0, 1);
      await time.increaseTo(first + 3n * BigInt(DAY));
      expect(await points.spendableOf(ada.address)).to.equal(7n);
      await points.connect(ada).redeem(7, reason);
      expect(await points.balanceOf(ada.address)).to.equal(0n);
    });

    it("a member credited every day holds at most pendingDays + 1 lots, so reads stay bounded", async () => {
      const { points, minter, members } = await loadFixture(deployPendingPoints);
      const ada = members[0]!;
      let total = 0n;
      for (let day = 0; day < 40; day++) {
        await points.connect(minter).credit(ada.address, day + 1, receipt(100 + day));
        total += BigInt(day + 1);
        await time.increase(DAY);
      }
      // The last PENDING_DAYS + 1 credits may still be pending (the day's lot releases the day after).
      const now = await time.latest();
      let pending = 0n;
      for (let day = 0; day < 40; day++) {
        const [, , amount, releaseAt] = await points.receiptOf(receipt(100 + day));
        if (releaseAt > BigInt(now)) pending += amount;
      }
      expect(await points.pendingOf(ada.address)).to.equal(pending);
      expect(await points.spendableOf(ada.address)).to.equal(total - pending);
      const gas = await points.connect(ada).transfer.estimateGas(members[1]!.address, total - pending);
      expect(gas < 120_000n).to.equal(true);
    });
  });

  describe("reversePurchase", () => {
    it("during pending cancels the whole credit, once", async () => {
      const { points, minter, members } = await loadFixture(deployPendingPoints);
      const ada = members[0]!;
      await points.connect(minter).credit(ada.address, 300, receipt(1));
      await points.connect(minter).credit(ada.address, 40, receipt(2));
      await expect(points.connect(minter).reversePurchase(receipt(1)))
        .to.emit(points, "Transfer")
        .withArgs(ada.address, ZERO, 300)
        .and.to.emit(points, "PointsPurchaseReversed")
        .withArgs(ada.address, receipt(1), 300, 300, 0);
      expect(await points.balanceOf(ada.address)).to.equal(40n);
      expect(await points.pendingOf(ada.address)).to.equal(40n);
      expect(await points.totalSupply()).to.equal(40n);
      expect((await points.receiptOf(receipt(1)))[0]).to.equal(ReceiptState.Reversed);
      await expect(points.connect(minter).reversePurchase(receipt(1)))
        .to.be.revertedWithCustomError(points, "PointsReceiptAlreadyReversed")
        .withArgs(receipt(1));
      await expect(points.connect(minter).credit(ada.address, 300, receipt(1)))
        .to.be.revertedWithCustomError(points, "PointsReceiptReversed")
        .withArgs(receipt(1));
      // The other receipt of the same lot is untouched and releases as planned.
      await time.increaseTo((await points.receiptOf(receipt(2)))[3]);
      expect(await points.spendableOf(ada.address)).to.equal(40n);
    });

    it("after pending burns what the member can still spend, up to the credit, and reports the shortfall", async () => {
      const { points, minter, members } = await loadFixture(deployPendingPoints);
      const [ada, bo] = [members[0]!, members[1]!];
      await points.connect(minter).credit(ada.address, 300, receipt(1));
      await time.increaseTo((await points.receiptOf(receipt(1)))[3]);
      await points.connect(ada).transfer(bo.address, 180);
      // A newer pending credit is not touched by the reversal of an older one.
      await points.connect(minter).credit(ada.address, 500, receipt(2));
      await expect(points.connect(minter).reversePurchase(receipt(1)))
        .to.emit(points, "PointsPurchaseReversed")
        .withArgs(ada.address, receipt(1), 300, 120, 180);
      expect(await points.balanceOf(ada.address)).to.equal(500n);
      expect(await points.pendingOf(ada.address)).to.equal(500n);
      expect(await points.totalSupply()).to.equal(680n);
    });

    it("after pending with nothing left to burn emits a zero burn and no Transfer", async () => {
      const { points, minter, members } = await loadFixture(deployTokens);
      const ada = members[0]!;
      await points.connect(minter).credit(ada.address, 30, receipt(1));
      await points.connect(ada).redeem(30, reason);
      const tx = points.connect(minter).reversePurchase(receipt(1));
      await expect(tx).to.emit(points, "PointsPurchaseReversed").withArgs(ada.address, receipt(1), 30, 0, 30);
      await expect(tx).not.to.emit(points, "Transfer");
    });

    it("of a receipt never credited marks it so it can never be credited", async () => {
      const { points, minter, members } = await loadFixture(deployPendingPoints);
      await expect(points.connect(minter).reversePurchase(receipt(9)))
        .to.emit(points, "PointsPurchaseReversed")
        .withArgs(ZERO, receipt(9), 0, 0, 0);
      expect(await points.isCredited(receipt(9))).to.equal(false);
      await expect(points.connect(minter).credit(members[0]!.address, 5, receipt(9)))
        .to.be.revertedWithCustomError(points, "PointsReceiptReversed")
        .withArgs(receipt(9));
      await expect(points.connect(minter).reversePurchase(receipt(9))).to.be.revertedWithCustomError(
        points,
        "PointsReceiptAlreadyReversed",
      );
    });

    it("refuses a zero receipt and a caller without the minter role", async () => {
      const { points, minter, stranger } = await loadFixture(deployPendingPoints);
      await expect(points.connect(minter).reversePurchase(ethers.ZeroHash))
        .to.be.revertedWithCustomError(points, "PointsInvalidReceipt")
        .withArgs(ethers.ZeroHash);
      await expect(points.connect(stranger).reversePurchase(receipt(1)))
        .to.be.revertedWithCustomError(points, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, await points.MINTER_ROLE());
    });

    it("works while paused; after the program's end nothing moves", async () => {
      const { points, stamps, admin, minter, pauser, members } = await loadFixture(deployPendingPoints);
      const ada = members[0]!;
      await points.connect(minter).credit(ada.address, 10, receipt(1));
      await points.connect(minter).credit(ada.address, 10, receipt(2));
      await stamps.connect(pauser).pause(Scope.Points);
      await expect(points.connect(minter).reversePurchase(receipt(1))).to.emit(points, "PointsPurchaseReversed");
      await stamps.connect(admin).announceEnd((await time.latest()) + NOTICE_PERIOD + 10);
      await time.increase(NOTICE_PERIOD + 20);
      await expect(points.connect(minter).reversePurchase(receipt(2))).to.be.revertedWithCustomError(points, "PointsFrozen");
    });
  });

  describe("expiry by inactivity", () => {
    it("any earn or spend resets the clock; after N idle days nothing can be spent until expire burns it", async () => {
      const { points, minter, stranger, members } = await loadFixture(deployInactivityPoints);
      const [ada, bo] = [members[0]!, members[1]!];
      await points.connect(minter).reward(ada.address, 100, reason);
      await time.increase(EXPIRY_DAYS * DAY - 10);
      await points.connect(ada).redeem(1, reason); // a spend: the clock restarts
      const active = await time.latest();
      const expiresAt = active + EXPIRY_DAYS * DAY;
      expect(await points.expiringBy(ada.address, expiresAt - 1)).to.deep.equal([0n, 0n]);
      expect(await points.expiringBy(ada.address, expiresAt)).to.deep.equal([99n, BigInt(expiresAt)]);
      await expect(points.connect(stranger).expire(ada.address))
        .to.be.revertedWithCustomError(points, "PointsNothingToExpire")
        .withArgs(ada.address);

      await time.increaseTo(expiresAt);
      expect(await points.spendableOf(ada.address)).to.equal(0n);
      expect(await points.balanceOf(ada.address)).to.equal(99n);
      await expect(points.connect(ada).transfer(bo.address, 1))
        .to.be.revertedWithCustomError(points, "PointsBalanceExpired")
        .withArgs(ada.address, expiresAt);
      await expect(points.connect(ada).redeem(1, reason)).to.be.revertedWithCustomError(points, "PointsBalanceExpired");
      await expect(points.connect(stranger).expire(ada.address))
        .to.emit(points, "PointsExpired")
        .withArgs(ada.address, 99)
        .and.to.emit(points, "Transfer")
        .withArgs(ada.address, ZERO, 99);
      expect(await points.balanceOf(ada.address)).to.equal(0n);
      expect(await points.totalSupply()).to.equal(0n);
      await expect(points.connect(stranger).expire(ada.address)).to.be.revertedWithCustomError(points, "PointsNothingToExpire");
    });

    it("receiving points does not revive expired ones: they are burned first, with their event", async () => {
      const { points, minter, members } = await loadFixture(deployInactivityPoints);
      const [ada, bo] = [members[0]!, members[1]!];
      await points.connect(minter).reward(ada.address, 100, reason);
      await time.increase(EXPIRY_DAYS * DAY);
      await points.connect(minter).reward(bo.address, 5, reason);
      await expect(points.connect(bo).transfer(ada.address, 5)).to.emit(points, "PointsExpired").withArgs(ada.address, 100);
      expect(await points.balanceOf(ada.address)).to.equal(5n);
      expect(await points.spendableOf(ada.address)).to.equal(5n);
      expect(await points.totalSupply()).to.equal(5n);
    });

    it("neither a gift from another member nor a reversal burning a member's points moves a running clock", async () => {
      const { points, minter, members } = await loadFixture(deployInactivityPoints);
      const [ada, bo] = [members[0]!, members[1]!];
      await points.connect(minter).reward(ada.address, 100, reason);
      await points.connect(minter).credit(ada.address, 10, receipt(1));
      const start = await time.latest();
      await time.increase(20 * DAY);
      await points.connect(minter).reward(bo.address, 1, reason);
      await points.connect(bo).transfer(ada.address, 1); // a gift is not ada's own act: her clock runs on
      await points.connect(minter).reversePurchase(receipt(1));
      const [, expiresAt] = await points.expiringBy(ada.address, start + EXPIRY_DAYS * DAY);
      expect(expiresAt).to.equal(BigInt(start + EXPIRY_DAYS * DAY));
    });

    it("expire refuses a program without expiry", async () => {
      const { points, minter, stranger, members } = await loadFixture(deployPendingPoints);
      await points.connect(minter).reward(members[0]!.address, 10, reason);
      await time.increase(3650 * DAY);
      await expect(points.connect(stranger).expire(members[0]!.address))
        .to.be.revertedWithCustomError(points, "PointsNothingToExpire")
        .withArgs(members[0]!.address);
    });
  });
});
