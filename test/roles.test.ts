import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import { NOTICE_PERIOD, Policy, Scope, deployTokensWithSeries } from "./fixtures/tokens";
import { deployMarketFixture } from "./fixtures/market";
import { deployRewards, journey, perk } from "./fixtures/rewards";
import { consentCommitment, consentDomain, randomSalt, signConsent } from "./helpers/consentSignatures";

type Fixture = Awaited<ReturnType<typeof deployTokensWithSeries>>;
type Role = "admin" | "minter" | "pauser";
type Actor = Role | "stranger";

interface Privileged {
  name: string;
  role: Role;
  /** Puts the program in a state where the call succeeds for the right role (e.g. paused before unpause). */
  setUp?: (f: Fixture) => Promise<unknown>;
  call: (f: Fixture, as: Fixture["admin"]) => Promise<ContractTransactionResponse>;
}

const receiptId = ethers.id("receipt-1");

/** Every privileged function of Stamps and Points, with the only role allowed to call it. */
const privileged: Privileged[] = [
  { name: "Stamps.createSeries", role: "admin", call: (f, as) => f.stamps.connect(as).createSeries("S", 1, false, "", "") },
  { name: "Stamps.mint", role: "minter", call: (f, as) => f.stamps.connect(as).mint(f.members[0]!.address, 1n) },
  {
    name: "Stamps.mintBatch",
    role: "minter",
    call: (f, as) => f.stamps.connect(as).mintBatch([f.members[0]!.address], 1n),
  },
  { name: "Stamps.setRoyalty", role: "admin", call: (f, as) => f.stamps.connect(as).setRoyalty(f.treasury.address, 1) },
  {
    name: "Stamps.setTransferPolicy",
    role: "admin",
    call: (f, as) => f.stamps.connect(as).setTransferPolicy(Policy.MarketOnly),
  },
  { name: "Stamps.setGiftsAllowed", role: "admin", call: (f, as) => f.stamps.connect(as).setGiftsAllowed(true) },
  {
    name: "Stamps.setOperator",
    role: "admin",
    call: (f, as) => f.stamps.connect(as).setOperator(f.members[0]!.address, true),
  },
  { name: "Stamps.setContractURI", role: "admin", call: (f, as) => f.stamps.connect(as).setContractURI("x") },
  {
    name: "Stamps.announceEnd",
    role: "admin",
    call: async (f, as) => f.stamps.connect(as).announceEnd(BigInt(await time.latest()) + BigInt(NOTICE_PERIOD) * 2n),
  },
  {
    name: "Stamps.cancelEnd",
    role: "admin",
    setUp: async (f) => f.stamps.connect(f.admin).announceEnd(BigInt(await time.latest()) + BigInt(NOTICE_PERIOD) * 2n),
    call: (f, as) => f.stamps.connect(as).cancelEnd(),
  },
  { name: "Stamps.countHolders", role: "admin", call: (f, as) => f.stamps.connect(as).countHolders(1n) },
  { name: "Stamps.pause", role: "pauser", call: (f, as) => f.stamps.connect(as).pause(Scope.All) },
  {
    name: "Stamps.unpause",
    role: "pauser",
    setUp: (f) => f.stamps.connect(f.pauser).pause(Scope.All),
    call: (f, as) => f.stamps.connect(as).unpause(),
  },
  {
    name: "Points.reward",
    role: "minter",
    call: (f, as) => f.points.connect(as).reward(f.members[0]!.address, 1, ethers.ZeroHash),
  },
  {
    name: "Points.rewardBatch",
    role: "minter",
    call: (f, as) => f.points.connect(as).rewardBatch([f.members[0]!.address], [1], ethers.ZeroHash),
  },
  {
    name: "Points.credit",
    role: "minter",
    call: (f, as) => f.points.connect(as).credit(f.members[0]!.address, 1, receiptId),
  },
  {
    name: "Points.reversePurchase",
    role: "minter",
    setUp: (f) => f.points.connect(f.minter).credit(f.members[0]!.address, 1, receiptId),
    call: (f, as) => f.points.connect(as).reversePurchase(receiptId),
  },
  { name: "Points.setTransferable", role: "admin", call: (f, as) => f.points.connect(as).setTransferable(false) },
  {
    name: "Points.setOperator",
    role: "admin",
    call: (f, as) => f.points.connect(as).setOperator(f.members[0]!.address, true),
  },
];

const actors: Actor[] = ["admin", "minter", "pauser", "stranger"];

async function roleId(f: Fixture, name: string, role: Role): Promise<string> {
  const token = name.startsWith("Stamps") ? f.stamps : f.points;
  if (role === "admin") return token.DEFAULT_ADMIN_ROLE();
  // The program's one pause is kept by Stamps: Points and the Market have no pauser of their own.
  return role === "minter" ? token.MINTER_ROLE() : f.stamps.PAUSER_ROLE();
}

describe("role matrix: every privileged function called by every role", () => {
  for (const fn of privileged) {
    for (const actor of actors) {
      const allowed = actor === fn.role;
      it(`${fn.name} by ${actor} ${allowed ? "succeeds" : "is refused"}`, async () => {
        const f = await loadFixture(deployTokensWithSeries);
        await fn.setUp?.(f);
        const signer = f[actor];
        if (allowed) {
          await expect(fn.call(f, signer)).not.to.be.reverted;
        } else {
          const token = fn.name.startsWith("Stamps") ? f.stamps : f.points;
          await expect(fn.call(f, signer))
            .to.be.revertedWithCustomError(token, "AccessControlUnauthorizedAccount")
            .withArgs(signer.address, await roleId(f, fn.name, fn.role));
        }
      });
    }
  }
});

type MarketFixture = Awaited<ReturnType<typeof deployMarketFixture>>;
type MarketRole = "admin";

interface MarketPrivileged {
  name: string;
  role: MarketRole;
  setUp?: (f: MarketFixture) => Promise<unknown>;
  call: (f: MarketFixture, as: MarketFixture["admin"]) => Promise<ContractTransactionResponse>;
}

/** Every privileged function of the Market, with the only role allowed to call it. */
const marketPrivileged: MarketPrivileged[] = [
  { name: "Market.setFee", role: "admin", call: (f, as) => f.market.connect(as).setFee(f.feeRecipient.address, 100n) },
  {
    name: "Market.setCurrencyAllowed",
    role: "admin",
    call: async (f, as) => f.market.connect(as).setCurrencyAllowed(await f.usd.getAddress(), false),
  },
  { name: "Market.setSwapFee", role: "admin", call: (f, as) => f.market.connect(as).setSwapFee(10n) },
  {
    name: "Market.setPriceBounds",
    role: "admin",
    call: (f, as) => f.market.connect(as).setPriceBounds(f.series.coffeeClub, ethers.ZeroAddress, 1n, 0n),
  },
  {
    name: "Market.setMinRoyalty",
    role: "admin",
    call: async (f, as) => f.market.connect(as).setMinRoyalty(await f.points.getAddress(), 1n),
  },
  {
    name: "Market.sweep",
    role: "admin",
    // Coin forced in by a self-destruct, so there is something to sweep.
    setUp: async (f) => ethers.deployContract("MockForceSender", [await f.market.getAddress()], { value: 1n }),
    call: (f, as) => f.market.connect(as).sweep(f.treasury.address),
  },
];

describe("role matrix: every privileged Market function called by every role", () => {
  const marketActors = ["admin", "minter", "pauser", "member"] as const;
  for (const fn of marketPrivileged) {
    for (const actor of marketActors) {
      const allowed = actor === fn.role;
      it(`${fn.name} by ${actor} ${allowed ? "succeeds" : "is refused"}`, async () => {
        const f = await loadFixture(deployMarketFixture);
        await fn.setUp?.(f);
        const signer = { admin: f.admin, minter: f.minter, pauser: f.pauser, member: f.alice }[actor];
        if (allowed) {
          await expect(fn.call(f, signer)).not.to.be.reverted;
        } else {
          const role = await f.market.DEFAULT_ADMIN_ROLE();
          await expect(fn.call(f, signer))
            .to.be.revertedWithCustomError(f.market, "AccessControlUnauthorizedAccount")
            .withArgs(signer.address, role);
        }
      });
    }
  }
});

type RewardsFixture = Awaited<ReturnType<typeof deployRewards>>;
type RewardsRole = "admin" | "issuer";

/** Every privileged function of Rewards, with the only role allowed to call it (the minter holds the issuer role). */
const rewardsPrivileged: Array<{
  name: string;
  role: RewardsRole;
  call: (f: RewardsFixture, as: RewardsFixture["admin"]) => Promise<ContractTransactionResponse>;
}> = [
  {
    name: "Rewards.setJourney",
    role: "admin",
    call: (f, as) => f.rewards.connect(as).setJourney(ethers.id("j"), journey({ maxPoints: 1n })),
  },
  { name: "Rewards.setTiers", role: "admin", call: (f, as) => f.rewards.connect(as).setTiers([1n]) },
  { name: "Rewards.setPerk", role: "admin", call: (f, as) => f.rewards.connect(as).setPerk(ethers.id("p"), perk({})) },
  { name: "Rewards.cancelVoucher", role: "issuer", call: (f, as) => f.rewards.connect(as).cancelVoucher(ethers.id("v")) },
];

describe("role matrix: every privileged Rewards function called by every role", () => {
  const rewardsActors = ["admin", "issuer", "pauser", "stranger"] as const;
  for (const fn of rewardsPrivileged) {
    for (const actor of rewardsActors) {
      const allowed = actor === fn.role;
      it(`${fn.name} by ${actor} ${allowed ? "succeeds" : "is refused"}`, async () => {
        const f = await loadFixture(deployRewards);
        const signer = { admin: f.admin, issuer: f.minter, pauser: f.pauser, stranger: f.stranger }[actor];
        if (allowed) {
          await expect(fn.call(f, signer)).not.to.be.reverted;
        } else {
          const role = fn.role === "admin" ? await f.rewards.DEFAULT_ADMIN_ROLE() : await f.rewards.ISSUER_ROLE();
          await expect(fn.call(f, signer))
            .to.be.revertedWithCustomError(f.rewards, "AccessControlUnauthorizedAccount")
            .withArgs(signer.address, role);
        }
      });
    }
  }
});

/**
 * The consent registry's brand-only functions, each called by every party to a minor's link: the brand, the
 * admin, the member, the guardian, the guardian's would-be successor and a stranger. Every other party brings
 * signatures (the member's, the guardian's), which test/ConsentRegistry.test.ts checks path by path.
 */
async function deployMinorLinkFixture() {
  const [admin, brand, member, guardian, successor, stranger] = await ethers.getSigners();
  const registry = await ethers.deployContract("ConsentRegistry", [admin!.address, 86_400]);
  const BRAND_ROLE = await registry.BRAND_ROLE();
  await registry.connect(admin!).grantRole(BRAND_ROLE, brand!.address);
  const { chainId } = await ethers.provider.getNetwork();
  const domain = consentDomain(await registry.getAddress(), chainId);
  const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3_600n;
  const wallet = member!.address;
  const commitment = consentCommitment(randomSalt(), "cust-minor");
  const request = { wallet, commitment, purposes: 5n, nonce: 0n, deadline };
  const attestation = { wallet, commitment, minor: true, guardian: guardian!.address, attester: brand!.address, deadline };
  const approval = { wallet, guardian: guardian!.address, purposes: 5n, nonce: 0n, deadline };
  await registry
    .connect(brand!)
    .link(
      request,
      await signConsent(member!, domain, "Link", request),
      attestation,
      "0x",
      await signConsent(guardian!, domain, "GuardianApproval", approval),
    );
  const change = { wallet, oldGuardian: guardian!.address, newGuardian: successor!.address, nonce: 1n, deadline };
  const coming = { wallet, nonce: 1n, deadline };
  const signed = {
    change,
    changeByMember: await signConsent(member!, domain, "GuardianChange", change),
    changeBySuccessor: await signConsent(successor!, domain, "GuardianChange", change),
    coming,
    comingByMember: await signConsent(member!, domain, "ComingOfAge", coming),
  };
  const parties = {
    brand: brand!,
    admin: admin!,
    member: member!,
    guardian: guardian!,
    successor: successor!,
    stranger: stranger!,
  };
  return { registry, BRAND_ROLE, parties, signed };
}

type MinorLinkFixture = Awaited<ReturnType<typeof deployMinorLinkFixture>>;

const consentBrandOnly: Array<{
  name: string;
  call: (f: MinorLinkFixture, as: MinorLinkFixture["parties"]["brand"]) => Promise<ContractTransactionResponse>;
}> = [
  {
    name: "ConsentRegistry.changeGuardian",
    call: (f, as) => f.registry.connect(as).changeGuardian(f.signed.change, f.signed.changeByMember, f.signed.changeBySuccessor),
  },
  {
    name: "ConsentRegistry.comeOfAge",
    call: (f, as) => f.registry.connect(as).comeOfAge(f.signed.coming, f.signed.comingByMember),
  },
  { name: "ConsentRegistry.brandUnlink", call: (f, as) => f.registry.connect(as).brandUnlink(f.parties.member.address) },
];

describe("role matrix: the consent registry's brand-only functions called by every party to a minor's link", () => {
  const parties = ["brand", "admin", "member", "guardian", "successor", "stranger"] as const;
  for (const fn of consentBrandOnly) {
    for (const party of parties) {
      const allowed = party === "brand";
      it(`${fn.name} by ${party} ${allowed ? "succeeds" : "is refused"}`, async () => {
        const f = await loadFixture(deployMinorLinkFixture);
        const signer = f.parties[party];
        if (allowed) {
          await expect(fn.call(f, signer)).not.to.be.reverted;
        } else {
          await expect(fn.call(f, signer))
            .to.be.revertedWithCustomError(f.registry, "AccessControlUnauthorizedAccount")
            .withArgs(signer.address, f.BRAND_ROLE);
        }
      });
    }
  }
});
