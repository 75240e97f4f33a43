import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { voucherTypes } from "@punchcard/sdk";
import { THRESHOLDS, WEEK, deployRewards, journey, journeyIds, perk, perkIds } from "./fixtures/rewards";
import { DAY, EXPIRY_DAYS, deployInactivityPoints, releaseOf } from "./fixtures/pointsLifecycle";
import { ADMIN_DELAY, Scope, stampId } from "./fixtures/tokens";

const ZERO = ethers.ZeroAddress;
const VoucherState = { Unused: 0n, Redeemed: 1n, Cancelled: 2n };

describe("Rewards", () => {
  describe("deployment", () => {
    it("signs vouchers under its own EIP-712 domain, with the SDK's voucher type", async () => {
      const { rewards, domain } = await loadFixture(deployRewards);
      const typeString = `Voucher(${voucherTypes.Voucher.map((f) => `${f.type} ${f.name}`).join(",")})`;
      expect(await rewards.VOUCHER_TYPEHASH()).to.equal(ethers.id(typeString));
      expect(await rewards.DOMAIN_SEPARATOR()).to.equal(ethers.TypedDataEncoder.hashDomain(domain));
      expect(await rewards.MAX_VOUCHER_STAMPS()).to.equal(10n);
      expect(await rewards.MAX_TIERS()).to.equal(8n);
    });
  });

  describe("setJourney", () => {
    it("stores the journey and says so in an event", async () => {
      const { rewards, admin } = await loadFixture(deployRewards);
      const id = ethers.encodeBytes32String("new");
      const rules = journey({ seriesId: 1n, maxStamps: 2, maxPoints: 10n, limitPerMember: 3 });
      await expect(rewards.connect(admin).setJourney(id, rules)).to.emit(rewards, "RewardsJourneySet");
      const stored = await rewards.journey(id);
      expect(stored.seriesId).to.equal(1n);
      expect(stored.maxStamps).to.equal(2n);
      expect(stored.limitPerMember).to.equal(3n);
      expect(stored.active).to.equal(true);
    });

    it("refuses an inconsistent journey: no reward, stamps without a series, too many stamps, a window ending before it starts", async () => {
      const { rewards, admin } = await loadFixture(deployRewards);
      const id = ethers.encodeBytes32String("bad");
      for (const rules of [
        journey({}),
        journey({ maxStamps: 1 }),
        journey({ seriesId: 1n, maxStamps: 11 }),
        journey({ maxPoints: 1n, start: 10n, end: 5n }),
      ]) {
        await expect(rewards.connect(admin).setJourney(id, rules))
          .to.be.revertedWithCustomError(rewards, "RewardsInvalidJourney")
          .withArgs(id);
      }
      // A closed journey needs no reward.
      await expect(rewards.connect(admin).setJourney(id, journey({ active: false }))).to.emit(rewards, "RewardsJourneySet");
    });
  });

  describe("setTiers", () => {
    it("stores increasing thresholds and says so in an event", async () => {
      const { rewards, admin } = await loadFixture(deployRewards);
      await expect(rewards.connect(admin).setTiers([10n, 20n, 30n]))
        .to.emit(rewards, "RewardsTiersSet")
        .withArgs([10n, 20n, 30n]);
      expect(await rewards.tierThresholds()).to.deep.equal([10n, 20n, 30n]);
    });

    it("refuses a zero, a threshold not above the one before, and more than MAX_TIERS", async () => {
      const { rewards, admin } = await loadFixture(deployRewards);
      await expect(rewards.connect(admin).setTiers([0n]))
        .to.be.revertedWithCustomError(rewards, "RewardsInvalidTiers")
        .withArgs(0);
      await expect(rewards.connect(admin).setTiers([5n, 5n]))
        .to.be.revertedWithCustomError(rewards, "RewardsInvalidTiers")
        .withArgs(1);
      const nine = Array.from({ length: 9 }, (_, i) => BigInt(i + 1));
      await expect(rewards.connect(admin).setTiers(nine))
        .to.be.revertedWithCustomError(rewards, "RewardsInvalidTiers")
        .withArgs(9);
    });
  });

  describe("setPerk", () => {
    it("stores the perk and says so in an event", async () => {
      const { rewards, admin } = await loadFixture(deployRewards);
      const id = ethers.encodeBytes32String("p");
      await expect(rewards.connect(admin).setPerk(id, perk({ minStamps: 2, pointsCost: 5n }))).to.emit(rewards, "RewardsPerkSet");
      expect((await rewards.perk(id)).minStamps).to.equal(2n);
    });

    it("refuses a minimum tier above MAX_TIERS and a series that does not count its holders", async () => {
      const { rewards, stamps, admin } = await loadFixture(deployRewards);
      const id = ethers.encodeBytes32String("p");
      await expect(rewards.connect(admin).setPerk(id, perk({ minTier: 9 })))
        .to.be.revertedWithCustomError(rewards, "RewardsInvalidPerk")
        .withArgs(id);
      await expect(rewards.connect(admin).setPerk(id, perk({ seriesId: 1n })))
        .to.be.revertedWithCustomError(stamps, "StampsHoldersNotCounted")
        .withArgs(1n);
    });
  });

  describe("redeem", () => {
    it("pays the voucher's stamps and points to its member, counts status points and the completion, with events", async () => {
      const { rewards, stamps, points, sign, members, countedSeries } = await loadFixture(deployRewards);
      const alice = members[0]!;
      const { voucher, signature } = await sign(alice.address, journeyIds.visits, { stamps: 1n, points: 50n });
      await expect(rewards.connect(alice).redeem(voucher, signature))
        .to.emit(rewards, "RewardsJourneyCompleted")
        .withArgs(journeyIds.visits, alice.address, voucher.voucherId, 1n, 50n, ZERO)
        .and.to.emit(points, "PointsRewarded")
        .withArgs(alice.address, 50n, journeyIds.visits)
        .and.to.emit(stamps, "Transfer")
        .withArgs(ZERO, alice.address, stampId(countedSeries, 1n));
      expect(await points.balanceOf(alice.address)).to.equal(50n);
      expect(await stamps.seriesBalanceOf(alice.address, countedSeries)).to.equal(1n);
      expect(await rewards.statusOf(alice.address)).to.equal(50n);
      expect(await rewards.completions(journeyIds.visits, alice.address)).to.equal(1n);
      expect(await rewards.voucherState(voucher.voucherId)).to.equal(VoucherState.Redeemed);
    });

    it("pays only the member when a relayer submits it", async () => {
      const { rewards, points, sign, members, stranger } = await loadFixture(deployRewards);
      const alice = members[0]!;
      const { voucher, signature } = await sign(alice.address, journeyIds.visits, { points: 50n });
      await rewards.connect(stranger).redeem(voucher, signature);
      expect(await points.balanceOf(alice.address)).to.equal(50n);
      expect(await points.balanceOf(stranger.address)).to.equal(0n);
    });

    it("pays once: a replay reverts with RewardsVoucherAlreadyRedeemed", async () => {
      const { rewards, sign, members } = await loadFixture(deployRewards);
      const { voucher, signature } = await sign(members[0]!.address, journeyIds.referral, {
        points: 100n,
        referee: members[1]!.address as `0x${string}`,
      });
      await rewards.redeem(voucher, signature);
      await expect(rewards.redeem(voucher, signature))
        .to.be.revertedWithCustomError(rewards, "RewardsVoucherAlreadyRedeemed")
        .withArgs(voucher.voucherId);
    });

    it("cannot be redirected to another member: an altered member no longer recovers to an issuer", async () => {
      const { rewards, sign, members } = await loadFixture(deployRewards);
      const [alice, mallory] = [members[0]!, members[1]!];
      const { voucher, signature } = await sign(alice.address, journeyIds.visits, { points: 50n });
      const stolen = { ...voucher, member: mallory.address as `0x${string}` };
      await expect(rewards.connect(mallory).redeem(stolen, signature)).to.be.revertedWithCustomError(
        rewards,
        "RewardsInvalidIssuer",
      );
    });

    it("refuses a voucher past its expiry with RewardsVoucherExpired", async () => {
      const { rewards, sign, members } = await loadFixture(deployRewards);
      const { voucher, signature } = await sign(members[0]!.address, journeyIds.visits, { points: 50n });
      await time.setNextBlockTimestamp(voucher.expiry + 1n);
      await expect(rewards.redeem(voucher, signature))
        .to.be.revertedWithCustomError(rewards, "RewardsVoucherExpired")
        .withArgs(voucher.voucherId, voucher.expiry, voucher.expiry + 1n);
    });

    it("pays only within the journey's window (RewardsOutsideWindow before and after)", async () => {
      const { rewards, sign, members } = await loadFixture(deployRewards);
      const rules = await rewards.journey(journeyIds.windowed);
      const early = await sign(members[0]!.address, journeyIds.windowed, { points: 20n, expiry: rules.end + 10n });
      await expect(rewards.redeem(early.voucher, early.signature)).to.be.revertedWithCustomError(rewards, "RewardsOutsideWindow");
      await time.increaseTo(rules.start);
      await expect(rewards.redeem(early.voucher, early.signature)).to.emit(rewards, "RewardsJourneyCompleted");
      const late = await sign(members[0]!.address, journeyIds.windowed, { points: 20n, expiry: rules.end + 10n });
      await time.setNextBlockTimestamp(rules.end + 1n);
      await expect(rewards.redeem(late.voucher, late.signature))
        .to.be.revertedWithCustomError(rewards, "RewardsOutsideWindow")
        .withArgs(journeyIds.windowed, rules.start, rules.end, rules.end + 1n);
    });

    it("stops at the journey's limit per member with RewardsLimitReached", async () => {
      const { rewards, sign, members } = await loadFixture(deployRewards);
      const alice = members[0]!.address;
      const first = await sign(alice, journeyIds.visits, { points: 50n });
      await rewards.redeem(first.voucher, first.signature);
      const second = await sign(alice, journeyIds.visits, { points: 50n });
      await expect(rewards.redeem(second.voucher, second.signature))
        .to.be.revertedWithCustomError(rewards, "RewardsLimitReached")
        .withArgs(journeyIds.visits, alice, 1n);
      // Another member still may.
      const bob = await sign(members[1]!.address, journeyIds.visits, { points: 50n });
      await expect(rewards.redeem(bob.voucher, bob.signature)).to.emit(rewards, "RewardsJourneyCompleted");
    });

    it("stops the unredeemed vouchers of an issuer whose role is revoked (RewardsInvalidIssuer)", async () => {
      const { rewards, sign, members, admin, minter } = await loadFixture(deployRewards);
      const { voucher, signature } = await sign(members[0]!.address, journeyIds.visits, { points: 50n });
      await rewards.connect(admin).revokeRole(await rewards.ISSUER_ROLE(), minter.address);
      await expect(rewards.redeem(voucher, signature))
        .to.be.revertedWithCustomError(rewards, "RewardsInvalidIssuer")
        .withArgs(minter.address);
    });

    it("refuses a voucher signed by anyone without the issuer role", async () => {
      const { rewards, sign, members, stranger } = await loadFixture(deployRewards);
      const { voucher, signature } = await sign(members[0]!.address, journeyIds.visits, { points: 50n }, stranger);
      await expect(rewards.redeem(voucher, signature))
        .to.be.revertedWithCustomError(rewards, "RewardsInvalidIssuer")
        .withArgs(stranger.address);
    });

    it("refuses a cancelled voucher with RewardsVoucherWasCancelled", async () => {
      const { rewards, sign, members, minter } = await loadFixture(deployRewards);
      const { voucher, signature } = await sign(members[0]!.address, journeyIds.visits, { points: 50n });
      await rewards.connect(minter).cancelVoucher(voucher.voucherId);
      await expect(rewards.redeem(voucher, signature))
        .to.be.revertedWithCustomError(rewards, "RewardsVoucherWasCancelled")
        .withArgs(voucher.voucherId);
    });

    it("refuses more than the journey pays, and a closed or unknown journey", async () => {
      const { rewards, sign, members, admin } = await loadFixture(deployRewards);
      const alice = members[0]!.address;
      const greedy = await sign(alice, journeyIds.visits, { stamps: 2n, points: 50n });
      await expect(rewards.redeem(greedy.voucher, greedy.signature))
        .to.be.revertedWithCustomError(rewards, "RewardsVoucherAboveJourney")
        .withArgs(journeyIds.visits, 2n, 50n);
      const unknown = ethers.encodeBytes32String("nope");
      const lost = await sign(alice, unknown, { points: 1n });
      await expect(rewards.redeem(lost.voucher, lost.signature))
        .to.be.revertedWithCustomError(rewards, "RewardsUnknownJourney")
        .withArgs(unknown);
      await rewards.connect(admin).setJourney(journeyIds.visits, journey({ active: false }));
      const closed = await sign(alice, journeyIds.visits, { points: 50n });
      await expect(rewards.redeem(closed.voucher, closed.signature)).to.be.revertedWithCustomError(
        rewards,
        "RewardsUnknownJourney",
      );
    });

    it("refuses a malformed signature", async () => {
      const { rewards, sign, members } = await loadFixture(deployRewards);
      const { voucher } = await sign(members[0]!.address, journeyIds.visits, { points: 50n });
      await expect(rewards.redeem(voucher, "0x1234")).to.be.revertedWithCustomError(rewards, "ECDSAInvalidSignatureLength");
    });

    it("stops when Stamps or Points refuse the mint (paused)", async () => {
      const { stamps, rewards, points, sign, members, pauser } = await loadFixture(deployRewards);
      await stamps.connect(pauser).pause(Scope.Points);
      const { voucher, signature } = await sign(members[0]!.address, journeyIds.referral, {
        points: 100n,
        referee: members[1]!.address as `0x${string}`,
      });
      await expect(rewards.redeem(voucher, signature)).to.be.revertedWithCustomError(points, "EnforcedPause");
      expect(await rewards.voucherState(voucher.voucherId)).to.equal(VoucherState.Unused);
    });
  });

  describe("referrals", () => {
    const refer = (referee: string) => ({ points: 100n, referee: referee as `0x${string}` });

    it("pays the referrer of a new member and records who referred whom", async () => {
      const { rewards, points, sign, members } = await loadFixture(deployRewards);
      const [ada, ben] = members.map((m) => m.address);
      expect(await rewards.referrerOf(ben!)).to.equal(ZERO);
      const first = await sign(ada!, journeyIds.referral, refer(ben!));
      await expect(rewards.redeem(first.voucher, first.signature))
        .to.emit(rewards, "RewardsJourneyCompleted")
        .withArgs(journeyIds.referral, ada, first.voucher.voucherId, 0n, 100n, ben);
      expect(await points.balanceOf(ada!)).to.equal(100n);
      expect(await rewards.referrerOf(ben!)).to.equal(ada);
      expect(await rewards.hasReferred(ada!)).to.equal(true);
      expect(await rewards.hasReferred(ben!)).to.equal(false);
    });

    it("refers a member at most once, ever: not again by the same referrer, nor by three others, nor on another journey", async () => {
      const { rewards, points, sign, members, admin } = await loadFixture(deployRewards);
      const [ada, ben, cleo, dan, eve] = members.map((m) => m.address);
      const paid = await sign(ada!, journeyIds.referral, refer(ben!));
      await rewards.redeem(paid.voucher, paid.signature);
      const again = await sign(ada!, journeyIds.referral, refer(ben!));
      await expect(rewards.redeem(again.voucher, again.signature))
        .to.be.revertedWithCustomError(rewards, "RewardsRefereeAlreadyReferred")
        .withArgs(ben, ada);
      for (const referrer of [cleo!, dan!, eve!]) {
        const farm = await sign(referrer, journeyIds.referral, refer(ben!));
        await expect(rewards.redeem(farm.voucher, farm.signature))
          .to.be.revertedWithCustomError(rewards, "RewardsRefereeAlreadyReferred")
          .withArgs(ben, ada);
        expect(await points.balanceOf(referrer)).to.equal(0n);
      }
      // A second referral journey is the same program: the referee is still referred once.
      const spring = ethers.encodeBytes32String("spring-referral");
      await rewards.connect(admin).setJourney(spring, journey({ maxPoints: 100n, referral: true }));
      const other = await sign(cleo!, spring, refer(ben!));
      await expect(rewards.redeem(other.voucher, other.signature))
        .to.be.revertedWithCustomError(rewards, "RewardsRefereeAlreadyReferred")
        .withArgs(ben, ada);
      expect(await points.balanceOf(ada!)).to.equal(100n);
    });

    it("pays a mutual referral once, and a circle of referrals stops where it closes", async () => {
      const { rewards, sign, members } = await loadFixture(deployRewards);
      const [ada, ben, cleo] = members.map((m) => m.address);
      const adaRefersBen = await sign(ada!, journeyIds.referral, refer(ben!));
      await expect(rewards.redeem(adaRefersBen.voucher, adaRefersBen.signature)).to.emit(rewards, "RewardsJourneyCompleted");
      const benRefersAda = await sign(ben!, journeyIds.referral, refer(ada!));
      await expect(rewards.redeem(benRefersAda.voucher, benRefersAda.signature))
        .to.be.revertedWithCustomError(rewards, "RewardsRefereeIsReferrer")
        .withArgs(ada);
      // A referred member can still bring a new one; the circle back to its start is refused.
      const benRefersCleo = await sign(ben!, journeyIds.referral, refer(cleo!));
      await expect(rewards.redeem(benRefersCleo.voucher, benRefersCleo.signature)).to.emit(rewards, "RewardsJourneyCompleted");
      const cleoRefersAda = await sign(cleo!, journeyIds.referral, refer(ada!));
      await expect(rewards.redeem(cleoRefersAda.voucher, cleoRefersAda.signature))
        .to.be.revertedWithCustomError(rewards, "RewardsRefereeIsReferrer")
        .withArgs(ada);
    });

    it("refuses a self-referral and the referral of a wallet linked in the consent registry, now or before", async () => {
      const { rewards, consent, sign, link, members } = await loadFixture(deployRewards);
      const [ada, ben, cleo] = [members[0]!, members[1]!, members[2]!];
      const self = await sign(ada.address, journeyIds.referral, refer(ada.address));
      await expect(rewards.redeem(self.voucher, self.signature))
        .to.be.revertedWithCustomError(rewards, "RewardsSelfReferral")
        .withArgs(ada.address);
      await link(ben);
      expect(await consent.isLinked(ben.address)).to.equal(true);
      const linked = await sign(ada.address, journeyIds.referral, refer(ben.address));
      await expect(rewards.redeem(linked.voucher, linked.signature))
        .to.be.revertedWithCustomError(rewards, "RewardsRefereeLinked")
        .withArgs(ben.address);
      // Unlinking and coming back does not make a new member.
      await link(cleo);
      await consent.connect(cleo).unlink();
      expect(await consent.isLinked(cleo.address)).to.equal(false);
      expect(await consent.nonces(cleo.address)).to.equal(2n); // the link and the unlink: what Rewards reads
      const returning = await sign(ada.address, journeyIds.referral, refer(cleo.address));
      await expect(rewards.redeem(returning.voucher, returning.signature))
        .to.be.revertedWithCustomError(rewards, "RewardsRefereeLinked")
        .withArgs(cleo.address);
    });

    it("needs a referee on a referral journey and none on any other (RewardsReferralMismatch)", async () => {
      const { rewards, sign, members } = await loadFixture(deployRewards);
      const [ada, ben] = [members[0]!.address, members[1]!.address as `0x${string}`];
      const missing = await sign(ada, journeyIds.referral, { points: 100n });
      await expect(rewards.redeem(missing.voucher, missing.signature))
        .to.be.revertedWithCustomError(rewards, "RewardsReferralMismatch")
        .withArgs(journeyIds.referral, ZERO);
      const extra = await sign(ada, journeyIds.visits, { points: 50n, referee: ben });
      await expect(rewards.redeem(extra.voucher, extra.signature))
        .to.be.revertedWithCustomError(rewards, "RewardsReferralMismatch")
        .withArgs(journeyIds.visits, ben);
    });
  });

  describe("cancelVoucher", () => {
    it("cancels an unused voucher with an event, once", async () => {
      const { rewards, minter } = await loadFixture(deployRewards);
      const id = ethers.id("voucher-1");
      await expect(rewards.connect(minter).cancelVoucher(id)).to.emit(rewards, "RewardsVoucherCancelled").withArgs(id);
      expect(await rewards.voucherState(id)).to.equal(VoucherState.Cancelled);
      await expect(rewards.connect(minter).cancelVoucher(id))
        .to.be.revertedWithCustomError(rewards, "RewardsVoucherWasCancelled")
        .withArgs(id);
    });

    it("cannot cancel a redeemed voucher", async () => {
      const { rewards, sign, members, minter } = await loadFixture(deployRewards);
      const { voucher, signature } = await sign(members[0]!.address, journeyIds.visits, { points: 50n });
      await rewards.redeem(voucher, signature);
      await expect(rewards.connect(minter).cancelVoucher(voucher.voucherId))
        .to.be.revertedWithCustomError(rewards, "RewardsVoucherAlreadyRedeemed")
        .withArgs(voucher.voucherId);
    });
  });

  describe("tiers", () => {
    it("a member's tier is the number of thresholds their status points reach; status is not the Points balance", async () => {
      const { rewards, points, sign, members } = await loadFixture(deployRewards);
      const ada = members[0]!;
      expect(await rewards.tierOf(ada.address)).to.equal(0n);
      for (const [i, referee] of [members[1]!, members[2]!, members[3]!, members[4]!, members[5]!].entries()) {
        const { voucher, signature } = await sign(ada.address, journeyIds.referral, {
          points: 100n,
          referee: referee.address as `0x${string}`,
        });
        await rewards.redeem(voucher, signature);
        const status = BigInt(i + 1) * 100n;
        expect(await rewards.statusOf(ada.address)).to.equal(status);
        expect(await rewards.tierOf(ada.address)).to.equal(BigInt(THRESHOLDS.filter((t) => status >= t).length));
      }
      // Spending points does not lower the status or the tier.
      await points.connect(ada).redeem(500n, ethers.ZeroHash);
      expect(await rewards.statusOf(ada.address)).to.equal(500n);
      expect(await rewards.tierOf(ada.address)).to.equal(2n);
    });
  });

  describe("tiers from ordinary rewards", () => {
    it("points the brand rewards with Points.reward and rewardBatch earn status like a journey's; bought points do not", async () => {
      const { rewards, points, sign, minter, members } = await loadFixture(deployRewards);
      const [ada, bo] = [members[0]!, members[1]!];
      const reason = ethers.encodeBytes32String("visit");
      await points.connect(minter).reward(ada.address, 60n, reason);
      expect(await rewards.tierOf(ada.address)).to.equal(0n);
      await points.connect(minter).rewardBatch([ada.address, bo.address], [40n, 499n], reason);
      expect(await rewards.statusOf(ada.address)).to.equal(100n);
      expect(await rewards.tierOf(ada.address)).to.equal(1n);
      await points.connect(minter).credit(bo.address, 1_000n, ethers.id("receipt"));
      expect(await rewards.tierOf(bo.address)).to.equal(1n);
      // A journey's points add to the same status, once (Rewards pays them with Points.reward).
      const { voucher, signature } = await sign(bo.address, journeyIds.visits, { points: 50n });
      await rewards.redeem(voucher, signature);
      expect(await rewards.statusOf(bo.address)).to.equal(499n + voucher.points);
      expect(await rewards.statusOf(bo.address)).to.equal(await points.statusOf(bo.address));
      expect(await rewards.tierOf(bo.address)).to.equal(2n);
    });
  });

  describe("perks", () => {
    async function silverWithRefillCard() {
      const f = await deployRewards();
      const ada = f.members[0]!;
      const visit = await f.sign(ada.address, journeyIds.visits, { stamps: 1n, points: 50n });
      await f.rewards.redeem(visit.voucher, visit.signature);
      const referral = await f.sign(ada.address, journeyIds.referral, {
        points: 100n,
        referee: f.members[1]!.address as `0x${string}`,
      });
      await f.rewards.redeem(referral.voucher, referral.signature);
      return { ...f, ada };
    }

    it("unlocks on every condition together: a stamp of a series, a tier, points, a number of stamps", async () => {
      const { rewards, stamps, points, ada, members, admin, minter, countedSeries } = await loadFixture(silverWithRefillCard);
      const bob = members[2]!;
      expect(await rewards.isUnlocked(ada.address, perkIds.refill)).to.equal(true); // Silver + a Refill Card
      expect(await rewards.isUnlocked(bob.address, perkIds.refill)).to.equal(false);
      expect(await rewards.isUnlocked(ada.address, perkIds.gold)).to.equal(false); // 150 < 500
      expect(await rewards.isUnlocked(ada.address, perkIds.beans)).to.equal(true); // 150 points >= 100
      await points.connect(ada).transfer(bob.address, 100n);
      expect(await rewards.isUnlocked(ada.address, perkIds.beans)).to.equal(false); // 50 points left
      // The tier stays once earned, the stamp condition follows the holding: burning the card locks the refill.
      await stamps.connect(ada).burn(stampId(countedSeries, 1n));
      expect(await rewards.isUnlocked(ada.address, perkIds.refill)).to.equal(false);
      const many = ethers.encodeBytes32String("collector");
      await rewards.connect(admin).setPerk(many, perk({ minStamps: 2, minTier: 1 }));
      await stamps.connect(minter).mint(ada.address, 1n);
      expect(await rewards.isUnlocked(ada.address, many)).to.equal(false);
      await stamps.connect(minter).mint(ada.address, 1n);
      expect(await rewards.isUnlocked(ada.address, many)).to.equal(true);
      expect(await rewards.isUnlocked(ada.address, ethers.encodeBytes32String("unknown"))).to.equal(false);
    });

    it("records a claim with an event, once per period", async () => {
      const { rewards, ada } = await loadFixture(silverWithRefillCard);
      const tx = rewards.connect(ada).claimPerk(perkIds.refill);
      const period = BigInt(Math.floor(((await time.latest()) + 1) / WEEK));
      await expect(tx).to.emit(rewards, "RewardsPerkClaimed").withArgs(perkIds.refill, ada.address, period, 0n, 0n);
      expect(await rewards.isClaimed(ada.address, perkIds.refill)).to.equal(true);
      await expect(rewards.connect(ada).claimPerk(perkIds.refill))
        .to.be.revertedWithCustomError(rewards, "RewardsPerkAlreadyClaimed")
        .withArgs(ada.address, perkIds.refill, period);
      await time.increase(WEEK);
      expect(await rewards.isClaimed(ada.address, perkIds.refill)).to.equal(false);
      await expect(rewards.connect(ada).claimPerk(perkIds.refill)).to.emit(rewards, "RewardsPerkClaimed");
    });

    it("burns a perk's points cost (approved by the member) and allows a once-ever perk once", async () => {
      const { rewards, points, ada, minter } = await loadFixture(silverWithRefillCard);
      const rewardsAddress = await rewards.getAddress();
      await expect(rewards.connect(ada).claimPerk(perkIds.beans))
        .to.be.revertedWithCustomError(points, "ERC20InsufficientAllowance")
        .withArgs(rewardsAddress, 0n, 100n);
      await points.connect(ada).approve(rewardsAddress, 100n);
      const supply = await points.totalSupply();
      await expect(rewards.connect(ada).claimPerk(perkIds.beans))
        .to.emit(rewards, "RewardsPerkClaimed")
        .withArgs(perkIds.beans, ada.address, 0n, 100n, 0n)
        .and.to.emit(points, "PointsRedeemed")
        .withArgs(rewardsAddress, 100n, perkIds.beans);
      expect(await points.balanceOf(ada.address)).to.equal(50n);
      expect(await points.totalSupply()).to.equal(supply - 100n);
      expect(await rewards.statusOf(ada.address)).to.equal(150n);
      await time.increase(365 * 24 * 3600);
      await points.connect(minter).reward(ada.address, 100n, ethers.ZeroHash);
      await points.connect(ada).approve(rewardsAddress, 100n);
      await expect(rewards.connect(ada).claimPerk(perkIds.beans))
        .to.be.revertedWithCustomError(rewards, "RewardsPerkAlreadyClaimed")
        .withArgs(ada.address, perkIds.beans, 0n);
    });

    it("burns the cost even while member-to-member transfers are off (Rewards is a Points operator)", async () => {
      const { rewards, points, ada, admin } = await loadFixture(silverWithRefillCard);
      await points.connect(admin).setTransferable(false);
      await points.connect(ada).approve(await rewards.getAddress(), 100n);
      await expect(rewards.connect(ada).claimPerk(perkIds.beans)).to.emit(rewards, "RewardsPerkClaimed");
    });

    it("refuses a locked perk and an unknown or withdrawn one", async () => {
      const { rewards, ada, members, admin } = await loadFixture(silverWithRefillCard);
      await expect(rewards.connect(members[3]!).claimPerk(perkIds.refill))
        .to.be.revertedWithCustomError(rewards, "RewardsPerkLocked")
        .withArgs(members[3]!.address, perkIds.refill);
      const unknown = ethers.encodeBytes32String("unknown");
      await expect(rewards.connect(ada).claimPerk(unknown))
        .to.be.revertedWithCustomError(rewards, "RewardsUnknownPerk")
        .withArgs(unknown);
      await rewards.connect(admin).setPerk(perkIds.refill, perk({ active: false }));
      await expect(rewards.connect(ada).claimPerk(perkIds.refill)).to.be.revertedWithCustomError(rewards, "RewardsUnknownPerk");
    });
  });

  describe("perks on points that are really there", () => {
    /** Rewards over Points whose purchases stay pending 14 days and expire after 30 days of inactivity. */
    async function rewardsOverLifecycle() {
      const f = await deployInactivityPoints();
      const { stamps, points, admin, minter } = f;
      const consent = await ethers.deployContract("ConsentRegistry", [admin.address, ADMIN_DELAY]);
      const rewards = await ethers.deployContract("Rewards", [
        await stamps.getAddress(),
        await points.getAddress(),
        await consent.getAddress(),
        admin.address,
        ADMIN_DELAY,
      ]);
      await points.connect(admin).setOperator(await rewards.getAddress(), true);
      await rewards.connect(admin).setPerk(perkIds.beans, perk({ minPoints: 100n, pointsCost: 100n }));
      await rewards.connect(admin).setPerk(perkIds.gold, perk({ minPoints: 1_000n }));
      return { ...f, rewards, minter };
    }

    it("points bought and still pending unlock nothing; once released they do, and the perk is paid with them", async () => {
      const { rewards, points, minter, members } = await loadFixture(rewardsOverLifecycle);
      const ada = members[0]!;
      await points.connect(minter).credit(ada.address, 1_000n, ethers.id("receipt-1"));
      expect(await points.balanceOf(ada.address)).to.equal(1_000n);
      expect(await points.spendableOf(ada.address)).to.equal(0n);
      expect(await rewards.isUnlocked(ada.address, perkIds.gold)).to.equal(false);
      await expect(rewards.connect(ada).claimPerk(perkIds.gold))
        .to.be.revertedWithCustomError(rewards, "RewardsPerkLocked")
        .withArgs(ada.address, perkIds.gold);
      await time.increaseTo(releaseOf(await time.latest()));
      expect(await points.spendableOf(ada.address)).to.equal(1_000n);
      expect(await rewards.isUnlocked(ada.address, perkIds.gold)).to.equal(true);
      await expect(rewards.connect(ada).claimPerk(perkIds.gold)).to.emit(rewards, "RewardsPerkClaimed");
      await points.connect(ada).approve(await rewards.getAddress(), 100n);
      await expect(rewards.connect(ada).claimPerk(perkIds.beans))
        .to.emit(points, "PointsRedeemed")
        .withArgs(await rewards.getAddress(), 100n, perkIds.beans);
      expect(await points.balanceOf(ada.address)).to.equal(900n);
    });

    it("counts only the released part of a balance: rewarded points plus pending ones below the bar stay locked", async () => {
      const { rewards, points, minter, members } = await loadFixture(rewardsOverLifecycle);
      const bo = members[1]!;
      await points.connect(minter).reward(bo.address, 60n, ethers.ZeroHash);
      await points.connect(minter).credit(bo.address, 940n, ethers.id("receipt-2"));
      expect(await points.balanceOf(bo.address)).to.equal(1_000n);
      expect(await rewards.isUnlocked(bo.address, perkIds.gold)).to.equal(false);
      expect(await rewards.isUnlocked(bo.address, perkIds.beans)).to.equal(false);
    });

    it("points expired but not yet burned unlock nothing", async () => {
      const { rewards, points, minter, members } = await loadFixture(rewardsOverLifecycle);
      const cleo = members[2]!;
      await points.connect(minter).reward(cleo.address, 1_000n, ethers.ZeroHash);
      expect(await rewards.isUnlocked(cleo.address, perkIds.gold)).to.equal(true);
      await time.increase((EXPIRY_DAYS + 1) * DAY);
      expect(await points.balanceOf(cleo.address)).to.equal(1_000n);
      expect(await points.spendableOf(cleo.address)).to.equal(0n);
      expect(await rewards.isUnlocked(cleo.address, perkIds.gold)).to.equal(false);
      await expect(rewards.connect(cleo).claimPerk(perkIds.gold))
        .to.be.revertedWithCustomError(rewards, "RewardsPerkLocked")
        .withArgs(cleo.address, perkIds.gold);
    });
  });

  describe("perks paid with a stamp", () => {
    // The mug perk burns one stamp of series 1 (tradable); Ada and Bo each hold one, Ada also one of series 2.
    async function stampHolders() {
      const f = await deployRewards();
      const [ada, bo] = [f.members[0]!, f.members[1]!];
      await f.stamps.connect(f.minter).mint(ada.address, 1n);
      await f.stamps.connect(f.minter).mint(bo.address, 1n);
      await f.stamps.connect(f.minter).mint(ada.address, 2n);
      return { ...f, ada, bo, adaMug: stampId(1n, 1n), boMug: stampId(1n, 2n), adaOther: stampId(2n, 1n) };
    }

    it("burns the member's own stamp, approved to Rewards for that stamp alone, and names it in the event", async () => {
      const { rewards, stamps, ada, adaMug } = await loadFixture(stampHolders);
      await stamps.connect(ada).approve(await rewards.getAddress(), adaMug);
      const tx = rewards.connect(ada).claimPerkWithStamp(perkIds.mug, adaMug);
      await expect(tx).to.emit(rewards, "RewardsPerkClaimed").withArgs(perkIds.mug, ada.address, 0n, 0n, adaMug);
      await expect(tx).to.emit(stamps, "Transfer").withArgs(ada.address, ZERO, adaMug);
      await expect(stamps.ownerOf(adaMug)).to.be.revertedWithCustomError(stamps, "ERC721NonexistentToken");
      expect(await stamps.balanceOf(ada.address)).to.equal(1n);
      expect(await rewards.isClaimed(ada.address, perkIds.mug)).to.equal(true);
    });

    it("burns a stamp and points together when the perk costs both", async () => {
      const { rewards, stamps, points, admin, minter, ada, adaMug } = await loadFixture(stampHolders);
      const both = ethers.encodeBytes32String("mug-and-beans");
      await rewards.connect(admin).setPerk(both, perk({ stampCostSeriesId: 1n, pointsCost: 30n }));
      await points.connect(minter).reward(ada.address, 30n, ethers.ZeroHash);
      const rewardsAddress = await rewards.getAddress();
      await points.connect(ada).approve(rewardsAddress, 30n);
      await stamps.connect(ada).approve(rewardsAddress, adaMug);
      await expect(rewards.connect(ada).claimPerkWithStamp(both, adaMug))
        .to.emit(rewards, "RewardsPerkClaimed")
        .withArgs(both, ada.address, 0n, 30n, adaMug)
        .and.to.emit(points, "PointsRedeemed");
      expect(await points.balanceOf(ada.address)).to.equal(0n);
      expect(await points.statusOf(ada.address)).to.equal(30n);
    });

    it("refuses, each by its error: no stamp, a stamp of another series, one for a perk that burns none", async () => {
      const { rewards, stamps, ada, adaMug, adaOther } = await loadFixture(stampHolders);
      await stamps.connect(ada).approve(await rewards.getAddress(), adaOther);
      await expect(rewards.connect(ada).claimPerk(perkIds.mug))
        .to.be.revertedWithCustomError(rewards, "RewardsWrongStamp")
        .withArgs(perkIds.mug, 0n, 1n);
      await expect(rewards.connect(ada).claimPerkWithStamp(perkIds.mug, adaOther))
        .to.be.revertedWithCustomError(rewards, "RewardsWrongStamp")
        .withArgs(perkIds.mug, adaOther, 1n);
      await expect(rewards.connect(ada).claimPerkWithStamp(perkIds.gold, adaMug)).to.be.revertedWithCustomError(
        rewards,
        "RewardsPerkLocked",
      );
      const free = ethers.encodeBytes32String("free");
      await rewards.connect(await ethers.getSigner(await rewards.defaultAdmin())).setPerk(free, perk({}));
      await expect(rewards.connect(ada).claimPerkWithStamp(free, adaMug))
        .to.be.revertedWithCustomError(rewards, "RewardsWrongStamp")
        .withArgs(free, adaMug, 0n);
      expect(await stamps.ownerOf(adaOther)).to.equal(ada.address);
    });

    it("refuses someone else's stamp, even one its holder approved to Rewards, and a stamp not approved", async () => {
      const { rewards, stamps, ada, bo, adaMug, boMug } = await loadFixture(stampHolders);
      const rewardsAddress = await rewards.getAddress();
      await stamps.connect(bo).approve(rewardsAddress, boMug);
      await expect(rewards.connect(ada).claimPerkWithStamp(perkIds.mug, boMug))
        .to.be.revertedWithCustomError(rewards, "RewardsNotStampHolder")
        .withArgs(ada.address, boMug);
      await expect(rewards.connect(ada).claimPerkWithStamp(perkIds.mug, adaMug))
        .to.be.revertedWithCustomError(rewards, "RewardsStampNotApproved")
        .withArgs(ada.address, adaMug);
      // Approval for all stamps is not an approval of this stamp.
      await stamps.connect(ada).setApprovalForAll(rewardsAddress, true);
      await expect(rewards.connect(ada).claimPerkWithStamp(perkIds.mug, adaMug)).to.be.revertedWithCustomError(
        rewards,
        "RewardsStampNotApproved",
      );
      expect(await stamps.ownerOf(boMug)).to.equal(bo.address);
      expect(await stamps.ownerOf(adaMug)).to.equal(ada.address);
    });

    it("no role of Rewards can spend a member's stamp, even one the member approved to Rewards", async () => {
      const { rewards, stamps, admin, minter, bo, boMug } = await loadFixture(stampHolders);
      await stamps.connect(bo).approve(await rewards.getAddress(), boMug);
      for (const role of [admin, minter]) {
        await expect(rewards.connect(role).claimPerkWithStamp(perkIds.mug, boMug))
          .to.be.revertedWithCustomError(rewards, "RewardsNotStampHolder")
          .withArgs(role.address, boMug);
        await expect(stamps.connect(role).burn(boMug)).to.be.revertedWithCustomError(stamps, "StampsNotHolder");
      }
      expect(await stamps.ownerOf(boMug)).to.equal(bo.address);
    });

    it("refuses a second claim in the period, and keeps the stamp", async () => {
      const { rewards, stamps, minter, ada, adaMug } = await loadFixture(stampHolders);
      const rewardsAddress = await rewards.getAddress();
      await stamps.connect(ada).approve(rewardsAddress, adaMug);
      await rewards.connect(ada).claimPerkWithStamp(perkIds.mug, adaMug);
      await stamps.connect(minter).mint(ada.address, 1n);
      const next = stampId(1n, 3n);
      await stamps.connect(ada).approve(rewardsAddress, next);
      await expect(rewards.connect(ada).claimPerkWithStamp(perkIds.mug, next))
        .to.be.revertedWithCustomError(rewards, "RewardsPerkAlreadyClaimed")
        .withArgs(ada.address, perkIds.mug, 0n);
      expect(await stamps.ownerOf(next)).to.equal(ada.address);
    });

    it("setPerk refuses a stamp cost of a series that does not exist", async () => {
      const { rewards, stamps, admin } = await loadFixture(stampHolders);
      await expect(rewards.connect(admin).setPerk(perkIds.mug, perk({ stampCostSeriesId: 99n })))
        .to.be.revertedWithCustomError(stamps, "StampsUnknownSeries")
        .withArgs(99n);
    });
  });
});
