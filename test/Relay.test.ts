import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture, FEE_BPS, MIN_POINTS_ROYALTY, ROYALTY_BPS } from "./fixtures/market";
import { Scope } from "./fixtures/tokens";
import {
  buildListing,
  buildOffer,
  buildSwapOrder,
  expectedSplit,
  listingHash,
  marketDomain,
  NATIVE,
  offerHash,
  signListing,
  signOffer,
  signSwapOrder,
  swapOrderHash,
} from "./helpers/marketOrders";
import {
  domainOf,
  REWARD,
  signApproval,
  signCancelAll,
  signCancelOrder,
  signPermit,
  signRedemption,
} from "./helpers/relaySignatures";

// Members' signed intents that anyone (the brand's relayer) submits: the relayer pays the gas, never signs for a
// member, and cannot change what a member signed. Every test here sends from `relayer`, an account that is
// neither party.

const MATCH = 2;
const FILLED = 1n;
const CANCELLED = 2n;
const HOUR = 3600n;

async function fixture() {
  const f = await deployMarketFixture();
  const [relayer, fresh] = f.others;
  if (!relayer || !fresh) throw new Error("need two more accounts");
  return { ...f, relayer, fresh };
}

async function deadline(from = HOUR): Promise<bigint> {
  return BigInt(await time.latest()) + from;
}

describe("Relayed intents", function () {
  describe("Stamps.setApprovalForAllBySig", function () {
    it("approves the Market for a member who sent nothing, once per signature", async function () {
      const { stamps, market, relayer, fresh } = await loadFixture(fixture);
      const operator = await market.getAddress();
      const message = { owner: fresh.address, operator, approved: true, nonce: 0n, deadline: await deadline() };
      const signature = await signApproval(fresh, await domainOf(stamps), message);

      await expect(stamps.connect(relayer).setApprovalForAllBySig(fresh.address, operator, true, message.deadline, signature))
        .to.emit(stamps, "ApprovalForAll")
        .withArgs(fresh.address, operator, true);
      expect(await stamps.isApprovedForAll(fresh.address, operator)).to.equal(true);
      expect(await stamps.nonces(fresh.address)).to.equal(1n);
      // Replayed: the nonce it signed is spent.
      await expect(stamps.connect(relayer).setApprovalForAllBySig(fresh.address, operator, true, message.deadline, signature))
        .to.be.revertedWithCustomError(stamps, "StampsInvalidSignature")
        .withArgs(fresh.address);
      // Taking the approval back works the same way, with the next nonce.
      const revoke = { ...message, approved: false, nonce: 1n };
      await stamps
        .connect(relayer)
        .setApprovalForAllBySig(
          fresh.address,
          operator,
          false,
          revoke.deadline,
          await signApproval(fresh, await domainOf(stamps), revoke),
        );
      expect(await stamps.isApprovedForAll(fresh.address, operator)).to.equal(false);
    });

    it("refuses an expired, altered, foreign-chain, foreign-contract or someone else's signature", async function () {
      const { stamps, points, market, relayer, fresh, alice } = await loadFixture(fixture);
      const operator = await market.getAddress();
      const past = (await deadline(0n)) - 1n;
      const expired = await signApproval(fresh, await domainOf(stamps), {
        owner: fresh.address,
        operator,
        approved: true,
        nonce: 0n,
        deadline: past,
      });
      await expect(stamps.connect(relayer).setApprovalForAllBySig(fresh.address, operator, true, past, expired))
        .to.be.revertedWithCustomError(stamps, "StampsSignatureExpired")
        .withArgs(past);

      const message = { owner: fresh.address, operator, approved: true, nonce: 0n, deadline: await deadline() };
      const bad = [
        await signApproval(fresh, await domainOf(stamps, { chainId: 1n }), message),
        await signApproval(fresh, await domainOf(stamps, { verifyingContract: await points.getAddress() }), message),
        await signApproval(alice, await domainOf(stamps), message),
        await signApproval(fresh, await domainOf(stamps), { ...message, nonce: 1n }),
      ];
      for (const signature of bad) {
        await expect(stamps.connect(relayer).setApprovalForAllBySig(fresh.address, operator, true, message.deadline, signature))
          .to.be.revertedWithCustomError(stamps, "StampsInvalidSignature")
          .withArgs(fresh.address);
      }
      // The relayer cannot flip what was signed: an approval signed as `false` does not approve.
      const no = await signApproval(fresh, await domainOf(stamps), { ...message, approved: false });
      await expect(
        stamps.connect(relayer).setApprovalForAllBySig(fresh.address, operator, true, message.deadline, no),
      ).to.be.revertedWithCustomError(stamps, "StampsInvalidSignature");
      expect(await stamps.isApprovedForAll(fresh.address, operator)).to.equal(false);
    });

    it("accepts an ERC-1271 contract wallet's signature", async function () {
      const { stamps, market, relayer, fresh } = await loadFixture(fixture);
      const wallet = await ethers.deployContract("MockERC1271Wallet", [fresh.address]);
      const owner = await wallet.getAddress();
      const operator = await market.getAddress();
      const message = { owner, operator, approved: true, nonce: 0n, deadline: await deadline() };
      const signature = await signApproval(fresh, await domainOf(stamps), message);
      await expect(stamps.connect(relayer).setApprovalForAllBySig(owner, operator, true, message.deadline, signature))
        .to.emit(stamps, "ApprovalForAll")
        .withArgs(owner, operator, true);
    });
  });

  describe("Points.redeemBySig", function () {
    it("burns a member's points for a reward with their signature, once", async function () {
      const { points, relayer, alice } = await loadFixture(fixture);
      const message = { member: alice.address, amount: 120n, rewardId: REWARD, nonce: 0n, deadline: await deadline() };
      const signature = await signRedemption(alice, await domainOf(points), message);
      const tx = points.connect(relayer).redeemBySig(alice.address, 120n, REWARD, message.deadline, signature);
      await expect(tx).to.emit(points, "PointsRedeemed").withArgs(alice.address, 120n, REWARD);
      await expect(tx).to.changeTokenBalances(points, [alice, relayer], [-120n, 0n]);
      expect(await points.nonces(alice.address)).to.equal(1n);
      await expect(points.connect(relayer).redeemBySig(alice.address, 120n, REWARD, message.deadline, signature))
        .to.be.revertedWithCustomError(points, "PointsInvalidSignature")
        .withArgs(alice.address);
    });

    it("refuses expired, altered, foreign or zero redemptions", async function () {
      const { points, stamps, relayer, alice, bob } = await loadFixture(fixture);
      const past = (await deadline(0n)) - 1n;
      const domain = await domainOf(points);
      const expired = await signRedemption(alice, domain, {
        member: alice.address,
        amount: 1n,
        rewardId: REWARD,
        nonce: 0n,
        deadline: past,
      });
      await expect(points.connect(relayer).redeemBySig(alice.address, 1n, REWARD, past, expired))
        .to.be.revertedWithCustomError(points, "PointsSignatureExpired")
        .withArgs(past);
      const message = { member: alice.address, amount: 10n, rewardId: REWARD, nonce: 0n, deadline: await deadline() };
      const bad = [
        await signRedemption(alice, await domainOf(points, { chainId: 1n }), message),
        await signRedemption(alice, await domainOf(points, { verifyingContract: await stamps.getAddress() }), message),
        await signRedemption(bob, domain, message),
      ];
      for (const signature of bad) {
        await expect(points.connect(relayer).redeemBySig(alice.address, 10n, REWARD, message.deadline, signature))
          .to.be.revertedWithCustomError(points, "PointsInvalidSignature")
          .withArgs(alice.address);
      }
      // The relayer cannot burn more than signed.
      const good = await signRedemption(alice, domain, message);
      await expect(
        points.connect(relayer).redeemBySig(alice.address, 11n, REWARD, message.deadline, good),
      ).to.be.revertedWithCustomError(points, "PointsInvalidSignature");
      const zero = await signRedemption(alice, domain, { ...message, amount: 0n });
      await expect(
        points.connect(relayer).redeemBySig(alice.address, 0n, REWARD, message.deadline, zero),
      ).to.be.revertedWithCustomError(points, "PointsZeroAmount");
    });

    it("shares its nonce with permit: a redemption spends the nonce a pending permit signed", async function () {
      const { points, market, relayer, alice } = await loadFixture(fixture);
      const domain = await domainOf(points);
      const end = await deadline();
      const permit = await signPermit(alice, domain, {
        owner: alice.address,
        spender: await market.getAddress(),
        value: 5n,
        nonce: 0n,
        deadline: end,
      });
      const redemption = await signRedemption(alice, domain, {
        member: alice.address,
        amount: 1n,
        rewardId: REWARD,
        nonce: 0n,
        deadline: end,
      });
      await points.connect(relayer).redeemBySig(alice.address, 1n, REWARD, end, redemption);
      await expect(
        points.connect(relayer).permit(alice.address, await market.getAddress(), 5n, end, permit.v, permit.r, permit.s),
      ).to.be.revertedWithCustomError(points, "ERC2612InvalidSigner");
    });
  });

  describe("Market.matchOrders", function () {
    it("a buyer's offer built from a listing fills it, in Points, sent by a relayer", async function () {
      const { market, stamps, points, relayer, alice, dave, treasury, feeRecipient, tokens, series } = await loadFixture(fixture);
      const currency = await points.getAddress();
      const price = 1_000n;
      const domain = await marketDomain(market);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { currency, price });
      const offer = await buildOffer(market, dave.address, {
        seriesId: series.coffeeClub,
        tokenId: tokens.aliceCoffee,
        currency,
        price,
      });
      const sellerSignature = await signListing(alice, domain, listing);
      const buyerSignature = await signOffer(dave, domain, offer);
      const { sellerAmount, royaltyAmount, fee } = expectedSplit(price, ROYALTY_BPS, FEE_BPS);
      const hash = offerHash(domain, offer);

      const tx = market.connect(relayer).matchOrders(listing, sellerSignature, offer, buyerSignature);
      await expect(tx)
        .to.emit(market, "Sale")
        .withArgs(
          hash,
          MATCH,
          alice.address,
          dave.address,
          tokens.aliceCoffee,
          currency,
          price,
          treasury.address,
          royaltyAmount,
          fee,
        );
      await expect(tx).to.changeTokenBalances(
        points,
        [dave, alice, treasury, feeRecipient, relayer],
        [-price, sellerAmount, royaltyAmount, fee, 0n],
      );
      expect(await stamps.ownerOf(tokens.aliceCoffee)).to.equal(dave.address);
      expect(await market.orderStatus(hash)).to.equal(FILLED);
      // Replayed: the offer is filled (checked first), and the listing is spent by the stamp's move.
      await expect(market.connect(relayer).matchOrders(listing, sellerSignature, offer, buyerSignature))
        .to.be.revertedWithCustomError(market, "MarketOrderFilled")
        .withArgs(hash);
      await expect(market.connect(dave).buy(listing, sellerSignature, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        market,
        "MarketStaleOrder",
      );
    });

    it("a seller's listing at an offer's price accepts an offer on the series, in an ERC-20", async function () {
      const { market, stamps, usd, relayer, bob, carol, treasury, feeRecipient, tokens, series } = await loadFixture(fixture);
      const currency = await usd.getAddress();
      const price = 25_000_000n;
      const domain = await marketDomain(market);
      const offer = await buildOffer(market, carol.address, { seriesId: series.coffeeClub, currency, price });
      const listing = await buildListing(market, stamps, bob.address, tokens.bobCoffee, { currency, price });
      const { sellerAmount, royaltyAmount, fee } = expectedSplit(price, ROYALTY_BPS, FEE_BPS);
      const tx = market
        .connect(relayer)
        .matchOrders(listing, await signListing(bob, domain, listing), offer, await signOffer(carol, domain, offer));
      await expect(tx)
        .to.emit(market, "Sale")
        .withArgs(
          offerHash(domain, offer),
          MATCH,
          bob.address,
          carol.address,
          tokens.bobCoffee,
          currency,
          price,
          treasury.address,
          royaltyAmount,
          fee,
        );
      await expect(tx).to.changeTokenBalances(
        usd,
        [carol, bob, treasury, feeRecipient],
        [-price, sellerAmount, royaltyAmount, fee],
      );
      expect(await stamps.ownerOf(tokens.bobCoffee)).to.equal(carol.address);
    });

    it("refuses orders that disagree on price, currency or stamp, and native coin", async function () {
      const { market, stamps, points, usd, relayer, alice, dave, tokens, series } = await loadFixture(fixture);
      const pts = await points.getAddress();
      const domain = await marketDomain(market);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { currency: pts, price: 1_000n });
      const ls = await signListing(alice, domain, listing);
      const match = async (offerFields: Parameters<typeof buildOffer>[2], l = listing, s = ls) => {
        const offer = await buildOffer(market, dave.address, offerFields);
        return market.connect(relayer).matchOrders(l, s, offer, await signOffer(dave, domain, offer));
      };
      await expect(match({ seriesId: series.coffeeClub, currency: pts, price: 999n }))
        .to.be.revertedWithCustomError(market, "MarketOrdersMismatch")
        .withArgs(pts, 1_000n, pts, 999n);
      await expect(match({ seriesId: series.coffeeClub, currency: await usd.getAddress(), price: 1_000n }))
        .to.be.revertedWithCustomError(market, "MarketOrdersMismatch")
        .withArgs(pts, 1_000n, await usd.getAddress(), 1_000n);
      await expect(match({ seriesId: series.rareRoast, currency: pts, price: 1_000n }))
        .to.be.revertedWithCustomError(market, "MarketStampNotWanted")
        .withArgs(tokens.aliceCoffee, series.rareRoast, 0n);
      await expect(
        match({ seriesId: series.coffeeClub, tokenId: tokens.aliceCoffee2, currency: pts, price: 1_000n }),
      ).to.be.revertedWithCustomError(market, "MarketStampNotWanted");
      const native = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { currency: NATIVE, price: 1_000n });
      await expect(
        match({ seriesId: series.coffeeClub, currency: NATIVE, price: 1_000n }, native, await signListing(alice, domain, native)),
      ).to.be.revertedWithCustomError(market, "MarketNativeCoinOffer");
    });

    it("checks both signatures, expiries, nonces, statuses and signed terms", async function () {
      const { market, stamps, points, pauser, relayer, alice, dave, carol, tokens, series } = await loadFixture(fixture);
      const currency = await points.getAddress();
      const price = 1_000n;
      const domain = await marketDomain(market);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { currency, price });
      const offer = await buildOffer(market, dave.address, { seriesId: series.coffeeClub, currency, price });
      const ls = await signListing(alice, domain, listing);
      const os = await signOffer(dave, domain, offer);
      const relay = () => market.connect(relayer);

      await expect(relay().matchOrders(listing, await signListing(carol, domain, listing), offer, os))
        .to.be.revertedWithCustomError(market, "MarketInvalidSignature")
        .withArgs(alice.address);
      await expect(
        relay().matchOrders(listing, ls, offer, await signOffer(dave, await marketDomain(market, { chainId: 1n }), offer)),
      )
        .to.be.revertedWithCustomError(market, "MarketInvalidSignature")
        .withArgs(dave.address);
      // The seller's terms: a listing signed for more than the rules pay now.
      const greedy = { ...listing, minSellerAmount: listing.minSellerAmount + 1n };
      await expect(
        relay().matchOrders(greedy, await signListing(alice, domain, greedy), offer, os),
      ).to.be.revertedWithCustomError(market, "MarketSellerAmountTooLow");
      // The buyer's terms: an offer capping the fees below what the rules take.
      const stingy = { ...offer, maxFees: offer.maxFees - 1n };
      await expect(relay().matchOrders(listing, ls, stingy, await signOffer(dave, domain, stingy))).to.be.revertedWithCustomError(
        market,
        "MarketFeesTooHigh",
      );
      // Expiries.
      const oldListing = { ...listing, expiry: (await deadline(0n)) - 1n };
      await expect(
        relay().matchOrders(oldListing, await signListing(alice, domain, oldListing), offer, os),
      ).to.be.revertedWithCustomError(market, "MarketOrderExpired");
      const oldOffer = { ...offer, expiry: (await deadline(0n)) - 1n };
      await expect(
        relay().matchOrders(listing, ls, oldOffer, await signOffer(dave, domain, oldOffer)),
      ).to.be.revertedWithCustomError(market, "MarketOrderExpired");
      // Below the floor: a 0-price match is a gift, which market-only refuses.
      const free = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { currency, price: 0n });
      const freeOffer = await buildOffer(market, dave.address, { seriesId: series.coffeeClub, currency, price: 0n });
      await expect(
        relay().matchOrders(free, await signListing(alice, domain, free), freeOffer, await signOffer(dave, domain, freeOffer)),
      ).to.be.revertedWithCustomError(market, "MarketPriceBelowFloor");
      // Paused.
      await stamps.connect(pauser).pause(Scope.Market);
      await expect(relay().matchOrders(listing, ls, offer, os)).to.be.revertedWithCustomError(market, "EnforcedPause");
      await stamps.connect(pauser).unpause();
      // A cancelled listing, then a buyer who cancelled everything.
      await market.connect(alice).cancelListing(listing);
      await expect(relay().matchOrders(listing, ls, offer, os)).to.be.revertedWithCustomError(market, "MarketOrderCancelled");
      const listing2 = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { currency, price });
      await market.connect(dave).incrementNonce();
      await expect(relay().matchOrders(listing2, await signListing(alice, domain, listing2), offer, os))
        .to.be.revertedWithCustomError(market, "MarketNonceMismatch")
        .withArgs(dave.address, 0n, 1n);
    });
  });

  describe("Market.matchSwaps", function () {
    it("swaps two makers' stamps; the counter-order's maker pays fee and royalty in Points", async function () {
      const { market, stamps, points, admin, relayer, alice, bob, treasury, tokens, series } = await loadFixture(fixture);
      await market.connect(admin).setSwapFee(10n);
      const domain = await marketDomain(market);
      const order = await buildSwapOrder(market, stamps, alice.address, tokens.aliceCoffee, { wantedSeriesId: series.rareRoast });
      const counter = await buildSwapOrder(market, stamps, bob.address, tokens.bobRare, {
        wantedSeriesId: series.coffeeClub,
        wantedTokenId: tokens.aliceCoffee,
      });
      const [fee, royalty] = await market.quoteSwap(tokens.aliceCoffee, tokens.bobRare);
      expect(fee).to.equal(10n);
      expect(royalty).to.equal(MIN_POINTS_ROYALTY);
      const signature = await signSwapOrder(alice, domain, order);
      const counterSignature = await signSwapOrder(bob, domain, counter);

      const tx = market.connect(relayer).matchSwaps(order, signature, counter, counterSignature);
      await expect(tx)
        .to.emit(market, "Swapped")
        .withArgs(
          swapOrderHash(domain, order),
          alice.address,
          bob.address,
          tokens.aliceCoffee,
          tokens.bobRare,
          treasury.address,
          fee,
          royalty,
        );
      await expect(tx).to.changeTokenBalances(points, [bob, alice, treasury, relayer], [-(fee + royalty), 0n, fee + royalty, 0n]);
      expect(await stamps.ownerOf(tokens.aliceCoffee)).to.equal(bob.address);
      expect(await stamps.ownerOf(tokens.bobRare)).to.equal(alice.address);
      await expect(market.connect(relayer).matchSwaps(order, signature, counter, counterSignature)).to.be.revertedWithCustomError(
        market,
        "MarketStaleOrder",
      );
    });

    it("refuses a counter-order that does not want the stamp, caps fees lower, or is not signed by its maker", async function () {
      const { market, stamps, relayer, alice, bob, carol, tokens, series } = await loadFixture(fixture);
      const domain = await marketDomain(market);
      const order = await buildSwapOrder(market, stamps, alice.address, tokens.aliceCoffee, { wantedSeriesId: series.rareRoast });
      const signature = await signSwapOrder(alice, domain, order);
      const wrong = await buildSwapOrder(market, stamps, bob.address, tokens.bobRare, { wantedSeriesId: series.foundingMember });
      await expect(market.connect(relayer).matchSwaps(order, signature, wrong, await signSwapOrder(bob, domain, wrong)))
        .to.be.revertedWithCustomError(market, "MarketStampNotWanted")
        .withArgs(tokens.aliceCoffee, series.foundingMember, 0n);
      const cheap = await buildSwapOrder(market, stamps, bob.address, tokens.bobRare, {
        wantedSeriesId: series.coffeeClub,
        maxFees: MIN_POINTS_ROYALTY - 1n,
      });
      await expect(market.connect(relayer).matchSwaps(order, signature, cheap, await signSwapOrder(bob, domain, cheap)))
        .to.be.revertedWithCustomError(market, "MarketFeesTooHigh")
        .withArgs(MIN_POINTS_ROYALTY, MIN_POINTS_ROYALTY - 1n);
      const counter = await buildSwapOrder(market, stamps, bob.address, tokens.bobRare, { wantedSeriesId: series.coffeeClub });
      await expect(market.connect(relayer).matchSwaps(order, signature, counter, await signSwapOrder(carol, domain, counter)))
        .to.be.revertedWithCustomError(market, "MarketInvalidSignature")
        .withArgs(bob.address);
      // Alice's own stamp does not fill a swap with the series she asks for.
      const mine = await buildSwapOrder(market, stamps, bob.address, tokens.bobCoffee, { wantedSeriesId: series.coffeeClub });
      await expect(market.connect(relayer).matchSwaps(order, signature, mine, await signSwapOrder(bob, domain, mine)))
        .to.be.revertedWithCustomError(market, "MarketStampNotWanted")
        .withArgs(tokens.bobCoffee, series.rareRoast, 0n);
    });
  });

  describe("Market cancellations by signature", function () {
    it("cancel a listing, an offer and a swap order for their signers, once", async function () {
      const { market, stamps, points, relayer, alice, bob, tokens, series } = await loadFixture(fixture);
      const domain = await marketDomain(market);
      const end = await deadline();
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const lh = listingHash(domain, listing);
      const ls = await signCancelOrder(alice, domain, lh, end);
      await expect(market.connect(relayer).cancelListingBySig(listing, end, ls))
        .to.emit(market, "OrderCancelled")
        .withArgs(lh, alice.address);
      expect(await market.orderStatus(lh)).to.equal(CANCELLED);
      await expect(market.connect(relayer).cancelListingBySig(listing, end, ls))
        .to.be.revertedWithCustomError(market, "MarketOrderCancelled")
        .withArgs(lh);
      await expect(
        market.connect(bob).buy(listing, await signListing(alice, domain, listing), ethers.ZeroAddress, { value: listing.price }),
      ).to.be.revertedWithCustomError(market, "MarketOrderCancelled");

      const offer = await buildOffer(market, bob.address, {
        seriesId: series.coffeeClub,
        currency: await points.getAddress(),
        price: 100n,
      });
      const oh = offerHash(domain, offer);
      await expect(market.connect(relayer).cancelOfferBySig(offer, end, await signCancelOrder(bob, domain, oh, end)))
        .to.emit(market, "OrderCancelled")
        .withArgs(oh, bob.address);

      const order = await buildSwapOrder(market, stamps, alice.address, tokens.aliceRare, { wantedSeriesId: series.coffeeClub });
      const sh = swapOrderHash(domain, order);
      await expect(market.connect(relayer).cancelSwapBySig(order, end, await signCancelOrder(alice, domain, sh, end)))
        .to.emit(market, "OrderCancelled")
        .withArgs(sh, alice.address);
      expect(await market.orderStatus(sh)).to.equal(CANCELLED);
    });

    it("refuses an expired cancellation, another signer's, another chain's, and the order's own signature", async function () {
      const { market, stamps, relayer, alice, bob, tokens } = await loadFixture(fixture);
      const domain = await marketDomain(market);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const lh = listingHash(domain, listing);
      const past = (await deadline(0n)) - 1n;
      await expect(market.connect(relayer).cancelListingBySig(listing, past, await signCancelOrder(alice, domain, lh, past)))
        .to.be.revertedWithCustomError(market, "MarketSignatureExpired")
        .withArgs(past);
      const end = await deadline();
      const bad = [
        await signCancelOrder(bob, domain, lh, end),
        await signCancelOrder(alice, await marketDomain(market, { chainId: 1n }), lh, end),
        await signCancelOrder(alice, await marketDomain(market, { verifyingContract: await stamps.getAddress() }), lh, end),
        await signListing(alice, domain, listing),
      ];
      for (const signature of bad) {
        await expect(market.connect(relayer).cancelListingBySig(listing, end, signature))
          .to.be.revertedWithCustomError(market, "MarketInvalidSignature")
          .withArgs(alice.address);
      }
      expect(await market.orderStatus(lh)).to.equal(0n);
    });

    it("cancel-all by signature bumps the signer's nonce, once", async function () {
      const { market, relayer, alice, bob } = await loadFixture(fixture);
      const domain = await marketDomain(market);
      const end = await deadline();
      const signature = await signCancelAll(alice, domain, { signer: alice.address, nonce: 0n, deadline: end });
      await expect(market.connect(relayer).incrementNonceBySig(alice.address, end, signature))
        .to.emit(market, "NonceIncremented")
        .withArgs(alice.address, 1n);
      expect(await market.nonces(alice.address)).to.equal(1n);
      await expect(market.connect(relayer).incrementNonceBySig(alice.address, end, signature))
        .to.be.revertedWithCustomError(market, "MarketInvalidSignature")
        .withArgs(alice.address);
      const past = (await deadline(0n)) - 1n;
      const expired = await signCancelAll(alice, domain, { signer: alice.address, nonce: 1n, deadline: past });
      await expect(market.connect(relayer).incrementNonceBySig(alice.address, past, expired))
        .to.be.revertedWithCustomError(market, "MarketSignatureExpired")
        .withArgs(past);
      const foreign = await signCancelAll(alice, await marketDomain(market, { chainId: 1n }), {
        signer: alice.address,
        nonce: 1n,
        deadline: end,
      });
      await expect(market.connect(relayer).incrementNonceBySig(alice.address, end, foreign)).to.be.revertedWithCustomError(
        market,
        "MarketInvalidSignature",
      );
      const bobs = await signCancelAll(bob, domain, { signer: alice.address, nonce: 1n, deadline: end });
      await expect(market.connect(relayer).incrementNonceBySig(alice.address, end, bobs)).to.be.revertedWithCustomError(
        market,
        "MarketInvalidSignature",
      );
    });
  });
});
