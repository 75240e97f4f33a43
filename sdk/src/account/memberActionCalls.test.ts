import { expect } from "chai";
import { ethers } from "hardhat";
import { createClient, type Address, type Hex } from "viem";
import { hardhat } from "viem/chains";
import { memberActionsSetup } from "../../../test/account/memberActions.js";
import { inProcessTransport } from "../cli/inProcess.js";
import {
  acceptOfferCalls,
  approveOfferCalls,
  buyStampCalls,
  cancelAllOrdersCalls,
  cancelOrderCalls,
  claimPerkCalls,
  fillSwapCalls,
  proposeSwap,
  redeemPointsCalls,
  listStamp,
  marketDomain,
  offerTypes,
  type Offer,
  type WriteClient,
} from "../index.js";

// A member's actions from a passkey account, each as one batch of calls (memberAccountCalls.ts), sponsored by the
// program server under its relay policy and run through the real EntryPoint v0.8 and the BrandPaymaster. The member
// holds no coin from the first UserOp to the last.

const setup = () => memberActionsSetup();

describe("sdk: member actions as sponsored UserOps (memberAccountCalls)", () => {
  it("redeem a voucher: the first UserOp deploys the account and mints the stamp and points; no coin", async () => {
    const f = await setup();
    expect(await f.stamps.ownerOf(f.welcomeStamp)).to.equal(f.member.address);
    expect(await f.points.balanceOf(f.member.address)).to.equal(100n);
    expect(await ethers.provider.getBalance(f.member.address)).to.equal(0n);
  });

  it("list (ERC-1271 through the existing listStamp), then cancel the listing in a UserOp; cancel all moves the nonce", async () => {
    const f = await setup();
    const listing = await listStamp(f.memberClient, {
      program: f.program,
      tokenId: f.welcomeStamp,
      price: 40n,
      currency: f.program.points,
    });
    expect(await f.market.orderStatus(listing.orderHash)).to.equal(0n);
    await f.run(cancelOrderCalls({ program: f.program, order: { kind: "listing", order: listing.order } }));
    expect(await f.market.orderStatus(listing.orderHash)).to.equal(2n);
    await f.run(cancelAllOrdersCalls({ program: f.program }));
    expect(await f.market.nonces(f.member.address)).to.equal(1n);
    expect(await ethers.provider.getBalance(f.member.address)).to.equal(0n);
  });

  it("buy: approve + buy in one UserOp; the seller is paid and the approval is spent", async () => {
    const f = await setup();
    const alice = createClient({
      account: f.alice.address as Address,
      chain: hardhat,
      transport: inProcessTransport(),
    }) as unknown as WriteClient;
    const listing = await listStamp(alice, {
      program: f.program,
      tokenId: f.tokens.aliceCoffee,
      price: 30n,
      currency: f.program.points,
    });
    await f.run(buyStampCalls({ program: f.program, listing }));
    expect(await f.stamps.ownerOf(f.tokens.aliceCoffee)).to.equal(f.member.address);
    expect(await f.points.balanceOf(f.member.address)).to.equal(70n);
    expect(await f.points.allowance(f.member.address, f.program.market)).to.equal(0n);
  });

  it("buy with an allowance in place: the UserOp is the buy alone; an allowance claimed but not there is refused", async () => {
    const f = await setup();
    const alice = createClient({
      account: f.alice.address as Address,
      chain: hardhat,
      transport: inProcessTransport(),
    }) as unknown as WriteClient;
    const listing = await listStamp(alice, {
      program: f.program,
      tokenId: f.tokens.aliceCoffee,
      price: 30n,
      currency: f.program.points,
    });
    // Abuse: the member says the Market may already take the price, it may not; the buy would revert, so the program
    // server does not sponsor it (and nothing is charged, nothing moves).
    const lying = buyStampCalls({ program: f.program, listing, allowance: 30n });
    expect(lying).to.have.length(1);
    const error = await f.refused(lying);
    expect(error.message).to.match(/revert/i);
    expect(await f.stamps.ownerOf(f.tokens.aliceCoffee)).to.equal(f.alice.address);

    // Use: the account approved the Market once (say 50 points); the purchase is one call, the allowance spent.
    await f.run(approveOfferCalls({ program: f.program, currency: f.program.points, amount: 50n }));
    const allowance = await f.points.allowance(f.member.address, f.program.market);
    const calls = buyStampCalls({ program: f.program, listing, allowance });
    expect(calls.map((c) => c.to)).to.deep.equal([f.program.market]);
    await f.run(calls);
    expect(await f.stamps.ownerOf(f.tokens.aliceCoffee)).to.equal(f.member.address);
    expect(await f.points.balanceOf(f.member.address)).to.equal(70n);
    expect(await f.points.allowance(f.member.address, f.program.market)).to.equal(20n);
    // Short of the price, the approve comes back.
    expect(buyStampCalls({ program: f.program, listing, allowance: 29n })).to.have.length(2);
  });

  it("offer: signed by the passkey (ERC-1271), backed in a UserOp, accepted by a seller; and sell to an offer from the account", async () => {
    const f = await setup();
    const order: Offer = {
      buyer: f.member.address,
      seriesId: BigInt(f.series.coffeeClub),
      tokenId: 0n,
      price: 25n,
      maxFees: 25n,
      currency: f.program.points,
      expiry: BigInt((await ethers.provider.getBlock("latest"))!.timestamp + 3_600),
      nonce: 0n,
      salt: ethers.ZeroHash as Hex,
    };
    const signature = await f.member.signTypedData({
      domain: marketDomain(f.program),
      types: offerTypes,
      primaryType: "Offer",
      message: order,
    });
    await f.run(approveOfferCalls({ program: f.program, currency: f.program.points, amount: order.price }));
    await f.market.connect(f.bob).acceptOffer(order, signature, f.tokens.bobCoffee);
    expect(await f.stamps.ownerOf(f.tokens.bobCoffee)).to.equal(f.member.address);
    expect(await f.points.balanceOf(f.member.address)).to.equal(75n);
    // The account sells its welcome stamp to Carol's offer, approving the Market in the same batch.
    const carolOffer: Offer = { ...order, buyer: f.carol.address as Address };
    const carolSignature = (await f.carol.signTypedData(
      { ...marketDomain(f.program), chainId: 31337 },
      { Offer: [...offerTypes.Offer] },
      carolOffer,
    )) as Hex;
    await f.run(
      acceptOfferCalls({
        program: f.program,
        offer: { order: carolOffer, signature: carolSignature, orderHash: "0x" },
        tokenId: f.welcomeStamp,
        approveMarket: true,
      }),
    );
    expect(await f.stamps.ownerOf(f.welcomeStamp)).to.equal(f.carol.address);
    expect(await ethers.provider.getBalance(f.member.address)).to.equal(0n);
  });

  it("swap: the fees approved and the swap taken in one UserOp; the stamps change hands, the fees are paid to the wei", async () => {
    const f = await setup();
    const alice = createClient({ account: f.alice.address as Address, chain: hardhat, transport: inProcessTransport() });
    const swap = await proposeSwap(alice as unknown as WriteClient, {
      program: f.program,
      makerTokenId: f.tokens.aliceCoffee,
      wantedSeriesId: BigInt(f.series.coffeeClub),
    });
    const [fee, royalty] = await f.market.quoteSwap(f.tokens.aliceCoffee, f.welcomeStamp);
    expect(fee + royalty).to.be.greaterThan(0n);
    await f.run(fillSwapCalls({ program: f.program, swap, takerTokenId: f.welcomeStamp, fees: fee + royalty }));
    expect(await f.stamps.ownerOf(f.tokens.aliceCoffee)).to.equal(f.member.address);
    expect(await f.stamps.ownerOf(f.welcomeStamp)).to.equal(f.alice.address);
    expect(await f.points.balanceOf(f.member.address)).to.equal(100n - fee - royalty);
    expect(await f.points.allowance(f.member.address, f.program.market)).to.equal(0n);
    expect(await ethers.provider.getBalance(f.member.address)).to.equal(0n);
  });

  it("abuse: a swap taken with a stamp the account does not hold, or with fees under the quote, is refused before anything is signed", async () => {
    const f = await setup();
    const alice = createClient({ account: f.alice.address as Address, chain: hardhat, transport: inProcessTransport() });
    const swap = await proposeSwap(alice as unknown as WriteClient, {
      program: f.program,
      makerTokenId: f.tokens.aliceCoffee,
      wantedSeriesId: BigInt(f.series.coffeeClub),
    });
    const [fee, royalty] = await f.market.quoteSwap(f.tokens.aliceCoffee, f.welcomeStamp);
    const bobs = await f.refused(
      fillSwapCalls({ program: f.program, swap, takerTokenId: f.tokens.bobCoffee, fees: fee + royalty }),
    );
    expect(bobs.code).to.equal("would_revert");
    const short = await f.refused(
      fillSwapCalls({ program: f.program, swap, takerTokenId: f.welcomeStamp, fees: fee + royalty - 1n }),
    );
    expect(short.code).to.equal("would_revert");
    expect(await f.stamps.ownerOf(f.welcomeStamp)).to.equal(f.member.address);
  });

  it("claim a perk: its points approved and claimed in one UserOp; a perk paid with a stamp burns that stamp", async () => {
    const f = await setup();
    const perk = { ...PERK, stampCostSeriesId: 0n };
    await f.rewards.connect(f.admin).setPerk(FREE_COFFEE, perk);
    await f.rewards
      .connect(f.admin)
      .setPerk(STAMP_PERK, { ...perk, pointsCost: 0n, stampCostSeriesId: BigInt(f.series.coffeeClub) });
    await f.run(claimPerkCalls({ program: f.program, perkId: FREE_COFFEE, pointsCost: PERK.pointsCost }));
    expect(await f.rewards.isClaimed(f.member.address, FREE_COFFEE)).to.equal(true);
    expect(await f.points.balanceOf(f.member.address)).to.equal(100n - PERK.pointsCost);
    expect(await f.points.allowance(f.member.address, f.program.rewards)).to.equal(0n);
    await f.run(claimPerkCalls({ program: f.program, perkId: STAMP_PERK, tokenId: f.welcomeStamp }));
    expect(await f.rewards.isClaimed(f.member.address, STAMP_PERK)).to.equal(true);
    await expect(f.stamps.ownerOf(f.welcomeStamp)).to.be.revertedWithCustomError(f.stamps, "ERC721NonexistentToken");
    expect(await ethers.provider.getBalance(f.member.address)).to.equal(0n);
  });

  it("abuse: a perk claimed twice in its period, or paid with someone else's stamp, is refused (would_revert); nothing charged", async () => {
    const f = await setup();
    const perk = { ...PERK, stampCostSeriesId: 0n };
    await f.rewards.connect(f.admin).setPerk(FREE_COFFEE, perk);
    await f.rewards
      .connect(f.admin)
      .setPerk(STAMP_PERK, { ...perk, pointsCost: 0n, stampCostSeriesId: BigInt(f.series.coffeeClub) });
    await f.run(claimPerkCalls({ program: f.program, perkId: FREE_COFFEE, pointsCost: PERK.pointsCost }));
    const twice = await f.refused(claimPerkCalls({ program: f.program, perkId: FREE_COFFEE, pointsCost: PERK.pointsCost }));
    expect(twice.code).to.equal("would_revert");
    expect(twice.message).to.match(/already claimed perk/);
    const alices = await f.refused(claimPerkCalls({ program: f.program, perkId: STAMP_PERK, tokenId: f.tokens.aliceCoffee }));
    expect(alices.code).to.equal("would_revert");
    expect(await f.stamps.ownerOf(f.tokens.aliceCoffee)).to.equal(f.alice.address);
    expect(await f.points.balanceOf(f.member.address)).to.equal(100n - PERK.pointsCost);
  });

  it("redeem points: the account burns its points for a reward in one UserOp (PointsRedeemed); more than it holds is refused", async () => {
    const f = await setup();
    const rewardId = ethers.encodeBytes32String("free-coffee") as Hex;
    const receipt = await f.run(redeemPointsCalls({ program: f.program, amount: 40n, rewardId }));
    expect(await f.points.balanceOf(f.member.address)).to.equal(60n);
    const redeemed = receipt.logs
      .filter((l) => l.address.toLowerCase() === f.program.points.toLowerCase())
      .map((l) => f.points.interface.parseLog(l))
      .find((e) => e?.name === "PointsRedeemed");
    expect(redeemed?.args.toArray()).to.deep.equal([f.member.address, 40n, rewardId]);
    const tooMuch = await f.refused(redeemPointsCalls({ program: f.program, amount: 61n, rewardId }));
    expect(tooMuch.code).to.equal("would_revert");
    expect(await f.points.balanceOf(f.member.address)).to.equal(60n);
    expect(await ethers.provider.getBalance(f.member.address)).to.equal(0n);
  });
});

const FREE_COFFEE = ethers.encodeBytes32String("free-coffee") as Hex;
const STAMP_PERK = ethers.encodeBytes32String("stamp-for-a-cake") as Hex;
/** A perk for any stamp holder costing 10 points, once. */
const PERK = {
  seriesId: 0n,
  minStamps: 1,
  minTier: 0,
  minPoints: 0n,
  pointsCost: 10n,
  stampCostSeriesId: 0n,
  period: 0n,
  active: true,
};
