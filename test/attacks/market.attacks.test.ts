import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture, FEE_BPS, ROYALTY_BPS } from "../fixtures/market";
import {
  buildListing,
  buildOffer,
  buildSwapOrder,
  expectedSplit,
  malleate,
  marketDomain,
  signListing,
  signOffer,
  signSwapOrder,
} from "../helpers/marketOrders";

/**
 * Each test here is written so that it fails if the guard it names is removed from the Market (or from Stamps,
 * for the transfer-policy ones): it asserts the specific custom error, or the state only the guard produces.
 */
describe("Market attacks", function () {
  describe("replay", function () {
    it("a filled listing cannot be bought again (its stamp's transfer count moved)", async function () {
      const { market, stamps, alice, bob, carol, tokens } = await loadFixture(deployMarketFixture);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const signature = await signListing(alice, await marketDomain(market), listing);
      await market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: listing.price });
      await expect(market.connect(carol).buy(listing, signature, ethers.ZeroAddress, { value: listing.price }))
        .to.be.revertedWithCustomError(market, "MarketStaleOrder")
        .withArgs(tokens.aliceCoffee, 0n, 1n);
    });

    it("a filled listing stays dead when the stamp comes back to its seller", async function () {
      const { market, stamps, alice, bob, carol, tokens } = await loadFixture(deployMarketFixture);
      const domain = await marketDomain(market);
      const price = ethers.parseEther("1");
      const first = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price });
      const firstSig = await signListing(alice, domain, first);
      await market.connect(bob).buy(first, firstSig, ethers.ZeroAddress, { value: price });
      // bob sells it straight back to alice: she holds it again, with the same nonce as when she signed.
      const back = await buildListing(market, stamps, bob.address, tokens.aliceCoffee, { price });
      await market.connect(alice).buy(back, await signListing(bob, domain, back), ethers.ZeroAddress, { value: price });
      expect(await stamps.ownerOf(tokens.aliceCoffee)).to.equal(alice.address);
      await expect(market.connect(carol).buy(first, firstSig, ethers.ZeroAddress, { value: price }))
        .to.be.revertedWithCustomError(market, "MarketStaleOrder")
        .withArgs(tokens.aliceCoffee, 0n, 2n);
    });

    it("an accepted series offer cannot be accepted again with another stamp", async function () {
      const { market, usd, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      const domain = await marketDomain(market);
      const offer = await buildOffer(market, bob.address, {
        seriesId: series.coffeeClub,
        currency: await usd.getAddress(),
        price: 1_000_000n,
      });
      const signature = await signOffer(bob, domain, offer);
      await market.connect(alice).acceptOffer(offer, signature, tokens.aliceCoffee);
      await expect(market.connect(alice).acceptOffer(offer, signature, tokens.aliceCoffee2))
        .to.be.revertedWithCustomError(market, "MarketOrderFilled")
        .withArgs(await market.hashOffer(offer));
    });

    it("a filled swap order cannot be filled again", async function () {
      const { market, stamps, alice, bob, carol, series, tokens } = await loadFixture(deployMarketFixture);
      const order = await buildSwapOrder(market, stamps, alice.address, tokens.aliceRare, {
        wantedSeriesId: series.coffeeClub,
      });
      const signature = await signSwapOrder(alice, await marketDomain(market), order);
      await market.connect(bob).swap(order, signature, tokens.bobCoffee);
      await expect(market.connect(carol).swap(order, signature, tokens.carolCoffee))
        .to.be.revertedWithCustomError(market, "MarketStaleOrder")
        .withArgs(tokens.aliceRare, 0n, 1n);
    });

    it("a listing signed for another chain id does not fill here", async function () {
      const { market, stamps, alice, bob, tokens } = await loadFixture(deployMarketFixture);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const domain = await marketDomain(market);
      const otherChain = await marketDomain(market, { chainId: BigInt(domain.chainId ?? 0) + 1n });
      const signature = await signListing(alice, otherChain, listing);
      await expect(market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: listing.price }))
        .to.be.revertedWithCustomError(market, "MarketInvalidSignature")
        .withArgs(alice.address);
    });

    it("a listing signed for another Market does not fill here", async function () {
      const { market, stamps, points, admin, alice, bob, tokens } = await loadFixture(deployMarketFixture);
      const otherMarket = await ethers.deployContract("Market", [
        await stamps.getAddress(),
        await points.getAddress(),
        admin.address,
        0,
      ]);
      await stamps.connect(admin).setOperator(await otherMarket.getAddress(), true);
      await stamps.connect(alice).setApprovalForAll(await otherMarket.getAddress(), true);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const signature = await signListing(alice, await marketDomain(otherMarket), listing);
      await expect(market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: listing.price }))
        .to.be.revertedWithCustomError(market, "MarketInvalidSignature")
        .withArgs(alice.address);
    });
  });

  describe("expiry", function () {
    it("an expired listing, offer or swap order does not fill", async function () {
      const { market, stamps, usd, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      const domain = await marketDomain(market);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const offer = await buildOffer(market, bob.address, {
        seriesId: series.coffeeClub,
        currency: await usd.getAddress(),
        price: 1n,
        expiry: listing.expiry,
      });
      const order = await buildSwapOrder(market, stamps, alice.address, tokens.aliceRare, {
        wantedSeriesId: series.coffeeClub,
        expiry: listing.expiry,
      });
      const signatures = {
        listing: await signListing(alice, domain, listing),
        offer: await signOffer(bob, domain, offer),
        order: await signSwapOrder(alice, domain, order),
      };
      await time.increaseTo(listing.expiry + 1n);
      await expect(market.connect(bob).buy(listing, signatures.listing, ethers.ZeroAddress, { value: listing.price }))
        .to.be.revertedWithCustomError(market, "MarketOrderExpired")
        .withArgs(listing.expiry);
      await expect(market.connect(alice).acceptOffer(offer, signatures.offer, tokens.aliceCoffee))
        .to.be.revertedWithCustomError(market, "MarketOrderExpired")
        .withArgs(offer.expiry);
      await expect(market.connect(bob).swap(order, signatures.order, tokens.bobCoffee))
        .to.be.revertedWithCustomError(market, "MarketOrderExpired")
        .withArgs(order.expiry);
    });
  });

  describe("stale listing", function () {
    it("a listing dies when the stamp goes out (a gift) and comes back", async function () {
      const { market, stamps, admin, alice, bob, carol, tokens } = await loadFixture(deployMarketFixture);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const signature = await signListing(alice, await marketDomain(market), listing);
      await stamps.connect(admin).setGiftsAllowed(true);
      await stamps.connect(alice).transferFrom(alice.address, carol.address, tokens.aliceCoffee);
      await stamps.connect(carol).transferFrom(carol.address, alice.address, tokens.aliceCoffee);
      expect(await stamps.ownerOf(tokens.aliceCoffee)).to.equal(alice.address);
      await expect(market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: listing.price }))
        .to.be.revertedWithCustomError(market, "MarketStaleOrder")
        .withArgs(tokens.aliceCoffee, 0n, 2n);
    });
  });

  describe("re-entrancy", function () {
    async function hostileFixture() {
      const f = await deployMarketFixture();
      const hostile = await ethers.deployContract("MockHostileReceiver");
      const guardError = f.market.interface.encodeErrorResult("ReentrancyGuardReentrantCall");
      return { ...f, hostile, guardError };
    }

    it("a stamp receiver cannot re-enter buy while its stamp is being delivered", async function () {
      const { market, stamps, hostile, guardError, alice, bob, tokens } = await loadFixture(hostileFixture);
      const domain = await marketDomain(market);
      const first = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const second = await buildListing(market, stamps, alice.address, tokens.aliceCoffee2);
      await bob.sendTransaction({ to: await hostile.getAddress(), value: second.price });
      await hostile.arm(
        await market.getAddress(),
        market.interface.encodeFunctionData("buy", [second, await signListing(alice, domain, second), ethers.ZeroAddress]),
        second.price,
      );
      await market.connect(bob).buy(first, await signListing(alice, domain, first), await hostile.getAddress(), {
        value: first.price,
      });
      expect(await hostile.attempted()).to.equal(true);
      expect(await hostile.reentrySucceeded()).to.equal(false);
      expect(await hostile.reentryError()).to.equal(guardError);
      expect(await stamps.ownerOf(tokens.aliceCoffee)).to.equal(await hostile.getAddress());
      expect(await stamps.ownerOf(tokens.aliceCoffee2)).to.equal(alice.address);
    });

    it("a stamp receiver cannot re-enter cancel mid-fill", async function () {
      const { market, stamps, hostile, guardError, alice, bob, tokens } = await loadFixture(hostileFixture);
      const domain = await marketDomain(market);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      await hostile.arm(await market.getAddress(), market.interface.encodeFunctionData("cancelListing", [listing]), 0n);
      await market.connect(bob).buy(listing, await signListing(alice, domain, listing), await hostile.getAddress(), {
        value: listing.price,
      });
      expect(await hostile.reentrySucceeded()).to.equal(false);
      expect(await hostile.reentryError()).to.equal(guardError);
      expect(await market.orderStatus(await market.hashListing(listing))).to.equal(0n);
    });

    it("a payee cannot re-enter withdraw while being paid out", async function () {
      const { market, stamps, hostile, guardError, admin, alice, bob, tokens } = await loadFixture(hostileFixture);
      const hostileAddress = await hostile.getAddress();
      await market.connect(admin).setFee(hostileAddress, FEE_BPS);
      // The push of its fee fails, so the fee is credited to it.
      await hostile.setRejectNative(true);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const { fee } = expectedSplit(listing.price, ROYALTY_BPS, FEE_BPS);
      await expect(
        market.connect(bob).buy(listing, await signListing(alice, await marketDomain(market), listing), ethers.ZeroAddress, {
          value: listing.price,
        }),
      )
        .to.emit(market, "PaymentDeferred")
        .withArgs(hostileAddress, fee);
      expect(await market.owed(hostileAddress)).to.equal(fee);

      await hostile.setRejectNative(false);
      await hostile.arm(await market.getAddress(), market.interface.encodeFunctionData("withdraw"), 0n);
      const withdraw = hostile.execute(await market.getAddress(), 0n, market.interface.encodeFunctionData("withdraw"));
      await expect(withdraw).to.changeEtherBalances([hostile, market], [fee, -fee]);
      expect(await hostile.reentryError()).to.equal(guardError);
      expect(await market.owed(hostileAddress)).to.equal(0n);
      expect(await market.totalOwed()).to.equal(0n);
    });
  });

  describe("receivers that reject the native coin", function () {
    it("a royalty receiver without receive(): the trade settles, the royalty is credited and withdrawable", async function () {
      const { market, stamps, admin, alice, bob, treasury, feeRecipient, tokens } = await loadFixture(deployMarketFixture);
      const rejecter = await ethers.deployContract("MockNativeRejecter");
      const rejecterAddress = await rejecter.getAddress();
      await stamps.connect(admin).setRoyalty(rejecterAddress, ROYALTY_BPS);
      const price = ethers.parseEther("3");
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price });
      const signature = await signListing(alice, await marketDomain(market), listing);
      const { sellerAmount, royaltyAmount, fee } = expectedSplit(price, ROYALTY_BPS, FEE_BPS);

      const tx = market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: price });
      await expect(tx).to.emit(market, "PaymentDeferred").withArgs(rejecterAddress, royaltyAmount);
      await expect(tx).to.changeEtherBalances(
        [bob, alice, feeRecipient, rejecter, market],
        [-price, sellerAmount, fee, 0n, royaltyAmount],
      );
      expect(await stamps.ownerOf(tokens.aliceCoffee)).to.equal(bob.address);
      expect(await market.owed(rejecterAddress)).to.equal(royaltyAmount);
      expect(await market.totalOwed()).to.equal(royaltyAmount);
      expect(await ethers.provider.getBalance(await market.getAddress())).to.equal(royaltyAmount);

      // It cannot take the coin itself, but it can send its credit elsewhere.
      await expect(rejecter.withdraw(await market.getAddress()))
        .to.be.revertedWithCustomError(market, "MarketWithdrawFailed")
        .withArgs(rejecterAddress, royaltyAmount);
      await expect(rejecter.withdrawTo(await market.getAddress(), treasury.address))
        .to.emit(market, "Withdrawn")
        .withArgs(rejecterAddress, treasury.address, royaltyAmount);
      expect(await ethers.provider.getBalance(await market.getAddress())).to.equal(0n);
      expect(await market.totalOwed()).to.equal(0n);
    });

    it("a royalty receiver that reverts or burns all its gas cannot block or bloat the trade", async function () {
      const { market, stamps, admin, alice, bob, tokens } = await loadFixture(deployMarketFixture);
      const receiver = await ethers.deployContract("MockRevertingReceiver");
      const receiverAddress = await receiver.getAddress();
      await stamps.connect(admin).setRoyalty(receiverAddress, ROYALTY_BPS);
      const domain = await marketDomain(market);
      const { royaltyAmount } = expectedSplit(ethers.parseEther("1"), ROYALTY_BPS, FEE_BPS);

      const reverting = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      await expect(
        market
          .connect(bob)
          .buy(reverting, await signListing(alice, domain, reverting), ethers.ZeroAddress, { value: reverting.price }),
      )
        .to.emit(market, "PaymentDeferred")
        .withArgs(receiverAddress, royaltyAmount);

      await receiver.setMode(1); // BurnGas
      const burning = await buildListing(market, stamps, alice.address, tokens.aliceCoffee2);
      const tx = await market
        .connect(bob)
        .buy(burning, await signListing(alice, domain, burning), ethers.ZeroAddress, { value: burning.price });
      const receipt = await tx.wait();
      await expect(tx).to.emit(market, "PaymentDeferred").withArgs(receiverAddress, royaltyAmount);
      // The receiver got PUSH_GAS_LIMIT gas, not the whole transaction's.
      expect(receipt?.gasUsed).to.be.lessThan(400_000n);
      expect(await market.owed(receiverAddress)).to.equal(2n * royaltyAmount);
    });

    it("withdraw refuses an account that is owed nothing, and a zero destination", async function () {
      const { market, dave } = await loadFixture(deployMarketFixture);
      await expect(market.connect(dave).withdraw())
        .to.be.revertedWithCustomError(market, "MarketNothingOwed")
        .withArgs(dave.address);
      await expect(market.connect(dave).withdrawTo(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        market,
        "MarketZeroAddress",
      );
    });

    it("plain coin sent to the Market is refused, so none arrives that nobody is owed", async function () {
      const { market, bob } = await loadFixture(deployMarketFixture);
      await expect(bob.sendTransaction({ to: await market.getAddress(), value: 1n })).to.be.reverted;
    });
  });

  describe("transfer policy", function () {
    it("a soulbound stamp cannot be bought", async function () {
      const { market, stamps, alice, bob, tokens } = await loadFixture(deployMarketFixture);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceFounder);
      const signature = await signListing(alice, await marketDomain(market), listing);
      await expect(market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: listing.price }))
        .to.be.revertedWithCustomError(stamps, "StampsSoulbound")
        .withArgs(tokens.aliceFounder);
    });

    it("an operator other than the Market cannot move a market-only stamp (no royalty-free side market)", async function () {
      const { stamps, alice, dave, tokens } = await loadFixture(deployMarketFixture);
      await stamps.connect(alice).setApprovalForAll(dave.address, true);
      await expect(stamps.connect(dave).transferFrom(alice.address, dave.address, tokens.aliceCoffee))
        .to.be.revertedWithCustomError(stamps, "StampsTransferNotAllowed")
        .withArgs(dave.address, tokens.aliceCoffee);
    });

    it("another marketplace contract is refused too, even with the holder's approval", async function () {
      const { stamps, points, admin, alice, bob, tokens } = await loadFixture(deployMarketFixture);
      // A second Market that the brand never made an operator: it would be a royalty-skipping venue if it could.
      const rogue = await ethers.deployContract("Market", [
        await stamps.getAddress(),
        await points.getAddress(),
        admin.address,
        0,
      ]);
      await stamps.connect(alice).setApprovalForAll(await rogue.getAddress(), true);
      const listing = await buildListing(rogue, stamps, alice.address, tokens.aliceCoffee);
      const signature = await signListing(alice, await marketDomain(rogue), listing);
      await expect(rogue.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: listing.price }))
        .to.be.revertedWithCustomError(stamps, "StampsTransferNotAllowed")
        .withArgs(await rogue.getAddress(), tokens.aliceCoffee);
    });
  });

  describe("signatures", function () {
    it("a malleated (high-s) signature is refused, while the original fills", async function () {
      const { market, stamps, alice, bob, tokens } = await loadFixture(deployMarketFixture);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const signature = await signListing(alice, await marketDomain(market), listing);
      const malleated = malleate(signature);
      // Same signer under the raw ecrecover precompile: only the low-s rule tells the two apart.
      const digest = await market.hashListing(listing);
      const v = BigInt(ethers.dataSlice(malleated, 64, 65));
      const recovered = await ethers.provider.call({
        to: "0x0000000000000000000000000000000000000001",
        data: ethers.AbiCoder.defaultAbiCoder().encode(
          ["bytes32", "uint256", "bytes32", "bytes32"],
          [digest, v, ethers.dataSlice(malleated, 0, 32), ethers.dataSlice(malleated, 32, 64)],
        ),
      });
      expect(ethers.getAddress(ethers.dataSlice(recovered, 12))).to.equal(alice.address);
      await expect(market.connect(bob).buy(listing, malleated, ethers.ZeroAddress, { value: listing.price }))
        .to.be.revertedWithCustomError(market, "MarketInvalidSignature")
        .withArgs(alice.address);
      await expect(market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: listing.price })).to.emit(
        market,
        "Sale",
      );
    });
  });

  describe("cancellation by a third party", function () {
    it("nobody but the signer can cancel a listing, an offer or a swap order", async function () {
      const { market, stamps, usd, alice, bob, dave, series, tokens } = await loadFixture(deployMarketFixture);
      const domain = await marketDomain(market);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      const offer = await buildOffer(market, bob.address, {
        seriesId: series.coffeeClub,
        currency: await usd.getAddress(),
        price: 1_000_000n,
      });
      const order = await buildSwapOrder(market, stamps, alice.address, tokens.aliceRare, {
        wantedSeriesId: series.coffeeClub,
      });
      await expect(market.connect(dave).cancelListing(listing))
        .to.be.revertedWithCustomError(market, "MarketNotSigner")
        .withArgs(dave.address, alice.address);
      await expect(market.connect(dave).cancelOffer(offer))
        .to.be.revertedWithCustomError(market, "MarketNotSigner")
        .withArgs(dave.address, bob.address);
      await expect(market.connect(dave).cancelSwap(order))
        .to.be.revertedWithCustomError(market, "MarketNotSigner")
        .withArgs(dave.address, alice.address);

      // All three still fill.
      await market.connect(bob).buy(listing, await signListing(alice, domain, listing), ethers.ZeroAddress, {
        value: listing.price,
      });
      await market.connect(alice).acceptOffer(offer, await signOffer(bob, domain, offer), tokens.aliceCoffee2);
      await market.connect(bob).swap(order, await signSwapOrder(alice, domain, order), tokens.bobCoffee);
    });
  });

  describe("who pays", function () {
    it("buying in an ERC-20 only ever takes the caller's tokens, never the seller's or a bystander's", async function () {
      const { market, stamps, usd, alice, bob, carol, tokens } = await loadFixture(deployMarketFixture);
      const price = 5_000_000n;
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, {
        price,
        currency: await usd.getAddress(),
      });
      const signature = await signListing(alice, await marketDomain(market), listing);
      // carol has approved the Market too, but bob's purchase must be paid by bob.
      await expect(market.connect(bob).buy(listing, signature, carol.address)).to.changeTokenBalances(
        usd,
        [bob, carol],
        [-price, 0n],
      );
    });
  });

  describe("royalty that cannot be skipped (market-only, gifts off)", function () {
    it("a zero-price listing does not move the stamp", async function () {
      const { market, stamps, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price: 0n });
      const signature = await signListing(alice, await marketDomain(market), listing);
      await expect(market.connect(bob).buy(listing, signature, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(market, "MarketPriceBelowFloor")
        .withArgs(series.coffeeClub, ethers.ZeroAddress, 0n, 1n);
    });

    it("a 1-wei listing whose royalty rounds to zero does not move the stamp", async function () {
      const { market, stamps, alice, bob, tokens } = await loadFixture(deployMarketFixture);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price: 1n });
      const signature = await signListing(alice, await marketDomain(market), listing);
      await expect(market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: 1n }))
        .to.be.revertedWithCustomError(market, "MarketRoyaltyTooLow")
        .withArgs(0n, 1n);
    });

    it("an offer of zero is not accepted", async function () {
      const { market, usd, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      const currency = await usd.getAddress();
      const offer = await buildOffer(market, bob.address, { seriesId: series.coffeeClub, currency, price: 0n });
      const signature = await signOffer(bob, await marketDomain(market), offer);
      await expect(market.connect(alice).acceptOffer(offer, signature, tokens.aliceCoffee))
        .to.be.revertedWithCustomError(market, "MarketPriceBelowFloor")
        .withArgs(series.coffeeClub, currency, 0n, 1n);
    });

    it("a swap of a valuable stamp for a worthless one pays the brand a royalty, or does not happen", async function () {
      const { market, stamps, points, admin, alice, bob, treasury, series, tokens } = await loadFixture(deployMarketFixture);
      const pointsAddress = await points.getAddress();
      const domain = await marketDomain(market);
      // No swap royalty set: no minimum in Points, no Points floor on either series.
      await market.connect(admin).setMinRoyalty(pointsAddress, 0n);
      const order = await buildSwapOrder(market, stamps, alice.address, tokens.aliceRare, {
        wantedSeriesId: series.coffeeClub,
        maxFees: 1_000n,
      });
      const signature = await signSwapOrder(alice, domain, order);
      await expect(market.connect(bob).swap(order, signature, tokens.bobCoffee)).to.be.revertedWithCustomError(
        market,
        "MarketNoSwapRoyalty",
      );

      // The brand prices Rare Roast at 1,000 points at least: its stamp pays 5 % of that when swapped away.
      await market.connect(admin).setPriceBounds(series.rareRoast, pointsAddress, 1_000n, 0n);
      const royalty = (1_000n * ROYALTY_BPS) / 10_000n;
      expect(await market.quoteSwap(tokens.aliceRare, tokens.bobCoffee)).to.deep.equal([0n, royalty]);
      const tx = market.connect(bob).swap(order, signature, tokens.bobCoffee);
      await expect(tx)
        .to.emit(market, "Swapped")
        .withArgs(
          await market.hashSwapOrder(order),
          alice.address,
          bob.address,
          tokens.aliceRare,
          tokens.bobCoffee,
          treasury.address,
          0n,
          royalty,
        );
      await expect(tx).to.changeTokenBalances(points, [bob, alice, treasury], [-royalty, 0n, royalty]);
    });
  });

  describe("what a member signed is what they get", function () {
    it("raising the market fee after a listing was signed does not lower the seller's payout", async function () {
      const { market, stamps, admin, alice, bob, feeRecipient, tokens } = await loadFixture(deployMarketFixture);
      const price = ethers.parseEther("1");
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price });
      const signature = await signListing(alice, await marketDomain(market), listing);
      const signed = expectedSplit(price, ROYALTY_BPS, FEE_BPS).sellerAmount;
      await market.connect(admin).setFee(feeRecipient.address, 500n);
      const now = expectedSplit(price, ROYALTY_BPS, 500n).sellerAmount;
      await expect(market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: price }))
        .to.be.revertedWithCustomError(market, "MarketSellerAmountTooLow")
        .withArgs(now, signed);
    });

    it("raising the royalty after a listing was signed does not lower the seller's payout", async function () {
      const { market, stamps, admin, alice, bob, treasury, tokens } = await loadFixture(deployMarketFixture);
      const price = ethers.parseEther("1");
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price });
      const signature = await signListing(alice, await marketDomain(market), listing);
      await stamps.connect(admin).setRoyalty(treasury.address, 1_000n);
      await expect(
        market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: price }),
      ).to.be.revertedWithCustomError(market, "MarketSellerAmountTooLow");
    });

    it("raising the market fee after an offer was signed does not raise what its taker pays", async function () {
      const { market, usd, admin, alice, bob, feeRecipient, series, tokens } = await loadFixture(deployMarketFixture);
      const price = 10_000_000n;
      const offer = await buildOffer(market, bob.address, {
        seriesId: series.coffeeClub,
        currency: await usd.getAddress(),
        price,
      });
      const signature = await signOffer(bob, await marketDomain(market), offer);
      const signed = expectedSplit(price, ROYALTY_BPS, FEE_BPS);
      await market.connect(admin).setFee(feeRecipient.address, 500n);
      const now = expectedSplit(price, ROYALTY_BPS, 500n);
      await expect(market.connect(alice).acceptOffer(offer, signature, tokens.aliceCoffee))
        .to.be.revertedWithCustomError(market, "MarketFeesTooHigh")
        .withArgs(now.royaltyAmount + now.fee, signed.royaltyAmount + signed.fee);
    });

    it("raising the swap fee after a swap was signed does not raise what its taker pays", async function () {
      const { market, stamps, points, admin, alice, bob, series, tokens } = await loadFixture(deployMarketFixture);
      await market.connect(admin).setSwapFee(10n);
      const order = await buildSwapOrder(market, stamps, alice.address, tokens.aliceRare, {
        wantedSeriesId: series.coffeeClub,
      });
      const signature = await signSwapOrder(alice, await marketDomain(market), order);
      await market.connect(admin).setSwapFee(1_000n);
      await expect(market.connect(bob).swap(order, signature, tokens.bobCoffee)).to.be.revertedWithCustomError(
        market,
        "MarketFeesTooHigh",
      );
      expect(await points.balanceOf(bob.address)).to.be.greaterThan(0n);
    });

    it("the swap fee is capped by the contract", async function () {
      const { market, admin } = await loadFixture(deployMarketFixture);
      const max = await market.maxSwapFee();
      await expect(market.connect(admin).setSwapFee(max + 1n))
        .to.be.revertedWithCustomError(market, "MarketSwapFeeTooHigh")
        .withArgs(max + 1n, max);
    });
  });

  describe("a currency that delivers less than it was told to send", function () {
    it("a fee-on-transfer ERC-20 cannot settle a sale whose Sale event would not match the balances", async function () {
      const { market, stamps, admin, alice, bob, tokens } = await loadFixture(deployMarketFixture);
      const taxed = await ethers.deployContract("MockFeeOnTransferToken");
      const currency = await taxed.getAddress();
      await market.connect(admin).setCurrencyAllowed(currency, true);
      await taxed.mint(bob.address, 1_000_000n);
      await taxed.connect(bob).approve(await market.getAddress(), ethers.MaxUint256);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, {
        price: 1_000_000n,
        currency,
      });
      const signature = await signListing(alice, await marketDomain(market), listing);
      const { sellerAmount } = expectedSplit(1_000_000n, ROYALTY_BPS, FEE_BPS);
      await expect(market.connect(bob).buy(listing, signature, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(market, "MarketTransferAmountMismatch")
        .withArgs(currency, alice.address, sellerAmount, sellerAmount - sellerAmount / 100n);
    });
  });

  describe("coin forced in without a sale", function () {
    it("the admin sweeps only what is beyond what the Market owes", async function () {
      const { market, stamps, admin, alice, bob, treasury, tokens } = await loadFixture(deployMarketFixture);
      const marketAddress = await market.getAddress();
      const rejecter = await ethers.deployContract("MockNativeRejecter");
      await stamps.connect(admin).setRoyalty(await rejecter.getAddress(), ROYALTY_BPS);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee);
      await market.connect(bob).buy(listing, await signListing(alice, await marketDomain(market), listing), ethers.ZeroAddress, {
        value: listing.price,
      });
      const owed = await market.totalOwed();
      expect(owed).to.be.greaterThan(0n);

      const forced = ethers.parseEther("0.3");
      await ethers.deployContract("MockForceSender", [marketAddress], { value: forced });
      expect(await ethers.provider.getBalance(marketAddress)).to.equal(owed + forced);

      const tx = market.connect(admin).sweep(treasury.address);
      await expect(tx).to.emit(market, "Swept").withArgs(treasury.address, forced);
      await expect(tx).to.changeEtherBalances([market, treasury], [-forced, forced]);
      expect(await ethers.provider.getBalance(marketAddress)).to.equal(owed);
      await expect(market.connect(admin).sweep(treasury.address)).to.be.revertedWithCustomError(market, "MarketNothingToSweep");
    });
  });
});
