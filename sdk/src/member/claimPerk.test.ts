import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress, zeroAddress } from "viem";
import { readContract } from "viem/actions";
import {
  InvalidArgumentError,
  claimPerk,
  mintStamps,
  perksOf,
  pointsAbi,
  readLedger,
  redeemVoucher,
  rewardsAbi,
  signVoucher,
  stampsAbi,
} from "../index.js";
import { deployProgram } from "../deploy.js";
import { toBytes32 } from "../internal/validate.js";
import { sdkProgram } from "../../../test/helpers/sdkProgram.js";
import { expectRevert } from "../../../test/helpers/sdkErrors.js";
import { testConfig, viemActors } from "../../../test/helpers/viem.js";

/** testConfig plus a perk from the config file paid with one Autumn Cup (series 1); Ada and Ben hold one each. */
async function stampPerkProgram() {
  const actors = await viemActors();
  const base = testConfig(actors.treasury.account.address, actors.backend.account.address);
  const config = {
    ...base,
    perks: [...(base.perks ?? []), { id: "mug", name: "A mug for a cup", claim: { stampOfSeries: 1 } }],
  };
  const { program } = await deployProgram(actors.brand, { config });
  const [ada, ben] = actors.members;
  const { stamps } = await mintStamps(actors.backend, {
    program,
    seriesId: 1n,
    to: [ada!.account.address, ben!.account.address],
  });
  return { ...actors, program, adaCup: stamps[0]!.tokenId, benCup: stamps[1]!.tokenId };
}

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
      args: [
        paid,
        { seriesId: 0n, minStamps: 0, minTier: 0, minPoints: 0n, pointsCost: 4n, stampCostSeriesId: 0, period: 0n, active: true },
      ],
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

  it("spends a stamp on a perk from the config: approves exactly that stamp, burns it, and the ledger names it", async () => {
    const { program, members, adaCup, benCup } = await loadFixture(stampPerkProgram);
    const ada = members[0]!;
    const getApproved = (tokenId: bigint) =>
      readContract(ada, { address: program.stamps, abi: stampsAbi, functionName: "getApproved", args: [tokenId] });
    const rules = await readContract(ada, {
      address: program.rewards,
      abi: rewardsAbi,
      functionName: "perk",
      args: [toBytes32("perkId", "mug")],
    });
    expect(rules.stampCostSeriesId).to.equal(1);

    // Refused before anything is sent: no stamp, a stamp of another series, a stamp for a perk paid without one.
    for (const call of [
      () => claimPerk(ada, { program, perkId: "mug" }),
      () => claimPerk(ada, { program, perkId: "mug", tokenId: 2_000_000_001n }),
      () => claimPerk(ada, { program, perkId: "silver-coffee", tokenId: adaCup }),
    ]) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(InvalidArgumentError);
    }
    // Someone else's stamp: the contract refuses, and the approval this call gave (none: Ada cannot approve Ben's
    // stamp) is not left behind.
    await expectRevert(claimPerk(ada, { program, perkId: "mug", tokenId: benCup }), "ERC721InvalidApprover");
    expect(await getApproved(benCup)).to.equal(zeroAddress);

    const { claim } = await claimPerk(ada, { program, perkId: "mug", tokenId: adaCup });
    expect(claim).to.deep.include({ member: getAddress(ada.account.address), stampBurned: adaCup, pointsBurned: 0n });
    const held = await readContract(ada, {
      address: program.stamps,
      abi: stampsAbi,
      functionName: "balanceOf",
      args: [ada.account.address],
    });
    expect(held).to.equal(0n);
    const entry = (await readLedger(ada, { program })).find((e) => e.kind === "perk.claimed");
    expect(entry).to.deep.include({ tokenId: adaCup, seriesId: 1n });
  });

  it("withdraws the stamp approval it gave when the claim fails", async () => {
    const { program, members, backend, benCup } = await loadFixture(stampPerkProgram);
    const ben = members[1]!;
    const { claim } = await claimPerk(ben, { program, perkId: "mug", tokenId: benCup });
    expect(claim.stampBurned).to.equal(benCup);
    const { stamps } = await mintStamps(backend, { program, seriesId: 1n, to: [ben.account.address] });
    const second = stamps[0]!.tokenId;
    await expectRevert(claimPerk(ben, { program, perkId: "mug", tokenId: second }), "RewardsPerkAlreadyClaimed");
    const approved = await readContract(ben, {
      address: program.stamps,
      abi: stampsAbi,
      functionName: "getApproved",
      args: [second],
    });
    expect(approved).to.equal(zeroAddress);
  });
});
