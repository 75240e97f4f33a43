import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { DAY, PARTNER_SHARING, deployAgreement, deployPartners } from "./fixtures/partnerExchange";
import { Scope } from "./fixtures/tokens";

const ZERO = ethers.ZeroAddress;

describe("PartnerExchange", () => {
  describe("agreeing", () => {
    it("takes effect only once both programs' admins accepted it on-chain", async () => {
      const { exchange, admin, adminB, members, pointsA, pointsB, terms } = await loadFixture(deployPartners);
      const t = await terms();
      await expect(exchange.connect(admin).propose(t))
        .to.emit(exchange, "ExchangeProposed")
        .and.to.emit(exchange, "ExchangeAccepted")
        .withArgs(1, await pointsA.getAddress(), admin.address);
      await expect(exchange.connect(members[0]!).convert(1, 100))
        .to.be.revertedWithCustomError(exchange, "ExchangeNotActive")
        .withArgs(1);
      // A's admin cannot accept twice for B; a stranger cannot accept at all.
      await expect(exchange.connect(admin).accept(1))
        .to.be.revertedWithCustomError(exchange, "ExchangeNotAdmin")
        .withArgs(admin.address);
      await expect(exchange.connect(members[0]!).accept(1)).to.be.revertedWithCustomError(exchange, "ExchangeNotAdmin");
      await expect(exchange.connect(adminB).accept(1))
        .to.emit(exchange, "ExchangeAccepted")
        .withArgs(1, await pointsB.getAddress(), adminB.address);
      const [stored, acceptedA, acceptedB, paused, ended] = await exchange.agreement(1);
      expect([acceptedA, acceptedB, paused, ended]).to.deep.equal([true, true, false, false]);
      expect(stored.rateA).to.equal(10n);
      await expect(exchange.connect(members[0]!).convert(1, 100)).to.emit(exchange, "Converted");
    });

    it("B's admin may propose and A's accept", async () => {
      const { exchange, admin, adminB, members, terms } = await loadFixture(deployPartners);
      await exchange.connect(adminB).propose(await terms());
      await exchange.connect(admin).accept(1);
      await expect(exchange.connect(members[0]!).convert(1, 10)).to.emit(exchange, "Converted");
    });

    it("refuses bad terms, a proposer admin of neither program, and unknown agreements", async () => {
      const { exchange, admin, stranger, terms, pointsA } = await loadFixture(deployPartners);
      const a = await pointsA.getAddress();
      for (const bad of [
        { pointsB: a },
        { pointsA: ZERO },
        { rateA: 0n },
        { rateB: 0n },
        { memberCap: 0n },
        { periodCap: 0n },
        { period: 0n },
        { endsAt: BigInt(await time.latest()) },
      ]) {
        await expect(exchange.connect(admin).propose(await terms(bad))).to.be.revertedWithCustomError(
          exchange,
          "ExchangeInvalidTerms",
        );
      }
      await expect(exchange.connect(stranger).propose(await terms()))
        .to.be.revertedWithCustomError(exchange, "ExchangeNotAdmin")
        .withArgs(stranger.address);
      for (const call of [
        () => exchange.accept(7),
        () => exchange.quote(7, 10),
        () => exchange.agreement(7),
        () => exchange.usedThisPeriod(7, ZERO),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(exchange, "ExchangeUnknown").withArgs(7);
      }
      await expect(exchange.connect(stranger).convert(7, 10)).to.be.revertedWithCustomError(exchange, "ExchangeUnknown");
    });

    it("either admin pauses, resumes or ends it; an ended agreement never moves again", async () => {
      const { exchange, admin, adminB, stranger, members } = await loadFixture(deployAgreement);
      await expect(exchange.connect(stranger).setPaused(1, true)).to.be.revertedWithCustomError(exchange, "ExchangeNotAdmin");
      await expect(exchange.connect(adminB).setPaused(1, true))
        .to.emit(exchange, "ExchangePausedChanged")
        .withArgs(1, adminB.address, true);
      await expect(exchange.connect(members[0]!).convert(1, 10)).to.be.revertedWithCustomError(exchange, "ExchangeNotActive");
      await exchange.connect(admin).setPaused(1, false);
      await exchange.connect(members[0]!).convert(1, 10);
      await expect(exchange.connect(stranger).end(1)).to.be.revertedWithCustomError(exchange, "ExchangeNotAdmin");
      await expect(exchange.connect(admin).end(1)).to.emit(exchange, "ExchangeEnded").withArgs(1, admin.address);
      await expect(exchange.connect(members[0]!).convert(1, 10)).to.be.revertedWithCustomError(exchange, "ExchangeNotActive");
      for (const call of [
        () => exchange.connect(adminB).setPaused(1, false),
        () => exchange.connect(adminB).end(1),
        () => exchange.connect(adminB).accept(1),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(exchange, "ExchangeAlreadyEnded").withArgs(1);
      }
    });

    it("stops at its end date", async () => {
      const { exchange, members } = await loadFixture(deployAgreement);
      await time.increase(90 * DAY);
      await expect(exchange.connect(members[0]!).convert(1, 10)).to.be.revertedWithCustomError(exchange, "ExchangeNotActive");
    });
  });

  describe("convert", () => {
    it("burns A's points and credits B's in one transaction, with events on both sides, exactly", async () => {
      const { exchange, pointsA, pointsB, members } = await loadFixture(deployAgreement);
      const ada = members[0]!;
      expect(await exchange.quote(1, 120)).to.equal(36n);
      const receiptId = await exchange.conversionReceipt(1, 0);
      const tx = exchange.connect(ada).convert(1, 120);
      await expect(tx).to.emit(exchange, "Converted").withArgs(1, ada.address, 120, 36);
      await expect(tx)
        .to.emit(pointsA, "PointsRedeemed")
        .withArgs(await exchange.getAddress(), 120, ethers.toBeHex(1, 32));
      await expect(tx)
        .to.emit(pointsA, "Transfer")
        .withArgs(await exchange.getAddress(), ZERO, 120);
      await expect(tx).to.emit(pointsB, "PointsCredited").withArgs(ada.address, 36, receiptId);
      expect(await pointsA.balanceOf(ada.address)).to.equal(880n);
      expect(await pointsB.balanceOf(ada.address)).to.equal(36n);
      expect(await pointsA.balanceOf(await exchange.getAddress())).to.equal(0n);
      expect(await pointsB.isCredited(receiptId)).to.equal(true);
    });

    it("refuses an amount that is not a whole multiple of the rate, and zero", async () => {
      const { exchange, members } = await loadFixture(deployAgreement);
      for (const amount of [0, 5, 123]) {
        await expect(exchange.connect(members[0]!).convert(1, amount))
          .to.be.revertedWithCustomError(exchange, "ExchangeInexactAmount")
          .withArgs(amount, 10);
        await expect(exchange.quote(1, amount)).to.be.revertedWithCustomError(exchange, "ExchangeInexactAmount");
      }
    });

    it("keeps each member and everyone within the period's caps; a new period starts afresh", async () => {
      const { exchange, members } = await loadFixture(deployAgreement);
      const [ada, ben] = [members[0]!, members[1]!];
      await exchange.connect(ada).convert(1, 500);
      await expect(exchange.connect(ada).convert(1, 10))
        .to.be.revertedWithCustomError(exchange, "ExchangeMemberCapExceeded")
        .withArgs(ada.address, 500, 500);
      await exchange.connect(ben).convert(1, 300);
      await expect(exchange.connect(members[2]!).convert(1, 10))
        .to.be.revertedWithCustomError(exchange, "ExchangePeriodCapExceeded")
        .withArgs(800, 800);
      expect(await exchange.usedThisPeriod(1, ada.address)).to.deep.equal([500n, 800n]);
      await time.increase(7 * DAY);
      expect(await exchange.usedThisPeriod(1, ada.address)).to.deep.equal([0n, 0n]);
      await exchange.connect(ada).convert(1, 100);
    });

    it("needs the member's partner-sharing consent in A's registry when the agreement asks for it", async () => {
      const { exchange, admin, adminB, consent, members, terms } = await loadFixture(deployPartners);
      await exchange.connect(admin).propose(await terms({ consentA: await consent.getAddress() }));
      await exchange.connect(adminB).accept(1);
      const ada = members[0]!;
      await expect(exchange.connect(ada).convert(1, 10))
        .to.be.revertedWithCustomError(exchange, "ExchangeConsentRequired")
        .withArgs(ada.address);
      await consent.setPurposes(ada.address, 1n | 2n | 4n);
      await expect(exchange.connect(ada).convert(1, 10)).to.be.revertedWithCustomError(exchange, "ExchangeConsentRequired");
      await consent.setPurposes(ada.address, PARTNER_SHARING);
      await expect(exchange.connect(ada).convert(1, 10)).to.emit(exchange, "Converted");
    });

    it("follows each program's own rules: A's allowance and spendable points, B's minter role and pause", async () => {
      const { exchange, stamps, pointsA, pointsB, adminB, pauser, members, stranger } = await loadFixture(deployAgreement);
      await expect(exchange.connect(stranger).convert(1, 10)).to.be.revertedWithCustomError(
        pointsA,
        "ERC20InsufficientAllowance",
      );
      await pointsA.connect(members[0]!).approve(await exchange.getAddress(), 5);
      await expect(exchange.connect(members[0]!).convert(1, 10)).to.be.revertedWithCustomError(
        pointsA,
        "ERC20InsufficientAllowance",
      );
      await expect(exchange.connect(members[1]!).convert(1, 0)).to.be.revertedWithCustomError(exchange, "ExchangeInexactAmount");
      await stamps.connect(pauser).pause(Scope.Points);
      await expect(exchange.connect(members[1]!).convert(1, 10)).to.be.revertedWithCustomError(pointsA, "EnforcedPause");
      await stamps.connect(pauser).unpause();
      await pointsB.connect(adminB).revokeRole(await pointsB.MINTER_ROLE(), await exchange.getAddress());
      await expect(exchange.connect(members[1]!).convert(1, 10)).to.be.revertedWithCustomError(
        pointsB,
        "AccessControlUnauthorizedAccount",
      );
      // Nothing moved on A for the refused conversions.
      expect(await pointsA.balanceOf(members[1]!.address)).to.equal(1000n);
    });
  });

  describe("property", () => {
    it("no rounding gain either way: B credited is exactly amountA / rateA * rateB, A burned exactly amountA", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 50 }),
          fc.integer({ min: 1, max: 50 }),
          fc.array(fc.record({ member: fc.nat(3), amount: fc.integer({ min: 0, max: 400 }) }), { minLength: 1, maxLength: 8 }),
          async (rateA, rateB, conversions) => {
            const f = await loadFixture(deployPartners);
            const t = await f.terms({ rateA: BigInt(rateA), rateB: BigInt(rateB), memberCap: 10_000n, periodCap: 10_000n });
            await f.exchange.connect(f.admin).propose(t);
            await f.exchange.connect(f.adminB).accept(1);
            let burned = 0n;
            let credited = 0n;
            const supplyA = await f.pointsA.totalSupply();
            for (const { member, amount } of conversions) {
              const m = f.members[member]!;
              const [beforeA, beforeB] = [await f.pointsA.balanceOf(m.address), await f.pointsB.balanceOf(m.address)];
              const a = BigInt(amount);
              if (a === 0n || a % BigInt(rateA) !== 0n) {
                await expect(f.exchange.connect(m).convert(1, a)).to.be.revertedWithCustomError(
                  f.exchange,
                  "ExchangeInexactAmount",
                );
                continue;
              }
              if (a > beforeA) {
                await expect(f.exchange.connect(m).convert(1, a)).to.be.revertedWithCustomError(
                  f.pointsA,
                  "ERC20InsufficientBalance",
                );
                continue;
              }
              await f.exchange.connect(m).convert(1, a);
              const [afterA, afterB] = [await f.pointsA.balanceOf(m.address), await f.pointsB.balanceOf(m.address)];
              expect(beforeA - afterA).to.equal(a);
              expect((afterB - beforeB) * BigInt(rateA)).to.equal(a * BigInt(rateB));
              burned += a;
              credited += afterB - beforeB;
            }
            // Converting back at the inverse rate could never yield more A than was burned: B * rateA == A * rateB.
            expect(credited * BigInt(rateA)).to.equal(burned * BigInt(rateB));
            expect(supplyA - (await f.pointsA.totalSupply())).to.equal(burned);
            expect(await f.pointsB.totalSupply()).to.equal(credited);
          },
        ),
        { numRuns: 25 },
      );
    });
  });
});
