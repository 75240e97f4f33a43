import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { NOTICE_PERIOD } from "./fixtures/tokens";
import {
  DATED_DAYS,
  DAY,
  EXPIRY_DAYS,
  LOT_DAYS,
  PENDING_DAYS,
  datedExpiryOf,
  deployDatedPoints,
  deployInactivityPoints,
} from "./fixtures/pointsLifecycle";
import type { Points } from "../typechain-types";

const reason = ethers.encodeBytes32String("visit");
const receipt = (n: number) => ethers.keccak256(ethers.toUtf8Bytes(`expiry-rules-receipt-${n}`));

/** Moves the chain to the start of a fresh dated-lot period (so a test's dates do not depend on the hour). */
async function startOfPeriod() {
  const now = await time.latest();
  await time.increaseTo((Math.floor(now / (LOT_DAYS * DAY)) + 1) * LOT_DAYS * DAY + 60);
}

/**
 * A member's live dated lots, read through `expiringBy` alone: for each date given (ascending), the points expiring
 * exactly then (what expires by that date less what expires by the second before).
 */
async function lotsAt(points: Points, member: string, dates: number[]) {
  const lots: Array<[number, bigint]> = [];
  for (const date of dates) {
    const [by] = await points.expiringBy(member, date);
    const [before] = await points.expiringBy(member, date - 1);
    lots.push([date, by - before]);
  }
  return lots;
}

describe("Points: expiry that strangers cannot play (#25)", () => {
  describe("inactivity: only the member's own acts keep points alive", () => {
    it("a stranger's drip does not keep a balance alive: it expires on the member's last own act", async () => {
      const { points, minter, stranger, members } = await loadFixture(deployInactivityPoints);
      const [ada, bo] = [members[0]!, members[1]!];
      await points.connect(minter).reward(bo.address, 10, reason);
      await points.connect(minter).reward(ada.address, 100, reason);
      const expiresAt = (await time.latest()) + EXPIRY_DAYS * DAY;
      for (let i = 0; i < 4; i++) {
        await time.increase(7 * DAY);
        await points.connect(bo).transfer(ada.address, 1); // the drip
        expect((await points.expiringBy(ada.address, expiresAt))[1]).to.equal(BigInt(expiresAt));
      }
      // The balance expires on its own date, drips and all.
      await time.increaseTo(expiresAt);
      expect(await points.spendableOf(ada.address)).to.equal(0n);
      await expect(points.connect(ada).redeem(1, reason))
        .to.be.revertedWithCustomError(points, "PointsBalanceExpired")
        .withArgs(ada.address, expiresAt);
      await expect(points.connect(stranger).expire(ada.address)).to.emit(points, "PointsExpired").withArgs(ada.address, 104);
      expect(await points.totalSupply()).to.equal(6n);
    });

    it("the member's own acts restart the clock: an earn from the brand, a spend, a transfer out, a credit", async () => {
      const { points, minter, members } = await loadFixture(deployInactivityPoints);
      const [ada, bo] = [members[0]!, members[1]!];
      await points.connect(minter).reward(ada.address, 100, reason);
      const acts = [
        () => points.connect(ada).transfer(bo.address, 1),
        () => points.connect(ada).redeem(1, reason),
        () => points.connect(minter).reward(ada.address, 1, reason),
        () => points.connect(minter).credit(ada.address, 1, receipt(1)),
      ];
      for (const act of acts) {
        await time.increase(EXPIRY_DAYS * DAY - 60);
        await act();
        const expiresAt = (await time.latest()) + EXPIRY_DAYS * DAY;
        expect(await points.expiringBy(ada.address, expiresAt - 1)).to.deep.equal([0n, 0n]);
        expect((await points.expiringBy(ada.address, expiresAt))[1]).to.equal(BigInt(expiresAt));
      }
      // A transferFrom by someone she approved is her own spend too.
      await points.connect(ada).approve(bo.address, 5);
      await time.increase(EXPIRY_DAYS * DAY - 60);
      await points.connect(bo).transferFrom(ada.address, bo.address, 5);
      const expiresAt = (await time.latest()) + EXPIRY_DAYS * DAY;
      expect((await points.expiringBy(ada.address, expiresAt))[1]).to.equal(BigInt(expiresAt));
    });

    it("a first receipt starts the clock of an account with no activity, and later receipts do not move it", async () => {
      const { points, minter, members } = await loadFixture(deployInactivityPoints);
      const [ada, bo] = [members[0]!, members[1]!];
      await points.connect(minter).reward(bo.address, 10, reason);
      await points.connect(bo).transfer(ada.address, 4);
      const expiresAt = (await time.latest()) + EXPIRY_DAYS * DAY;
      await time.increase(20 * DAY);
      await points.connect(bo).transfer(ada.address, 3);
      expect(await points.expiringBy(ada.address, expiresAt)).to.deep.equal([7n, BigInt(expiresAt)]);
      await time.increaseTo(expiresAt);
      expect(await points.spendableOf(ada.address)).to.equal(0n); // a gift still expires
    });

    it("a receipt after expiry burns the expired points first, then starts a fresh clock for what arrived", async () => {
      const { points, minter, members } = await loadFixture(deployInactivityPoints);
      const [ada, bo] = [members[0]!, members[1]!];
      await points.connect(minter).reward(ada.address, 100, reason);
      await time.increase(EXPIRY_DAYS * DAY);
      await points.connect(minter).reward(bo.address, 50, reason);
      await expect(points.connect(bo).transfer(ada.address, 5)).to.emit(points, "PointsExpired").withArgs(ada.address, 100);
      const expiresAt = (await time.latest()) + EXPIRY_DAYS * DAY;
      expect(await points.spendableOf(ada.address)).to.equal(5n);
      expect(await points.expiringBy(ada.address, expiresAt - 1)).to.deep.equal([0n, 0n]);
      expect(await points.expiringBy(ada.address, expiresAt)).to.deep.equal([5n, BigInt(expiresAt)]);
      // A second drip into the running clock moves it no more.
      await time.increase(10 * DAY);
      await points.connect(bo).transfer(ada.address, 5);
      expect(await points.expiringBy(ada.address, expiresAt)).to.deep.equal([10n, BigInt(expiresAt)]);
    });

    it("a reversal burning the member's points is not their activity", async () => {
      const { points, minter, members } = await loadFixture(deployInactivityPoints);
      const ada = members[0]!;
      await points.connect(minter).credit(ada.address, 10, receipt(1));
      await points.connect(minter).reward(ada.address, 100, reason);
      const expiresAt = (await time.latest()) + EXPIRY_DAYS * DAY;
      await time.increase(20 * DAY);
      await points.connect(minter).reversePurchase(receipt(1));
      expect(await points.expiringBy(ada.address, expiresAt)).to.deep.equal([100n, BigInt(expiresAt)]);
    });
  });

  describe("dated lots: a gift is a lot of its own", () => {
    it("a stranger's drip forms lots of its own dates: the member's lots expire on theirs", async () => {
      const { points, minter, stranger, members } = await loadFixture(deployDatedPoints);
      const [ada, bo] = [members[0]!, members[1]!];
      await startOfPeriod();
      await points.connect(minter).reward(bo.address, 10, reason);
      await points.connect(minter).reward(ada.address, 100, reason);
      const earned = datedExpiryOf(await time.latest());
      const drips: number[] = [];
      for (let i = 0; i < 3; i++) {
        await time.increase(10 * DAY);
        await points.connect(bo).transfer(ada.address, 1);
        drips.push(datedExpiryOf(await time.latest()));
      }
      expect(await lotsAt(points, ada.address, [earned, ...drips])).to.deep.equal([
        [earned, 100n],
        ...drips.map((date) => [date, 1n]),
      ]);
      await time.increaseTo(earned);
      expect(await points.spendableOf(ada.address)).to.equal(3n);
      await expect(points.connect(stranger).expire(ada.address)).to.emit(points, "PointsExpired").withArgs(ada.address, 100);
    });
  });

  describe("dated lots: a reversal takes its own purchase's lot first (#25 item 5)", () => {
    /** Ada earns 100 (lot A), 10 days later buys 60 (lot P, pending), 4 days later earns 40 (lot B). */
    async function beforePurchaseAfter() {
      const fixture = await deployDatedPoints();
      const { points, minter, members } = fixture;
      const ada = members[0]!;
      await startOfPeriod();
      await points.connect(minter).reward(ada.address, 100, reason);
      const before = datedExpiryOf(await time.latest());
      await time.increase(10 * DAY);
      await points.connect(minter).credit(ada.address, 60, receipt(1));
      const purchase = datedExpiryOf(await time.latest());
      await time.increase(4 * DAY);
      await points.connect(minter).reward(ada.address, 40, reason);
      const after = datedExpiryOf(await time.latest());
      return { ...fixture, ada, dates: [before, purchase, after] };
    }

    it("while pending: the purchase's lot goes, lots earned before and after keep their points and dates", async () => {
      const { points, minter, ada, dates } = await loadFixture(beforePurchaseAfter);
      const [before, purchase, after] = dates as [number, number, number];
      await expect(points.connect(minter).reversePurchase(receipt(1)))
        .to.emit(points, "PointsPurchaseReversed")
        .withArgs(ada.address, receipt(1), 60, 60, 0);
      expect(await lotsAt(points, ada.address, [before, purchase, after])).to.deep.equal([
        [before, 100n],
        [purchase, 0n],
        [after, 40n],
      ]);
      expect(await points.expiringBy(ada.address, purchase)).to.deep.equal([100n, BigInt(before)]);
      // The lot after the purchase lives its full life: on the purchase's date it is all spendable.
      await time.increaseTo(purchase);
      expect(await points.spendableOf(ada.address)).to.equal(40n);
      await points.connect(ada).redeem(40, reason);
    });

    it("after release: the purchase's lot goes first, not the oldest", async () => {
      const { points, minter, ada, dates } = await loadFixture(beforePurchaseAfter);
      const [before, purchase, after] = dates as [number, number, number];
      await time.increase((PENDING_DAYS + 1) * DAY);
      await expect(points.connect(minter).reversePurchase(receipt(1)))
        .to.emit(points, "PointsPurchaseReversed")
        .withArgs(ada.address, receipt(1), 60, 60, 0);
      expect(await lotsAt(points, ada.address, [before, purchase, after])).to.deep.equal([
        [before, 100n],
        [purchase, 0n],
        [after, 40n],
      ]);
      expect(await points.balanceOf(ada.address)).to.equal(140n);
    });

    it("what the purchase's lot lacks (spent from it) comes from the oldest lots left, every other date kept", async () => {
      const { points, minter, ada, dates } = await loadFixture(beforePurchaseAfter);
      const [before, purchase, after] = dates as [number, number, number];
      await time.increase((PENDING_DAYS + 1) * DAY);
      await points.connect(ada).redeem(130, reason); // lot A whole, then 30 of the purchase's lot
      expect(await lotsAt(points, ada.address, [before, purchase, after])).to.deep.equal([
        [before, 0n],
        [purchase, 30n],
        [after, 40n],
      ]);
      await expect(points.connect(minter).reversePurchase(receipt(1)))
        .to.emit(points, "PointsPurchaseReversed")
        .withArgs(ada.address, receipt(1), 60, 60, 0);
      expect(await lotsAt(points, ada.address, [before, purchase, after])).to.deep.equal([
        [before, 0n],
        [purchase, 0n],
        [after, 10n],
      ]);
    });

    it("an emptied lot holds no date of its own, and a later earn of its period fills it again", async () => {
      const { points, minter, ada, dates } = await loadFixture(beforePurchaseAfter);
      const [, purchase, after] = dates as [number, number, number];
      await points.connect(minter).reversePurchase(receipt(1));
      await points.connect(ada).redeem(100, reason); // lot A whole; the emptied lot P is next, with nothing
      expect(await points.expiringBy(ada.address, purchase)).to.deep.equal([0n, 0n]);
      expect(await points.expiringBy(ada.address, after)).to.deep.equal([40n, BigInt(after)]);

      // Reversed in the period it was bought: the next earn of that period joins the same lot.
      await startOfPeriod();
      await points.connect(minter).credit(ada.address, 25, receipt(2));
      const bought = datedExpiryOf(await time.latest());
      await points.connect(minter).reversePurchase(receipt(2));
      await points.connect(minter).reward(ada.address, 5, reason);
      expect(await lotsAt(points, ada.address, [after, bought])).to.deep.equal([
        [after, 40n],
        [bought, 5n],
      ]);
    });
  });

  describe("the clock stops at the program's end (#25 item 6)", () => {
    it("inactivity: after the end, points due to expire later stay spendable in the views and expire never", async () => {
      const { points, stamps, admin, minter, members } = await loadFixture(deployInactivityPoints);
      const [ada, bo] = [members[0]!, members[1]!];
      const endsAt = (await time.latest()) + NOTICE_PERIOD + 10 * DAY;
      await stamps.connect(admin).announceEnd(endsAt);
      await points.connect(minter).reward(bo.address, 7, reason); // bo's balance expires before the end
      const boExpiresAt = (await time.latest()) + EXPIRY_DAYS * DAY;
      await time.increaseTo(endsAt - 10 * DAY);
      await points.connect(minter).reward(ada.address, 100, reason); // ada's would expire 20 days after the end
      // Before the end, a question about a time past it is answered at the end.
      expect(await points.expiringBy(ada.address, endsAt + 25 * DAY)).to.deep.equal([0n, 0n]);
      await time.increaseTo(endsAt + 100 * DAY);
      expect(await points.spendableOf(ada.address)).to.equal(100n);
      expect(await points.expiringBy(ada.address, endsAt + 3650 * DAY)).to.deep.equal([0n, 0n]);
      // What expired before the end stays expired, on its own date.
      expect(await points.spendableOf(bo.address)).to.equal(0n);
      expect(await points.expiringBy(bo.address, endsAt + 3650 * DAY)).to.deep.equal([7n, BigInt(boExpiresAt)]);
      await expect(points.expire(bo.address)).to.be.revertedWithCustomError(points, "PointsFrozen").withArgs(endsAt);
    });

    it("dated lots: lots dated after the end never expire in the views; those dated before did", async () => {
      const { points, stamps, admin, minter, members } = await loadFixture(deployDatedPoints);
      const ada = members[0]!;
      const endsAt = (await time.latest()) + NOTICE_PERIOD + 10 * DAY;
      await stamps.connect(admin).announceEnd(endsAt);
      await time.increaseTo(endsAt - DATED_DAYS * DAY - 4 * DAY);
      await points.connect(minter).reward(ada.address, 30, reason);
      const early = datedExpiryOf(await time.latest());
      // The second earn comes before the first lot expires: an earn sweeps expired lots into one sum, which is
      // dated when it is read (so after the end, at the end), and this test is about a lot's own date.
      await time.increaseTo(Math.min(endsAt - 5 * DAY, early - 3600));
      await points.connect(minter).reward(ada.address, 70, reason);
      const late = datedExpiryOf(await time.latest());
      expect(early < endsAt && late > endsAt).to.equal(true);
      expect(await points.expiringBy(ada.address, late)).to.deep.equal([30n, BigInt(early)]);
      await time.increaseTo(late + 10 * DAY);
      expect(await points.spendableOf(ada.address)).to.equal(70n);
      expect(await points.expiringBy(ada.address, late + 3650 * DAY)).to.deep.equal([30n, BigInt(early)]);
    });
  });
});
