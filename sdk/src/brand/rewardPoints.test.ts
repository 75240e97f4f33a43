import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  type ContractRevertError,
  creditPurchase,
  getBalances,
  getProgramInfo,
  receiptIdOf,
  redeemPoints,
  rewardPoints,
} from "../index.js";
import { sdkProgram } from "../../../test/helpers/sdkProgram.js";
import { expectRejectedBeforeSending } from "../../../test/helpers/sdkErrors.js";

describe("sdk: rewardPoints, creditPurchase, redeemPoints", () => {
  it("rewards one member and a batch, with per-member results", async () => {
    const { program, backend, members } = await loadFixture(sdkProgram);
    const [alice, bob] = members.map((m) => m.account.address);
    const single = await rewardPoints(backend, { program, reason: "welcome", rewards: [{ member: alice!, amount: 100n }] });
    expect(single.rewarded).to.deep.equal([{ member: alice, amount: 100n }]);
    const batch = await rewardPoints(backend, {
      program,
      reason: "autumn-campaign",
      rewards: [
        { member: alice!, amount: 5n },
        { member: bob!, amount: 7n },
      ],
    });
    expect(batch.rewarded).to.deep.equal([
      { member: alice, amount: 5n },
      { member: bob, amount: 7n },
    ]);
    expect((await getBalances(backend, { program, member: alice! })).points).to.equal(105n);
    expect((await getProgramInfo(backend, { program })).points.totalSupply).to.equal(112n);
  });

  it("credits a receipt once; the second credit is a named error and changes nothing", async () => {
    const { program, backend, members } = await loadFixture(sdkProgram);
    const alice = members[0]!.account.address;
    const receiptId = receiptIdOf("order-000123", "brand-secret");
    expect(receiptId).to.not.equal(receiptIdOf("order-000123", "other-secret"));
    await creditPurchase(backend, { program, member: alice, amount: 500n, receiptId });
    try {
      await creditPurchase(backend, { program, member: alice, amount: 500n, receiptId });
      expect.fail("second credit should fail");
    } catch (error) {
      expect((error as ContractRevertError).errorName).to.equal("PointsReceiptAlreadyCredited");
      expect((error as ContractRevertError).args).to.deep.equal([receiptId]);
    }
    expect((await getBalances(backend, { program, member: alice })).points).to.equal(500n);
  });

  it("redeems a member's points and refuses more than the balance", async () => {
    const { program, backend, members } = await loadFixture(sdkProgram);
    const alice = members[0]!;
    await rewardPoints(backend, { program, reason: "welcome", rewards: [{ member: alice.account.address, amount: 100n }] });
    await redeemPoints(alice, { program, amount: 40n, rewardId: "free-coffee" });
    expect((await getBalances(alice, { program, member: alice.account.address })).points).to.equal(60n);
    try {
      await redeemPoints(alice, { program, amount: 61n, rewardId: "free-coffee" });
      expect.fail("should fail");
    } catch (error) {
      expect((error as ContractRevertError).errorName).to.equal("ERC20InsufficientBalance");
      expect((error as Error).message).to.contain("holds 60 points but 61 are needed");
    }
  });

  it("rejects bad arguments before sending anything", async () => {
    const { program, backend, members } = await loadFixture(sdkProgram);
    const alice = members[0]!.account.address;
    await expectRejectedBeforeSending(backend, [
      [() => rewardPoints(backend, { program, reason: "x", rewards: [] }), "rewards"],
      [() => rewardPoints(backend, { program, reason: "x", rewards: [{ member: alice, amount: 0n }] }), "rewards[0].amount"],
      [() => rewardPoints(backend, { program, reason: "x".repeat(32), rewards: [{ member: alice, amount: 1n }] }), "reason"],
      [() => creditPurchase(backend, { program, member: alice, amount: 1n, receiptId: "0x1234" }), "receiptId"],
      [() => creditPurchase(backend, { program, member: alice, amount: 1n, receiptId: `0x${"0".repeat(64)}` }), "receiptId"],
      [() => redeemPoints(backend, { program, amount: -1n, rewardId: "x" }), "amount"],
    ]);
  });
});
