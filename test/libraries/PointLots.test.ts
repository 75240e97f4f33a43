import { expect } from "chai";
import { ethers } from "hardhat";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";

const DAY = 86_400;

/** A plain model of dated lots: what {PointLots.Dated} must do, written the obvious way. */
class DatedModel {
  lots: Array<{ amount: bigint; time: number }> = [];
  expired = 0n;

  sweep(now: number) {
    while (this.lots.length > 0 && this.lots[0]!.time <= now) this.expired += this.lots.shift()!.amount;
    return this.expired;
  }

  add(now: number, amount: bigint, expiresAt: number) {
    this.sweep(now);
    const last = this.lots[this.lots.length - 1];
    if (last && last.time === expiresAt) last.amount += amount;
    else this.lots.push({ amount, time: expiresAt });
  }

  spend(amount: bigint) {
    while (amount > 0n && this.lots.length > 0) {
      const lot = this.lots[0]!;
      if (lot.amount > amount) {
        lot.amount -= amount;
        return;
      }
      amount -= lot.amount;
      this.lots.shift();
    }
  }

  /** The lot of `time` first (emptied lots are dropped here: the contract keeps them with nothing), then the oldest. */
  spendFrom(amount: bigint, time: number) {
    const index = this.lots.findIndex((lot) => lot.time === time);
    if (index >= 0) {
      const lot = this.lots[index]!;
      const taken = lot.amount < amount ? lot.amount : amount;
      lot.amount -= taken;
      amount -= taken;
      if (lot.amount === 0n) this.lots.splice(index, 1);
    }
    this.spend(amount);
  }

  /** Points expired or expiring by `timestamp`, with the earliest date among the live lots counted. */
  expiringBy(timestamp: number) {
    let amount = this.expired;
    let earliest = 0;
    for (const lot of this.lots) {
      if (lot.time > timestamp) break;
      if (earliest === 0) earliest = lot.time;
      amount += lot.amount;
    }
    return { amount, earliest };
  }
}

type DatedOp =
  | { kind: "add"; step: number; amount: bigint; later: number }
  | { kind: "spend"; step: number; amount: bigint }
  | { kind: "spendFrom"; step: number; amount: bigint; lot: number }
  | { kind: "sweep"; step: number };

const stepArb = fc.integer({ min: 1, max: 3 * DAY });
const amountArb = fc.bigInt({ min: 1n, max: 1_000n });
const datedOpArb: fc.Arbitrary<DatedOp> = fc.oneof(
  fc.record({ kind: fc.constant("add" as const), step: stepArb, amount: amountArb, later: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant("spend" as const), step: stepArb, amount: amountArb }),
  fc.record({ kind: fc.constant("spendFrom" as const), step: stepArb, amount: amountArb, lot: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant("sweep" as const), step: stepArb }),
);

/** The harness, and a clock set to the start of a day so every test's dates are round. */
async function harnessFixture() {
  const harness = await ethers.deployContract("PointLotsHarness");
  const now = await time.latest();
  const start = (Math.floor(now / DAY) + 1) * DAY;
  await time.increaseTo(start);
  return { harness, start };
}

describe("PointLots (library, in isolation)", function () {
  describe("pending lots", function () {
    it("locks credits of one release time in one lot, and a later release time in the next", async function () {
      const { harness, start } = await loadFixture(harnessFixture);
      await expect(harness.lock(100n, start + 2 * DAY))
        .to.emit(harness, "Returned")
        .withArgs(0n);
      await expect(harness.lock(50n, start + 2 * DAY))
        .to.emit(harness, "Returned")
        .withArgs(0n);
      await expect(harness.lock(7n, start + 3 * DAY))
        .to.emit(harness, "Returned")
        .withArgs(1n);
      expect(await harness.pending()).to.equal(157n);
    });

    it("counts a lot pending until its release time, then drops it on the next release or lock", async function () {
      const { harness, start } = await loadFixture(harnessFixture);
      await harness.lock(100n, start + DAY);
      await harness.lock(30n, start + 2 * DAY);

      await time.setNextBlockTimestamp(start + DAY - 1);
      await expect(harness.release()).to.emit(harness, "Returned").withArgs(130n);

      // At its release second the lot is spendable: the view and the write agree.
      await time.increaseTo(start + DAY);
      expect(await harness.pending()).to.equal(30n);
      await expect(harness.release()).to.emit(harness, "Returned").withArgs(30n);

      // A lock after both releases starts from an empty queue; the index goes on from the tail.
      await time.setNextBlockTimestamp(start + 2 * DAY);
      await expect(harness.lock(5n, start + 4 * DAY))
        .to.emit(harness, "Returned")
        .withArgs(2n);
      expect(await harness.pending()).to.equal(5n);
    });

    it("unlocks part of a pending lot, and refuses to take more than it holds", async function () {
      const { harness, start } = await loadFixture(harnessFixture);
      await harness.lock(100n, start + DAY);
      await harness.lock(40n, start + 2 * DAY);
      await harness.unlock(0n, 60n);
      expect(await harness.pending()).to.equal(80n);
      await expect(harness.unlock(1n, 41n)).to.be.revertedWithPanic(0x11);

      // The reduced lot still releases on its date, with what is left of it.
      await time.setNextBlockTimestamp(start + DAY);
      await expect(harness.release()).to.emit(harness, "Returned").withArgs(40n);
    });
  });

  describe("dated lots", function () {
    it("adds earns of one expiry date to one lot, and reports what expires by a date, with the earliest date", async function () {
      const { harness, start } = await loadFixture(harnessFixture);
      await harness.add(10n, start + 10 * DAY);
      await harness.add(5n, start + 10 * DAY);
      await harness.add(20n, start + 20 * DAY);

      expect(await harness.expiringBy(start + 9 * DAY)).to.deep.equal([0n, 0n]);
      expect(await harness.expiringBy(start + 10 * DAY)).to.deep.equal([15n, BigInt(start + 10 * DAY)]);
      expect(await harness.expiringBy(start + 30 * DAY)).to.deep.equal([35n, BigInt(start + 10 * DAY)]);
    });

    it("sweeps lots past their date into the expired sum, which clearExpired empties", async function () {
      const { harness, start } = await loadFixture(harnessFixture);
      await harness.add(10n, start + DAY);
      await harness.add(20n, start + 2 * DAY);
      await harness.add(40n, start + 3 * DAY);

      await time.setNextBlockTimestamp(start + DAY - 1);
      await expect(harness.sweep()).to.emit(harness, "Returned").withArgs(0n);
      await time.setNextBlockTimestamp(start + 2 * DAY);
      await expect(harness.sweep()).to.emit(harness, "Returned").withArgs(30n);

      // Swept points are still reported, dated now; the live lot is not, until its own date.
      const [amount, at] = await harness.expiringBy(start + 2 * DAY);
      expect(amount).to.equal(30n);
      expect(at).to.be.within(BigInt(start + 2 * DAY), BigInt(start + 2 * DAY + 60));

      // A sweep adds lots found expired to what was already swept.
      await time.setNextBlockTimestamp(start + 3 * DAY);
      await expect(harness.clearExpired()).to.emit(harness, "Returned").withArgs(70n);
      expect(await harness.expiringBy(start + 100 * DAY)).to.deep.equal([0n, 0n]);
      await expect(harness.clearExpired()).to.emit(harness, "Returned").withArgs(0n);
    });

    it("sweeps before adding, so a new earn never joins an expired lot of the same date", async function () {
      const { harness, start } = await loadFixture(harnessFixture);
      await harness.add(10n, start + DAY);
      await time.setNextBlockTimestamp(start + DAY);
      await harness.add(3n, start + DAY); // a date already past: a lot of its own, after the sweep
      await expect(harness.sweep()).to.emit(harness, "Returned").withArgs(13n);
    });

    it("spends the oldest lots first, deleting the lots it empties", async function () {
      const { harness, start } = await loadFixture(harnessFixture);
      await harness.add(10n, start + 10 * DAY);
      await harness.add(20n, start + 20 * DAY);
      await harness.add(40n, start + 30 * DAY);

      await harness.spend(15n); // all of the first lot, 5 of the second
      expect(await harness.expiringBy(start + 10 * DAY)).to.deep.equal([0n, 0n]);
      expect(await harness.expiringBy(start + 20 * DAY)).to.deep.equal([15n, BigInt(start + 20 * DAY)]);

      // A spend of more than the lots hold takes what they hold and stops.
      await harness.spend(1_000n);
      expect(await harness.expiringBy(start + 100 * DAY)).to.deep.equal([0n, 0n]);

      // The emptied queue starts afresh.
      await harness.add(8n, start + 40 * DAY);
      expect(await harness.expiringBy(start + 100 * DAY)).to.deep.equal([8n, BigInt(start + 40 * DAY)]);
    });

    it("spendFrom takes the lot of its date first, then the oldest; the lot it empties holds no date", async function () {
      const { harness, start } = await loadFixture(harnessFixture);
      await harness.add(10n, start + 10 * DAY);
      await harness.add(20n, start + 20 * DAY);
      await harness.add(40n, start + 30 * DAY);

      await harness.spendFrom(15n, start + 20 * DAY); // 15 of the middle lot; the others keep theirs
      expect(await harness.expiringBy(start + 10 * DAY)).to.deep.equal([10n, BigInt(start + 10 * DAY)]);
      expect(await harness.expiringBy(start + 20 * DAY)).to.deep.equal([15n, BigInt(start + 10 * DAY)]);
      expect(await harness.expiringBy(start + 30 * DAY)).to.deep.equal([55n, BigInt(start + 10 * DAY)]);

      await harness.spendFrom(12n, start + 20 * DAY); // the middle lot's 5, then 7 of the oldest
      expect(await harness.expiringBy(start + 20 * DAY)).to.deep.equal([3n, BigInt(start + 10 * DAY)]);
      await harness.spend(3n); // the oldest's rest: the emptied middle lot is next and counts for nothing
      expect(await harness.expiringBy(start + 30 * DAY)).to.deep.equal([40n, BigInt(start + 30 * DAY)]);

      // A date no live lot has: all from the oldest.
      await harness.spendFrom(4n, start + 25 * DAY);
      expect(await harness.expiringBy(start + 30 * DAY)).to.deep.equal([36n, BigInt(start + 30 * DAY)]);
      // Past its date, an emptied lot sweeps to nothing.
      await time.setNextBlockTimestamp(start + 20 * DAY);
      await expect(harness.sweep()).to.emit(harness, "Returned").withArgs(0n);
    });
  });

  describe("dated lots against a plain model", function () {
    it("any sequence of earns, spends and sweeps leaves the same lots as the model", async function () {
      await fc.assert(
        fc.asyncProperty(fc.array(datedOpArb, { minLength: 1, maxLength: 8 }), async (ops) => {
          const { harness, start } = await loadFixture(harnessFixture);
          const model = new DatedModel();
          let now = start;
          let lastExpiry = start;
          for (const op of ops) {
            now += op.step;
            await time.setNextBlockTimestamp(now);
            if (op.kind === "add") {
              // Dates never go back, as Points dates each earn by its period.
              lastExpiry = Math.max(lastExpiry, now + 4 * DAY) + op.later * DAY;
              await harness.add(op.amount, lastExpiry);
              model.add(now, op.amount, lastExpiry);
            } else if (op.kind === "spend") {
              await harness.spend(op.amount);
              model.spend(op.amount);
            } else if (op.kind === "spendFrom") {
              // The lot of a date the model holds (or a date it does not: then all from the oldest).
              const date = model.lots[op.lot]?.time ?? lastExpiry + DAY;
              await harness.spendFrom(op.amount, date);
              model.spendFrom(op.amount, date);
            } else {
              await expect(harness.sweep()).to.emit(harness, "Returned").withArgs(model.sweep(now));
            }
            // Lot by lot: what expires by each lot's date, and by the second before it, is the model's.
            for (const date of model.lots.flatMap((lot) => [lot.time - 1, lot.time])) {
              const [amount] = await harness.expiringBy(date);
              expect(amount).to.equal(model.expiringBy(date).amount);
            }
          }
          // Every lot, live or expired, as the model has it; then the sweep at a later second agrees on what expired.
          const horizon = lastExpiry + 10 * DAY;
          const [amount] = await harness.expiringBy(horizon);
          expect(amount).to.equal(model.expiringBy(horizon).amount);
          now += 1;
          await time.setNextBlockTimestamp(now);
          await expect(harness.sweep()).to.emit(harness, "Returned").withArgs(model.sweep(now));
          const live = model.expiringBy(horizon);
          if (model.expired === 0n) {
            const [, at] = await harness.expiringBy(horizon);
            expect(at).to.equal(BigInt(live.amount === 0n ? 0 : live.earliest));
          }
        }),
        { numRuns: 25 },
      );
    });
  });
});
