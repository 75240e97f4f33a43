import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { shouldBehaveLikeBoundedPausable } from "./behaviors/boundedPausable.behavior";
import { deployMarketFixture, FEE_BPS, MIN_POINTS_ROYALTY, ROYALTY_BPS, stampId } from "./fixtures/market";
import { MAX_PAUSE, NO_TERMS, Scope } from "./fixtures/tokens";
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

const LISTING = 0;
const OFFER = 1;
const OPEN = 0n;
const FILLED = 1n;
const CANCELLED = 2n;

describe("Market", function () {
  describe("deployment", function () {
    it("uses the Punchcard Market EIP-712 domain and knows its program", async function () {
      const { market, stamps, points } = await loadFixture(deployMarketFixture);
      const domain = await market.eip712Domain();
      expect(domain.name).to.equal("Punchcard Market");
      expect(domain.version).to.equal("1");
      expect(domain.chainId).to.equal((await ethers.provider.getNetwork()).chainId);
      expect(domain.verifyingContract).to.equal(await market.getAddress());
      expect(await market.stamps()).to.equal(await stamps.getAddress());
      expect(await market.points()).to.equal(await points.getAddress());
      expect(await market.MAX_FEE_BPS()).to.equal(500n);
    });

    it("always allows the native coin and Points, and allowlisted ERC-20s only", async function () {
      const { market, points, usd } = await loadFixture(deployMarketFixture);
      const other = await ethers.deployContract("MockStablecoin");
      expect(await market.isCurrencyAllowed(NATIVE)).to.equal(true);
      expect(await market.isCurrencyAllowed(await points.getAddress())).to.equal(true);
      expect(await market.isCurrencyAllowed(await usd.getAddress())).to.equal(true);
      expect(await market.isCurrencyAllowed(await other.getAddress())).to.equal(false);
    });

    it("rejects a zero Stamps or Points address", async function () {
      const { market, stamps, admin } = await loadFixture(deployMarketFixture);
      const factory = await ethers.getContractFactory("Market");
      await expect(factory.deploy(ethers.ZeroAddress, await stamps.getAddress(), admin.address, 0)).to.be.revertedWithCustomError(
        market,
        "MarketZeroAddress",
      );
      await expect(factory.deploy(await stamps.getAddress(), ethers.ZeroAddress, admin.address, 0)).to.be.revertedWithCustomError(
        market,
        "MarketZeroAddress",
      );
    });
  });

  describe("order hashes", function () {
    it("match the typed data the helpers sign, for all three order types", async function () {
      const { market, stamps, usd, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      const domain = await marketDomain(market);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const offer = await buildOffer(market, bob.address, {
        seriesId: series.coffeeClub,
        currency: await usd.getAddress(),
        price: 5n,
      });
      const order = await buildSwapOrder(market, stamps, alice.address, tokens.aliceRare, {
        wantedSeriesId: series.coffeeClub,
      });
      expect(await market.hashListing(listing)).to.equal(listingHash(domain, listing));
      expect(await market.hashOffer(offer)).to.equal(offerHash(domain, offer));
      expect(await market.hashSwapOrder(order)).to.equal(swapOrderHash(domain, order));
    });
  });

  describe("buy", function () {
    it("sells a stamp for the native coin: royalty to the brand, fee, the rest to the seller", async function () {
      const { market, stamps, alice, bob, treasury, feeRecipient, tokens } = await loadFixture(deployMarketFixture);
      const price = ethers.parseEther("1");
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price });
      const domain = await marketDomain(market);
      const signature = await signListing(alice, domain, listing);
      const { sellerAmount, royaltyAmount, fee } = expectedSplit(price, ROYALTY_BPS, FEE_BPS);

      const tx = market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: price });
      await expect(tx)
        .to.emit(market, "Sale")
        .withArgs(
          listingHash(domain, listing),
          LISTING,
          alice.address,
          bob.address,
          tokens.aliceCoffee,
          NATIVE,
          price,
          treasury.address,
          royaltyAmount,
          fee,
        );
      await expect(tx).to.changeEtherBalances(
        [bob, alice, treasury, feeRecipient, market],
        [-price, sellerAmount, royaltyAmount, fee, 0n],
      );
      await expect(tx).to.not.emit(market, "PaymentDeferred");
      expect(sellerAmount + royaltyAmount + fee).to.equal(price);
      expect(await stamps.ownerOf(tokens.aliceCoffee)).to.equal(bob.address);
      expect(await stamps.transferCount(tokens.aliceCoffee)).to.equal(1n);
    });

    it("sends the stamp to the recipient the buyer names", async function () {
      const { market, stamps, alice, bob, carol, tokens } = await loadFixture(deployMarketFixture);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const signature = await signListing(alice, await marketDomain(market), listing);
      await market.connect(bob).buy(listing, signature, carol.address, { value: listing.price });
      expect(await stamps.ownerOf(tokens.aliceCoffee)).to.equal(carol.address);
    });

    it("sells for Points even while Points are not transferable between members", async function () {
      const { market, stamps, points, alice, bob, treasury, feeRecipient, tokens } = await loadFixture(deployMarketFixture);
      expect(await points.transferable()).to.equal(false);
      const price = 1_999n; // whole points: the fee (49.975) and royalty (99.95) both round down
      const currency = await points.getAddress();
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price, currency });
      const domain = await marketDomain(market);
      const signature = await signListing(alice, domain, listing);
      const { sellerAmount, royaltyAmount, fee } = expectedSplit(price, ROYALTY_BPS, FEE_BPS);
      expect([royaltyAmount, fee]).to.deep.equal([99n, 49n]);

      const tx = market.connect(bob).buy(listing, signature, ethers.ZeroAddress);
      await expect(tx).to.changeTokenBalances(
        points,
        [bob, alice, treasury, feeRecipient, market],
        [-price, sellerAmount, royaltyAmount, fee, 0n],
      );
      await expect(tx)
        .to.emit(market, "Sale")
        .withArgs(
          listingHash(domain, listing),
          LISTING,
          alice.address,
          bob.address,
          tokens.aliceCoffee,
          currency,
          price,
          treasury.address,
          royaltyAmount,
          fee,
        );
      expect(await stamps.ownerOf(tokens.aliceCoffee)).to.equal(bob.address);
    });

    it("sells for an allowlisted stablecoin", async function () {
      const { market, stamps, usd, alice, bob, treasury, feeRecipient, tokens } = await loadFixture(deployMarketFixture);
      const price = 25_000_000n; // 25 mUSD
      const currency = await usd.getAddress();
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price, currency });
      const signature = await signListing(alice, await marketDomain(market), listing);
      const { sellerAmount, royaltyAmount, fee } = expectedSplit(price, ROYALTY_BPS, FEE_BPS);
      await expect(market.connect(bob).buy(listing, signature, ethers.ZeroAddress)).to.changeTokenBalances(
        usd,
        [bob, alice, treasury, feeRecipient, market],
        [-price, sellerAmount, royaltyAmount, fee, 0n],
      );
    });

    it("requires exactly the price in native coin, and none for ERC-20 prices", async function () {
      const { market, stamps, usd, alice, bob, tokens } = await loadFixture(deployMarketFixture);
      const domain = await marketDomain(market);
      const native = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const nativeSig = await signListing(alice, domain, native);
      await expect(market.connect(bob).buy(native, nativeSig, ethers.ZeroAddress, { value: native.price - 1n }))
        .to.be.revertedWithCustomError(market, "MarketWrongPayment")
        .withArgs(native.price, native.price - 1n);
      await expect(market.connect(bob).buy(native, nativeSig, ethers.ZeroAddress, { value: native.price + 1n }))
        .to.be.revertedWithCustomError(market, "MarketWrongPayment")
        .withArgs(native.price, native.price + 1n);

      const erc20 = await buildListing(market, stamps, alice.address, tokens.aliceCoffee2, {
        price: 10n,
        currency: await usd.getAddress(),
      });
      const erc20Sig = await signListing(alice, domain, erc20);
      await expect(market.connect(bob).buy(erc20, erc20Sig, ethers.ZeroAddress, { value: 1n }))
        .to.be.revertedWithCustomError(market, "MarketWrongPayment")
        .withArgs(0n, 1n);
    });

    it("refuses currencies that are not allowed, including one taken off the allowlist", async function () {
      const { market, stamps, usd, admin, alice, bob, tokens } = await loadFixture(deployMarketFixture);
      const domain = await marketDomain(market);
      const other = await ethers.deployContract("MockStablecoin");
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, {
        price: 10n,
        currency: await other.getAddress(),
      });
      await expect(market.connect(bob).buy(listing, await signListing(alice, domain, listing), ethers.ZeroAddress))
        .to.be.revertedWithCustomError(market, "MarketCurrencyNotAllowed")
        .withArgs(await other.getAddress());

      await market.connect(admin).setCurrencyAllowed(await usd.getAddress(), false);
      const inUsd = { ...listing, currency: await usd.getAddress() };
      await expect(market.connect(bob).buy(inUsd, await signListing(alice, domain, inUsd), ethers.ZeroAddress))
        .to.be.revertedWithCustomError(market, "MarketCurrencyNotAllowed")
        .withArgs(await usd.getAddress());
    });

    it("refuses a listing signed by someone else than the seller", async function () {
      const { market, stamps, alice, bob, carol, tokens } = await loadFixture(deployMarketFixture);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const signature = await signListing(carol, await marketDomain(market), listing);
      await expect(market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: listing.price }))
        .to.be.revertedWithCustomError(market, "MarketInvalidSignature")
        .withArgs(alice.address);
    });

    it("refuses a listing whose seller does not hold the stamp", async function () {
      const { market, stamps, alice, carol, tokens } = await loadFixture(deployMarketFixture);
      const listing = await buildListing(market, stamps, alice.address, tokens.bobCoffee);
      const signature = await signListing(alice, await marketDomain(market), listing);
      await expect(market.connect(carol).buy(listing, signature, ethers.ZeroAddress, { value: listing.price }))
        .to.be.revertedWithCustomError(market, "MarketNotHolder")
        .withArgs(alice.address, tokens.bobCoffee);
    });

    it("needs the seller's ERC-721 approval: being a Stamps operator is not enough", async function () {
      const { market, stamps, alice, bob, tokens } = await loadFixture(deployMarketFixture);
      await stamps.connect(alice).setApprovalForAll(await market.getAddress(), false);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const signature = await signListing(alice, await marketDomain(market), listing);
      await expect(
        market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: listing.price }),
      ).to.be.revertedWithCustomError(stamps, "ERC721InsufficientApproval");
    });

    it("fills up to and including the expiry second", async function () {
      const { market, stamps, alice, bob, tokens } = await loadFixture(deployMarketFixture);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const signature = await signListing(alice, await marketDomain(market), listing);
      await time.setNextBlockTimestamp(listing.expiry);
      await expect(market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: listing.price })).to.emit(
        market,
        "Sale",
      );
    });
  });

  describe("offers", function () {
    it("an offer on one stamp is accepted by its holder, paid in the offer's ERC-20", async function () {
      const { market, usd, alice, bob, treasury, feeRecipient, series, tokens } = await loadFixture(deployMarketFixture);
      const price = 40_000_000n;
      const currency = await usd.getAddress();
      const offer = await buildOffer(market, bob.address, {
        seriesId: series.coffeeClub,
        tokenId: tokens.aliceCoffee,
        currency,
        price,
      });
      const domain = await marketDomain(market);
      const signature = await signOffer(bob, domain, offer);
      const hash = offerHash(domain, offer);
      const { sellerAmount, royaltyAmount, fee } = expectedSplit(price, ROYALTY_BPS, FEE_BPS);
      expect(await market.orderStatus(hash)).to.equal(OPEN);

      const tx = market.connect(alice).acceptOffer(offer, signature, tokens.aliceCoffee);
      await expect(tx)
        .to.emit(market, "Sale")
        .withArgs(
          hash,
          OFFER,
          alice.address,
          bob.address,
          tokens.aliceCoffee,
          currency,
          price,
          treasury.address,
          royaltyAmount,
          fee,
        );
      await expect(tx).to.changeTokenBalances(
        usd,
        [bob, alice, treasury, feeRecipient],
        [-price, sellerAmount, royaltyAmount, fee],
      );
      expect(await market.orderStatus(hash)).to.equal(FILLED);
    });

    it("an offer on a series is accepted with any stamp of that series, in Points", async function () {
      const { market, stamps, points, alice, bob, carol, series, tokens } = await loadFixture(deployMarketFixture);
      const offer = await buildOffer(market, alice.address, {
        seriesId: series.coffeeClub,
        currency: await points.getAddress(),
        price: 300n,
      });
      const signature = await signOffer(alice, await marketDomain(market), offer);
      await expect(market.connect(carol).acceptOffer(offer, signature, tokens.carolCoffee)).to.emit(market, "Sale");
      expect(await stamps.ownerOf(tokens.carolCoffee)).to.equal(alice.address);
      // Filled once: bob's stamp of the same series cannot fill it again.
      await expect(market.connect(bob).acceptOffer(offer, signature, tokens.bobCoffee)).to.be.revertedWithCustomError(
        market,
        "MarketOrderFilled",
      );
    });

    it("refuses a stamp of another series, or another stamp than the one wanted", async function () {
      const { market, usd, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      const domain = await marketDomain(market);
      const currency = await usd.getAddress();
      const seriesOffer = await buildOffer(market, bob.address, { seriesId: series.coffeeClub, currency, price: 1n });
      await expect(market.connect(alice).acceptOffer(seriesOffer, await signOffer(bob, domain, seriesOffer), tokens.aliceRare))
        .to.be.revertedWithCustomError(market, "MarketStampNotWanted")
        .withArgs(tokens.aliceRare, series.coffeeClub, 0n);

      const oneStamp = await buildOffer(market, bob.address, {
        seriesId: series.coffeeClub,
        tokenId: tokens.aliceCoffee,
        currency,
        price: 1n,
      });
      await expect(market.connect(alice).acceptOffer(oneStamp, await signOffer(bob, domain, oneStamp), tokens.aliceCoffee2))
        .to.be.revertedWithCustomError(market, "MarketStampNotWanted")
        .withArgs(tokens.aliceCoffee2, series.coffeeClub, tokens.aliceCoffee);
    });

    it("can only be accepted by the stamp's holder", async function () {
      const { market, usd, bob, carol, series, tokens } = await loadFixture(deployMarketFixture);
      const offer = await buildOffer(market, bob.address, {
        seriesId: series.coffeeClub,
        currency: await usd.getAddress(),
        price: 1n,
      });
      const signature = await signOffer(bob, await marketDomain(market), offer);
      await expect(market.connect(carol).acceptOffer(offer, signature, tokens.aliceCoffee))
        .to.be.revertedWithCustomError(market, "MarketNotHolder")
        .withArgs(carol.address, tokens.aliceCoffee);
    });

    it("cannot be made in the native coin", async function () {
      const { market, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      const offer = await buildOffer(market, bob.address, { seriesId: series.coffeeClub, currency: NATIVE, price: 1n });
      const signature = await signOffer(bob, await marketDomain(market), offer);
      await expect(market.connect(alice).acceptOffer(offer, signature, tokens.aliceCoffee)).to.be.revertedWithCustomError(
        market,
        "MarketNativeCoinOffer",
      );
    });
  });

  describe("swaps", function () {
    it("swaps two stamps atomically; the taker pays the swap fee and royalty in Points to the royalty receiver", async function () {
      const { market, stamps, points, admin, alice, bob, treasury, series, tokens } = await loadFixture(deployMarketFixture);
      await market.connect(admin).setSwapFee(50n);
      const order = await buildSwapOrder(market, stamps, alice.address, tokens.aliceRare, {
        wantedSeriesId: series.coffeeClub,
        wantedTokenId: tokens.bobCoffee,
      });
      const domain = await marketDomain(market);
      const signature = await signSwapOrder(alice, domain, order);

      const tx = market.connect(bob).swap(order, signature, tokens.bobCoffee);
      await expect(tx)
        .to.emit(market, "Swapped")
        .withArgs(
          swapOrderHash(domain, order),
          alice.address,
          bob.address,
          tokens.aliceRare,
          tokens.bobCoffee,
          treasury.address,
          50n,
          MIN_POINTS_ROYALTY,
        );
      await expect(tx).to.changeTokenBalances(
        points,
        [bob, alice, treasury],
        [-(50n + MIN_POINTS_ROYALTY), 0n, 50n + MIN_POINTS_ROYALTY],
      );
      expect(await stamps.ownerOf(tokens.aliceRare)).to.equal(bob.address);
      expect(await stamps.ownerOf(tokens.bobCoffee)).to.equal(alice.address);
    });

    it("swaps for any stamp of a series; without a swap fee the taker pays only the royalty", async function () {
      const { market, stamps, points, alice, carol, treasury, series, tokens } = await loadFixture(deployMarketFixture);
      const order = await buildSwapOrder(market, stamps, alice.address, tokens.aliceRare, {
        wantedSeriesId: series.coffeeClub,
      });
      expect(order.maxFees).to.equal(MIN_POINTS_ROYALTY);
      const signature = await signSwapOrder(alice, await marketDomain(market), order);
      const tx = market.connect(carol).swap(order, signature, tokens.carolCoffee);
      await expect(tx).to.changeTokenBalances(points, [carol, alice, treasury], [-MIN_POINTS_ROYALTY, 0n, MIN_POINTS_ROYALTY]);
      expect(await stamps.ownerOf(tokens.aliceRare)).to.equal(carol.address);
      expect(await stamps.ownerOf(tokens.carolCoffee)).to.equal(alice.address);
    });

    it("refuses a taker stamp that is not wanted, or not the taker's", async function () {
      const { market, stamps, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      const order = await buildSwapOrder(market, stamps, alice.address, tokens.aliceRare, {
        wantedSeriesId: series.coffeeClub,
      });
      const signature = await signSwapOrder(alice, await marketDomain(market), order);
      await expect(market.connect(bob).swap(order, signature, tokens.bobRare))
        .to.be.revertedWithCustomError(market, "MarketStampNotWanted")
        .withArgs(tokens.bobRare, series.coffeeClub, 0n);
      await expect(market.connect(bob).swap(order, signature, tokens.carolCoffee))
        .to.be.revertedWithCustomError(market, "MarketNotHolder")
        .withArgs(bob.address, tokens.carolCoffee);
    });

    it("rolls back both moves when the second stamp cannot move", async function () {
      const { market, stamps, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      await stamps.connect(bob).setApprovalForAll(await market.getAddress(), false);
      const order = await buildSwapOrder(market, stamps, alice.address, tokens.aliceRare, {
        wantedSeriesId: series.coffeeClub,
      });
      const signature = await signSwapOrder(alice, await marketDomain(market), order);
      await expect(market.connect(bob).swap(order, signature, tokens.bobCoffee)).to.be.revertedWithCustomError(
        stamps,
        "ERC721InsufficientApproval",
      );
      expect(await stamps.ownerOf(tokens.aliceRare)).to.equal(alice.address);
      expect(await stamps.ownerOf(tokens.bobCoffee)).to.equal(bob.address);
    });
  });

  describe("cancel", function () {
    it("a seller cancels one listing; it can no longer be bought, nor cancelled twice", async function () {
      const { market, stamps, alice, bob, tokens } = await loadFixture(deployMarketFixture);
      const domain = await marketDomain(market);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const signature = await signListing(alice, domain, listing);
      const hash = listingHash(domain, listing);
      await expect(market.connect(alice).cancelListing(listing)).to.emit(market, "OrderCancelled").withArgs(hash, alice.address);
      expect(await market.orderStatus(hash)).to.equal(CANCELLED);
      await expect(market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: listing.price }))
        .to.be.revertedWithCustomError(market, "MarketOrderCancelled")
        .withArgs(hash);
      await expect(market.connect(alice).cancelListing(listing))
        .to.be.revertedWithCustomError(market, "MarketOrderCancelled")
        .withArgs(hash);
    });

    it("a buyer cancels an offer, but not once it is accepted", async function () {
      const { market, usd, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      const domain = await marketDomain(market);
      const currency = await usd.getAddress();
      const offer = await buildOffer(market, bob.address, { seriesId: series.coffeeClub, currency, price: 1n });
      const signature = await signOffer(bob, domain, offer);
      await expect(market.connect(bob).cancelOffer(offer))
        .to.emit(market, "OrderCancelled")
        .withArgs(offerHash(domain, offer), bob.address);
      await expect(market.connect(alice).acceptOffer(offer, signature, tokens.aliceCoffee)).to.be.revertedWithCustomError(
        market,
        "MarketOrderCancelled",
      );

      const accepted = await buildOffer(market, bob.address, { seriesId: series.coffeeClub, currency, price: 1_000_000n });
      await market.connect(alice).acceptOffer(accepted, await signOffer(bob, domain, accepted), tokens.aliceCoffee);
      await expect(market.connect(bob).cancelOffer(accepted))
        .to.be.revertedWithCustomError(market, "MarketOrderFilled")
        .withArgs(offerHash(domain, accepted));
    });

    it("a maker cancels a swap order", async function () {
      const { market, stamps, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      const domain = await marketDomain(market);
      const order = await buildSwapOrder(market, stamps, alice.address, tokens.aliceRare, {
        wantedSeriesId: series.coffeeClub,
      });
      const signature = await signSwapOrder(alice, domain, order);
      await expect(market.connect(alice).cancelSwap(order))
        .to.emit(market, "OrderCancelled")
        .withArgs(swapOrderHash(domain, order), alice.address);
      await expect(market.connect(bob).swap(order, signature, tokens.bobCoffee)).to.be.revertedWithCustomError(
        market,
        "MarketOrderCancelled",
      );
    });

    it("cancel-all kills every open listing, offer and swap order; new ones use the new nonce", async function () {
      const { market, stamps, usd, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      const domain = await marketDomain(market);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const listingSig = await signListing(alice, domain, listing);
      const offer = await buildOffer(market, alice.address, {
        seriesId: series.rareRoast,
        currency: await usd.getAddress(),
        price: 1n,
      });
      const offerSig = await signOffer(alice, domain, offer);
      const order = await buildSwapOrder(market, stamps, alice.address, tokens.aliceRare, {
        wantedSeriesId: series.coffeeClub,
      });
      const orderSig = await signSwapOrder(alice, domain, order);

      await expect(market.connect(alice).incrementNonce()).to.emit(market, "NonceIncremented").withArgs(alice.address, 1n);
      expect(await market.nonces(alice.address)).to.equal(1n);

      await expect(market.connect(bob).buy(listing, listingSig, ethers.ZeroAddress, { value: listing.price }))
        .to.be.revertedWithCustomError(market, "MarketNonceMismatch")
        .withArgs(alice.address, 0n, 1n);
      await expect(market.connect(bob).acceptOffer(offer, offerSig, tokens.bobRare)).to.be.revertedWithCustomError(
        market,
        "MarketNonceMismatch",
      );
      await expect(market.connect(bob).swap(order, orderSig, tokens.bobCoffee)).to.be.revertedWithCustomError(
        market,
        "MarketNonceMismatch",
      );

      const fresh = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      expect(fresh.nonce).to.equal(1n);
      await expect(
        market.connect(bob).buy(fresh, await signListing(alice, domain, fresh), ethers.ZeroAddress, {
          value: fresh.price,
        }),
      ).to.emit(market, "Sale");
    });
  });

  describe("pause", function () {
    it("stops fills but never cancellations or withdrawals", async function () {
      const { market, stamps, usd, pauser, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      const domain = await marketDomain(market);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const signature = await signListing(alice, domain, listing);
      const offer = await buildOffer(market, bob.address, {
        seriesId: series.coffeeClub,
        currency: await usd.getAddress(),
        price: 1n,
      });
      const order = await buildSwapOrder(market, stamps, alice.address, tokens.aliceRare, {
        wantedSeriesId: series.coffeeClub,
      });

      await expect(stamps.connect(pauser).pause(Scope.Market))
        .to.emit(stamps, "Paused")
        .withArgs(pauser.address, Scope.Market, anyValue);
      await expect(
        market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: listing.price }),
      ).to.be.revertedWithCustomError(market, "EnforcedPause");
      await expect(
        market.connect(alice).acceptOffer(offer, await signOffer(bob, domain, offer), tokens.aliceCoffee),
      ).to.be.revertedWithCustomError(market, "EnforcedPause");
      await expect(
        market.connect(bob).swap(order, await signSwapOrder(alice, domain, order), tokens.bobCoffee),
      ).to.be.revertedWithCustomError(market, "EnforcedPause");

      await expect(market.connect(alice).cancelListing(listing)).to.emit(market, "OrderCancelled");
      await expect(market.connect(bob).incrementNonce()).to.emit(market, "NonceIncremented");
      // withdraw runs too: it reaches its own check rather than the pause.
      await expect(market.connect(alice).withdraw())
        .to.be.revertedWithCustomError(market, "MarketNothingOwed")
        .withArgs(alice.address);

      await expect(stamps.connect(pauser).unpause()).to.emit(stamps, "Unpaused").withArgs(pauser.address);
      const fresh = await buildListing(market, stamps, alice.address, tokens.aliceCoffee2);
      await expect(
        market.connect(bob).buy(fresh, await signListing(alice, domain, fresh), ethers.ZeroAddress, {
          value: fresh.price,
        }),
      ).to.emit(market, "Sale");
    });
  });

  describe("settings", function () {
    it("setFee emits, is capped at 5 %, and needs a recipient for a non-zero fee", async function () {
      const { market, admin, carol } = await loadFixture(deployMarketFixture);
      await expect(market.connect(admin).setFee(carol.address, 500n)).to.emit(market, "FeeChanged").withArgs(carol.address, 500n);
      expect(await market.feeRecipient()).to.equal(carol.address);
      expect(await market.feeBps()).to.equal(500n);
      await expect(market.connect(admin).setFee(carol.address, 501n))
        .to.be.revertedWithCustomError(market, "MarketFeeTooHigh")
        .withArgs(501n, 500n);
      await expect(market.connect(admin).setFee(ethers.ZeroAddress, 1n))
        .to.be.revertedWithCustomError(market, "MarketInvalidFeeRecipient")
        .withArgs(ethers.ZeroAddress);
      await expect(market.connect(admin).setFee(ethers.ZeroAddress, 0n))
        .to.emit(market, "FeeChanged")
        .withArgs(ethers.ZeroAddress, 0n);
    });

    it("setCurrencyAllowed emits, and refuses the native coin and Points (always allowed)", async function () {
      const { market, points, admin } = await loadFixture(deployMarketFixture);
      const token = await ethers.deployContract("MockStablecoin");
      const address = await token.getAddress();
      await expect(market.connect(admin).setCurrencyAllowed(address, true))
        .to.emit(market, "CurrencyAllowedChanged")
        .withArgs(address, true);
      expect(await market.isCurrencyAllowed(address)).to.equal(true);
      await expect(market.connect(admin).setCurrencyAllowed(address, false))
        .to.emit(market, "CurrencyAllowedChanged")
        .withArgs(address, false);
      await expect(market.connect(admin).setCurrencyAllowed(ethers.ZeroAddress, true))
        .to.be.revertedWithCustomError(market, "MarketInvalidCurrency")
        .withArgs(ethers.ZeroAddress);
      await expect(market.connect(admin).setCurrencyAllowed(await points.getAddress(), false))
        .to.be.revertedWithCustomError(market, "MarketInvalidCurrency")
        .withArgs(await points.getAddress());
    });

    // Who may call each setting, pause and unpause: the role matrix in test/roles.test.ts.
    it("setSwapFee emits", async function () {
      const { market, admin } = await loadFixture(deployMarketFixture);
      await expect(market.connect(admin).setSwapFee(25n)).to.emit(market, "SwapFeeChanged").withArgs(25n);
      expect(await market.swapFee()).to.equal(25n);
    });
  });

  describe("brand rules: price bounds, minimum royalty, swap fee cap", function () {
    it("setPriceBounds emits, reads back, and refuses a floor above the ceiling", async function () {
      const { market, usd, admin, series } = await loadFixture(deployMarketFixture);
      const currency = await usd.getAddress();
      await expect(market.connect(admin).setPriceBounds(series.coffeeClub, currency, 1_000_000n, 50_000_000n))
        .to.emit(market, "PriceBoundsChanged")
        .withArgs(series.coffeeClub, currency, 1_000_000n, 50_000_000n);
      expect(await market.priceBounds(series.coffeeClub, currency)).to.deep.equal([1_000_000n, 50_000_000n]);
      expect(await market.priceBounds(series.rareRoast, currency)).to.deep.equal([0n, 0n]);
      await expect(market.connect(admin).setPriceBounds(series.coffeeClub, currency, 2n, 1n))
        .to.be.revertedWithCustomError(market, "MarketInvalidPriceBounds")
        .withArgs(2n, 1n);
      // A floor with no ceiling is fine, and so is clearing both.
      await expect(market.connect(admin).setPriceBounds(series.coffeeClub, currency, 2n, 0n)).to.emit(
        market,
        "PriceBoundsChanged",
      );
      await expect(market.connect(admin).setPriceBounds(series.coffeeClub, currency, 0n, 0n)).to.emit(
        market,
        "PriceBoundsChanged",
      );
    });

    it("bounds are per series and currency: another series' or currency's bounds never bound this one, cleared ones stop", async function () {
      const { market, stamps, points, admin, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      const ceiling = ethers.parseEther("1");
      const price = ceiling + 1n;
      // The native coin becomes a bounded currency (a sale then reads its bounds), but only for Rare Roast.
      await market.connect(admin).setPriceBounds(series.rareRoast, NATIVE, 0n, ceiling);
      await market.connect(admin).setPriceBounds(series.coffeeClub, await points.getAddress(), 0n, 1n);
      expect(await market.quoteSale(tokens.aliceCoffee, NATIVE, price)).to.have.length(3);
      // Bounds of Coffee Club in the native coin apply at once; cleared, they stop applying.
      await market.connect(admin).setPriceBounds(series.coffeeClub, NATIVE, 0n, ceiling);
      await expect(market.quoteSale(tokens.aliceCoffee, NATIVE, price))
        .to.be.revertedWithCustomError(market, "MarketPriceAboveCeiling")
        .withArgs(series.coffeeClub, NATIVE, price, ceiling);
      await market.connect(admin).setPriceBounds(series.coffeeClub, NATIVE, 0n, 0n);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price });
      await expect(
        market.connect(bob).buy(listing, await signListing(alice, await marketDomain(market), listing), ethers.ZeroAddress, {
          value: price,
        }),
      ).to.emit(market, "Sale");
    });

    it("a ceiling applies to every fill, whether gifts are allowed or not", async function () {
      const { market, stamps, admin, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      const ceiling = ethers.parseEther("2");
      await market.connect(admin).setPriceBounds(series.coffeeClub, NATIVE, 0n, ceiling);
      const domain = await marketDomain(market);
      const above = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price: ceiling + 1n });
      const aboveSig = await signListing(alice, domain, above);
      await expect(market.connect(bob).buy(above, aboveSig, ethers.ZeroAddress, { value: ceiling + 1n }))
        .to.be.revertedWithCustomError(market, "MarketPriceAboveCeiling")
        .withArgs(series.coffeeClub, NATIVE, ceiling + 1n, ceiling);
      await expect(market.quoteSale(tokens.aliceCoffee, NATIVE, ceiling + 1n)).to.be.revertedWithCustomError(
        market,
        "MarketPriceAboveCeiling",
      );
      await stamps.connect(admin).setGiftsAllowed(true);
      await expect(
        market.connect(bob).buy(above, aboveSig, ethers.ZeroAddress, { value: ceiling + 1n }),
      ).to.be.revertedWithCustomError(market, "MarketPriceAboveCeiling");

      const atCeiling = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price: ceiling });
      await expect(
        market.connect(bob).buy(atCeiling, await signListing(alice, domain, atCeiling), ethers.ZeroAddress, { value: ceiling }),
      ).to.emit(market, "Sale");
    });

    it("a floor applies while the royalty is unskippable, not once gifts are allowed or the policy is open", async function () {
      const { market, stamps, points, admin, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      const currency = await points.getAddress();
      await market.connect(admin).setPriceBounds(series.coffeeClub, currency, 500n, 0n);
      const domain = await marketDomain(market);
      expect(await market.royaltyUnskippable()).to.equal(true);
      const below = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price: 499n, currency });
      const belowSig = await signListing(alice, domain, below);
      await expect(market.connect(bob).buy(below, belowSig, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(market, "MarketPriceBelowFloor")
        .withArgs(series.coffeeClub, currency, 499n, 500n);

      const atFloor = await buildListing(market, stamps, alice.address, tokens.aliceCoffee2, { price: 500n, currency });
      await expect(market.connect(bob).buy(atFloor, await signListing(alice, domain, atFloor), ethers.ZeroAddress)).to.emit(
        market,
        "Sale",
      );

      // Members may now give stamps away directly: a cheaper sale is no worse for the brand than a gift.
      await stamps.connect(admin).setGiftsAllowed(true);
      expect(await market.royaltyUnskippable()).to.equal(false);
      await expect(market.connect(bob).buy(below, belowSig, ethers.ZeroAddress)).to.emit(market, "Sale");

      await stamps.connect(admin).setGiftsAllowed(false);
      await stamps.connect(admin).setTransferPolicy(0); // Open
      expect(await market.royaltyUnskippable()).to.equal(false);
    });

    it("setMinRoyalty emits; a sale pays at least the minimum, out of the seller's share, to the wei", async function () {
      const { market, stamps, admin, alice, bob, treasury, feeRecipient, tokens } = await loadFixture(deployMarketFixture);
      const minimum = ethers.parseEther("0.1");
      await expect(market.connect(admin).setMinRoyalty(NATIVE, minimum))
        .to.emit(market, "MinRoyaltyChanged")
        .withArgs(NATIVE, minimum);
      expect(await market.minRoyalty(NATIVE)).to.equal(minimum);

      const price = ethers.parseEther("1"); // 5 % would be 0.05
      const fee = (price * FEE_BPS) / 10_000n;
      const sellerAmount = price - minimum - fee;
      expect(await market.quoteSale(tokens.aliceCoffee, NATIVE, price)).to.deep.equal([sellerAmount, minimum, fee]);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price });
      expect(listing.minSellerAmount).to.equal(sellerAmount);
      const domain = await marketDomain(market);
      const tx = market
        .connect(bob)
        .buy(listing, await signListing(alice, domain, listing), ethers.ZeroAddress, { value: price });
      await expect(tx)
        .to.emit(market, "Sale")
        .withArgs(
          listingHash(domain, listing),
          LISTING,
          alice.address,
          bob.address,
          tokens.aliceCoffee,
          NATIVE,
          price,
          treasury.address,
          minimum,
          fee,
        );
      await expect(tx).to.changeEtherBalances(
        [bob, alice, treasury, feeRecipient, market],
        [-price, sellerAmount, minimum, fee, 0n],
      );
    });

    it("a price that cannot hold the minimum royalty after the market fee is refused", async function () {
      const { market, stamps, usd, admin, alice, bob, tokens } = await loadFixture(deployMarketFixture);
      const currency = await usd.getAddress();
      await market.connect(admin).setMinRoyalty(currency, 1_000_000n);
      const price = 1_000_000n;
      const fee = (price * FEE_BPS) / 10_000n;
      await expect(market.quoteSale(tokens.aliceCoffee, currency, price))
        .to.be.revertedWithCustomError(market, "MarketRoyaltyTooLow")
        .withArgs(price - fee, 1_000_000n);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price, currency });
      await expect(
        market.connect(bob).buy(listing, await signListing(alice, await marketDomain(market), listing), ethers.ZeroAddress),
      )
        .to.be.revertedWithCustomError(market, "MarketRoyaltyTooLow")
        .withArgs(price - fee, 1_000_000n);
    });

    it("quoteSale refuses a currency the Market does not take", async function () {
      const { market, tokens } = await loadFixture(deployMarketFixture);
      const other = await ethers.deployContract("MockStablecoin");
      await expect(market.quoteSale(tokens.aliceCoffee, await other.getAddress(), 1_000_000n))
        .to.be.revertedWithCustomError(market, "MarketCurrencyNotAllowed")
        .withArgs(await other.getAddress());
    });

    it("quotes refuse a stamp that can never exist (edition 0 or above the series' supply, a series that does not exist), and quote the last edition", async function () {
      const { market, stamps, series, tokens } = await loadFixture(deployMarketFixture);
      const beyond = stampId(series.rareRoast, 101n); // Rare Roast has at most 100 editions.
      const editionZero = stampId(series.coffeeClub, 0n);
      for (const impossible of [beyond, editionZero]) {
        const seriesId = impossible / 1_000_000_000n;
        const maxSupply = (await stamps.series(seriesId)).maxSupply;
        await expect(market.quoteSale(impossible, NATIVE, ethers.parseEther("1")))
          .to.be.revertedWithCustomError(market, "MarketStampCannotExist")
          .withArgs(impossible, seriesId, maxSupply);
        await expect(market.quoteSwap(tokens.aliceRare, impossible))
          .to.be.revertedWithCustomError(market, "MarketStampCannotExist")
          .withArgs(impossible, seriesId, maxSupply);
        await expect(market.quoteSwap(impossible, tokens.bobCoffee))
          .to.be.revertedWithCustomError(market, "MarketStampCannotExist")
          .withArgs(impossible, seriesId, maxSupply);
      }
      const noSeries = stampId(99n, 1n);
      await expect(market.quoteSale(noSeries, NATIVE, ethers.parseEther("1")))
        .to.be.revertedWithCustomError(stamps, "StampsUnknownSeries")
        .withArgs(99n);
      // The last edition can exist (not minted yet): it quotes.
      expect(await market.quoteSale(stampId(series.rareRoast, 100n), NATIVE, ethers.parseEther("1"))).to.have.length(3);
      expect(await market.quoteSwap(tokens.aliceRare, stampId(series.rareRoast, 100n))).to.have.length(2);
    });

    it("a swap's royalty is each stamp's royalty at its series' Points floor, and at least the minimum", async function () {
      const { market, points, admin, series, tokens } = await loadFixture(deployMarketFixture);
      const pointsAddress = await points.getAddress();
      expect(await market.quoteSwap(tokens.aliceRare, tokens.bobCoffee)).to.deep.equal([0n, MIN_POINTS_ROYALTY]);
      await market.connect(admin).setSwapFee(20n);
      await market.connect(admin).setPriceBounds(series.rareRoast, pointsAddress, 2_000n, 0n);
      await market.connect(admin).setPriceBounds(series.coffeeClub, pointsAddress, 400n, 0n);
      // 5 % of 2,000 + 5 % of 400.
      expect(await market.quoteSwap(tokens.aliceRare, tokens.bobCoffee)).to.deep.equal([20n, 100n + 20n]);
      // A USD floor says nothing about a swap, which is paid in Points.
      await market.connect(admin).setPriceBounds(series.rareRoast, pointsAddress, 0n, 0n);
      await market.connect(admin).setPriceBounds(series.rareRoast, NATIVE, ethers.parseEther("1"), 0n);
      expect(await market.quoteSwap(tokens.aliceRare, tokens.bobCoffee)).to.deep.equal([20n, 20n]);
    });

    it("with gifts allowed a swap is two gifts: it pays only the swap fee", async function () {
      const { market, stamps, admin, tokens } = await loadFixture(deployMarketFixture);
      await market.connect(admin).setSwapFee(20n);
      await stamps.connect(admin).setGiftsAllowed(true);
      expect(await market.quoteSwap(tokens.aliceRare, tokens.bobCoffee)).to.deep.equal([20n, 0n]);
    });

    it("a brand that charges no royalty lets a swap and a 1-wei sale through royalty-free", async function () {
      const { market, stamps, points, admin, alice, bob, treasury, series, tokens } = await loadFixture(deployMarketFixture);
      await stamps.connect(admin).setRoyalty(treasury.address, 0);
      await market.connect(admin).setMinRoyalty(await points.getAddress(), 0n);
      expect(await market.quoteSwap(tokens.aliceRare, tokens.bobCoffee)).to.deep.equal([0n, 0n]);
      const order = await buildSwapOrder(market, stamps, alice.address, tokens.aliceRare, {
        wantedSeriesId: series.coffeeClub,
      });
      await expect(
        market.connect(bob).swap(order, await signSwapOrder(alice, await marketDomain(market), order), tokens.bobCoffee),
      ).to.emit(market, "Swapped");
      expect(await market.quoteSale(tokens.aliceCoffee, NATIVE, 1n)).to.deep.equal([1n, 0n, 0n]);
    });

    it("the swap fee is capped at MAX_SWAP_FEE_POINTS whole points, in Points' own decimals", async function () {
      const { market, stamps, admin } = await loadFixture(deployMarketFixture);
      expect(await market.MAX_SWAP_FEE_POINTS()).to.equal(10_000n);
      expect(await market.maxSwapFee()).to.equal(10_000n); // the fixture's Points have no decimals
      await expect(market.connect(admin).setSwapFee(10_000n)).to.emit(market, "SwapFeeChanged").withArgs(10_000n);
      await expect(market.connect(admin).setSwapFee(10_001n))
        .to.be.revertedWithCustomError(market, "MarketSwapFeeTooHigh")
        .withArgs(10_001n, 10_000n);

      const points18 = await ethers.deployContract("Points", [
        "P",
        "P",
        18,
        true,
        admin.address,
        0,
        await stamps.getAddress(),
        NO_TERMS,
      ]);
      const market18 = await ethers.deployContract("Market", [
        await stamps.getAddress(),
        await points18.getAddress(),
        admin.address,
        0,
      ]);
      expect(await market18.maxSwapFee()).to.equal(10_000n * 10n ** 18n);
    });
  });

  describe("signed terms", function () {
    it("a listing fills while it pays the seller at least what they signed; lower fees pay them more", async function () {
      const { market, stamps, admin, alice, bob, feeRecipient, tokens } = await loadFixture(deployMarketFixture);
      const price = ethers.parseEther("1");
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price });
      const signed = expectedSplit(price, ROYALTY_BPS, FEE_BPS).sellerAmount;
      expect(listing.minSellerAmount).to.equal(signed);
      const signature = await signListing(alice, await marketDomain(market), listing);
      await market.connect(admin).setFee(feeRecipient.address, 0n);
      const now = expectedSplit(price, ROYALTY_BPS, 0n).sellerAmount;
      expect(now).to.be.greaterThan(signed);
      await expect(market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: price })).to.changeEtherBalances(
        [alice],
        [now],
      );
    });

    it("a listing asking more than the rules pay never fills", async function () {
      const { market, stamps, alice, bob, tokens } = await loadFixture(deployMarketFixture);
      const price = ethers.parseEther("1");
      const sellerAmount = expectedSplit(price, ROYALTY_BPS, FEE_BPS).sellerAmount;
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, {
        price,
        minSellerAmount: price,
      });
      await expect(
        market
          .connect(bob)
          .buy(listing, await signListing(alice, await marketDomain(market), listing), ethers.ZeroAddress, { value: price }),
      )
        .to.be.revertedWithCustomError(market, "MarketSellerAmountTooLow")
        .withArgs(sellerAmount, price);
    });

    it("an offer fills with fees at most what it signed", async function () {
      const { market, usd, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      const price = 10_000_000n;
      const { royaltyAmount, fee } = expectedSplit(price, ROYALTY_BPS, FEE_BPS);
      const currency = await usd.getAddress();
      const exact = await buildOffer(market, bob.address, { seriesId: series.coffeeClub, currency, price });
      expect(exact.maxFees).to.equal(royaltyAmount + fee);
      const domain = await marketDomain(market);
      await expect(market.connect(alice).acceptOffer(exact, await signOffer(bob, domain, exact), tokens.aliceCoffee)).to.emit(
        market,
        "Sale",
      );
      const tooTight = await buildOffer(market, bob.address, {
        seriesId: series.coffeeClub,
        currency,
        price,
        maxFees: royaltyAmount + fee - 1n,
      });
      await expect(market.connect(alice).acceptOffer(tooTight, await signOffer(bob, domain, tooTight), tokens.aliceCoffee2))
        .to.be.revertedWithCustomError(market, "MarketFeesTooHigh")
        .withArgs(royaltyAmount + fee, royaltyAmount + fee - 1n);
    });

    it("a swap fills with fees at most what it signed", async function () {
      const { market, stamps, admin, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      await market.connect(admin).setSwapFee(10n);
      const order = await buildSwapOrder(market, stamps, alice.address, tokens.aliceRare, {
        wantedSeriesId: series.coffeeClub,
        maxFees: 10n + MIN_POINTS_ROYALTY - 1n,
      });
      await expect(
        market.connect(bob).swap(order, await signSwapOrder(alice, await marketDomain(market), order), tokens.bobCoffee),
      )
        .to.be.revertedWithCustomError(market, "MarketFeesTooHigh")
        .withArgs(10n + MIN_POINTS_ROYALTY, 10n + MIN_POINTS_ROYALTY - 1n);
    });
  });

  describe("sweep", function () {
    it("refuses a zero destination, nothing to sweep, and a destination that rejects the coin; works while paused", async function () {
      const { stamps, market, admin, pauser, treasury } = await loadFixture(deployMarketFixture);
      const marketAddress = await market.getAddress();
      await expect(market.connect(admin).sweep(treasury.address))
        .to.be.revertedWithCustomError(market, "MarketNothingToSweep")
        .withArgs(0n, 0n);
      await ethers.deployContract("MockForceSender", [marketAddress], { value: 7n });
      await expect(market.connect(admin).sweep(ethers.ZeroAddress)).to.be.revertedWithCustomError(market, "MarketZeroAddress");
      const rejecter = await ethers.deployContract("MockNativeRejecter");
      await expect(market.connect(admin).sweep(await rejecter.getAddress()))
        .to.be.revertedWithCustomError(market, "MarketWithdrawFailed")
        .withArgs(await rejecter.getAddress(), 7n);
      await stamps.connect(pauser).pause(Scope.Market);
      await expect(market.connect(admin).sweep(treasury.address)).to.emit(market, "Swept").withArgs(treasury.address, 7n);
    });
  });

  describe("currencies that move exact amounts", function () {
    it("an offer in a fee-on-transfer token is refused too", async function () {
      const { market, admin, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      const taxed = await ethers.deployContract("MockFeeOnTransferToken");
      const currency = await taxed.getAddress();
      await market.connect(admin).setCurrencyAllowed(currency, true);
      await taxed.mint(bob.address, 1_000_000n);
      await taxed.connect(bob).approve(await market.getAddress(), ethers.MaxUint256);
      const offer = await buildOffer(market, bob.address, { seriesId: series.coffeeClub, currency, price: 1_000_000n });
      await expect(
        market.connect(alice).acceptOffer(offer, await signOffer(bob, await marketDomain(market), offer), tokens.aliceCoffee),
      ).to.be.revertedWithCustomError(market, "MarketTransferAmountMismatch");
    });

    it("a buyer who is also the royalty receiver pays itself nothing, and the sale still adds up", async function () {
      const { market, stamps, usd, alice, treasury, feeRecipient, tokens } = await loadFixture(deployMarketFixture);
      const price = 2_000_000n;
      const currency = await usd.getAddress();
      await usd.mint(treasury.address, price);
      await usd.connect(treasury).approve(await market.getAddress(), price);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price, currency });
      const { sellerAmount, royaltyAmount, fee } = expectedSplit(price, ROYALTY_BPS, FEE_BPS);
      const tx = market
        .connect(treasury)
        .buy(listing, await signListing(alice, await marketDomain(market), listing), ethers.ZeroAddress);
      await expect(tx).to.changeTokenBalances(usd, [treasury, alice, feeRecipient], [-(sellerAmount + fee), sellerAmount, fee]);
      await expect(tx)
        .to.emit(market, "Sale")
        .withArgs(
          anyValue,
          LISTING,
          alice.address,
          treasury.address,
          tokens.aliceCoffee,
          currency,
          price,
          treasury.address,
          royaltyAmount,
          fee,
        );
    });
  });

  describe("edge cases", function () {
    it("a zero royalty rate pays the seller everything but the fee", async function () {
      const { market, stamps, admin, alice, bob, treasury, feeRecipient, tokens } = await loadFixture(deployMarketFixture);
      await stamps.connect(admin).setRoyalty(treasury.address, 0);
      const price = ethers.parseEther("2");
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price });
      const signature = await signListing(alice, await marketDomain(market), listing);
      const fee = (price * FEE_BPS) / 10_000n;
      const tx = market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: price });
      await expect(tx).to.changeEtherBalances([bob, alice, treasury, feeRecipient], [-price, price - fee, 0n, fee]);
      await expect(tx)
        .to.emit(market, "Sale")
        .withArgs(anyValue, LISTING, alice.address, bob.address, tokens.aliceCoffee, NATIVE, price, treasury.address, 0n, fee);
    });

    it("with gifts allowed, a zero price moves the stamp and no money (a free transfer listing)", async function () {
      const { market, stamps, points, admin, alice, bob, treasury, feeRecipient, tokens } =
        await loadFixture(deployMarketFixture);
      // Members could give the stamp away directly, so the Market does not insist on a price or a royalty.
      await stamps.connect(admin).setGiftsAllowed(true);
      expect(await market.royaltyUnskippable()).to.equal(false);
      const domain = await marketDomain(market);
      const native = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price: 0n });
      const tx = market.connect(bob).buy(native, await signListing(alice, domain, native), ethers.ZeroAddress);
      await expect(tx).to.changeEtherBalances([bob, alice, treasury, feeRecipient, market], [0n, 0n, 0n, 0n, 0n]);
      await expect(tx).to.emit(market, "Sale");
      expect(await stamps.ownerOf(tokens.aliceCoffee)).to.equal(bob.address);

      const inPoints = await buildListing(market, stamps, alice.address, tokens.aliceCoffee2, {
        price: 0n,
        currency: await points.getAddress(),
      });
      await expect(
        market.connect(bob).buy(inPoints, await signListing(alice, domain, inPoints), ethers.ZeroAddress),
      ).to.changeTokenBalances(points, [bob, alice, treasury, feeRecipient], [0n, 0n, 0n, 0n]);
      expect(await stamps.ownerOf(tokens.aliceCoffee2)).to.equal(bob.address);
    });

    it("a royalty receiver who is also the seller gets both shares", async function () {
      const { market, stamps, admin, alice, bob, feeRecipient, tokens } = await loadFixture(deployMarketFixture);
      await stamps.connect(admin).setRoyalty(alice.address, ROYALTY_BPS);
      const price = ethers.parseEther("1");
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price });
      const signature = await signListing(alice, await marketDomain(market), listing);
      const { fee } = expectedSplit(price, ROYALTY_BPS, FEE_BPS);
      await expect(market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: price })).to.changeEtherBalances(
        [bob, alice, feeRecipient],
        [-price, price - fee, fee],
      );
    });

    it("an ERC-1271 contract wallet sells a stamp and cancels a listing", async function () {
      const { market, stamps, minter, alice, bob, series } = await loadFixture(deployMarketFixture);
      const wallet = await ethers.deployContract("MockERC1271Wallet", [alice.address]);
      const walletAddress = await wallet.getAddress();
      await stamps.connect(minter).mintBatch([walletAddress, walletAddress], series.coffeeClub);
      const tokenId = stampId(series.coffeeClub, 5n);
      const otherTokenId = stampId(series.coffeeClub, 6n);
      expect(await stamps.ownerOf(tokenId)).to.equal(walletAddress);
      await wallet
        .connect(alice)
        .execute(
          await stamps.getAddress(),
          0n,
          stamps.interface.encodeFunctionData("setApprovalForAll", [await market.getAddress(), true]),
        );

      const domain = await marketDomain(market);
      const listing = await buildListing(market, stamps, walletAddress, tokenId);
      // The wallet's owner key signs the Market's digest; the wallet vouches for it through ERC-1271.
      const signature = await signListing(alice, domain, listing);
      const { sellerAmount } = expectedSplit(listing.price, ROYALTY_BPS, FEE_BPS);
      await expect(
        market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: listing.price }),
      ).to.changeEtherBalances([bob, wallet], [-listing.price, sellerAmount]);
      expect(await stamps.ownerOf(tokenId)).to.equal(bob.address);

      // A signature from a key that is not the wallet's owner is refused.
      const other = await buildListing(market, stamps, walletAddress, otherTokenId);
      await expect(
        market.connect(alice).buy(other, await signListing(bob, domain, other), ethers.ZeroAddress, {
          value: other.price,
        }),
      )
        .to.be.revertedWithCustomError(market, "MarketInvalidSignature")
        .withArgs(walletAddress);

      // Only the wallet itself (not its owner's key directly) can cancel the wallet's listing.
      await expect(market.connect(alice).cancelListing(other))
        .to.be.revertedWithCustomError(market, "MarketNotSigner")
        .withArgs(alice.address, walletAddress);
      await expect(
        wallet
          .connect(alice)
          .execute(await market.getAddress(), 0n, market.interface.encodeFunctionData("cancelListing", [other])),
      )
        .to.emit(market, "OrderCancelled")
        .withArgs(listingHash(domain, other), walletAddress);
    });

    it("an ERC-1271 contract wallet buys through an offer it signed", async function () {
      const { market, stamps, usd, alice, carol, treasury, series, tokens } = await loadFixture(deployMarketFixture);
      const wallet = await ethers.deployContract("MockERC1271Wallet", [carol.address]);
      const walletAddress = await wallet.getAddress();
      await usd.mint(walletAddress, 1_000_000n);
      await wallet
        .connect(carol)
        .execute(
          await usd.getAddress(),
          0n,
          usd.interface.encodeFunctionData("approve", [await market.getAddress(), ethers.MaxUint256]),
        );

      const price = 1_000_000n;
      const offer = await buildOffer(market, walletAddress, {
        seriesId: series.rareRoast,
        currency: await usd.getAddress(),
        price,
      });
      const signature = await signOffer(carol, await marketDomain(market), offer);
      const { sellerAmount, royaltyAmount } = expectedSplit(price, ROYALTY_BPS, FEE_BPS);
      await expect(market.connect(alice).acceptOffer(offer, signature, tokens.aliceRare)).to.changeTokenBalances(
        usd,
        [wallet, alice, treasury],
        [-price, sellerAmount, royaltyAmount],
      );
      expect(await stamps.ownerOf(tokens.aliceRare)).to.equal(walletAddress);
    });
  });

  shouldBehaveLikeBoundedPausable(async () => {
    const { market, stamps, pauser, alice, bob, tokens } = await deployMarketFixture();
    const domain = await marketDomain(market);
    return {
      lifecycle: stamps,
      contract: market,
      scope: Scope.Market,
      // A fill moves a stamp, so a stamps pause stops it too; a sale in coin moves no point.
      independentOf: Scope.Points,
      pauser,
      stopped: async () => {
        const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
        return market.connect(bob).buy(listing, await signListing(alice, domain, listing), ethers.ZeroAddress, {
          value: listing.price,
        });
      },
      // Withdrawing owed coin is never stopped: it reaches its own check.
      unstopped: () => expect(market.connect(alice).withdraw()).to.be.revertedWithCustomError(market, "MarketNothingOwed"),
    };
  }, BigInt(MAX_PAUSE));
});
