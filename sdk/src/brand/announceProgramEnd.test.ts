import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { getBlock } from "viem/actions";
import {
  ContractRevertError,
  announceProgramEnd,
  cancelProgramEnd,
  creditPurchase,
  getProgramInfo,
  readLedger,
  receiptIdOf,
  redeemPoints,
  rewardPoints,
} from "../index.js";
import { sdkProgram } from "../../../test/helpers/sdkProgram.js";

const revertOf = async (promise: Promise<unknown>): Promise<ContractRevertError> => {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(ContractRevertError);
    return error as ContractRevertError;
  }
  return expect.fail("should revert");
};

describe("sdk: announceProgramEnd and cancelProgramEnd", () => {
  it("announces the end after the notice, reads the status, and cancels it; the ledger has both", async () => {
    const { program, brand } = await loadFixture(sdkProgram);
    const before = await getProgramInfo(brand, { program });
    expect(before.lifecycle).to.deep.include({ status: "active", endsAt: null });
    expect(before.lifecycle.noticePeriodSeconds).to.equal(90n * 86_400n);
    expect(before.lifecycle.maxPauseSeconds).to.equal(14n * 86_400n);
    expect(before.lifecycle.pausedUntil).to.deep.equal({ stamps: null, points: null, market: null });

    const { endsAt, noticePeriodSeconds } = await announceProgramEnd(brand, { program });
    expect(noticePeriodSeconds).to.equal(90n * 86_400n);
    expect(endsAt).to.be.greaterThanOrEqual(BigInt(await time.latest()) + noticePeriodSeconds);
    expect((await getProgramInfo(brand, { program })).lifecycle).to.deep.include({ status: "ending", endsAt });

    await cancelProgramEnd(brand, { program });
    expect((await getProgramInfo(brand, { program })).lifecycle).to.deep.include({ status: "active", endsAt: null });
    const kinds = (await readLedger(brand, { program })).map((entry) => entry.kind);
    expect(kinds).to.include.members(["program.end.announced", "program.end.cancelled"]);

    const nothing = await revertOf(cancelProgramEnd(brand, { program }));
    expect(nothing.errorName).to.equal("ProgramNoEndAnnounced");
  });

  it("by default dates the end from the block that will carry it, not from an old latest block", async () => {
    const { program, brand } = await loadFixture(sdkProgram);
    // The chain's next block is an hour past its latest one (a dev chain left idle, or a moved clock): an end
    // counted from the latest block would be an hour short of the notice when mined, and the contract refuses it.
    const latest = BigInt(await time.latest());
    await brand.request({ method: "evm_increaseTime", params: [3_600] } as never);
    const { endsAt, noticePeriodSeconds, receipt } = await announceProgramEnd(brand, { program });
    const mined = (await getBlock(brand, { blockNumber: receipt.blockNumber })).timestamp;
    expect(mined).to.be.greaterThanOrEqual(latest + 3_600n);
    expect(endsAt).to.be.greaterThanOrEqual(mined + noticePeriodSeconds);
    expect(endsAt).to.be.lessThanOrEqual(mined + noticePeriodSeconds + 120n);
  });

  it("refuses an end sooner than the notice with a sentence naming the earliest date", async () => {
    const { program, brand } = await loadFixture(sdkProgram);
    const tooSoon = BigInt(await time.latest()) + 86_400n;
    const error = await revertOf(announceProgramEnd(brand, { program, endsAt: tooSoon }));
    expect(error.errorName).to.equal("ProgramNoticeTooShort");
    expect(error.shortMessage).to.contain("less than the notice the program promised");
  });

  it("during the notice refuses a purchase credit but rewards and redeems; after the end freezes points", async () => {
    const { program, brand, backend, members } = await loadFixture(sdkProgram);
    const member = members[0]!;
    await rewardPoints(backend, { program, rewards: [{ member: member.account.address, amount: 10n }], reason: "visit" });
    const { endsAt } = await announceProgramEnd(brand, { program });
    const closed = await revertOf(
      creditPurchase(backend, { program, member: member.account.address, amount: 5n, receiptId: receiptIdOf("r-1", "s") }),
    );
    expect(closed.errorName).to.equal("PointsSalesClosed");
    expect(closed.shortMessage).to.contain("nothing is credited for money");
    await rewardPoints(backend, { program, rewards: [{ member: member.account.address, amount: 1n }], reason: "visit" });
    await redeemPoints(member, { program, amount: 2n, rewardId: "latte" });

    await time.increaseTo(endsAt);
    expect((await getProgramInfo(brand, { program })).lifecycle.status).to.equal("ended");
    const frozen = await revertOf(redeemPoints(member, { program, amount: 1n, rewardId: "latte" }));
    expect(frozen.errorName).to.equal("PointsFrozen");
    expect(frozen.shortMessage).to.contain("frozen");
  });
});
