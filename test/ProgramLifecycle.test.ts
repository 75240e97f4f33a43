import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture } from "./fixtures/market";
import { LIFECYCLE, MAX_PAUSE, NOTICE_PERIOD, Scope } from "./fixtures/tokens";
import { buildListing, marketDomain, signListing } from "./helpers/marketOrders";

/** ProgramLifecycle.ProgramStatus */
const Status = { Active: 0n, Ending: 1n, Ended: 2n } as const;
const receipt = (n: number) => ethers.zeroPadValue(ethers.toBeHex(n), 32);
const reason = ethers.encodeBytes32String("visit");

/** A program whose end is announced: ends exactly one notice period from the announcement. */
async function endingProgram() {
  const f = await deployMarketFixture();
  const endsAt = BigInt(await time.latest()) + BigInt(NOTICE_PERIOD) + 1n;
  await f.stamps.connect(f.admin).announceEnd(endsAt);
  return { ...f, endsAt };
}

/** A program past its end. */
async function endedProgram() {
  const f = await endingProgram();
  await time.increaseTo(f.endsAt);
  return f;
}

describe("ProgramLifecycle (kept by Stamps, read by Points, bound shared with the Market)", () => {
  describe("deployment", () => {
    it("fixes the notice period and the pause bound; Points and the Market keep no pause of their own", async () => {
      const { stamps, points, market } = await loadFixture(deployMarketFixture);
      expect(await stamps.noticePeriod()).to.equal(BigInt(NOTICE_PERIOD));
      expect(await stamps.MIN_NOTICE_PERIOD()).to.equal(30n * 24n * 3600n);
      expect(await stamps.maxPauseDuration()).to.equal(BigInt(MAX_PAUSE));
      // One pause for the program, kept by Stamps: nothing on Points or the Market starts or lifts another one.
      for (const contract of [points, market]) {
        for (const name of ["pause", "unpause", "pausedUntil", "maxPauseDuration", "PAUSER_ROLE"]) {
          expect(
            contract.interface.fragments.some((f) => "name" in f && f.name === name),
            name,
          ).to.equal(false);
        }
      }
      expect(await points.lifecycle()).to.equal(await stamps.getAddress());
      expect(await stamps.programStatus()).to.equal(Status.Active);
      expect(await stamps.endsAt()).to.equal(0n);
    });

    it("refuses a notice period under the minimum and a pause bound outside one hour to thirty days", async () => {
      const [admin, treasury] = await ethers.getSigners();
      const factory = await ethers.getContractFactory("Stamps");
      const deploy = (terms: typeof LIFECYCLE) => factory.deploy("S", "S", admin!.address, 0, treasury!.address, 0, 0, "", terms);
      const minNotice = 30 * 24 * 3600;
      await expect(deploy({ ...LIFECYCLE, noticePeriod: minNotice - 1 }))
        .to.be.revertedWithCustomError(factory, "ProgramInvalidNoticePeriod")
        .withArgs(minNotice - 1, minNotice);
      await expect(deploy({ ...LIFECYCLE, noticePeriod: minNotice })).not.to.be.reverted;
      for (const bound of [3600 - 1, 30 * 24 * 3600 + 1]) {
        await expect(deploy({ ...LIFECYCLE, maxPauseDuration: bound }))
          .to.be.revertedWithCustomError(factory, "PauseInvalidBound")
          .withArgs(bound, 3600, 30 * 24 * 3600);
      }
    });
  });

  describe("announceEnd", () => {
    it("announces an end at least one notice period away, with an event", async () => {
      const { stamps, admin } = await loadFixture(deployMarketFixture);
      const next = BigInt(await time.latest()) + 10n;
      const earliest = next + BigInt(NOTICE_PERIOD);
      await time.setNextBlockTimestamp(next);
      await expect(stamps.connect(admin).announceEnd(earliest))
        .to.emit(stamps, "ProgramEndAnnounced")
        .withArgs(earliest, NOTICE_PERIOD);
      expect(await stamps.endsAt()).to.equal(earliest);
      expect(await stamps.programStatus()).to.equal(Status.Ending);
      await time.increaseTo(earliest - 1n);
      expect(await stamps.programStatus()).to.equal(Status.Ending);
      await time.increaseTo(earliest);
      expect(await stamps.programStatus()).to.equal(Status.Ended);
    });

    it("refuses an end before the notice period, naming the earliest date", async () => {
      const { stamps, admin } = await loadFixture(deployMarketFixture);
      const next = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(next);
      await expect(stamps.connect(admin).announceEnd(next + BigInt(NOTICE_PERIOD) - 1n))
        .to.be.revertedWithCustomError(stamps, "ProgramNoticeTooShort")
        .withArgs(next + BigInt(NOTICE_PERIOD) - 1n, next + BigInt(NOTICE_PERIOD));
      expect(await stamps.programStatus()).to.equal(Status.Active);
    });

    it("refuses a second announcement, and any after the end", async () => {
      const { stamps, admin, endsAt } = await loadFixture(endingProgram);
      const later = endsAt + 1000n;
      await expect(stamps.connect(admin).announceEnd(later))
        .to.be.revertedWithCustomError(stamps, "ProgramEndAlreadyAnnounced")
        .withArgs(endsAt);
      await time.increaseTo(endsAt);
      await expect(stamps.connect(admin).announceEnd(later + BigInt(NOTICE_PERIOD)))
        .to.be.revertedWithCustomError(stamps, "ProgramHasEnded")
        .withArgs(endsAt);
    });

    it("is for the admin only", async () => {
      const { stamps, minter, pauser, alice } = await loadFixture(deployMarketFixture);
      const endsAt = BigInt(await time.latest()) + BigInt(NOTICE_PERIOD) * 2n;
      for (const caller of [minter, pauser, alice]) {
        await expect(stamps.connect(caller).announceEnd(endsAt))
          .to.be.revertedWithCustomError(stamps, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, ethers.ZeroHash);
      }
    });
  });

  describe("cancelEnd", () => {
    it("withdraws an announced end; a new one needs the full notice again", async () => {
      const { stamps, admin, endsAt } = await loadFixture(endingProgram);
      await time.increase(NOTICE_PERIOD / 2);
      await expect(stamps.connect(admin).cancelEnd()).to.emit(stamps, "ProgramEndCancelled").withArgs(endsAt);
      expect(await stamps.endsAt()).to.equal(0n);
      expect(await stamps.programStatus()).to.equal(Status.Active);
      await expect(stamps.connect(admin).announceEnd(endsAt)).to.be.revertedWithCustomError(stamps, "ProgramNoticeTooShort");
    });

    it("refuses when nothing is announced, after the end, and from anyone but the admin", async () => {
      const { stamps, admin, pauser, endsAt } = await loadFixture(endingProgram);
      await expect(stamps.connect(pauser).cancelEnd())
        .to.be.revertedWithCustomError(stamps, "AccessControlUnauthorizedAccount")
        .withArgs(pauser.address, ethers.ZeroHash);
      await time.increaseTo(endsAt);
      await expect(stamps.connect(admin).cancelEnd()).to.be.revertedWithCustomError(stamps, "ProgramHasEnded").withArgs(endsAt);
      const fresh = await deployMarketFixture();
      await expect(fresh.stamps.connect(fresh.admin).cancelEnd()).to.be.revertedWithCustomError(
        fresh.stamps,
        "ProgramNoEndAnnounced",
      );
    });
  });

  describe("during the notice", () => {
    it("credits nothing bought with money, but rewards, mints, redemptions, transfers and trades go on", async () => {
      const { stamps, points, market, minter, alice, bob, carol, tokens, series, endsAt } = await loadFixture(endingProgram);
      await expect(points.connect(minter).credit(alice.address, 100n, receipt(1)))
        .to.be.revertedWithCustomError(points, "PointsSalesClosed")
        .withArgs(endsAt);
      await expect(points.connect(minter).reward(alice.address, 10n, reason)).to.emit(points, "PointsRewarded");
      await expect(stamps.connect(minter).mint(carol.address, series.coffeeClub)).to.emit(stamps, "Transfer");
      await expect(points.connect(alice).redeem(5n, reason)).to.emit(points, "PointsRedeemed");
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, {
        currency: await points.getAddress(),
        price: 100n,
      });
      const signature = await signListing(alice, await marketDomain(market), listing);
      await expect(market.connect(bob).buy(listing, signature, ethers.ZeroAddress)).to.emit(market, "Sale");
      expect(await stamps.ownerOf(tokens.aliceCoffee)).to.equal(bob.address);
    });
  });

  describe("after the end", () => {
    it("mints nothing, freezes point balances for good, and keeps them readable", async () => {
      const { stamps, points, minter, pauser, alice, bob, series, endsAt } = await loadFixture(endedProgram);
      const balance = await points.balanceOf(alice.address);
      const supply = await points.totalSupply();
      await expect(stamps.connect(minter).mint(alice.address, series.coffeeClub))
        .to.be.revertedWithCustomError(stamps, "ProgramHasEnded")
        .withArgs(endsAt);
      await expect(stamps.connect(minter).mintBatch([alice.address], series.coffeeClub))
        .to.be.revertedWithCustomError(stamps, "ProgramHasEnded")
        .withArgs(endsAt);
      await expect(points.connect(minter).reward(alice.address, 1n, reason))
        .to.be.revertedWithCustomError(points, "PointsFrozen")
        .withArgs(endsAt);
      await expect(points.connect(minter).credit(alice.address, 1n, receipt(2))).to.be.revertedWithCustomError(
        points,
        "PointsSalesClosed",
      );
      await expect(points.connect(alice).transfer(bob.address, 1n)).to.be.revertedWithCustomError(points, "PointsFrozen");
      await expect(points.connect(alice).redeem(1n, reason)).to.be.revertedWithCustomError(points, "PointsFrozen");
      // A pause changes nothing about it.
      await stamps.connect(pauser).pause(Scope.Points);
      await time.increase(MAX_PAUSE);
      expect(await points.balanceOf(alice.address)).to.equal(balance);
      expect(await points.totalSupply()).to.equal(supply);
    });

    it("leaves stamps with their holders: tradable ones move freely (even market-only without the Market), soulbound ones never", async () => {
      const { stamps, market, admin, alice, bob, tokens } = await loadFixture(endedProgram);
      // The brand removes its Market as operator: under market-only this would lock every stamp; after the end it cannot.
      await stamps.connect(admin).setOperator(await market.getAddress(), false);
      await expect(stamps.connect(alice).transferFrom(alice.address, bob.address, tokens.aliceCoffee))
        .to.emit(stamps, "Transfer")
        .withArgs(alice.address, bob.address, tokens.aliceCoffee);
      await expect(
        stamps.connect(alice).transferFrom(alice.address, bob.address, tokens.aliceFounder),
      ).to.be.revertedWithCustomError(stamps, "StampsSoulbound");
      expect(await stamps.locked(tokens.aliceFounder)).to.equal(true);
      await expect(stamps.connect(alice).burn(tokens.aliceFounder)).to.emit(stamps, "Transfer");
    });

    it("still trades stamps on the Market for the native coin", async () => {
      const { stamps, market, alice, bob, tokens } = await loadFixture(endedProgram);
      const listing = await buildListing(market, stamps, alice.address, tokens.aliceRare);
      const signature = await signListing(alice, await marketDomain(market), listing);
      await expect(market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: listing.price })).to.emit(
        market,
        "Sale",
      );
      expect(await stamps.ownerOf(tokens.aliceRare)).to.equal(bob.address);
    });
  });

  describe("members keep what they own", () => {
    it("no role (admin, minter, pauser, an operator the admin adds) can move a member's stamp, before or after the end", async () => {
      const { stamps, admin, minter, pauser, alice, tokens, endsAt } = await loadFixture(endingProgram);
      await stamps.connect(admin).setOperator(admin.address, true);
      const tryAll = async () => {
        for (const caller of [admin, minter, pauser]) {
          // Whichever check comes first refuses it: soulbound, market-only (a non-operator during the notice), or the
          // holder's approval, which no role can give itself.
          const refusals = ["StampsSoulbound", "StampsTransferNotAllowed", "ERC721InsufficientApproval"];
          for (const id of [tokens.aliceCoffee, tokens.aliceFounder]) {
            for (const attempt of [
              () => stamps.connect(caller).transferFrom(alice.address, caller.address, id),
              () => stamps.connect(caller)["safeTransferFrom(address,address,uint256)"](alice.address, caller.address, id),
            ]) {
              const error = await attempt().then(
                () => undefined,
                (e: { data?: string }) => stamps.interface.parseError(e.data ?? "0x")?.name,
              );
              expect(refusals).to.include(error);
            }
            await expect(stamps.connect(caller).burn(id)).to.be.revertedWithCustomError(stamps, "StampsNotHolder");
          }
        }
      };
      await tryAll();
      // The admin, an operator, is refused for want of the holder's approval, not by a policy it could change.
      await expect(stamps.connect(admin).transferFrom(alice.address, admin.address, tokens.aliceCoffee))
        .to.be.revertedWithCustomError(stamps, "ERC721InsufficientApproval")
        .withArgs(admin.address, tokens.aliceCoffee);
      await time.increaseTo(endsAt);
      await tryAll();
      expect(await stamps.ownerOf(tokens.aliceCoffee)).to.equal(alice.address);
      expect(await stamps.ownerOf(tokens.aliceFounder)).to.equal(alice.address);
    });
  });

  describe("pause and end together", () => {
    it("a pause during the notice still lifts by itself, so members can act before the end", async () => {
      const { stamps, points, pauser, minter, alice, endsAt } = await loadFixture(endingProgram);
      await stamps.connect(pauser).pause(Scope.Points);
      await expect(points.connect(minter).reward(alice.address, 1n, reason)).to.be.revertedWithCustomError(
        points,
        "EnforcedPause",
      );
      // Redemptions are burns: a pause never stops them.
      await expect(points.connect(alice).redeem(1n, reason)).to.emit(points, "PointsRedeemed");
      await time.increase(MAX_PAUSE);
      expect(BigInt(await time.latest())).to.be.lessThan(endsAt);
      await expect(points.connect(minter).reward(alice.address, 1n, reason)).to.emit(points, "PointsRewarded");
    });
  });
});
