import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { erc20Abi, getAddress, zeroAddress, type Address } from "viem";
import {
  acceptOffer,
  approveMarket,
  buyStamp,
  cancelAllOrders,
  cancelOrder,
  configureMarket,
  fillSwap,
  listStamp,
  makeOffer,
  marketAbi,
  mintStamps,
  proposeSwap,
  getBalances,
  setMinRoyalty,
  setPriceBounds,
  setRoyalty,
  withdrawPayments,
} from "../index.js";
import { clientFor } from "../../../test/helpers/viem.js";
import { expectInvalid, expectRevert } from "../../../test/helpers/sdkErrors.js";
import { MIN_POINTS_ROYALTY, marketProgram, stampIds } from "../../../test/helpers/sdkProgram.js";

const { CUP, JOURNEY, cup } = stampIds;

describe("sdk: the stamp market", () => {
  it("lists for the native coin and buys, paying the brand's royalty to the wei", async () => {
    const { program, ada, ben, treasury } = await loadFixture(marketProgram);
    const listing = await listStamp(ada, { program, tokenId: cup(1n), price: 1_000_000_000_000_000_001n });
    // The SDK's order hash is the contract's.
    const onChain = await ada.readContract({
      address: program.market,
      abi: marketAbi,
      functionName: "hashListing",
      args: [listing.order],
    });
    expect(listing.orderHash).to.equal(onChain);

    const treasuryBefore = (await getBalances(treasury, { program, member: treasury.account.address })).native;
    const { sale } = await buyStamp(ben, { program, listing });
    // 5 % of 1e18 + 1 wei, rounded down.
    expect(sale.royaltyAmount).to.equal(50_000_000_000_000_000n);
    expect(sale.sellerAmount + sale.royaltyAmount + sale.fee).to.equal(sale.price);
    expect(sale.royaltyReceiver).to.equal(getAddress(treasury.account.address));
    expect((await getBalances(treasury, { program, member: treasury.account.address })).native - treasuryBefore).to.equal(
      sale.royaltyAmount,
    );
    expect(
      await ben.readContract({
        address: program.stamps,
        abi: (await import("../index.js")).stampsAbi,
        functionName: "ownerOf",
        args: [cup(1n)],
      }),
    ).to.equal(getAddress(ben.account.address));
    // The same listing cannot fill twice.
    await expectRevert(buyStamp(ada, { program, listing }), "MarketStaleOrder");
  });

  it("buys with Points and with an allowed stablecoin, approving the Market as needed", async () => {
    const { program, ada, ben, cleo, usd } = await loadFixture(marketProgram);
    const inPoints = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
    const bought = await buyStamp(ben, { program, listing: inPoints });
    expect([bought.sale.price, bought.sale.royaltyAmount, bought.sale.sellerAmount]).to.deep.equal([200n, 10n, 190n]);
    expect((await getBalances(ben, { program, member: ben.account.address })).points).to.equal(800n);

    const inUsd = await listStamp(cleo, { program, tokenId: cup(3n), price: 999n, currency: usd });
    const { sale } = await buyStamp(ada, { program, listing: inUsd });
    expect([sale.royaltyAmount, sale.sellerAmount]).to.deep.equal([49n, 950n]);
  });

  it("accepts an offer on any stamp of a series", async () => {
    const { program, ada, cleo } = await loadFixture(marketProgram);
    const offer = await makeOffer(cleo, { program, seriesId: CUP, price: 300n, currency: program.points });
    const { sale } = await acceptOffer(ada, { program, offer, tokenId: cup(1n) });
    expect(sale.buyer).to.equal(getAddress(cleo.account.address));
    expect(sale.royaltyAmount).to.equal(15n);
    await expectRevert(acceptOffer(cleo, { program, offer, tokenId: cup(3n) }), "MarketOrderFilled");
  });

  it("swaps stamp for stamp, the taker paying the brand's swap fee and royalty in Points", async () => {
    const { program, brand, ada, ben, treasury } = await loadFixture(marketProgram);
    await configureMarket(brand, { program, swapFee: 25n });
    const swap = await proposeSwap(ada, { program, makerTokenId: cup(1n), wantedTokenId: cup(2n) });
    // The order signs what the swap costs its taker now, read from the Market.
    expect(swap.order.maxFees).to.equal(25n + MIN_POINTS_ROYALTY);
    const done = await fillSwap(ben, { program, swap, takerTokenId: cup(2n) });
    expect(done.swap).to.deep.include({
      makerTokenId: cup(1n),
      takerTokenId: cup(2n),
      swapFee: 25n,
      royaltyAmount: MIN_POINTS_ROYALTY,
    });
    expect((await getBalances(ben, { program, member: treasury.account.address })).points).to.equal(25n + MIN_POINTS_ROYALTY);
  });

  it("signs what the rules pay now, and refuses to fill once the brand raised them", async () => {
    const { program, brand, ada, ben, cleo, treasury } = await loadFixture(marketProgram);
    const listing = await listStamp(ada, { program, tokenId: cup(1n), price: 1_000n, currency: program.points });
    expect(listing.order.minSellerAmount).to.equal(950n); // 5 % royalty, no market fee
    const offer = await makeOffer(cleo, { program, tokenId: cup(2n), price: 1_000n, currency: program.points });
    expect(offer.order.maxFees).to.equal(50n);
    const swap = await proposeSwap(ben, { program, makerTokenId: cup(2n), wantedTokenId: cup(3n) });
    expect(swap.order.maxFees).to.equal(MIN_POINTS_ROYALTY);

    await setRoyalty(brand, { program, treasury: treasury.account.address, royaltyBps: 1_000n });
    await configureMarket(brand, { program, swapFee: 1n });
    await expectRevert(buyStamp(ben, { program, listing }), "MarketSellerAmountTooLow");
    await expectRevert(acceptOffer(ben, { program, offer, tokenId: cup(2n) }), "MarketFeesTooHigh");
    await expectRevert(fillSwap(cleo, { program, swap, takerTokenId: cup(3n) }), "MarketFeesTooHigh");
  });

  it("refuses before signing a price the brand's rules refuse, and a swap with no royalty set", async () => {
    const { program, brand, ada } = await loadFixture(marketProgram);
    await setMinRoyalty(brand, { program, currency: program.points, minRoyalty: 0n });
    await expectRevert(proposeSwap(ada, { program, makerTokenId: cup(1n), wantedSeriesId: CUP }), "MarketNoSwapRoyalty");

    await setPriceBounds(brand, { program, seriesId: CUP, currency: program.points, floor: 100n, ceiling: 10_000n });
    await expectRevert(
      listStamp(ada, { program, tokenId: cup(1n), price: 99n, currency: program.points }),
      "MarketPriceBelowFloor",
    );
    await expectRevert(
      listStamp(ada, { program, tokenId: cup(1n), price: 10_001n, currency: program.points }),
      "MarketPriceAboveCeiling",
    );
    await expectRevert(listStamp(ada, { program, tokenId: cup(1n), price: 0n }), "MarketPriceBelowFloor");
    await expectRevert(listStamp(ada, { program, tokenId: cup(1n), price: 1n }), "MarketRoyaltyTooLow");
    await expectInvalid(
      setPriceBounds(brand, { program, seriesId: CUP, currency: program.points, floor: 2n, ceiling: 1n }),
      "floor",
      /above the ceiling/,
    );
    // A Points floor on the series is a swap royalty too: 5 % of 100 for each of the two stamps.
    const swap = await proposeSwap(ada, { program, makerTokenId: cup(1n), wantedSeriesId: CUP });
    expect(swap.order.maxFees).to.equal(10n);
  });

  it("approves exactly what a fill spends, and puts the allowance back when the fill fails", async () => {
    const { program, ada, ben, cleo } = await loadFixture(marketProgram);
    const allowance = (member: typeof ada) =>
      member.readContract({
        address: program.points,
        abi: erc20Abi,
        functionName: "allowance",
        args: [member.account.address, program.market],
      });
    const listing = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
    await buyStamp(ben, { program, listing });
    expect(await allowance(ben)).to.equal(0n);
    // The same listing again: the stamp has moved, the purchase fails, and Cleo's allowance is as it was.
    await expectRevert(buyStamp(cleo, { program, listing }), "MarketStaleOrder");
    expect(await allowance(cleo)).to.equal(0n);
    // An offer raises it by its price, once signed; a swap by its fees, spent at once.
    await makeOffer(cleo, { program, tokenId: cup(2n), price: 150n, currency: program.points });
    expect(await allowance(cleo)).to.equal(150n);
    const swap = await proposeSwap(ben, { program, makerTokenId: cup(1n), wantedTokenId: cup(3n) });
    await fillSwap(cleo, { program, swap, takerTokenId: cup(3n) });
    expect(await allowance(cleo)).to.equal(150n);
  });

  it("cancels one order, or all of a member's orders at once", async () => {
    const { program, ada, ben } = await loadFixture(marketProgram);
    const one = await listStamp(ada, { program, tokenId: cup(1n), price: 10n, currency: program.points });
    await cancelOrder(ada, { program, order: { listing: one } });
    await expectRevert(buyStamp(ben, { program, listing: one }), "MarketOrderCancelled");

    const two = await listStamp(ada, { program, tokenId: cup(1n), price: 20n, currency: program.points });
    const offer = await makeOffer(ada, { program, tokenId: cup(2n), price: 5n, currency: program.points });
    const { newNonce } = await cancelAllOrders(ada, { program });
    expect(newNonce).to.equal(1n);
    await expectRevert(buyStamp(ben, { program, listing: two }), "MarketNonceMismatch");
    await expectRevert(acceptOffer(ben, { program, offer, tokenId: cup(2n) }), "MarketNonceMismatch");
  });

  it("a purchase in Points does not eat the allowance behind the buyer's open offer", async () => {
    const { program, ada, ben, cleo } = await loadFixture(marketProgram);
    const offer = await makeOffer(cleo, { program, tokenId: cup(1n), price: 150n, currency: program.points });
    await buyStamp(cleo, {
      program,
      listing: await listStamp(ben, { program, tokenId: cup(2n), price: 200n, currency: program.points }),
    });
    const { sale } = await acceptOffer(ada, { program, offer, tokenId: cup(1n) });
    expect(sale.price).to.equal(150n);
  });

  it("cancels an offer and a swap order one by one", async () => {
    const { program, ada, ben, cleo } = await loadFixture(marketProgram);
    const offer = await makeOffer(cleo, { program, tokenId: cup(1n), price: 50n, currency: program.points });
    await cancelOrder(cleo, { program, order: { offer } });
    await expectRevert(acceptOffer(ada, { program, offer, tokenId: cup(1n) }), "MarketOrderCancelled");
    const swap = await proposeSwap(ada, { program, makerTokenId: cup(1n), wantedSeriesId: CUP });
    await expectRevert(cancelOrder(ben, { program, order: { swap } }), "MarketNotSigner");
    await cancelOrder(ada, { program, order: { swap } });
    await expectRevert(fillSwap(ben, { program, swap, takerTokenId: cup(2n) }), "MarketOrderCancelled");
  });

  it("refuses, before signing, what can never fill", async () => {
    const { program, ada, ben, cleo } = await loadFixture(marketProgram);
    await expectInvalid(listStamp(ada, { program, tokenId: JOURNEY * 1_000_000_000n + 1n, price: 1n }), "tokenId", /soulbound/);
    await expectInvalid(listStamp(ada, { program, tokenId: cup(2n), price: 1n }), "tokenId", /is held by/);
    await expectInvalid(
      listStamp(ada, { program, tokenId: cup(1n), price: 1n, currency: ben.account.address }),
      "currency",
      /not a currency/,
    );
    await expectInvalid(makeOffer(cleo, { program, seriesId: CUP, price: 1n, currency: zeroAddress }), "currency", /native coin/);
    await expectInvalid(makeOffer(cleo, { program, price: 1n, currency: program.points }), "tokenId", /or seriesId is required/);
    await expectInvalid(listStamp(ada, { program, tokenId: cup(1n), price: -1n }), "price", /at least 0/);
  });

  it("needs the Market approved before listing, and says how", async () => {
    const { program, backend, members } = await loadFixture(marketProgram);
    const dev = members[3]!;
    await mintStamps(backend, { program, seriesId: CUP, to: [dev.account.address] });
    await expectInvalid(listStamp(dev, { program, tokenId: cup(4n), price: 1n }), "tokenId", /approveMarket/);
    await approveMarket(dev, { program });
    expect(await approveMarket(dev, { program })).to.equal(null);
    await listStamp(dev, { program, tokenId: cup(4n), price: 1_000n });
  });
});

describe("sdk: payments the Market could not push", () => {
  it("a treasury that refuses coin is credited, and withdraws to another address", async () => {
    const { program, brand, ada, ben, members } = await loadFixture(marketProgram);
    const rejecter = await ethers.deployContract("MockNativeRejecter");
    const rejecterAddress = (await rejecter.getAddress()) as Address;
    await setRoyalty(brand, { program, treasury: rejecterAddress, royaltyBps: 1000n });
    const { sale } = await buyStamp(ben, {
      program,
      listing: await listStamp(ada, { program, tokenId: cup(1n), price: 10_000n }),
    });
    expect(sale.royaltyAmount).to.equal(1_000n);

    // The rejecting contract acts through its own address (impersonated here, as its owner's wallet would).
    await network.provider.request({ method: "hardhat_impersonateAccount", params: [rejecterAddress] });
    await network.provider.request({ method: "hardhat_setBalance", params: [rejecterAddress, "0xDE0B6B3A7640000"] });
    const treasury = clientFor(rejecterAddress);
    const cold = members[4]!.account.address;
    const before = await brand.getBalance({ address: cold });
    const { amount } = await withdrawPayments(treasury, { program, to: cold });
    expect(amount).to.equal(1_000n);
    expect((await brand.getBalance({ address: cold })) - before).to.equal(1_000n);
    await expectInvalid(withdrawPayments(treasury, { program }), "client", /owed nothing/);
  });
});
