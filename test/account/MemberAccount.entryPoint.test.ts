import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { encodeFunctionData, hashTypedData, type Address, type Hex } from "viem";
import { listingTypes, marketAbi, pointsAbi, rewardsAbi, stampsAbi } from "@punchcard/sdk";
import { buildListing, marketDomain, signListing } from "../helpers/marketOrders";
import { stampId } from "../fixtures/market";
import { deployAccountFixture, type AccountFixture } from "./fixture";
import { entryPointAs, handleOps, sponsoredUserOp } from "./userOps";

// A member with no wallet and no coin, end to end on the real EntryPoint v0.8: the passkey (a software
// authenticator producing the same authenticatorData, clientDataJSON and DER signature a phone does) signs every
// UserOp, the brand's paymaster pays, and a test account stands in for the bundler (it calls handleOps).

const REDEEMED = ethers.encodeBytes32String("free-coffee");

async function journeyFixture() {
  const f = await deployAccountFixture();
  const addresses = {
    rewards: (await f.rewards.getAddress()) as Address,
    market: (await f.market.getAddress()) as Address,
    points: (await f.points.getAddress()) as Address,
    stamps: (await f.stamps.getAddress()) as Address,
  };
  return { ...f, addresses };
}

type Journey = Awaited<ReturnType<typeof journeyFixture>>;

async function run(f: AccountFixture, calls: { to: Address; data: Hex }[]) {
  const userOp = await sponsoredUserOp(f.member, calls, { sponsor: f.sponsorKey, paymaster: f.paymasterAddress });
  const tx = await handleOps(f.bundler, [userOp]);
  const receipt = await tx.wait();
  if (!receipt) throw new Error("no receipt");
  const entryPoint = entryPointAs(f.bundler);
  const events = receipt.logs.flatMap((log) => {
    try {
      const parsed = entryPoint.interface.parseLog(log);
      return parsed ? [parsed] : [];
    } catch {
      return [];
    }
  });
  const userOpEvent = events.find((event) => event.name === "UserOperationEvent");
  if (!userOpEvent) throw new Error("no UserOperationEvent");
  return { receipt, success: userOpEvent.args.success as boolean, events };
}

/** The member's first UserOp: it deploys the account and redeems the brand's welcome voucher (1 stamp, 100 points). */
async function welcomed(f: Journey) {
  const { voucher, signature } = await f.welcomeVoucher(f.member.address);
  const redeem = encodeFunctionData({ abi: rewardsAbi, functionName: "redeem", args: [voucher, signature as Hex] });
  const approveStamps = encodeFunctionData({
    abi: stampsAbi,
    functionName: "setApprovalForAll",
    args: [f.addresses.market, true],
  });
  const result = await run(f, [
    { to: f.addresses.rewards, data: redeem },
    { to: f.addresses.stamps, data: approveStamps },
  ]);
  return { ...result, welcomeStamp: stampId(f.series.coffeeClub, 5n) };
}

async function expectNoCoin(f: AccountFixture) {
  expect(await ethers.provider.getBalance(f.member.address)).to.equal(0n);
  expect(await entryPointAs(f.bundler).getFunction("balanceOf")(f.member.address)).to.equal(0n);
}

describe("MemberAccount through the EntryPoint v0.8 (real WebAuthn signatures, sponsored by BrandPaymaster)", () => {
  it("the brand rewards the predicted address before the account exists", async () => {
    const f = await loadFixture(journeyFixture);
    expect(await ethers.provider.getCode(f.member.address)).to.equal("0x");
    await f.points.connect(f.minter).reward(f.member.address, 25n, ethers.encodeBytes32String("sign-up"));
    expect(await f.points.balanceOf(f.member.address)).to.equal(25n);
    await expectNoCoin(f);
  });

  it("the first UserOp deploys the account (initCode) and receives the welcome stamp and points from Rewards", async () => {
    const f = await loadFixture(journeyFixture);
    const { success, events, welcomeStamp } = await welcomed(f);
    expect(success).to.equal(true);
    const deployed = events.find((event) => event.name === "AccountDeployed");
    expect(deployed?.args.sender).to.equal(f.member.address);
    expect(deployed?.args.factory).to.equal(await f.factory.getAddress());
    expect(deployed?.args.paymaster).to.equal(f.paymasterAddress);
    expect(await f.stamps.ownerOf(welcomeStamp)).to.equal(f.member.address);
    expect(await f.points.balanceOf(f.member.address)).to.equal(100n);
    expect(await f.rewards.completions(ethers.encodeBytes32String("welcome"), f.member.address)).to.equal(1n);
    await expectNoCoin(f);
  });

  it("buys a stamp in Points with approve + buy batched in one UserOp (no allowance left over)", async () => {
    const f = await loadFixture(journeyFixture);
    await welcomed(f);
    const price = 60n;
    const listing = await buildListing(f.market, f.stamps, f.bob.address, f.tokens.bobCoffee, {
      price,
      currency: f.addresses.points,
    });
    const signature = await signListing(f.bob, await marketDomain(f.market), listing);
    const approve = encodeFunctionData({ abi: pointsAbi, functionName: "approve", args: [f.addresses.market, price] });
    const buy = encodeFunctionData({
      abi: marketAbi,
      functionName: "buy",
      args: [listing as never, signature as Hex, f.member.address],
    });
    const bobPoints = await f.points.balanceOf(f.bob.address);
    const { success } = await run(f, [
      { to: f.addresses.points, data: approve },
      { to: f.addresses.market, data: buy },
    ]);
    expect(success).to.equal(true);
    expect(await f.stamps.ownerOf(f.tokens.bobCoffee)).to.equal(f.member.address);
    expect(await f.points.balanceOf(f.member.address)).to.equal(100n - price);
    const [sellerAmount] = await f.market.quoteSale(f.tokens.aliceCoffee, f.addresses.points, price);
    expect(await f.points.balanceOf(f.bob.address)).to.equal(bobPoints + sellerAmount);
    expect(await f.points.allowance(f.member.address, f.addresses.market)).to.equal(0n);
    await expectNoCoin(f);
  });

  it("a buy that fails inside the batch undoes the approval too (all or nothing), and the brand still pays the gas", async () => {
    const f = await loadFixture(journeyFixture);
    await welcomed(f);
    const listing = await buildListing(f.market, f.stamps, f.bob.address, f.tokens.bobCoffee, {
      price: 60n,
      currency: f.addresses.points,
    });
    const forged = await signListing(f.carol, await marketDomain(f.market), listing);
    const approve = encodeFunctionData({ abi: pointsAbi, functionName: "approve", args: [f.addresses.market, 60n] });
    const buy = encodeFunctionData({
      abi: marketAbi,
      functionName: "buy",
      args: [listing as never, forged as Hex, f.member.address],
    });
    const deposit = await f.paymaster.getDeposit();
    const { success } = await run(f, [
      { to: f.addresses.points, data: approve },
      { to: f.addresses.market, data: buy },
    ]);
    expect(success).to.equal(false);
    expect(await f.points.allowance(f.member.address, f.addresses.market)).to.equal(0n);
    expect(await f.stamps.ownerOf(f.tokens.bobCoffee)).to.equal(f.bob.address);
    expect(await f.paymaster.getDeposit()).to.be.lessThan(deposit);
    await expectNoCoin(f);
  });

  it("lists a stamp with an EIP-712 signature the Market checks through ERC-1271 (ERC-7739), and a buyer fills it", async () => {
    const f = await loadFixture(journeyFixture);
    const { welcomeStamp } = await welcomed(f);
    const price = 40n;
    const listing = await buildListing(f.market, f.stamps, f.member.address, welcomeStamp, {
      price,
      currency: f.addresses.points,
    });
    const viemDomain = { name: "Punchcard Market", version: "1", chainId: 31337, verifyingContract: f.addresses.market };
    const message = listing as never;
    const signature = await f.member.signTypedData({ domain: viemDomain, types: listingTypes, primaryType: "Listing", message });
    const digest = hashTypedData({ domain: viemDomain, types: listingTypes, primaryType: "Listing", message });
    expect(await f.market.hashListing(listing)).to.equal(digest);

    const [sellerAmount] = await f.market.quoteSale(welcomeStamp, f.addresses.points, price);
    await expect(f.market.connect(f.dave).buy(listing, signature, f.dave.address)).to.emit(f.market, "Sale");
    expect(await f.stamps.ownerOf(welcomeStamp)).to.equal(f.dave.address);
    expect(await f.points.balanceOf(f.member.address)).to.equal(100n + sellerAmount);
    await expectNoCoin(f);
  });

  it("abuse: the member's listing signature does not fill for another seller or another Market", async () => {
    const f = await loadFixture(journeyFixture);
    const { welcomeStamp } = await welcomed(f);
    const listing = await buildListing(f.market, f.stamps, f.member.address, welcomeStamp, {
      price: 40n,
      currency: f.addresses.points,
    });
    const otherMarket = { name: "Punchcard Market", version: "1", chainId: 31337, verifyingContract: f.addresses.rewards };
    const elsewhere = await f.member.signTypedData({
      domain: otherMarket,
      types: listingTypes,
      primaryType: "Listing",
      message: listing as never,
    });
    await expect(f.market.connect(f.dave).buy(listing, elsewhere, f.dave.address))
      .to.be.revertedWithCustomError(f.market, "MarketInvalidSignature")
      .withArgs(f.member.address);
  });

  it("redeems points for a reward", async () => {
    const f = await loadFixture(journeyFixture);
    await welcomed(f);
    const redeem = encodeFunctionData({ abi: pointsAbi, functionName: "redeem", args: [30n, REDEEMED as Hex] });
    const { success, receipt } = await run(f, [{ to: f.addresses.points, data: redeem }]);
    expect(success).to.equal(true);
    expect(receipt.logs.some((log) => log.address === f.addresses.points)).to.equal(true);
    expect(await f.points.balanceOf(f.member.address)).to.equal(70n);
    await expectNoCoin(f);
  });
});
