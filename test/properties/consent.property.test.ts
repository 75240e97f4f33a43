import { expect } from "chai";
import { ethers } from "hardhat";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  consentCommitment,
  consentDomain,
  randomSalt,
  signConsent,
  type LinkMessage,
  type PurposesChangeMessage,
} from "../helpers/consentSignatures";

const ALL = 15n;
const GUARDIAN_PURPOSES = 12n;
const PURPOSE_BITS = [1n, 2n, 4n, 8n];

/** One step a member, relayer, guardian or brand might take; the purposes range reaches past the known bits. */
type Step =
  | { kind: "link"; purposes: bigint; minor: boolean; withGuardian: boolean }
  | { kind: "change"; purposes: bigint; bySignature: boolean; withGuardian: boolean }
  | { kind: "revokeAll" }
  | { kind: "unlink"; by: "member" | "signature" | "brand" }
  | { kind: "guardianWithdraw"; purposes: bigint; byCall: boolean }
  | { kind: "changeGuardian" }
  | { kind: "comeOfAge" };

const purposesArb = fc.bigInt({ min: 0n, max: 31n });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("link" as const), purposes: purposesArb, minor: fc.boolean(), withGuardian: fc.boolean() }),
  fc.record({
    kind: fc.constant("change" as const),
    purposes: purposesArb,
    bySignature: fc.boolean(),
    withGuardian: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("revokeAll" as const) }),
  fc.record({
    kind: fc.constant("unlink" as const),
    by: fc.constantFrom("member", "signature", "brand") as fc.Arbitrary<"member" | "signature" | "brand">,
  }),
  fc.record({ kind: fc.constant("guardianWithdraw" as const), purposes: fc.bigInt({ min: 0n, max: 15n }), byCall: fc.boolean() }),
  fc.record({ kind: fc.constant("changeGuardian" as const) }),
  fc.record({ kind: fc.constant("comeOfAge" as const) }),
);

/** What the registry should hold for the member, and which error (if any) a step should raise. */
interface Model {
  linked: boolean;
  purposes: bigint;
  minor: boolean;
  nonce: bigint;
  /** Which of the two guardian keys is the minor's guardian now. */
  guardian: 0 | 1;
}

function expectedError(model: Model, step: Step): string | undefined {
  switch (step.kind) {
    case "link":
      if (model.linked) return "ConsentAlreadyLinked";
      if ((step.purposes & ~ALL) !== 0n) return "ConsentUnknownPurposes";
      if (step.minor && (step.purposes & GUARDIAN_PURPOSES) !== 0n && !step.withGuardian) {
        return "ConsentGuardianRequired";
      }
      return undefined;
    case "change":
      if (!model.linked) return "ConsentNotLinked";
      if ((step.purposes & ~ALL) !== 0n) return "ConsentUnknownPurposes";
      if (model.minor && (step.purposes & ~model.purposes & GUARDIAN_PURPOSES) !== 0n && !step.withGuardian) {
        return "ConsentGuardianRequired";
      }
      return undefined;
    case "revokeAll":
    case "unlink":
      return model.linked ? undefined : "ConsentNotLinked";
    case "guardianWithdraw":
      if (!model.linked) return "ConsentNotLinked";
      if (!model.minor) return "ConsentNotMinor";
      if (step.purposes === 0n || (step.purposes & ~GUARDIAN_PURPOSES) !== 0n) return "ConsentNotGuardianPurposes";
      return undefined;
    case "changeGuardian":
    case "comeOfAge":
      if (!model.linked) return "ConsentNotLinked";
      return model.minor ? undefined : "ConsentNotMinor";
  }
}

function applyStep(model: Model, step: Step): Model {
  switch (step.kind) {
    case "link":
      return { linked: true, purposes: step.purposes, minor: step.minor, nonce: model.nonce + 1n, guardian: 0 };
    case "change":
      return { ...model, purposes: step.purposes, nonce: model.nonce + 1n };
    case "revokeAll":
      return { ...model, purposes: 0n, nonce: model.nonce + 1n };
    case "unlink":
      return { linked: false, purposes: 0n, minor: false, nonce: model.nonce + 1n, guardian: 0 };
    case "guardianWithdraw":
      // Only ever removes: a guardian cannot grant anything the member did not sign.
      return { ...model, purposes: model.purposes & ~step.purposes, nonce: model.nonce + 1n };
    case "changeGuardian":
      // The old guardian's approvals stop counting.
      return {
        ...model,
        purposes: model.purposes & ~GUARDIAN_PURPOSES,
        nonce: model.nonce + 1n,
        guardian: model.guardian === 0 ? 1 : 0,
      };
    case "comeOfAge":
      return { ...model, minor: false, nonce: model.nonce + 1n };
  }
}

describe("ConsentRegistry properties", function () {
  async function deployFixture() {
    const [admin, brand, relayer, member, guardian, guardian2] = (await ethers.getSigners()) as HardhatEthersSigner[];
    const registry = await ethers.deployContract("ConsentRegistry", [admin!.address, 86_400]);
    await registry.connect(admin!).grantRole(await registry.BRAND_ROLE(), brand!.address);
    const { chainId } = await ethers.provider.getNetwork();
    const domain = consentDomain(await registry.getAddress(), chainId);
    return {
      registry,
      domain,
      brand: brand!,
      relayer: relayer!,
      member: member!,
      guardians: [guardian!, guardian2!] as const,
    };
  }

  it("follows a model of the member's consent through any sequence of grants, changes, revokes, unlinks and guardian acts", async function () {
    this.timeout(300_000);
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 10 }), async (steps) => {
        const { registry, domain, brand, relayer, member, guardians } = await loadFixture(deployFixture);
        let model: Model = { linked: false, purposes: 0n, minor: false, nonce: 0n, guardian: 0 };

        for (const step of steps) {
          const guardian = guardians[model.guardian];
          const deadline = BigInt(await time.latest()) + 3_600n;
          const nonce = await registry.nonces(member.address);
          let tx: Promise<unknown>;
          if (step.kind === "link") {
            const commitment = consentCommitment(randomSalt(), "cust-0042");
            const request: LinkMessage = { wallet: member.address, commitment, purposes: step.purposes, nonce, deadline };
            const guardianAddress = step.minor ? guardian.address : ethers.ZeroAddress;
            const attestation = {
              wallet: member.address,
              commitment,
              minor: step.minor,
              guardian: guardianAddress,
              attester: brand.address,
              deadline,
            };
            const guardianSignature = step.withGuardian
              ? await signConsent(guardian, domain, "GuardianApproval", {
                  wallet: member.address,
                  guardian: guardianAddress,
                  purposes: step.purposes,
                  nonce,
                  deadline,
                })
              : "0x";
            tx = registry
              .connect(relayer)
              .link(
                request,
                await signConsent(member, domain, "Link", request),
                attestation,
                await signConsent(brand, domain, "Attestation", attestation),
                guardianSignature,
              );
          } else if (step.kind === "change") {
            const change: PurposesChangeMessage = { wallet: member.address, purposes: step.purposes, nonce, deadline };
            const guardianSignature = step.withGuardian
              ? await signConsent(guardian, domain, "GuardianApproval", { ...change, guardian: guardian.address })
              : "0x";
            tx = step.bySignature
              ? registry
                  .connect(relayer)
                  .changePurposes(change, await signConsent(member, domain, "PurposesChange", change), guardianSignature)
              : registry.connect(member).changePurposes(change, "0x", guardianSignature);
          } else if (step.kind === "revokeAll") {
            tx = registry.connect(member).revokeAll();
          } else if (step.kind === "unlink" && step.by === "member") {
            tx = registry.connect(member).unlink();
          } else if (step.kind === "unlink" && step.by === "signature") {
            const request = { wallet: member.address, nonce, deadline };
            tx = registry.connect(relayer).unlinkBySig(request, await signConsent(member, domain, "Unlink", request));
          } else if (step.kind === "unlink") {
            tx = registry.connect(brand).brandUnlink(member.address);
          } else if (step.kind === "guardianWithdraw") {
            const withdrawal = {
              wallet: member.address,
              guardian: guardian.address,
              purposes: step.purposes,
              nonce: await registry.guardianNonces(guardian.address, member.address),
              deadline,
            };
            tx = step.byCall
              ? registry.connect(guardian).guardianWithdraw(withdrawal, "0x")
              : registry
                  .connect(brand)
                  .guardianWithdraw(withdrawal, await signConsent(guardian, domain, "GuardianWithdrawal", withdrawal));
          } else if (step.kind === "changeGuardian") {
            const next = guardians[model.guardian === 0 ? 1 : 0];
            const change = { wallet: member.address, oldGuardian: guardian.address, newGuardian: next.address, nonce, deadline };
            tx = registry
              .connect(brand)
              .changeGuardian(
                change,
                await signConsent(member, domain, "GuardianChange", change),
                await signConsent(next, domain, "GuardianChange", change),
              );
          } else {
            const request = { wallet: member.address, nonce, deadline };
            tx = registry.connect(brand).comeOfAge(request, await signConsent(member, domain, "ComingOfAge", request));
          }

          const error = expectedError(model, step);
          if (error) {
            await expect(tx).to.be.revertedWithCustomError(registry, error);
          } else {
            await expect(tx).to.not.be.reverted;
            model = applyStep(model, step);
          }

          expect(await registry.isLinked(member.address)).to.equal(model.linked);
          expect(await registry.nonces(member.address)).to.equal(model.nonce);
          if (model.linked) {
            const link = await registry.linkOf(member.address);
            expect(link.minor).to.equal(model.minor);
            expect(link.guardian).to.equal(model.minor ? guardians[model.guardian].address : ethers.ZeroAddress);
          }
          for (const bit of PURPOSE_BITS) {
            expect(await registry.hasConsent(member.address, bit)).to.equal((model.purposes & bit) !== 0n);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it("hasConsent answers for exactly the four single purpose bits and rejects every other mask", async function () {
    const { registry, member } = await loadFixture(deployFixture);
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), async (purpose) => {
        const call = registry.hasConsent(member.address, purpose);
        if (PURPOSE_BITS.includes(purpose)) expect(await call).to.equal(false);
        else await expect(call).to.be.revertedWithCustomError(registry, "ConsentInvalidPurpose").withArgs(purpose);
      }),
      { numRuns: 200, examples: [[0n], [1n], [3n], [8n], [16n], [2n ** 255n]] },
    );
  });
});
