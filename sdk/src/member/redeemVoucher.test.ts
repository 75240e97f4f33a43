import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress, zeroAddress } from "viem";
import { cancelVoucher, getBalances, perksOf, redeemVoucher, signVoucher, tierOf } from "../index.js";
import { sdkProgram } from "../../../test/helpers/sdkProgram.js";
import { expectInvalid, expectRevert } from "../../../test/helpers/sdkErrors.js";

// testConfig: journey "first-visit" pays a First Visit stamp (series 2) and 10 points, once per member; Silver at 10.

describe("sdk: journey vouchers, tiers and perks", () => {
  it("signs a voucher the member redeems: a stamp, points, status points and a tier that unlocks a perk", async () => {
    const { program, backend, members } = await loadFixture(sdkProgram);
    const ada = members[0]!;
    const member = ada.account.address;
    const voucher = await signVoucher(backend, { program, member, journeyId: "first-visit", stamps: 1n, points: 10n });
    expect(voucher.order.referee).to.equal(zeroAddress);
    const before = await perksOf(ada, { program, member, perkIds: ["silver-coffee"] });
    expect(before[0]!.unlocked).to.equal(false);
    const { completion } = await redeemVoucher(ada, { program, voucher });
    expect(completion).to.deep.include({ member: getAddress(member), stamps: 1n, points: 10n, referee: zeroAddress });
    const balances = await getBalances(ada, { program, member });
    expect(balances.points).to.equal(10n);
    expect(await tierOf(ada, { program, member })).to.deep.equal({ tier: 1, status: 10n, thresholds: [10n] });
    const after = await perksOf(ada, { program, member, perkIds: ["silver-coffee"] });
    expect(after[0]).to.deep.include({ unlocked: true, claimed: false });
    await expectRevert(redeemVoucher(ada, { program, voucher }), "RewardsVoucherAlreadyRedeemed");
  });

  it("lets a relayer redeem for the member, and the brand cancel a voucher; decodes each refusal", async () => {
    const { program, backend, brand, members } = await loadFixture(sdkProgram);
    const [ada, ben] = [members[0]!, members[1]!];
    const voucher = await signVoucher(backend, { program, member: ada.account.address, journeyId: "first-visit", points: 10n });
    await redeemVoucher(brand, { program, voucher });
    expect((await getBalances(brand, { program, member: ada.account.address })).points).to.equal(10n);
    expect((await getBalances(brand, { program, member: brand.account.address })).points).to.equal(0n);

    const cancelled = await signVoucher(backend, { program, member: ben.account.address, journeyId: "first-visit" });
    await cancelVoucher(backend, { program, voucherId: cancelled.order.voucherId });
    const error = await expectRevert(redeemVoucher(ben, { program, voucher: cancelled }), "RewardsVoucherWasCancelled");
    expect(error.shortMessage).to.contain("cancelled");
    const forged = await signVoucher(ben, { program, member: ben.account.address, journeyId: "first-visit", points: 10n });
    await expectRevert(redeemVoucher(ben, { program, voucher: forged }), "RewardsInvalidIssuer");
    const greedy = await signVoucher(backend, { program, member: ben.account.address, journeyId: "first-visit", points: 11n });
    await expectRevert(redeemVoucher(ben, { program, voucher: greedy }), "RewardsVoucherAboveJourney");
  });

  it("refuses bad arguments before signing", async () => {
    const { program, backend, members } = await loadFixture(sdkProgram);
    const member = members[0]!.account.address;
    await expectInvalid(signVoucher(backend, { program, member, journeyId: "first-visit", stamps: 11n }), "stamps");
    await expectInvalid(signVoucher(backend, { program, member, journeyId: "x".repeat(32) }), "journeyId");
    await expectInvalid(signVoucher(backend, { program, member: "0x1234", journeyId: "first-visit" }), "member");
  });
});
