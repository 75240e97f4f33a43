import { expect } from "chai";
import { ethers } from "hardhat";
import type { Interface } from "ethers";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import {
  DATED_DAYS,
  DAY,
  EXPIRY_DAYS,
  datedExpiryOf,
  deployDatedPoints,
  deployInactivityPoints,
  releaseOf,
} from "../fixtures/pointsLifecycle";
import { expectBalancesFromTransfers } from "../behaviors/erc20.behavior";

// Random sequences of credits, reversals, rewards, transfers, redemptions, expiries and time jumps against Points
// with pending purchases (14 days) and inactivity expiry (30 days), replayed beside a plain model of the rules.
const RUNS = { numRuns: 30 };
const MEMBERS = 4;
const RECEIPTS = 5;

/** The error a call reverted with (undefined when it succeeded); anything but a custom error fails the property. */
async function outcome(call: Promise<unknown>, contract: { interface: Interface }): Promise<string | undefined> {
  try {
    await (await (call as Promise<{ wait(): Promise<unknown> }>)).wait();
    return undefined;
  } catch (e) {
    const data = (e as { data?: string }).data;
    const parsed = data ? contract.interface.parseError(data) : null;
    if (!parsed) throw e;
    return parsed.name;
  }
}

interface ModelReceipt {
  state: "credited" | "reversed";
  member: number;
  amount: bigint;
  releaseAt: number;
}

const op = fc.oneof(
  fc.record({ kind: fc.constant("reward" as const), member: fc.nat(MEMBERS - 1), amount: fc.integer({ min: 1, max: 500 }) }),
  fc.record({
    kind: fc.constant("credit" as const),
    member: fc.nat(MEMBERS - 1),
    amount: fc.integer({ min: 1, max: 500 }),
    receipt: fc.nat(RECEIPTS - 1),
  }),
  fc.record({ kind: fc.constant("reverse" as const), receipt: fc.nat(RECEIPTS - 1) }),
  fc.record({ kind: fc.constant("redeem" as const), member: fc.nat(MEMBERS - 1), amount: fc.integer({ min: 1, max: 600 }) }),
  fc.record({
    kind: fc.constant("transfer" as const),
    member: fc.nat(MEMBERS - 1),
    to: fc.nat(MEMBERS - 1),
    amount: fc.integer({ min: 1, max: 600 }),
  }),
  fc.record({ kind: fc.constant("expire" as const), member: fc.nat(MEMBERS - 1) }),
  fc.record({ kind: fc.constant("wait" as const), seconds: fc.integer({ min: 1, max: 40 * DAY }) }),
);

describe("properties: Points lifecycle (pending, reversal, expiry)", () => {
  it("no receipt moves points twice, no balance goes negative, the ledger's entries sum to totalSupply", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 16 }), async (ops) => {
        const { points, minter, stranger, members } = await loadFixture(deployInactivityPoints);
        const fromBlock = await ethers.provider.getBlockNumber();
        const holders = members.slice(0, MEMBERS);
        const balance = holders.map(() => 0n);
        const lastActive = holders.map(() => 0);
        const receipts = new Map<number, ModelReceipt>();
        const receiptId = (r: number) => ethers.id(`receipt-${r}`);
        let clock = await time.latest();

        const pending = (m: number, t: number) =>
          [...receipts.values()]
            .filter((r) => r.state === "credited" && r.member === m && r.releaseAt > t)
            .reduce((sum, r) => sum + r.amount, 0n);
        const expiresAt = (m: number) => (lastActive[m] === 0 ? Infinity : lastActive[m]! + EXPIRY_DAYS * DAY);
        const expired = (m: number, t: number) => balance[m]! > 0n && expiresAt(m) <= t;
        const spendable = (m: number, t: number) => (expiresAt(m) <= t ? 0n : balance[m]! - pending(m, t));
        // Points reaching a member whose balance expired first burn the expired ones.
        const receive = (m: number, amount: bigint, t: number) => {
          if (expired(m, t)) balance[m] = 0n;
          balance[m]! += amount;
          lastActive[m] = t;
        };
        const spendError = (m: number, amount: bigint, t: number) =>
          balance[m]! < amount
            ? "ERC20InsufficientBalance"
            : expiresAt(m) <= t
              ? "PointsBalanceExpired"
              : spendable(m, t) < amount
                ? "PointsNotSpendable"
                : undefined;

        for (const o of ops) {
          if (o.kind === "wait") {
            clock += o.seconds;
            continue;
          }
          const t = ++clock;
          await time.setNextBlockTimestamp(t);
          if (o.kind === "reward") {
            expect(
              await outcome(points.connect(minter).reward(holders[o.member]!.address, o.amount, ethers.ZeroHash), points),
            ).to.equal(undefined);
            receive(o.member, BigInt(o.amount), t);
          } else if (o.kind === "credit") {
            const known = receipts.get(o.receipt);
            const expected =
              known?.state === "credited" ? "PointsReceiptAlreadyCredited" : known ? "PointsReceiptReversed" : undefined;
            const call = points.connect(minter).credit(holders[o.member]!.address, o.amount, receiptId(o.receipt));
            expect(await outcome(call, points)).to.equal(expected);
            if (!expected) {
              receive(o.member, BigInt(o.amount), t);
              receipts.set(o.receipt, { state: "credited", member: o.member, amount: BigInt(o.amount), releaseAt: releaseOf(t) });
            }
          } else if (o.kind === "reverse") {
            const known = receipts.get(o.receipt);
            const call = points.connect(minter).reversePurchase(receiptId(o.receipt));
            expect(await outcome(call, points)).to.equal(
              known?.state === "reversed" ? "PointsReceiptAlreadyReversed" : undefined,
            );
            if (!known) receipts.set(o.receipt, { state: "reversed", member: -1, amount: 0n, releaseAt: 0 });
            else if (known.state === "credited") {
              const burned =
                t < known.releaseAt
                  ? known.amount
                  : spendable(known.member, t) < known.amount
                    ? spendable(known.member, t)
                    : known.amount;
              known.state = "reversed";
              balance[known.member]! -= burned;
            }
          } else if (o.kind === "redeem") {
            const amount = BigInt(o.amount);
            const expected = spendError(o.member, amount, t);
            expect(await outcome(points.connect(holders[o.member]!).redeem(amount, ethers.ZeroHash), points)).to.equal(expected);
            if (!expected) {
              balance[o.member]! -= amount;
              lastActive[o.member] = t;
            }
          } else if (o.kind === "transfer") {
            const amount = BigInt(o.amount);
            const expected = spendError(o.member, amount, t);
            const call = points.connect(holders[o.member]!).transfer(holders[o.to]!.address, amount);
            expect(await outcome(call, points)).to.equal(expected);
            if (!expected) {
              if (o.to !== o.member && expired(o.to, t)) balance[o.to] = 0n;
              balance[o.member]! -= amount;
              lastActive[o.member] = t;
              balance[o.to]! += amount;
              lastActive[o.to] = t;
            }
          } else {
            const expected = expired(o.member, t) ? undefined : "PointsNothingToExpire";
            expect(await outcome(points.connect(stranger).expire(holders[o.member]!.address), points)).to.equal(expected);
            if (!expected) balance[o.member] = 0n;
          }

          const now = await time.latest();
          for (const [m, holder] of holders.entries()) {
            expect(balance[m]! >= 0n).to.equal(true);
            expect(await points.balanceOf(holder.address)).to.equal(balance[m]);
            expect(await points.pendingOf(holder.address)).to.equal(pending(m, now));
            expect(await points.spendableOf(holder.address)).to.equal(spendable(m, now));
          }
          expect(await points.totalSupply()).to.equal(balance.reduce((a, b) => a + b, 0n));
        }

        // The ledger: every balance change is a Transfer event; they give each balance, and add up to the supply.
        await expectBalancesFromTransfers(points);
        // A receipt is credited at most once and reversed at most once, never burning more than it credited.
        const credits = await points.queryFilter(points.filters.PointsCredited(), fromBlock + 1);
        const reversals = await points.queryFilter(points.filters.PointsPurchaseReversed(), fromBlock + 1);
        for (let r = 0; r < RECEIPTS; r++) {
          const credited = credits.filter((e) => e.args.receiptId === receiptId(r));
          const reversed = reversals.filter((e) => e.args.receiptId === receiptId(r));
          expect(credited.length <= 1 && reversed.length <= 1).to.equal(true);
          for (const { args } of reversed) {
            expect(args.burned + args.shortfall).to.equal(args.amount);
            expect(args.amount).to.equal(credited[0]?.args.amount ?? 0n);
          }
        }
      }),
      RUNS,
    );
  });

  it("dated lots: nothing older than N days is ever spent, expire burns exactly the expired rest, the rest as above", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 16 }), async (ops) => {
        const { points, minter, stranger, members } = await loadFixture(deployDatedPoints);
        const fromBlock = await ethers.provider.getBlockNumber();
        const holders = members.slice(0, MEMBERS);
        // Each member's lots, oldest first (earnedAt: the first earn in the lot), and lots found expired.
        const lots = holders.map(() => [] as { amount: bigint; expiresAt: number; earnedAt: number }[]);
        const setAside = holders.map(() => 0n);
        const receipts = new Map<number, ModelReceipt>();
        const receiptId = (r: number) => ethers.id(`receipt-${r}`);
        let clock = await time.latest();
        let expiredBurned = 0n;

        const balance = (m: number) => lots[m]!.reduce((sum, lot) => sum + lot.amount, setAside[m]!);
        const pending = (m: number, t: number) =>
          [...receipts.values()]
            .filter((r) => r.state === "credited" && r.member === m && r.releaseAt > t)
            .reduce((sum, r) => sum + r.amount, 0n);
        const expiringBy = (m: number, t: number) =>
          lots[m]!.filter((lot) => lot.expiresAt <= t).reduce((sum, lot) => sum + lot.amount, setAside[m]!);
        const spendable = (m: number, t: number) => balance(m) - pending(m, t) - expiringBy(m, t);
        const sweep = (m: number, t: number) => {
          while (lots[m]!.length > 0 && lots[m]![0]!.expiresAt <= t) setAside[m]! += lots[m]!.shift()!.amount;
        };
        const earn = (m: number, amount: bigint, t: number) => {
          sweep(m, t);
          const expiresAt = datedExpiryOf(t);
          expect(expiresAt <= t + DATED_DAYS * DAY).to.equal(true);
          const last = lots[m]!.at(-1);
          if (last?.expiresAt === expiresAt) last.amount += amount;
          else lots[m]!.push({ amount, expiresAt, earnedAt: t });
        };
        const take = (m: number, amount: bigint, t: number, newestFirst: boolean) => {
          sweep(m, t);
          while (amount > 0n) {
            const lot = newestFirst ? lots[m]!.at(-1)! : lots[m]![0]!;
            // Nothing older than N days is ever spent: every lot taken from is still live.
            expect(lot.expiresAt > t && t - lot.earnedAt < DATED_DAYS * DAY).to.equal(true);
            const used = lot.amount < amount ? lot.amount : amount;
            lot.amount -= used;
            amount -= used;
            if (lot.amount === 0n) {
              if (newestFirst) lots[m]!.pop();
              else lots[m]!.shift();
            }
          }
        };
        const spendError = (m: number, amount: bigint, t: number) =>
          balance(m) < amount ? "ERC20InsufficientBalance" : spendable(m, t) < amount ? "PointsNotSpendable" : undefined;

        for (const o of ops) {
          if (o.kind === "wait") {
            clock += o.seconds;
            continue;
          }
          const t = ++clock;
          await time.setNextBlockTimestamp(t);
          if (o.kind === "reward") {
            const call = points.connect(minter).reward(holders[o.member]!.address, o.amount, ethers.ZeroHash);
            expect(await outcome(call, points)).to.equal(undefined);
            earn(o.member, BigInt(o.amount), t);
          } else if (o.kind === "credit") {
            const known = receipts.get(o.receipt);
            const expected =
              known?.state === "credited" ? "PointsReceiptAlreadyCredited" : known ? "PointsReceiptReversed" : undefined;
            const call = points.connect(minter).credit(holders[o.member]!.address, o.amount, receiptId(o.receipt));
            expect(await outcome(call, points)).to.equal(expected);
            if (!expected) {
              earn(o.member, BigInt(o.amount), t);
              receipts.set(o.receipt, { state: "credited", member: o.member, amount: BigInt(o.amount), releaseAt: releaseOf(t) });
            }
          } else if (o.kind === "reverse") {
            const known = receipts.get(o.receipt);
            const call = points.connect(minter).reversePurchase(receiptId(o.receipt));
            expect(await outcome(call, points)).to.equal(
              known?.state === "reversed" ? "PointsReceiptAlreadyReversed" : undefined,
            );
            if (!known) receipts.set(o.receipt, { state: "reversed", member: -1, amount: 0n, releaseAt: 0 });
            else if (known.state === "credited") {
              const during = t < known.releaseAt;
              const can = spendable(known.member, t);
              const burned = during ? known.amount : can < known.amount ? can : known.amount;
              known.state = "reversed";
              if (during) take(known.member, burned, t, true);
              else if (burned > 0n) take(known.member, burned, t, false);
            }
          } else if (o.kind === "redeem") {
            const amount = BigInt(o.amount);
            const expected = spendError(o.member, amount, t);
            expect(await outcome(points.connect(holders[o.member]!).redeem(amount, ethers.ZeroHash), points)).to.equal(expected);
            if (!expected) take(o.member, amount, t, false);
          } else if (o.kind === "transfer") {
            const amount = BigInt(o.amount);
            const expected = spendError(o.member, amount, t);
            const call = points.connect(holders[o.member]!).transfer(holders[o.to]!.address, amount);
            expect(await outcome(call, points)).to.equal(expected);
            if (!expected && o.to !== o.member) {
              take(o.member, amount, t, false);
              earn(o.to, amount, t);
            }
          } else {
            const due = expiringBy(o.member, t);
            const call = points.connect(stranger).expire(holders[o.member]!.address);
            if (due === 0n) expect(await outcome(call, points)).to.equal("PointsNothingToExpire");
            else {
              // expire burns exactly the expired remainder, and says so.
              await expect(call).to.emit(points, "PointsExpired").withArgs(holders[o.member]!.address, due);
              sweep(o.member, t);
              setAside[o.member] = 0n;
              expiredBurned += due;
            }
          }

          const now = await time.latest();
          for (const [m, holder] of holders.entries()) {
            expect(balance(m) >= 0n && lots[m]!.every((lot) => lot.amount > 0n)).to.equal(true);
            expect(await points.balanceOf(holder.address)).to.equal(balance(m));
            expect(await points.pendingOf(holder.address)).to.equal(pending(m, now));
            expect(await points.spendableOf(holder.address)).to.equal(spendable(m, now));
            for (const ahead of [0, 7 * DAY, DATED_DAYS * DAY]) {
              const [amount] = await points.expiringBy(holder.address, now + ahead);
              expect(amount).to.equal(expiringBy(m, now + ahead));
            }
          }
          expect(await points.totalSupply()).to.equal(holders.reduce((sum, _, m) => sum + balance(m), 0n));
        }

        await expectBalancesFromTransfers(points);
        const expiries = await points.queryFilter(points.filters.PointsExpired(), fromBlock + 1);
        expect(expiries.reduce((sum, e) => sum + e.args.amount, 0n)).to.equal(expiredBurned);
        const credits = await points.queryFilter(points.filters.PointsCredited(), fromBlock + 1);
        const reversals = await points.queryFilter(points.filters.PointsPurchaseReversed(), fromBlock + 1);
        for (let r = 0; r < RECEIPTS; r++) {
          const credited = credits.filter((e) => e.args.receiptId === receiptId(r));
          const reversed = reversals.filter((e) => e.args.receiptId === receiptId(r));
          expect(credited.length <= 1 && reversed.length <= 1).to.equal(true);
          for (const { args } of reversed) expect(args.burned + args.shortfall).to.equal(args.amount);
        }
      }),
      RUNS,
    );
  });
});
