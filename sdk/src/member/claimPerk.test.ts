import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress } from "viem";
import { readContract } from "viem/actions";
import { claimPerk, perksOf, pointsAbi, redeemVoucher, rewardsAbi, signVoucher } from "../index.js";
import { toBytes32 } from "../internal/validate.js";
import { sdkProgram } from "../../../test/helpers/sdkProgram.js";
import { expectRevert } from "../../../test/helpers/sdkErrors.js";

describe("sdk: claimPerk", () => {
  it("records a claim once, and approves exactly a perk's points cost", async () => {
    const { program, backend, brand, members } = await loadFixture(sdkProgram);
    const ada = members[0]!;
    const member = ada.account.address;
    await expectRevert(claimPerk(ada, { program, perkId: "silver-coffee" }), "RewardsPerkLocked");
    const voucher = await signVoucher(backend, { program, member, journeyId: "first-visit", points: 10n });
    await redeemVoucher(ada, { program, voucher });
    const { claim } = await claimPerk(ada, { program, perkId: "silver-coffee" });
    expect(claim).to.deep.include({ member: getAddress(member), period: 0n, pointsBurned: 0n });
    expect((await perksOf(ada, { program, member, perkIds: ["silver-coffee"] }))[0]!.claimed).to.equal(true);
    await expectRevert(claimPerk(ada, { program, perkId: "silver-coffee" }), "RewardsPerkAlreadyClaimed");

    const paid = toBytes32("perkId", "espresso");
    await brand.writeContract({
      address: program.rewards,
      abi: rewardsAbi,
      functionName: "setPerk",
      args: [paid, { seriesId: 0n, minStamps: 0, minTier: 0, minPoints: 0n, pointsCost: 4n, period: 0n, active: true }],
    });
    const { claim: espresso } = await claimPerk(ada, { program, perkId: "espresso" });
    expect(espresso.pointsBurned).to.equal(4n);
    const read = (functionName: "balanceOf", args: readonly [`0x${string}`]) =>
      readContract(ada, { address: program.points, abi: pointsAbi, functionName, args });
    expect(await read("balanceOf", [member])).to.equal(6n);
    const allowance = await readContract(ada, {
      address: program.points,
      abi: pointsAbi,
      functionName: "allowance",
      args: [member, program.rewards],
    });
    expect(allowance).to.equal(0n);
  });
});
