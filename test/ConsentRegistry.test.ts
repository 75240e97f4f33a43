import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { TypedDataDomain } from "ethers";
import type { ConsentRegistry, ConsentTestWallet } from "../typechain-types";
import {
  CONSENT_DOMAIN_NAME,
  CONSENT_DOMAIN_VERSION,
  consentCommitment,
  consentDigest,
  consentDomain,
  consentTypeHash,
  malleableSignature,
  randomSalt,
  signConsent,
  type AttestationMessage,
  type ComingOfAgeMessage,
  type GuardianChangeMessage,
  type GuardianWithdrawalMessage,
  type LinkMessage,
  type PurposesChangeMessage,
  type UnlinkMessage,
} from "./helpers/consentSignatures";

const REWARDS = 1n;
const ANALYTICS = 2n;
const MARKETING = 4n;
const PARTNER_SHARING = 8n;
const ALL = 15n;
const HOUR = 3_600n;
const ZERO = ethers.ZeroAddress;

/** ecrecover through the precompile at 0x01, which (unlike OZ ECDSA) accepts high-s signatures. */
async function rawEcrecover(digest: string, signature: string): Promise<string> {
  const bytes = ethers.getBytes(signature);
  const r = ethers.hexlify(bytes.slice(0, 32));
  const s = ethers.hexlify(bytes.slice(32, 64));
  const v = ethers.toBeHex(bytes[64]!, 32);
  const output = await ethers.provider.call({
    to: "0x0000000000000000000000000000000000000001",
    data: ethers.concat([digest, v, r, s]),
  });
  return ethers.getAddress(ethers.dataSlice(output, 12));
}

describe("ConsentRegistry", function () {
  async function deployFixture() {
    const [admin, brand, relayer, member, other, guardian, stranger, walletOwner] = await ethers.getSigners();
    const registry = await ethers.deployContract("ConsentRegistry", [admin!.address, 86_400]);
    await registry.waitForDeployment();
    const BRAND_ROLE = await registry.BRAND_ROLE();
    await registry.connect(admin!).grantRole(BRAND_ROLE, brand!.address);
    const contractWallet = await ethers.deployContract("ConsentTestWallet", [walletOwner!.address]);
    await contractWallet.waitForDeployment();
    const { chainId } = await ethers.provider.getNetwork();
    const domain = consentDomain(await registry.getAddress(), chainId);
    return {
      registry,
      contractWallet,
      domain,
      chainId,
      BRAND_ROLE,
      admin: admin!,
      brand: brand!,
      relayer: relayer!,
      member: member!,
      other: other!,
      guardian: guardian!,
      stranger: stranger!,
      walletOwner: walletOwner!,
    };
  }

  type Fixture = Awaited<ReturnType<typeof deployFixture>>;

  async function deadlineIn(seconds: bigint): Promise<bigint> {
    return BigInt(await time.latest()) + seconds;
  }

  interface LinkOptions {
    /** The wallet to link; defaults to `member`. */
    wallet?: string;
    /** Who signs the member's Link; defaults to `member`. */
    memberSigner?: HardhatEthersSigner;
    purposes?: bigint;
    minor?: boolean;
    guardian?: string;
    /** Who signs the attestation (and is named as attester); defaults to `brand`. */
    attester?: HardhatEthersSigner;
    commitment?: string;
    nonce?: bigint;
    deadline?: bigint;
    attestationDeadline?: bigint;
    /** Signs the guardian approval with this key, over the link's wallet/purposes/nonce/deadline. */
    guardianSigner?: HardhatEthersSigner;
    /** Domain the member signs with; defaults to the registry's. */
    memberDomain?: TypedDataDomain;
  }

  interface PreparedLink {
    request: LinkMessage;
    memberSignature: string;
    attestation: AttestationMessage;
    attesterSignature: string;
    guardianSignature: string;
    salt: string;
  }

  /** Builds a fully signed link for `member` (or `options.wallet`), ready for any submitter. */
  async function prepareLink(fx: Fixture, options: LinkOptions = {}): Promise<PreparedLink> {
    const memberSigner = options.memberSigner ?? fx.member;
    const wallet = options.wallet ?? fx.member.address;
    const attester = options.attester ?? fx.brand;
    const salt = randomSalt();
    const commitment = options.commitment ?? consentCommitment(salt, `cust-${wallet.slice(2, 8)}`);
    const deadline = options.deadline ?? (await deadlineIn(HOUR));
    const minor = options.minor ?? false;
    const guardian = options.guardian ?? (minor ? fx.guardian.address : ZERO);
    const request: LinkMessage = {
      wallet,
      commitment,
      purposes: options.purposes ?? REWARDS | ANALYTICS,
      nonce: options.nonce ?? (await fx.registry.nonces(wallet)),
      deadline,
    };
    const attestation: AttestationMessage = {
      wallet,
      commitment,
      minor,
      guardian,
      attester: attester.address,
      deadline: options.attestationDeadline ?? deadline,
    };
    const memberSignature = await signConsent(memberSigner, options.memberDomain ?? fx.domain, "Link", request);
    const attesterSignature = await signConsent(attester, fx.domain, "Attestation", attestation);
    const guardianSignature = options.guardianSigner
      ? await signConsent(options.guardianSigner, fx.domain, "GuardianApproval", {
          wallet,
          guardian,
          purposes: request.purposes,
          nonce: request.nonce,
          deadline: request.deadline,
        })
      : "0x";
    return { request, memberSignature, attestation, attesterSignature, guardianSignature, salt };
  }

  function submitLink(
    fx: Fixture,
    prepared: PreparedLink,
    submitter: HardhatEthersSigner,
    overrides: Partial<Pick<PreparedLink, "memberSignature" | "attesterSignature" | "guardianSignature">> = {},
  ) {
    const p = { ...prepared, ...overrides };
    return fx.registry
      .connect(submitter)
      .link(p.request, p.memberSignature, p.attestation, p.attesterSignature, p.guardianSignature);
  }

  /** Deploys and links `member` (adult, REWARDS | ANALYTICS unless said otherwise), relayed. */
  async function linkedFixture() {
    const fx = await deployFixture();
    const prepared = await prepareLink(fx);
    await submitLink(fx, prepared, fx.relayer);
    return { ...fx, prepared };
  }

  /** Deploys and links `member` as a minor with `guardian`, granted REWARDS only. */
  async function minorFixture() {
    const fx = await deployFixture();
    const prepared = await prepareLink(fx, { minor: true, purposes: REWARDS });
    await submitLink(fx, prepared, fx.relayer);
    return { ...fx, prepared };
  }

  async function signChange(
    fx: Fixture,
    purposes: bigint,
    options: {
      signer?: HardhatEthersSigner;
      wallet?: string;
      nonce?: bigint;
      deadline?: bigint;
      domain?: TypedDataDomain;
    } = {},
  ): Promise<{ change: PurposesChangeMessage; signature: string }> {
    const wallet = options.wallet ?? fx.member.address;
    const change: PurposesChangeMessage = {
      wallet,
      purposes,
      nonce: options.nonce ?? (await fx.registry.nonces(wallet)),
      deadline: options.deadline ?? (await deadlineIn(HOUR)),
    };
    const signature = await signConsent(options.signer ?? fx.member, options.domain ?? fx.domain, "PurposesChange", change);
    return { change, signature };
  }

  async function signGuardian(
    fx: Fixture,
    change: PurposesChangeMessage,
    signer: HardhatEthersSigner = fx.guardian,
    guardian: string = fx.guardian.address,
  ): Promise<string> {
    return signConsent(signer, fx.domain, "GuardianApproval", {
      wallet: change.wallet,
      guardian,
      purposes: change.purposes,
      nonce: change.nonce,
      deadline: change.deadline,
    });
  }

  async function signUnlink(
    fx: Fixture,
    options: { signer?: HardhatEthersSigner; wallet?: string; nonce?: bigint; deadline?: bigint } = {},
  ): Promise<{ request: UnlinkMessage; signature: string }> {
    const wallet = options.wallet ?? fx.member.address;
    const request: UnlinkMessage = {
      wallet,
      nonce: options.nonce ?? (await fx.registry.nonces(wallet)),
      deadline: options.deadline ?? (await deadlineIn(HOUR)),
    };
    const signature = await signConsent(options.signer ?? fx.member, fx.domain, "Unlink", request);
    return { request, signature };
  }

  describe("deployment", function () {
    it("uses the Punchcard Consent v1 domain of this chain and contract", async function () {
      const { registry, chainId, domain } = await loadFixture(deployFixture);
      const d = await registry.eip712Domain();
      expect(d.name).to.equal(CONSENT_DOMAIN_NAME);
      expect(d.version).to.equal(CONSENT_DOMAIN_VERSION);
      expect(d.chainId).to.equal(chainId);
      expect(d.verifyingContract).to.equal(await registry.getAddress());
      expect(await registry.DOMAIN_SEPARATOR()).to.equal(ethers.TypedDataEncoder.hashDomain(domain));
    });

    it("has TYPEHASHes equal to the test helpers' field lists", async function () {
      const { registry } = await loadFixture(deployFixture);
      expect(await registry.LINK_TYPEHASH()).to.equal(consentTypeHash("Link"));
      expect(await registry.ATTESTATION_TYPEHASH()).to.equal(consentTypeHash("Attestation"));
      expect(await registry.PURPOSES_CHANGE_TYPEHASH()).to.equal(consentTypeHash("PurposesChange"));
      expect(await registry.GUARDIAN_APPROVAL_TYPEHASH()).to.equal(consentTypeHash("GuardianApproval"));
      expect(await registry.UNLINK_TYPEHASH()).to.equal(consentTypeHash("Unlink"));
      expect(await registry.GUARDIAN_WITHDRAWAL_TYPEHASH()).to.equal(consentTypeHash("GuardianWithdrawal"));
      expect(await registry.GUARDIAN_CHANGE_TYPEHASH()).to.equal(consentTypeHash("GuardianChange"));
      expect(await registry.COMING_OF_AGE_TYPEHASH()).to.equal(consentTypeHash("ComingOfAge"));
    });

    it("exposes the purpose bits and roles", async function () {
      const { registry, admin, brand, BRAND_ROLE } = await loadFixture(deployFixture);
      expect(await registry.REWARDS()).to.equal(REWARDS);
      expect(await registry.ANALYTICS()).to.equal(ANALYTICS);
      expect(await registry.MARKETING()).to.equal(MARKETING);
      expect(await registry.PARTNER_SHARING()).to.equal(PARTNER_SHARING);
      expect(await registry.ALL_PURPOSES()).to.equal(ALL);
      expect(await registry.GUARDIAN_PURPOSES()).to.equal(MARKETING | PARTNER_SHARING);
      expect(BRAND_ROLE).to.equal(ethers.id("BRAND_ROLE"));
      expect(await registry.hasRole(await registry.DEFAULT_ADMIN_ROLE(), admin.address)).to.equal(true);
      expect(await registry.hasRole(BRAND_ROLE, brand.address)).to.equal(true);
      expect(await registry.defaultAdminDelay()).to.equal(86_400n);
    });
  });

  describe("link", function () {
    it("links on the member's and the brand's signatures, submitted by a relayer", async function () {
      const fx = await loadFixture(deployFixture);
      const { registry, member, relayer, brand } = fx;
      const prepared = await prepareLink(fx, { purposes: REWARDS | MARKETING });
      const tx = submitLink(fx, prepared, relayer);
      await expect(tx)
        .to.emit(registry, "ConsentLinked")
        .withArgs(member.address, prepared.request.commitment, false, ZERO, brand.address);
      await expect(tx)
        .to.emit(registry, "ConsentPurposesChanged")
        .withArgs(member.address, 0n, REWARDS | MARKETING);

      const link = await registry.linkOf(member.address);
      expect(link.commitment).to.equal(prepared.request.commitment);
      expect(link.purposes).to.equal(REWARDS | MARKETING);
      expect(link.minor).to.equal(false);
      expect(link.guardian).to.equal(ZERO);
      expect(link.linkedAt).to.equal(BigInt(await time.latest()));
      expect(await registry.isLinked(member.address)).to.equal(true);
      expect(await registry.isCommitmentUsed(prepared.request.commitment)).to.equal(true);
      expect(await registry.nonces(member.address)).to.equal(1n);
      expect(await registry.hasConsent(member.address, REWARDS)).to.equal(true);
      expect(await registry.hasConsent(member.address, MARKETING)).to.equal(true);
      expect(await registry.hasConsent(member.address, ANALYTICS)).to.equal(false);
      expect(await registry.hasConsent(member.address, PARTNER_SHARING)).to.equal(false);
    });

    it("links with no purposes (link now, grant later)", async function () {
      const fx = await loadFixture(deployFixture);
      const prepared = await prepareLink(fx, { purposes: 0n });
      await expect(submitLink(fx, prepared, fx.relayer))
        .to.emit(fx.registry, "ConsentPurposesChanged")
        .withArgs(fx.member.address, 0n, 0n);
      expect((await fx.registry.linkOf(fx.member.address)).purposes).to.equal(0n);
    });

    describe("who may submit (role matrix)", function () {
      const submitters = ["member", "brand", "relayer", "guardian", "stranger"] as const;

      for (const who of submitters) {
        it(`${who}: succeeds with both signatures`, async function () {
          const fx = await loadFixture(deployFixture);
          const prepared = await prepareLink(fx);
          await expect(submitLink(fx, prepared, fx[who])).to.emit(fx.registry, "ConsentLinked");
        });

        it(`${who}: without the member's signature ${who === "member" ? "succeeds" : "reverts"}`, async function () {
          const fx = await loadFixture(deployFixture);
          const prepared = await prepareLink(fx);
          const tx = submitLink(fx, prepared, fx[who], { memberSignature: "0x" });
          if (who === "member") await expect(tx).to.emit(fx.registry, "ConsentLinked");
          else
            await expect(tx)
              .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
              .withArgs(fx.member.address);
        });

        it(`${who}: without the attester's signature ${who === "brand" ? "succeeds" : "reverts"}`, async function () {
          const fx = await loadFixture(deployFixture);
          const prepared = await prepareLink(fx);
          const tx = submitLink(fx, prepared, fx[who], { attesterSignature: "0x" });
          if (who === "brand") await expect(tx).to.emit(fx.registry, "ConsentLinked");
          else
            await expect(tx)
              .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidAttesterSignature")
              .withArgs(fx.brand.address);
        });
      }
    });

    it("reverts when a third party signs the member's Link with its own key", async function () {
      const fx = await loadFixture(deployFixture);
      const prepared = await prepareLink(fx, { memberSigner: fx.stranger, purposes: ALL });
      await expect(submitLink(fx, prepared, fx.stranger))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
        .withArgs(fx.member.address);
      expect(await fx.registry.isLinked(fx.member.address)).to.equal(false);
    });

    it("reverts on a member signature for another chain id", async function () {
      const fx = await loadFixture(deployFixture);
      const wrongChain = consentDomain(await fx.registry.getAddress(), fx.chainId + 1n);
      const prepared = await prepareLink(fx, { memberDomain: wrongChain });
      await expect(submitLink(fx, prepared, fx.relayer))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
        .withArgs(fx.member.address);
    });

    it("reverts on a member signature for another registry", async function () {
      const fx = await loadFixture(deployFixture);
      const otherRegistry = await ethers.deployContract("ConsentRegistry", [fx.admin.address, 86_400]);
      const prepared = await prepareLink(fx, {
        memberDomain: consentDomain(await otherRegistry.getAddress(), fx.chainId),
      });
      await expect(submitLink(fx, prepared, fx.relayer))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
        .withArgs(fx.member.address);
    });

    it("reverts on a malleable (high-s) member signature", async function () {
      const fx = await loadFixture(deployFixture);
      const prepared = await prepareLink(fx);
      const twin = malleableSignature(prepared.memberSignature);
      expect(twin).to.not.equal(prepared.memberSignature);
      // The twin is a valid secp256k1 signature by the member (the raw ecrecover precompile accepts it),
      // so only OZ ECDSA's low-s rule stands between it and a second, distinct signature of the same Link.
      const digest = consentDigest(fx.domain, "Link", prepared.request);
      expect(await rawEcrecover(digest, twin)).to.equal(fx.member.address);
      await expect(submitLink(fx, prepared, fx.relayer, { memberSignature: twin }))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
        .withArgs(fx.member.address);
      await expect(submitLink(fx, prepared, fx.relayer)).to.emit(fx.registry, "ConsentLinked");
    });

    it("reverts on an expired Link", async function () {
      const fx = await loadFixture(deployFixture);
      const prepared = await prepareLink(fx);
      await time.increaseTo(prepared.request.deadline + 1n);
      await expect(submitLink(fx, prepared, fx.relayer))
        .to.be.revertedWithCustomError(fx.registry, "ConsentExpired")
        .withArgs(prepared.request.deadline, anyValue);
    });

    it("accepts a Link on its deadline exactly", async function () {
      const fx = await loadFixture(deployFixture);
      const prepared = await prepareLink(fx);
      await time.setNextBlockTimestamp(prepared.request.deadline);
      await expect(submitLink(fx, prepared, fx.relayer)).to.emit(fx.registry, "ConsentLinked");
    });

    it("reverts on an expired attestation", async function () {
      const fx = await loadFixture(deployFixture);
      const attestationDeadline = await deadlineIn(60n);
      const prepared = await prepareLink(fx, { attestationDeadline });
      await time.increaseTo(attestationDeadline + 1n);
      await expect(submitLink(fx, prepared, fx.relayer))
        .to.be.revertedWithCustomError(fx.registry, "ConsentExpired")
        .withArgs(attestationDeadline, anyValue);
    });

    it("reverts on a nonce other than the wallet's current one", async function () {
      const fx = await loadFixture(deployFixture);
      const prepared = await prepareLink(fx, { nonce: 1n });
      await expect(submitLink(fx, prepared, fx.relayer))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidNonce")
        .withArgs(fx.member.address, 1n, 0n);
    });

    it("reverts on unknown purpose bits", async function () {
      const fx = await loadFixture(deployFixture);
      for (const purposes of [16n, ALL | 32n, 1n << 255n]) {
        const prepared = await prepareLink(fx, { purposes });
        await expect(submitLink(fx, prepared, fx.relayer))
          .to.be.revertedWithCustomError(fx.registry, "ConsentUnknownPurposes")
          .withArgs(purposes);
      }
    });

    it("reverts on the zero commitment", async function () {
      const fx = await loadFixture(deployFixture);
      const prepared = await prepareLink(fx, { commitment: ethers.ZeroHash });
      await expect(submitLink(fx, prepared, fx.relayer))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidCommitment")
        .withArgs(ethers.ZeroHash);
    });

    it("reverts when the attestation names another wallet or commitment", async function () {
      const fx = await loadFixture(deployFixture);
      const prepared = await prepareLink(fx);
      const otherWallet = { ...prepared.attestation, wallet: fx.other.address };
      await expect(fx.registry.connect(fx.brand).link(prepared.request, prepared.memberSignature, otherWallet, "0x", "0x"))
        .to.be.revertedWithCustomError(fx.registry, "ConsentAttestationMismatch")
        .withArgs(fx.member.address, prepared.request.commitment);
      const otherCommitment = { ...prepared.attestation, commitment: ethers.id("another") };
      await expect(fx.registry.connect(fx.brand).link(prepared.request, prepared.memberSignature, otherCommitment, "0x", "0x"))
        .to.be.revertedWithCustomError(fx.registry, "ConsentAttestationMismatch")
        .withArgs(fx.member.address, prepared.request.commitment);
    });

    it("reverts when the wallet is already linked", async function () {
      const fx = await loadFixture(linkedFixture);
      const prepared = await prepareLink(fx);
      await expect(submitLink(fx, prepared, fx.relayer))
        .to.be.revertedWithCustomError(fx.registry, "ConsentAlreadyLinked")
        .withArgs(fx.member.address);
    });

    it("reverts when the commitment was already linked (to any wallet)", async function () {
      const fx = await loadFixture(linkedFixture);
      const commitment = fx.prepared.request.commitment;
      const prepared = await prepareLink(fx, { wallet: fx.other.address, memberSigner: fx.other, commitment });
      await expect(submitLink(fx, prepared, fx.relayer))
        .to.be.revertedWithCustomError(fx.registry, "ConsentCommitmentUsed")
        .withArgs(commitment);
    });

    it("reverts when the attester does not hold the brand role", async function () {
      const fx = await loadFixture(deployFixture);
      for (const attester of [fx.stranger, fx.admin, fx.member]) {
        const prepared = await prepareLink(fx, { attester });
        await expect(submitLink(fx, prepared, fx.relayer))
          .to.be.revertedWithCustomError(fx.registry, "ConsentNotAttester")
          .withArgs(attester.address);
        // Submitting it yourself does not help either.
        await expect(submitLink(fx, prepared, attester))
          .to.be.revertedWithCustomError(fx.registry, "ConsentNotAttester")
          .withArgs(attester.address);
      }
    });

    it("reverts when the brand's role was revoked after it signed", async function () {
      const fx = await loadFixture(deployFixture);
      const prepared = await prepareLink(fx);
      await fx.registry.connect(fx.admin).revokeRole(fx.BRAND_ROLE, fx.brand.address);
      await expect(submitLink(fx, prepared, fx.relayer))
        .to.be.revertedWithCustomError(fx.registry, "ConsentNotAttester")
        .withArgs(fx.brand.address);
    });

    it("reverts when a stranger signs an attestation naming the brand, or it is altered", async function () {
      const fx = await loadFixture(deployFixture);
      const prepared = await prepareLink(fx);
      const forged = await signConsent(fx.stranger, fx.domain, "Attestation", prepared.attestation);
      await expect(submitLink(fx, prepared, fx.relayer, { attesterSignature: forged }))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidAttesterSignature")
        .withArgs(fx.brand.address);
      // The member cannot drop the brand's "minor" flag from a signed attestation.
      const minor = await prepareLink(fx, { minor: true, purposes: REWARDS });
      const altered = { ...minor.attestation, minor: false, guardian: ZERO };
      await expect(fx.registry.connect(fx.member).link(minor.request, "0x", altered, minor.attesterSignature, "0x"))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidAttesterSignature")
        .withArgs(fx.brand.address);
    });

    it("reverts on an inconsistent guardian: minor without one, minor as own guardian, adult with one", async function () {
      const fx = await loadFixture(deployFixture);
      const cases: Array<{ minor: boolean; guardian: string }> = [
        { minor: true, guardian: ZERO },
        { minor: true, guardian: fx.member.address },
        { minor: false, guardian: fx.guardian.address },
      ];
      for (const { minor, guardian } of cases) {
        const prepared = await prepareLink(fx, { minor, guardian, purposes: REWARDS });
        await expect(submitLink(fx, prepared, fx.relayer))
          .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidGuardian")
          .withArgs(fx.member.address, minor, guardian);
      }
    });

    describe("a minor", function () {
      it("links with rewards and analytics without the guardian", async function () {
        const fx = await loadFixture(deployFixture);
        const prepared = await prepareLink(fx, { minor: true, purposes: REWARDS | ANALYTICS });
        await expect(submitLink(fx, prepared, fx.relayer))
          .to.emit(fx.registry, "ConsentLinked")
          .withArgs(fx.member.address, prepared.request.commitment, true, fx.guardian.address, fx.brand.address);
        const link = await fx.registry.linkOf(fx.member.address);
        expect(link.minor).to.equal(true);
        expect(link.guardian).to.equal(fx.guardian.address);
        expect(await fx.registry.hasConsent(fx.member.address, ANALYTICS)).to.equal(true);
      });

      for (const purpose of [MARKETING, PARTNER_SHARING]) {
        it(`cannot be granted purpose ${purpose} at link time without the guardian's signature`, async function () {
          const fx = await loadFixture(deployFixture);
          const prepared = await prepareLink(fx, { minor: true, purposes: REWARDS | purpose });
          await expect(submitLink(fx, prepared, fx.relayer))
            .to.be.revertedWithCustomError(fx.registry, "ConsentGuardianRequired")
            .withArgs(fx.member.address, REWARDS | purpose);
          // Not even when the member or the brand submits it themselves.
          await expect(submitLink(fx, prepared, fx.member)).to.be.revertedWithCustomError(fx.registry, "ConsentGuardianRequired");
          await expect(submitLink(fx, prepared, fx.brand)).to.be.revertedWithCustomError(fx.registry, "ConsentGuardianRequired");
        });
      }

      it("is granted marketing at link time with the guardian's signature", async function () {
        const fx = await loadFixture(deployFixture);
        const prepared = await prepareLink(fx, {
          minor: true,
          purposes: REWARDS | MARKETING | PARTNER_SHARING,
          guardianSigner: fx.guardian,
        });
        await expect(submitLink(fx, prepared, fx.relayer))
          .to.emit(fx.registry, "ConsentPurposesChanged")
          .withArgs(fx.member.address, 0n, REWARDS | MARKETING | PARTNER_SHARING);
        expect(await fx.registry.hasConsent(fx.member.address, MARKETING)).to.equal(true);
      });

      it("is granted marketing at link time when the guardian submits", async function () {
        const fx = await loadFixture(deployFixture);
        const prepared = await prepareLink(fx, { minor: true, purposes: MARKETING });
        await expect(submitLink(fx, prepared, fx.guardian)).to.emit(fx.registry, "ConsentLinked");
      });

      it("rejects a guardian approval signed by someone else", async function () {
        const fx = await loadFixture(deployFixture);
        for (const signer of [fx.stranger, fx.member, fx.brand]) {
          const prepared = await prepareLink(fx, { minor: true, purposes: MARKETING, guardianSigner: signer });
          await expect(submitLink(fx, prepared, fx.relayer))
            .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidGuardianSignature")
            .withArgs(fx.guardian.address);
        }
      });

      it("rejects a guardian approval of other purposes", async function () {
        const fx = await loadFixture(deployFixture);
        const prepared = await prepareLink(fx, { minor: true, purposes: MARKETING, guardianSigner: fx.guardian });
        const widened = { ...prepared.request, purposes: MARKETING | PARTNER_SHARING };
        const memberSignature = await signConsent(fx.member, fx.domain, "Link", widened);
        await expect(
          submitLink(fx, { ...prepared, request: widened, memberSignature }, fx.relayer),
        ).to.be.revertedWithCustomError(fx.registry, "ConsentInvalidGuardianSignature");
      });

      it("does not accept the member's own Link signature as the guardian's", async function () {
        const fx = await loadFixture(deployFixture);
        const prepared = await prepareLink(fx, { minor: true, purposes: MARKETING });
        const guardianOwnLink = await signConsent(fx.guardian, fx.domain, "Link", prepared.request);
        await expect(submitLink(fx, prepared, fx.relayer, { guardianSignature: guardianOwnLink })).to.be.revertedWithCustomError(
          fx.registry,
          "ConsentInvalidGuardianSignature",
        );
      });
    });
  });

  describe("changePurposes", function () {
    it("changes purposes on the member's signature, submitted by a relayer", async function () {
      const fx = await loadFixture(linkedFixture);
      const { change, signature } = await signChange(fx, REWARDS | MARKETING | PARTNER_SHARING);
      await expect(fx.registry.connect(fx.relayer).changePurposes(change, signature, "0x"))
        .to.emit(fx.registry, "ConsentPurposesChanged")
        .withArgs(fx.member.address, REWARDS | ANALYTICS, REWARDS | MARKETING | PARTNER_SHARING);
      expect(await fx.registry.hasConsent(fx.member.address, ANALYTICS)).to.equal(false);
      expect(await fx.registry.hasConsent(fx.member.address, MARKETING)).to.equal(true);
      expect(await fx.registry.nonces(fx.member.address)).to.equal(2n);
    });

    it("changes purposes when the member calls directly, without a signature", async function () {
      const fx = await loadFixture(linkedFixture);
      const change = { wallet: fx.member.address, purposes: ALL, nonce: 1n, deadline: await deadlineIn(HOUR) };
      await expect(fx.registry.connect(fx.member).changePurposes(change, "0x", "0x"))
        .to.emit(fx.registry, "ConsentPurposesChanged")
        .withArgs(fx.member.address, REWARDS | ANALYTICS, ALL);
    });

    it("revokes everything with one signature; hasConsent is then false for every purpose", async function () {
      const fx = await loadFixture(linkedFixture);
      const { change, signature } = await signChange(fx, 0n);
      await expect(fx.registry.connect(fx.relayer).changePurposes(change, signature, "0x"))
        .to.emit(fx.registry, "ConsentPurposesChanged")
        .withArgs(fx.member.address, REWARDS | ANALYTICS, 0n);
      for (const purpose of [REWARDS, ANALYTICS, MARKETING, PARTNER_SHARING]) {
        expect(await fx.registry.hasConsent(fx.member.address, purpose)).to.equal(false);
      }
      expect(await fx.registry.isLinked(fx.member.address)).to.equal(true);
    });

    it("reverts on a replayed grant signature", async function () {
      const fx = await loadFixture(linkedFixture);
      const { change, signature } = await signChange(fx, ALL);
      await fx.registry.connect(fx.relayer).changePurposes(change, signature, "0x");
      // The member narrows again, then someone replays the old grant.
      await fx.registry.connect(fx.member).revokeAll();
      await expect(fx.registry.connect(fx.relayer).changePurposes(change, signature, "0x"))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidNonce")
        .withArgs(fx.member.address, 1n, 3n);
      expect(await fx.registry.hasConsent(fx.member.address, MARKETING)).to.equal(false);
    });

    it("a direct revokeAll kills a grant signed before it", async function () {
      const fx = await loadFixture(linkedFixture);
      const pending = await signChange(fx, ALL);
      await fx.registry.connect(fx.member).revokeAll();
      await expect(fx.registry.connect(fx.relayer).changePurposes(pending.change, pending.signature, "0x"))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidNonce")
        .withArgs(fx.member.address, 1n, 2n);
    });

    it("reverts when a third party signs for the member's wallet with its own key", async function () {
      const fx = await loadFixture(linkedFixture);
      const { change, signature } = await signChange(fx, ALL, { signer: fx.stranger });
      for (const submitter of [fx.stranger, fx.relayer, fx.brand, fx.admin]) {
        await expect(fx.registry.connect(submitter).changePurposes(change, signature, "0x"))
          .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
          .withArgs(fx.member.address);
      }
    });

    it("reverts without any signature unless the member submits (role matrix)", async function () {
      const fx = await loadFixture(linkedFixture);
      const change = { wallet: fx.member.address, purposes: ALL, nonce: 1n, deadline: await deadlineIn(HOUR) };
      for (const submitter of [fx.admin, fx.brand, fx.relayer, fx.guardian, fx.stranger]) {
        await expect(fx.registry.connect(submitter).changePurposes(change, "0x", "0x"))
          .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
          .withArgs(fx.member.address);
      }
      await expect(fx.registry.connect(fx.member).changePurposes(change, "0x", "0x")).to.emit(
        fx.registry,
        "ConsentPurposesChanged",
      );
    });

    it("reverts on a signature for another chain id", async function () {
      const fx = await loadFixture(linkedFixture);
      const domain = consentDomain(await fx.registry.getAddress(), 1n);
      const { change, signature } = await signChange(fx, ALL, { domain });
      await expect(fx.registry.connect(fx.relayer).changePurposes(change, signature, "0x"))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
        .withArgs(fx.member.address);
    });

    it("reverts on a signature for another registry address", async function () {
      const fx = await loadFixture(linkedFixture);
      const domain = consentDomain(fx.stranger.address, fx.chainId);
      const { change, signature } = await signChange(fx, ALL, { domain });
      await expect(fx.registry.connect(fx.relayer).changePurposes(change, signature, "0x"))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
        .withArgs(fx.member.address);
    });

    it("reverts on a malleable (high-s) signature", async function () {
      const fx = await loadFixture(linkedFixture);
      const { change, signature } = await signChange(fx, ALL);
      await expect(fx.registry.connect(fx.relayer).changePurposes(change, malleableSignature(signature), "0x"))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
        .withArgs(fx.member.address);
    });

    it("reverts on a signature whose fields were altered", async function () {
      const fx = await loadFixture(linkedFixture);
      const { change, signature } = await signChange(fx, REWARDS);
      await expect(
        fx.registry.connect(fx.relayer).changePurposes({ ...change, purposes: ALL }, signature, "0x"),
      ).to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature");
    });

    it("reverts after the deadline", async function () {
      const fx = await loadFixture(linkedFixture);
      const { change, signature } = await signChange(fx, ALL);
      await time.increaseTo(change.deadline + 1n);
      await expect(fx.registry.connect(fx.relayer).changePurposes(change, signature, "0x"))
        .to.be.revertedWithCustomError(fx.registry, "ConsentExpired")
        .withArgs(change.deadline, anyValue);
    });

    it("reverts on a future nonce", async function () {
      const fx = await loadFixture(linkedFixture);
      const { change, signature } = await signChange(fx, ALL, { nonce: 5n });
      await expect(fx.registry.connect(fx.relayer).changePurposes(change, signature, "0x"))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidNonce")
        .withArgs(fx.member.address, 5n, 1n);
    });

    it("reverts on unknown purpose bits", async function () {
      const fx = await loadFixture(linkedFixture);
      const { change, signature } = await signChange(fx, 16n | REWARDS);
      await expect(fx.registry.connect(fx.relayer).changePurposes(change, signature, "0x"))
        .to.be.revertedWithCustomError(fx.registry, "ConsentUnknownPurposes")
        .withArgs(16n | REWARDS);
    });

    it("reverts for a wallet that is not linked", async function () {
      const fx = await loadFixture(linkedFixture);
      const { change, signature } = await signChange(fx, REWARDS, { signer: fx.other, wallet: fx.other.address });
      await expect(fx.registry.connect(fx.relayer).changePurposes(change, signature, "0x"))
        .to.be.revertedWithCustomError(fx.registry, "ConsentNotLinked")
        .withArgs(fx.other.address);
    });

    describe("a minor", function () {
      it("needs the guardian's signature to add marketing or partner sharing", async function () {
        const fx = await loadFixture(minorFixture);
        for (const purposes of [REWARDS | MARKETING, REWARDS | PARTNER_SHARING]) {
          const { change, signature } = await signChange(fx, purposes);
          await expect(fx.registry.connect(fx.relayer).changePurposes(change, signature, "0x"))
            .to.be.revertedWithCustomError(fx.registry, "ConsentGuardianRequired")
            .withArgs(fx.member.address, purposes);
          await expect(fx.registry.connect(fx.member).changePurposes(change, "0x", "0x"))
            .to.be.revertedWithCustomError(fx.registry, "ConsentGuardianRequired")
            .withArgs(fx.member.address, purposes);
        }
      });

      it("adds marketing with the guardian's signature", async function () {
        const fx = await loadFixture(minorFixture);
        const { change, signature } = await signChange(fx, REWARDS | MARKETING);
        const guardianSignature = await signGuardian(fx, change);
        await expect(fx.registry.connect(fx.relayer).changePurposes(change, signature, guardianSignature))
          .to.emit(fx.registry, "ConsentPurposesChanged")
          .withArgs(fx.member.address, REWARDS, REWARDS | MARKETING);
        expect(await fx.registry.hasConsent(fx.member.address, MARKETING)).to.equal(true);
      });

      it("adds partner sharing when the guardian submits the member's signed change", async function () {
        const fx = await loadFixture(minorFixture);
        const { change, signature } = await signChange(fx, REWARDS | PARTNER_SHARING);
        await expect(fx.registry.connect(fx.guardian).changePurposes(change, signature, "0x")).to.emit(
          fx.registry,
          "ConsentPurposesChanged",
        );
      });

      it("cannot reuse a guardian approval once its nonce is spent", async function () {
        const fx = await loadFixture(minorFixture);
        const { change, signature } = await signChange(fx, REWARDS | MARKETING);
        const guardianSignature = await signGuardian(fx, change);
        await fx.registry.connect(fx.relayer).changePurposes(change, signature, guardianSignature);
        await fx.registry.connect(fx.member).revokeAll();
        // A fresh member signature with the old guardian approval does not verify (different nonce).
        const again = await signChange(fx, REWARDS | MARKETING);
        await expect(fx.registry.connect(fx.relayer).changePurposes(again.change, again.signature, guardianSignature))
          .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidGuardianSignature")
          .withArgs(fx.guardian.address);
      });

      it("rejects a guardian approval signed by another key", async function () {
        const fx = await loadFixture(minorFixture);
        const { change, signature } = await signChange(fx, REWARDS | MARKETING);
        const forged = await signGuardian(fx, change, fx.member);
        await expect(fx.registry.connect(fx.relayer).changePurposes(change, signature, forged))
          .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidGuardianSignature")
          .withArgs(fx.guardian.address);
      });

      it("adds analytics, narrows and revokes without the guardian", async function () {
        const fx = await loadFixture(deployFixture);
        const prepared = await prepareLink(fx, {
          minor: true,
          purposes: REWARDS | MARKETING | PARTNER_SHARING,
          guardianSigner: fx.guardian,
        });
        await submitLink(fx, prepared, fx.relayer);
        for (const purposes of [REWARDS | ANALYTICS | MARKETING | PARTNER_SHARING, MARKETING, 0n]) {
          const { change, signature } = await signChange(fx, purposes);
          await expect(fx.registry.connect(fx.relayer).changePurposes(change, signature, "0x")).to.emit(
            fx.registry,
            "ConsentPurposesChanged",
          );
        }
        expect(await fx.registry.hasConsent(fx.member.address, MARKETING)).to.equal(false);
        // Having revoked marketing, granting it again needs the guardian again.
        const { change, signature } = await signChange(fx, MARKETING);
        await expect(fx.registry.connect(fx.relayer).changePurposes(change, signature, "0x"))
          .to.be.revertedWithCustomError(fx.registry, "ConsentGuardianRequired")
          .withArgs(fx.member.address, MARKETING);
      });
    });
  });

  describe("revokeAll", function () {
    it("revokes every purpose of the caller and consumes its nonce", async function () {
      const fx = await loadFixture(linkedFixture);
      await expect(fx.registry.connect(fx.member).revokeAll())
        .to.emit(fx.registry, "ConsentPurposesChanged")
        .withArgs(fx.member.address, REWARDS | ANALYTICS, 0n);
      expect(await fx.registry.hasConsent(fx.member.address, REWARDS)).to.equal(false);
      expect(await fx.registry.hasConsent(fx.member.address, ANALYTICS)).to.equal(false);
      expect(await fx.registry.nonces(fx.member.address)).to.equal(2n);
      expect((await fx.registry.linkOf(fx.member.address)).commitment).to.equal(fx.prepared.request.commitment);
    });

    it("needs neither the guardian nor the brand for a minor", async function () {
      const fx = await loadFixture(deployFixture);
      const prepared = await prepareLink(fx, { minor: true, purposes: ALL, guardianSigner: fx.guardian });
      await submitLink(fx, prepared, fx.relayer);
      await expect(fx.registry.connect(fx.member).revokeAll())
        .to.emit(fx.registry, "ConsentPurposesChanged")
        .withArgs(fx.member.address, ALL, 0n);
    });

    it("reverts for a caller that is not linked (brand and others cannot revoke for the member)", async function () {
      const fx = await loadFixture(linkedFixture);
      for (const caller of [fx.admin, fx.brand, fx.relayer, fx.guardian, fx.stranger]) {
        await expect(fx.registry.connect(caller).revokeAll())
          .to.be.revertedWithCustomError(fx.registry, "ConsentNotLinked")
          .withArgs(caller.address);
      }
      expect(await fx.registry.hasConsent(fx.member.address, REWARDS)).to.equal(true);
    });
  });

  describe("unlink", function () {
    it("removes the caller's link and every purpose", async function () {
      const fx = await loadFixture(linkedFixture);
      const tx = fx.registry.connect(fx.member).unlink();
      await expect(tx)
        .to.emit(fx.registry, "ConsentPurposesChanged")
        .withArgs(fx.member.address, REWARDS | ANALYTICS, 0n);
      await expect(tx).to.emit(fx.registry, "ConsentUnlinked").withArgs(fx.member.address, false);
      expect(await fx.registry.isLinked(fx.member.address)).to.equal(false);
      expect(await fx.registry.hasConsent(fx.member.address, REWARDS)).to.equal(false);
      await expect(fx.registry.linkOf(fx.member.address))
        .to.be.revertedWithCustomError(fx.registry, "ConsentNotLinked")
        .withArgs(fx.member.address);
      // The commitment stays spent.
      expect(await fx.registry.isCommitmentUsed(fx.prepared.request.commitment)).to.equal(true);
    });

    it("allows a re-link with a fresh commitment, not with the old one", async function () {
      const fx = await loadFixture(linkedFixture);
      await fx.registry.connect(fx.member).unlink();
      const stale = await prepareLink(fx, { commitment: fx.prepared.request.commitment });
      await expect(submitLink(fx, stale, fx.relayer))
        .to.be.revertedWithCustomError(fx.registry, "ConsentCommitmentUsed")
        .withArgs(fx.prepared.request.commitment);
      const fresh = await prepareLink(fx, { purposes: MARKETING });
      expect(fresh.request.commitment).to.not.equal(fx.prepared.request.commitment);
      await expect(submitLink(fx, fresh, fx.relayer))
        .to.emit(fx.registry, "ConsentLinked")
        .withArgs(fx.member.address, fresh.request.commitment, false, ZERO, fx.brand.address);
      const link = await fx.registry.linkOf(fx.member.address);
      expect(link.commitment).to.equal(fresh.request.commitment);
      expect(link.purposes).to.equal(MARKETING);
    });

    it("reverts for a caller that is not linked", async function () {
      const fx = await loadFixture(linkedFixture);
      for (const caller of [fx.admin, fx.brand, fx.relayer, fx.stranger]) {
        await expect(fx.registry.connect(caller).unlink())
          .to.be.revertedWithCustomError(fx.registry, "ConsentNotLinked")
          .withArgs(caller.address);
      }
    });
  });

  describe("unlinkBySig", function () {
    it("removes the link on the member's signature, submitted by a relayer", async function () {
      const fx = await loadFixture(linkedFixture);
      const { request, signature } = await signUnlink(fx);
      const tx = fx.registry.connect(fx.relayer).unlinkBySig(request, signature);
      await expect(tx).to.emit(fx.registry, "ConsentUnlinked").withArgs(fx.member.address, false);
      await expect(tx)
        .to.emit(fx.registry, "ConsentPurposesChanged")
        .withArgs(fx.member.address, REWARDS | ANALYTICS, 0n);
      expect(await fx.registry.isLinked(fx.member.address)).to.equal(false);
      expect(await fx.registry.nonces(fx.member.address)).to.equal(2n);
    });

    it("accepts the member's own call without a signature", async function () {
      const fx = await loadFixture(linkedFixture);
      const request = { wallet: fx.member.address, nonce: 1n, deadline: await deadlineIn(HOUR) };
      await expect(fx.registry.connect(fx.member).unlinkBySig(request, "0x")).to.emit(fx.registry, "ConsentUnlinked");
    });

    it("reverts when someone else signs or nobody does", async function () {
      const fx = await loadFixture(linkedFixture);
      const forged = await signUnlink(fx, { signer: fx.stranger });
      await expect(fx.registry.connect(fx.stranger).unlinkBySig(forged.request, forged.signature))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
        .withArgs(fx.member.address);
      await expect(fx.registry.connect(fx.brand).unlinkBySig(forged.request, "0x"))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
        .withArgs(fx.member.address);
    });

    it("reverts on a malleable signature, a replay, an expired deadline, and an unlinked wallet", async function () {
      const fx = await loadFixture(linkedFixture);
      const { request, signature } = await signUnlink(fx);
      await expect(
        fx.registry.connect(fx.relayer).unlinkBySig(request, malleableSignature(signature)),
      ).to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature");

      const expired = await signUnlink(fx, { deadline: await deadlineIn(10n) });
      await time.increase(60);
      await expect(fx.registry.connect(fx.relayer).unlinkBySig(expired.request, expired.signature))
        .to.be.revertedWithCustomError(fx.registry, "ConsentExpired")
        .withArgs(expired.request.deadline, anyValue);

      await fx.registry.connect(fx.relayer).unlinkBySig(request, signature);
      // Replay against an unlinked wallet, then after a re-link (nonce has moved on).
      await expect(fx.registry.connect(fx.relayer).unlinkBySig(request, signature))
        .to.be.revertedWithCustomError(fx.registry, "ConsentNotLinked")
        .withArgs(fx.member.address);
      await submitLink(fx, await prepareLink(fx), fx.relayer);
      await expect(fx.registry.connect(fx.relayer).unlinkBySig(request, signature))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidNonce")
        .withArgs(fx.member.address, 1n, 3n);
    });
  });

  describe("brandUnlink", function () {
    it("removes a member's link for the brand's erasure", async function () {
      const fx = await loadFixture(linkedFixture);
      const tx = fx.registry.connect(fx.brand).brandUnlink(fx.member.address);
      await expect(tx).to.emit(fx.registry, "ConsentUnlinked").withArgs(fx.member.address, true);
      await expect(tx)
        .to.emit(fx.registry, "ConsentPurposesChanged")
        .withArgs(fx.member.address, REWARDS | ANALYTICS, 0n);
      expect(await fx.registry.isLinked(fx.member.address)).to.equal(false);
    });

    it("kills member messages signed before the erasure", async function () {
      const fx = await loadFixture(linkedFixture);
      // A re-link the member signed (and the brand attested) before asking to be forgotten.
      const pending = await prepareLink(fx);
      await fx.registry.connect(fx.brand).brandUnlink(fx.member.address);
      await expect(submitLink(fx, pending, fx.relayer))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidNonce")
        .withArgs(fx.member.address, 1n, 2n);
    });

    it("is brand role only (role matrix)", async function () {
      const fx = await loadFixture(linkedFixture);
      for (const caller of [fx.admin, fx.member, fx.relayer, fx.guardian, fx.stranger]) {
        await expect(fx.registry.connect(caller).brandUnlink(fx.member.address))
          .to.be.revertedWithCustomError(fx.registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, fx.BRAND_ROLE);
      }
      // A newly granted brand key can; a revoked one cannot.
      await fx.registry.connect(fx.admin).grantRole(fx.BRAND_ROLE, fx.other.address);
      await fx.registry.connect(fx.admin).revokeRole(fx.BRAND_ROLE, fx.brand.address);
      await expect(fx.registry.connect(fx.brand).brandUnlink(fx.member.address))
        .to.be.revertedWithCustomError(fx.registry, "AccessControlUnauthorizedAccount")
        .withArgs(fx.brand.address, fx.BRAND_ROLE);
      await expect(fx.registry.connect(fx.other).brandUnlink(fx.member.address)).to.emit(fx.registry, "ConsentUnlinked");
    });

    it("reverts for a wallet that is not linked", async function () {
      const fx = await loadFixture(deployFixture);
      await expect(fx.registry.connect(fx.brand).brandUnlink(fx.member.address))
        .to.be.revertedWithCustomError(fx.registry, "ConsentNotLinked")
        .withArgs(fx.member.address);
    });
  });

  describe("roles", function () {
    it("only the admin grants the brand role (role matrix)", async function () {
      const fx = await loadFixture(deployFixture);
      const adminRole = await fx.registry.DEFAULT_ADMIN_ROLE();
      for (const caller of [fx.brand, fx.member, fx.relayer, fx.stranger]) {
        await expect(fx.registry.connect(caller).grantRole(fx.BRAND_ROLE, caller.address))
          .to.be.revertedWithCustomError(fx.registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, adminRole);
      }
      await expect(fx.registry.connect(fx.admin).grantRole(fx.BRAND_ROLE, fx.other.address))
        .to.emit(fx.registry, "RoleGranted")
        .withArgs(fx.BRAND_ROLE, fx.other.address, fx.admin.address);
    });
  });

  describe("views", function () {
    it("hasConsent takes exactly one known purpose bit", async function () {
      const fx = await loadFixture(linkedFixture);
      for (const purpose of [0n, REWARDS | ANALYTICS, ALL, 16n, 1n << 255n]) {
        await expect(fx.registry.hasConsent(fx.member.address, purpose))
          .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidPurpose")
          .withArgs(purpose);
      }
    });

    it("report nothing for a wallet that was never linked", async function () {
      const fx = await loadFixture(deployFixture);
      expect(await fx.registry.isLinked(fx.stranger.address)).to.equal(false);
      expect(await fx.registry.hasConsent(fx.stranger.address, REWARDS)).to.equal(false);
      expect(await fx.registry.nonces(fx.stranger.address)).to.equal(0n);
      expect(await fx.registry.isCommitmentUsed(ethers.id("anything"))).to.equal(false);
      await expect(fx.registry.linkOf(fx.stranger.address))
        .to.be.revertedWithCustomError(fx.registry, "ConsentNotLinked")
        .withArgs(fx.stranger.address);
    });
  });

  describe("an ERC-1271 contract wallet member", function () {
    async function contractWalletFixture() {
      const fx = await deployFixture();
      const wallet = await fx.contractWallet.getAddress();
      return { ...fx, wallet };
    }

    async function execute(wallet: ConsentTestWallet, owner: HardhatEthersSigner, registry: ConsentRegistry, data: string) {
      return wallet.connect(owner).execute(await registry.getAddress(), data);
    }

    it("links, changes and unlinks through its owner's signatures", async function () {
      const fx = await loadFixture(contractWalletFixture);
      const prepared = await prepareLink(fx, { wallet: fx.wallet, memberSigner: fx.walletOwner, purposes: REWARDS });
      await expect(submitLink(fx, prepared, fx.relayer))
        .to.emit(fx.registry, "ConsentLinked")
        .withArgs(fx.wallet, prepared.request.commitment, false, ZERO, fx.brand.address);

      const { change, signature } = await signChange(fx, ALL, { signer: fx.walletOwner, wallet: fx.wallet });
      await expect(fx.registry.connect(fx.relayer).changePurposes(change, signature, "0x"))
        .to.emit(fx.registry, "ConsentPurposesChanged")
        .withArgs(fx.wallet, REWARDS, ALL);

      const unlink = await signUnlink(fx, { signer: fx.walletOwner, wallet: fx.wallet });
      await expect(fx.registry.connect(fx.relayer).unlinkBySig(unlink.request, unlink.signature))
        .to.emit(fx.registry, "ConsentUnlinked")
        .withArgs(fx.wallet, false);
    });

    it("rejects signatures the wallet does not accept (another key, malleable)", async function () {
      const fx = await loadFixture(contractWalletFixture);
      const byStranger = await prepareLink(fx, { wallet: fx.wallet, memberSigner: fx.stranger });
      await expect(submitLink(fx, byStranger, fx.relayer))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
        .withArgs(fx.wallet);
      const prepared = await prepareLink(fx, { wallet: fx.wallet, memberSigner: fx.walletOwner });
      await expect(submitLink(fx, prepared, fx.relayer, { memberSignature: malleableSignature(prepared.memberSignature) }))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
        .withArgs(fx.wallet);
      // Its owner's own EOA signature is not the wallet's: the owner cannot be confused with the wallet.
      await expect(submitLink(fx, prepared, fx.walletOwner, { memberSignature: "0x" }))
        .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
        .withArgs(fx.wallet);
    });

    it("acts directly as msg.sender, without a signature", async function () {
      const fx = await loadFixture(contractWalletFixture);
      const prepared = await prepareLink(fx, { wallet: fx.wallet, memberSigner: fx.walletOwner, purposes: ALL });
      await submitLink(fx, prepared, fx.relayer);
      await expect(execute(fx.contractWallet, fx.walletOwner, fx.registry, fx.registry.interface.encodeFunctionData("revokeAll")))
        .to.emit(fx.registry, "ConsentPurposesChanged")
        .withArgs(fx.wallet, ALL, 0n);
      await expect(execute(fx.contractWallet, fx.walletOwner, fx.registry, fx.registry.interface.encodeFunctionData("unlink")))
        .to.emit(fx.registry, "ConsentUnlinked")
        .withArgs(fx.wallet, false);
    });

    it("can be a minor's guardian", async function () {
      const fx = await loadFixture(contractWalletFixture);
      const prepared = await prepareLink(fx, {
        minor: true,
        guardian: fx.wallet,
        purposes: MARKETING,
        guardianSigner: fx.walletOwner,
      });
      await expect(submitLink(fx, prepared, fx.relayer))
        .to.emit(fx.registry, "ConsentLinked")
        .withArgs(fx.member.address, prepared.request.commitment, true, fx.wallet, fx.brand.address);
    });
  });

  describe("guardians and coming of age", function () {
    /** A minor linked with REWARDS | MARKETING | PARTNER_SHARING, approved by `guardian`. */
    async function minorWithMarketingFixture() {
      const fx = await deployFixture();
      const prepared = await prepareLink(fx, {
        minor: true,
        purposes: REWARDS | MARKETING | PARTNER_SHARING,
        guardianSigner: fx.guardian,
      });
      await submitLink(fx, prepared, fx.relayer);
      return { ...fx, prepared };
    }

    type MinorFixture = Awaited<ReturnType<typeof minorWithMarketingFixture>>;

    async function signWithdrawal(
      fx: Fixture,
      purposes: bigint,
      options: {
        signer?: HardhatEthersSigner;
        guardian?: string;
        wallet?: string;
        nonce?: bigint;
        deadline?: bigint;
        domain?: TypedDataDomain;
      } = {},
    ): Promise<{ withdrawal: GuardianWithdrawalMessage; signature: string }> {
      const guardian = options.guardian ?? fx.guardian.address;
      const wallet = options.wallet ?? fx.member.address;
      const withdrawal: GuardianWithdrawalMessage = {
        wallet,
        guardian,
        purposes,
        nonce: options.nonce ?? (await fx.registry.guardianNonces(guardian, wallet)),
        deadline: options.deadline ?? (await deadlineIn(HOUR)),
      };
      const signer = options.signer ?? fx.guardian;
      const signature = await signConsent(signer, options.domain ?? fx.domain, "GuardianWithdrawal", withdrawal);
      return { withdrawal, signature };
    }

    async function signGuardianChange(
      fx: Fixture,
      newGuardian: string,
      options: { oldGuardian?: string; nonce?: bigint; deadline?: bigint; domain?: TypedDataDomain } = {},
    ): Promise<GuardianChangeMessage> {
      return {
        wallet: fx.member.address,
        oldGuardian: options.oldGuardian ?? fx.guardian.address,
        newGuardian,
        nonce: options.nonce ?? (await fx.registry.nonces(fx.member.address)),
        deadline: options.deadline ?? (await deadlineIn(HOUR)),
      };
    }

    /** The member's and the new guardian's (`other`) signatures of a change from `guardian` to `other`. */
    async function signedGuardianChange(fx: Fixture, domain: TypedDataDomain = fx.domain) {
      const change = await signGuardianChange(fx, fx.other.address);
      const memberSignature = await signConsent(fx.member, domain, "GuardianChange", change);
      const newGuardianSignature = await signConsent(fx.other, domain, "GuardianChange", change);
      return { change, memberSignature, newGuardianSignature };
    }

    async function signComingOfAge(
      fx: Fixture,
      options: { signer?: HardhatEthersSigner; nonce?: bigint; deadline?: bigint; domain?: TypedDataDomain } = {},
    ): Promise<{ request: ComingOfAgeMessage; signature: string }> {
      const request: ComingOfAgeMessage = {
        wallet: fx.member.address,
        nonce: options.nonce ?? (await fx.registry.nonces(fx.member.address)),
        deadline: options.deadline ?? (await deadlineIn(HOUR)),
      };
      const signature = await signConsent(options.signer ?? fx.member, options.domain ?? fx.domain, "ComingOfAge", request);
      return { request, signature };
    }

    async function otherChainDomain(fx: Fixture): Promise<TypedDataDomain> {
      return consentDomain(await fx.registry.getAddress(), fx.chainId + 1n);
    }

    describe("guardianWithdraw", function () {
      it("the guardian withdraws marketing by their own call; the event names the guardian", async function () {
        const fx = await loadFixture(minorWithMarketingFixture);
        const { withdrawal } = await signWithdrawal(fx, MARKETING);
        const tx = fx.registry.connect(fx.guardian).guardianWithdraw(withdrawal, "0x");
        await expect(tx)
          .to.emit(fx.registry, "ConsentGuardianWithdrew")
          .withArgs(fx.member.address, fx.guardian.address, MARKETING);
        await expect(tx)
          .to.emit(fx.registry, "ConsentPurposesChanged")
          .withArgs(fx.member.address, REWARDS | MARKETING | PARTNER_SHARING, REWARDS | PARTNER_SHARING);
        expect(await fx.registry.hasConsent(fx.member.address, MARKETING)).to.equal(false);
        expect(await fx.registry.hasConsent(fx.member.address, PARTNER_SHARING)).to.equal(true);
        expect(await fx.registry.guardianNonces(fx.guardian.address, fx.member.address)).to.equal(1n);
      });

      it("the guardian's signature is relayed by the brand, or by anyone", async function () {
        const fx = await loadFixture(minorWithMarketingFixture);
        const first = await signWithdrawal(fx, MARKETING);
        await expect(fx.registry.connect(fx.brand).guardianWithdraw(first.withdrawal, first.signature))
          .to.emit(fx.registry, "ConsentGuardianWithdrew")
          .withArgs(fx.member.address, fx.guardian.address, MARKETING);
        const second = await signWithdrawal(fx, PARTNER_SHARING);
        await expect(fx.registry.connect(fx.stranger).guardianWithdraw(second.withdrawal, second.signature))
          .to.emit(fx.registry, "ConsentPurposesChanged")
          .withArgs(fx.member.address, REWARDS | PARTNER_SHARING, REWARDS);
      });

      it("who may: member, brand, stranger and a forged signature are refused (role matrix)", async function () {
        const fx = await loadFixture(minorWithMarketingFixture);
        const { withdrawal } = await signWithdrawal(fx, MARKETING);
        for (const caller of [fx.member, fx.brand, fx.relayer, fx.stranger]) {
          await expect(fx.registry.connect(caller).guardianWithdraw(withdrawal, "0x"))
            .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidGuardianSignature")
            .withArgs(fx.guardian.address);
        }
        for (const signer of [fx.member, fx.brand, fx.stranger]) {
          const forged = await signWithdrawal(fx, MARKETING, { signer });
          await expect(fx.registry.connect(fx.relayer).guardianWithdraw(forged.withdrawal, forged.signature))
            .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidGuardianSignature")
            .withArgs(fx.guardian.address);
        }
        // Naming oneself as guardian does not help.
        const selfNamed = await signWithdrawal(fx, MARKETING, { signer: fx.stranger, guardian: fx.stranger.address });
        await expect(fx.registry.connect(fx.stranger).guardianWithdraw(selfNamed.withdrawal, "0x"))
          .to.be.revertedWithCustomError(fx.registry, "ConsentNotGuardian")
          .withArgs(fx.member.address, fx.stranger.address);
        expect(await fx.registry.hasConsent(fx.member.address, MARKETING)).to.equal(true);
      });

      it("can only withdraw guardian purposes: it never grants and never touches rewards or analytics", async function () {
        const fx = await loadFixture(minorFixture);
        for (const purposes of [0n, REWARDS, ANALYTICS, MARKETING | REWARDS, 16n, ALL]) {
          const { withdrawal } = await signWithdrawal(fx, purposes);
          await expect(fx.registry.connect(fx.guardian).guardianWithdraw(withdrawal, "0x"))
            .to.be.revertedWithCustomError(fx.registry, "ConsentNotGuardianPurposes")
            .withArgs(purposes);
        }
        // Withdrawing what the minor never granted grants nothing.
        const { withdrawal } = await signWithdrawal(fx, MARKETING | PARTNER_SHARING);
        await expect(fx.registry.connect(fx.guardian).guardianWithdraw(withdrawal, "0x"))
          .to.emit(fx.registry, "ConsentPurposesChanged")
          .withArgs(fx.member.address, REWARDS, REWARDS);
        expect((await fx.registry.linkOf(fx.member.address)).purposes).to.equal(REWARDS);
      });

      it("a signature is single use, bound to its deadline, chain and registry (replay)", async function () {
        const fx = await loadFixture(minorWithMarketingFixture);
        const { withdrawal, signature } = await signWithdrawal(fx, MARKETING);
        await fx.registry.connect(fx.brand).guardianWithdraw(withdrawal, signature);
        await expect(fx.registry.connect(fx.brand).guardianWithdraw(withdrawal, signature))
          .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidGuardianNonce")
          .withArgs(fx.guardian.address, 0n, 1n);

        const expired = await signWithdrawal(fx, PARTNER_SHARING, { deadline: (await deadlineIn(0n)) - 1n });
        await expect(fx.registry.connect(fx.brand).guardianWithdraw(expired.withdrawal, expired.signature))
          .to.be.revertedWithCustomError(fx.registry, "ConsentExpired")
          .withArgs(expired.withdrawal.deadline, anyValue);

        const otherChain = await signWithdrawal(fx, PARTNER_SHARING, { domain: await otherChainDomain(fx) });
        await expect(fx.registry.connect(fx.brand).guardianWithdraw(otherChain.withdrawal, otherChain.signature))
          .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidGuardianSignature")
          .withArgs(fx.guardian.address);

        const otherRegistry = await signWithdrawal(fx, PARTNER_SHARING, {
          domain: consentDomain(fx.stranger.address, fx.chainId),
        });
        await expect(fx.registry.connect(fx.brand).guardianWithdraw(otherRegistry.withdrawal, otherRegistry.signature))
          .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidGuardianSignature")
          .withArgs(fx.guardian.address);
      });

      it("the minor acting first cannot void it, and it kills the minor's pending guardian-approved grant", async function () {
        const fx = await loadFixture(minorWithMarketingFixture);
        const { withdrawal, signature } = await signWithdrawal(fx, MARKETING | PARTNER_SHARING);
        // A re-grant the minor signed and the guardian approved, held by a relayer.
        const narrowed = await signChange(fx, REWARDS);
        await fx.registry.connect(fx.relayer).changePurposes(narrowed.change, narrowed.signature, "0x");
        const pending = await signChange(fx, REWARDS | MARKETING);
        const approval = await signGuardian(fx, pending.change);
        // The minor's change moved the wallet's nonce, not the guardian's: the withdrawal still goes through.
        await expect(fx.registry.connect(fx.brand).guardianWithdraw(withdrawal, signature)).to.emit(
          fx.registry,
          "ConsentGuardianWithdrew",
        );
        await expect(fx.registry.connect(fx.relayer).changePurposes(pending.change, pending.signature, approval))
          .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidNonce")
          .withArgs(fx.member.address, pending.change.nonce, pending.change.nonce + 1n);
      });

      it("a guardian of two minors signs a withdrawal for each at once; both go through", async function () {
        const fx = await loadFixture(minorWithMarketingFixture);
        const sibling = await prepareLink(fx, {
          wallet: fx.other.address,
          memberSigner: fx.other,
          minor: true,
          purposes: MARKETING,
          guardianSigner: fx.guardian,
        });
        await submitLink(fx, sibling, fx.relayer);
        const forMember = await signWithdrawal(fx, MARKETING);
        const forSibling = await signWithdrawal(fx, MARKETING, { wallet: fx.other.address });
        expect([forMember.withdrawal.nonce, forSibling.withdrawal.nonce]).to.deep.equal([0n, 0n]);
        await fx.registry.connect(fx.brand).guardianWithdraw(forSibling.withdrawal, forSibling.signature);
        await fx.registry.connect(fx.brand).guardianWithdraw(forMember.withdrawal, forMember.signature);
        expect(await fx.registry.hasConsent(fx.member.address, MARKETING)).to.equal(false);
        expect(await fx.registry.hasConsent(fx.other.address, MARKETING)).to.equal(false);
        // A withdrawal signed for one minor cannot be used on the other.
        const swapped = { ...forMember.withdrawal, wallet: fx.other.address, nonce: 1n };
        await expect(fx.registry.connect(fx.brand).guardianWithdraw(swapped, forMember.signature))
          .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidGuardianSignature")
          .withArgs(fx.guardian.address);
      });

      it("has nothing to act on for an adult's link or an unlinked wallet", async function () {
        const fx = await loadFixture(linkedFixture);
        const { withdrawal } = await signWithdrawal(fx, MARKETING);
        await expect(fx.registry.connect(fx.guardian).guardianWithdraw(withdrawal, "0x"))
          .to.be.revertedWithCustomError(fx.registry, "ConsentNotMinor")
          .withArgs(fx.member.address);
        await fx.registry.connect(fx.member).unlink();
        await expect(fx.registry.connect(fx.guardian).guardianWithdraw(withdrawal, "0x"))
          .to.be.revertedWithCustomError(fx.registry, "ConsentNotLinked")
          .withArgs(fx.member.address);
      });
    });

    describe("changeGuardian", function () {
      it("the brand changes the guardian with the member's and the new guardian's signatures", async function () {
        const fx = await loadFixture(minorWithMarketingFixture);
        const { change, memberSignature, newGuardianSignature } = await signedGuardianChange(fx);
        const tx = fx.registry.connect(fx.brand).changeGuardian(change, memberSignature, newGuardianSignature);
        await expect(tx)
          .to.emit(fx.registry, "ConsentGuardianChanged")
          .withArgs(fx.member.address, fx.guardian.address, fx.other.address, fx.brand.address);
        // What the old guardian approved stops counting.
        await expect(tx)
          .to.emit(fx.registry, "ConsentPurposesChanged")
          .withArgs(fx.member.address, REWARDS | MARKETING | PARTNER_SHARING, REWARDS);
        const link = await fx.registry.linkOf(fx.member.address);
        expect([link.minor, link.guardian, link.purposes]).to.deep.equal([true, fx.other.address, REWARDS]);
      });

      it("the old guardian's approvals stop counting; the new guardian's count", async function () {
        const fx = await loadFixture(minorFixture);
        const pending = await signChange(fx, REWARDS | MARKETING);
        const oldApproval = await signGuardian(fx, pending.change);
        const { change, memberSignature, newGuardianSignature } = await signedGuardianChange(fx);
        await fx.registry.connect(fx.brand).changeGuardian(change, memberSignature, newGuardianSignature);
        // A grant the old guardian approved before the change is dead.
        await expect(fx.registry.connect(fx.relayer).changePurposes(pending.change, pending.signature, oldApproval))
          .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidNonce")
          .withArgs(fx.member.address, pending.change.nonce, pending.change.nonce + 1n);
        // A fresh grant approved by the old guardian does not count, nor does their call.
        const fresh = await signChange(fx, REWARDS | MARKETING);
        const stale = await signGuardian(fx, fresh.change, fx.guardian, fx.other.address);
        await expect(fx.registry.connect(fx.relayer).changePurposes(fresh.change, fresh.signature, stale))
          .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidGuardianSignature")
          .withArgs(fx.other.address);
        await expect(fx.registry.connect(fx.guardian).changePurposes(fresh.change, fresh.signature, "0x"))
          .to.be.revertedWithCustomError(fx.registry, "ConsentGuardianRequired")
          .withArgs(fx.member.address, REWARDS | MARKETING);
        const approved = await signGuardian(fx, fresh.change, fx.other, fx.other.address);
        await fx.registry.connect(fx.relayer).changePurposes(fresh.change, fresh.signature, approved);
        // The old guardian can no longer withdraw; the new one can.
        const byOld = await signWithdrawal(fx, MARKETING);
        await expect(fx.registry.connect(fx.guardian).guardianWithdraw(byOld.withdrawal, "0x"))
          .to.be.revertedWithCustomError(fx.registry, "ConsentNotGuardian")
          .withArgs(fx.member.address, fx.guardian.address);
        const byNew = await signWithdrawal(fx, MARKETING, { signer: fx.other, guardian: fx.other.address });
        await expect(fx.registry.connect(fx.other).guardianWithdraw(byNew.withdrawal, "0x"))
          .to.emit(fx.registry, "ConsentGuardianWithdrew")
          .withArgs(fx.member.address, fx.other.address, MARKETING);
      });

      it("is brand role only: member, guardian, new guardian, relayer and stranger cannot (role matrix)", async function () {
        const fx = await loadFixture(minorFixture);
        const { change, memberSignature, newGuardianSignature } = await signedGuardianChange(fx);
        for (const caller of [fx.member, fx.guardian, fx.other, fx.relayer, fx.stranger, fx.admin]) {
          await expect(fx.registry.connect(caller).changeGuardian(change, memberSignature, newGuardianSignature))
            .to.be.revertedWithCustomError(fx.registry, "AccessControlUnauthorizedAccount")
            .withArgs(caller.address, fx.BRAND_ROLE);
        }
      });

      it("needs the member's signature and the new guardian's; the old guardian's signature is neither", async function () {
        const fx = await loadFixture(minorFixture);
        const { change, memberSignature, newGuardianSignature } = await signedGuardianChange(fx);
        const byOldGuardian = await signConsent(fx.guardian, fx.domain, "GuardianChange", change);
        const byBrand = await signConsent(fx.brand, fx.domain, "GuardianChange", change);
        for (const bad of ["0x", byOldGuardian, byBrand, newGuardianSignature]) {
          await expect(fx.registry.connect(fx.brand).changeGuardian(change, bad, newGuardianSignature))
            .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
            .withArgs(fx.member.address);
        }
        for (const bad of ["0x", byOldGuardian, byBrand, memberSignature]) {
          await expect(fx.registry.connect(fx.brand).changeGuardian(change, memberSignature, bad))
            .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidGuardianSignature")
            .withArgs(fx.other.address);
        }
      });

      it("is single use, bound to its deadline, chain and current guardian (replay)", async function () {
        const fx = await loadFixture(minorFixture);
        const signed = await signedGuardianChange(fx);
        await fx.registry.connect(fx.brand).changeGuardian(signed.change, signed.memberSignature, signed.newGuardianSignature);
        // Replayed: the guardian it replaces is gone.
        await expect(
          fx.registry.connect(fx.brand).changeGuardian(signed.change, signed.memberSignature, signed.newGuardianSignature),
        )
          .to.be.revertedWithCustomError(fx.registry, "ConsentNotGuardian")
          .withArgs(fx.member.address, fx.guardian.address);

        // Back to `guardian`, by a change whose nonce is then spent.
        const back = await signGuardianChange(fx, fx.guardian.address, { oldGuardian: fx.other.address });
        const backSigs = [
          await signConsent(fx.member, fx.domain, "GuardianChange", back),
          await signConsent(fx.guardian, fx.domain, "GuardianChange", back),
        ] as const;
        const stale = await signGuardianChange(fx, fx.stranger.address, { oldGuardian: fx.guardian.address, nonce: back.nonce });
        await fx.registry.connect(fx.brand).changeGuardian(back, ...backSigs);
        await expect(
          fx.registry
            .connect(fx.brand)
            .changeGuardian(
              stale,
              await signConsent(fx.member, fx.domain, "GuardianChange", stale),
              await signConsent(fx.stranger, fx.domain, "GuardianChange", stale),
            ),
        )
          .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidNonce")
          .withArgs(fx.member.address, back.nonce, back.nonce + 1n);

        const expired = await signGuardianChange(fx, fx.stranger.address, { deadline: (await deadlineIn(0n)) - 1n });
        await expect(
          fx.registry
            .connect(fx.brand)
            .changeGuardian(
              expired,
              await signConsent(fx.member, fx.domain, "GuardianChange", expired),
              await signConsent(fx.stranger, fx.domain, "GuardianChange", expired),
            ),
        )
          .to.be.revertedWithCustomError(fx.registry, "ConsentExpired")
          .withArgs(expired.deadline, anyValue);

        const wrongChain = await otherChainDomain(fx);
        const change = await signGuardianChange(fx, fx.stranger.address);
        await expect(
          fx.registry
            .connect(fx.brand)
            .changeGuardian(
              change,
              await signConsent(fx.member, wrongChain, "GuardianChange", change),
              await signConsent(fx.stranger, fx.domain, "GuardianChange", change),
            ),
        )
          .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
          .withArgs(fx.member.address);
      });

      it("refuses no guardian, the minor as own guardian, the same guardian, and an adult's link", async function () {
        const fx = await loadFixture(minorFixture);
        for (const newGuardian of [ZERO, fx.member.address, fx.guardian.address]) {
          const change = await signGuardianChange(fx, newGuardian);
          await expect(fx.registry.connect(fx.brand).changeGuardian(change, "0x", "0x"))
            .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidGuardian")
            .withArgs(fx.member.address, true, newGuardian);
        }
        const adult = await loadFixture(linkedFixture);
        const change = await signGuardianChange(adult, adult.other.address, { oldGuardian: ZERO });
        await expect(adult.registry.connect(adult.brand).changeGuardian(change, "0x", "0x"))
          .to.be.revertedWithCustomError(adult.registry, "ConsentNotMinor")
          .withArgs(adult.member.address);
      });
    });

    describe("comeOfAge", function () {
      it("the brand attests, the member signs: the link is an adult's, purposes kept, history shows when", async function () {
        const fx = await loadFixture(minorWithMarketingFixture);
        const { request, signature } = await signComingOfAge(fx);
        const tx = await fx.registry.connect(fx.brand).comeOfAge(request, signature);
        await expect(tx)
          .to.emit(fx.registry, "ConsentCameOfAge")
          .withArgs(fx.member.address, fx.guardian.address, fx.brand.address);
        await expect(tx).not.to.emit(fx.registry, "ConsentPurposesChanged");
        const receipt = await tx.wait();
        const block = await ethers.provider.getBlock(receipt!.blockNumber);
        const [event] = await fx.registry.queryFilter(fx.registry.filters.ConsentCameOfAge(fx.member.address));
        expect(event!.blockNumber).to.equal(block!.number);
        const link = await fx.registry.linkOf(fx.member.address);
        expect([link.minor, link.guardian, link.purposes]).to.deep.equal([false, ZERO, REWARDS | MARKETING | PARTNER_SHARING]);
      });

      it("then guardian purposes stand on the member's signature alone, and the former guardian has no say", async function () {
        const fx = await loadFixture(minorFixture);
        const { request, signature } = await signComingOfAge(fx);
        await fx.registry.connect(fx.brand).comeOfAge(request, signature);
        const grant = await signChange(fx, REWARDS | MARKETING | PARTNER_SHARING);
        await expect(fx.registry.connect(fx.relayer).changePurposes(grant.change, grant.signature, "0x"))
          .to.emit(fx.registry, "ConsentPurposesChanged")
          .withArgs(fx.member.address, REWARDS, REWARDS | MARKETING | PARTNER_SHARING);
        const { withdrawal } = await signWithdrawal(fx, MARKETING);
        await expect(fx.registry.connect(fx.guardian).guardianWithdraw(withdrawal, "0x"))
          .to.be.revertedWithCustomError(fx.registry, "ConsentNotMinor")
          .withArgs(fx.member.address);
        const again = await signComingOfAge(fx);
        await expect(fx.registry.connect(fx.brand).comeOfAge(again.request, again.signature))
          .to.be.revertedWithCustomError(fx.registry, "ConsentNotMinor")
          .withArgs(fx.member.address);
      });

      it("is brand role only, and needs the member's own signature (role matrix)", async function () {
        const fx = await loadFixture(minorFixture);
        const { request, signature } = await signComingOfAge(fx);
        for (const caller of [fx.member, fx.guardian, fx.relayer, fx.stranger, fx.admin]) {
          await expect(fx.registry.connect(caller).comeOfAge(request, signature))
            .to.be.revertedWithCustomError(fx.registry, "AccessControlUnauthorizedAccount")
            .withArgs(caller.address, fx.BRAND_ROLE);
        }
        for (const signer of [fx.guardian, fx.brand, fx.stranger]) {
          const forged = await signComingOfAge(fx, { signer });
          await expect(fx.registry.connect(fx.brand).comeOfAge(forged.request, forged.signature))
            .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
            .withArgs(fx.member.address);
        }
        await expect(fx.registry.connect(fx.brand).comeOfAge(request, "0x"))
          .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
          .withArgs(fx.member.address);
      });

      it("is single use, bound to its deadline and chain (replay)", async function () {
        const fx = await loadFixture(minorFixture);
        const expired = await signComingOfAge(fx, { deadline: (await deadlineIn(0n)) - 1n });
        await expect(fx.registry.connect(fx.brand).comeOfAge(expired.request, expired.signature))
          .to.be.revertedWithCustomError(fx.registry, "ConsentExpired")
          .withArgs(expired.request.deadline, anyValue);
        const otherChain = await signComingOfAge(fx, { domain: await otherChainDomain(fx) });
        await expect(fx.registry.connect(fx.brand).comeOfAge(otherChain.request, otherChain.signature))
          .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidMemberSignature")
          .withArgs(fx.member.address);
        // Signed, then the member acted: the signature is dead.
        const signed = await signComingOfAge(fx);
        await fx.registry.connect(fx.member).revokeAll();
        await expect(fx.registry.connect(fx.brand).comeOfAge(signed.request, signed.signature))
          .to.be.revertedWithCustomError(fx.registry, "ConsentInvalidNonce")
          .withArgs(fx.member.address, signed.request.nonce, signed.request.nonce + 1n);
      });

      it("has nothing to do for an adult or an unlinked wallet", async function () {
        const fx = await loadFixture(linkedFixture);
        const { request, signature } = await signComingOfAge(fx);
        await expect(fx.registry.connect(fx.brand).comeOfAge(request, signature))
          .to.be.revertedWithCustomError(fx.registry, "ConsentNotMinor")
          .withArgs(fx.member.address);
        await fx.registry.connect(fx.brand).brandUnlink(fx.member.address);
        await expect(fx.registry.connect(fx.brand).comeOfAge(request, signature))
          .to.be.revertedWithCustomError(fx.registry, "ConsentNotLinked")
          .withArgs(fx.member.address);
      });
    });

    it("unlink removes the commitment from the wallet's record and its event names only the wallet", async function () {
      const fx = (await loadFixture(minorWithMarketingFixture)) as MinorFixture;
      const tx = await fx.registry.connect(fx.brand).brandUnlink(fx.member.address);
      const receipt = await tx.wait();
      const commitment = fx.prepared.request.commitment.slice(2).toLowerCase();
      for (const log of receipt!.logs) {
        for (const part of [log.data, ...log.topics]) expect(part.toLowerCase()).not.to.contain(commitment);
      }
      await expect(fx.registry.linkOf(fx.member.address)).to.be.revertedWithCustomError(fx.registry, "ConsentNotLinked");
      // Kept only as "used", keyed by the commitment alone, so it can never link again.
      expect(await fx.registry.isCommitmentUsed(fx.prepared.request.commitment)).to.equal(true);
    });
  });

  describe("privacy", function () {
    it("a link transaction's calldata and logs carry the commitment, never the customer id, email or salt", async function () {
      const fx = await loadFixture(deployFixture);
      const customerId = "cust-0042";
      const email = "ana.lima+punchcard@example.com";
      const salt = randomSalt();
      const commitment = consentCommitment(salt, customerId);
      const prepared = await prepareLink(fx, { commitment, purposes: ALL });
      const tx = await submitLink(fx, prepared, fx.relayer);
      const receipt = await tx.wait();
      expect(receipt).to.not.equal(null);

      const haystacks = [tx.data, ...receipt!.logs.flatMap((log) => [log.data, ...log.topics])].map((hex) => hex.toLowerCase());
      // The commitment is there, so the scan itself works.
      expect(haystacks.some((h) => h.includes(commitment.slice(2).toLowerCase()))).to.equal(true);

      const secrets = [customerId, email, customerId.toUpperCase(), email.toUpperCase(), "0042"];
      const needles = secrets.map((s) => ethers.hexlify(ethers.toUtf8Bytes(s)).slice(2).toLowerCase());
      needles.push(salt.slice(2).toLowerCase());
      for (const needle of needles) {
        for (const haystack of haystacks) {
          expect(haystack.includes(needle), `found ${needle} on-chain`).to.equal(false);
        }
      }
      // And the stored link itself holds only the commitment.
      expect((await fx.registry.linkOf(fx.member.address)).commitment).to.equal(commitment);
    });
  });
});
