import { expect } from "chai";
import { ethers } from "hardhat";
import { createClient, encodeFunctionData, type Address, type Hex } from "viem";
import { hardhat } from "viem/chains";
import { memberActionsSetup, type MemberActionsSetup } from "../../../test/account/memberActions.js";
import { TestPasskey } from "../../../test/account/passkey.js";
import { freshDatabase } from "../../../test/helpers/databases.js";
import { clientFor } from "../../../test/helpers/viem.js";
import { inProcessTransport } from "../cli/inProcess.js";
import { consentRegistryAbi } from "../generated/abis.js";
import {
  attestLink,
  changeConsentCalls,
  getConsentLink,
  guardianApprovalCalls,
  guardianWithdrawalCalls,
  linkConsentCalls,
  ProgramServerError,
  signConsentLink,
  signForgetRequest,
  signGuardianRequest,
  submitLink,
  withdrawConsentCalls,
  type WriteClient,
} from "../index.js";
import { LinkStore } from "../node/linkStore/linkStore.js";

// Consent from a passkey account: the account links itself (calling the consent registry in a sponsored UserOp,
// the brand's attestation with it), changes and withdraws its purposes the same way; or the member's passkey signs
// the consent (ERC-1271) and the brand's link store links it. Export reads the record; "forget me" is a request the
// passkey signs, checked through the account's ERC-1271. The member holds no coin throughout.

/** The member signed up, the brand's backend (the fixture's admin) holding the consent registry's brand role. */
async function setup() {
  const s = await memberActionsSetup({
    linkStore: async (f) => {
      await f.consent.connect(f.admin).grantRole(await f.consent.BRAND_ROLE(), f.admin.address);
      return LinkStore.open(await freshDatabase("sqlite"), { program: f.program, brand: clientFor(f.admin.address as Address) });
    },
  });
  const brand = clientFor(s.admin.address as Address);
  const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp + 3_600);
  return { ...s, brand, deadline, store: s.store! };
}

/** The calls of the account linking `wallet` to a fresh commitment, attested by `attester`. */
async function linkCalls(s: Awaited<ReturnType<typeof setup>>, { attester = s.brand, wallet = s.member.address } = {}) {
  const commitment = ethers.hexlify(ethers.randomBytes(32)) as Hex;
  const attestation = await attestLink(attester as unknown as WriteClient, { program: s.program, wallet, commitment });
  const nonce = await s.consent.nonces(s.member.address);
  return {
    commitment,
    calls: linkConsentCalls({
      program: s.program,
      wallet,
      commitment,
      purposes: ["rewards"],
      nonce,
      deadline: s.deadline,
      attestation,
    }),
  };
}

const accountClient = (s: MemberActionsSetup, account: MemberActionsSetup["member"]) =>
  createClient({ account, chain: hardhat, transport: inProcessTransport() }) as unknown as WriteClient;

describe("sdk: consent, export and forget from a passkey account", () => {
  it("link with consent, change it, withdraw it and unlink: the account calls the registry itself, one sponsored UserOp each", async () => {
    const s = await setup();
    const { commitment, calls } = await linkCalls(s);
    await s.run(calls);
    // Export: the link record the wallet's export reads.
    const link = await getConsentLink(s.client, { program: s.program, wallet: s.member.address });
    expect(link).to.deep.include({ commitment, purposes: ["rewards"], minor: false });
    await s.run(
      changeConsentCalls({
        program: s.program,
        wallet: s.member.address,
        purposes: ["rewards", "analytics"],
        nonce: await s.consent.nonces(s.member.address),
        deadline: s.deadline,
      }),
    );
    expect((await getConsentLink(s.client, { program: s.program, wallet: s.member.address }))?.purposes).to.deep.equal([
      "rewards",
      "analytics",
    ]);
    await s.run(withdrawConsentCalls({ program: s.program }));
    expect((await getConsentLink(s.client, { program: s.program, wallet: s.member.address }))?.purposes).to.deep.equal([]);
    await s.run(withdrawConsentCalls({ program: s.program, unlink: true }));
    expect(await getConsentLink(s.client, { program: s.program, wallet: s.member.address })).to.equal(null);
    expect(await ethers.provider.getBalance(s.member.address)).to.equal(0n);
  });

  it("abuse: a link attested by someone not the brand, a link of another wallet, a stale change, the brand's own unlink: refused, nothing charged", async () => {
    const s = await setup();
    const forgedAttester = clientFor(s.stranger.address as Address);
    const notBrand = await s.refused((await linkCalls(s, { attester: forgedAttester })).calls);
    expect(notBrand.code).to.equal("would_revert");
    // The account may consent for itself only: linking Alice's wallet needs Alice's signature.
    const alices = await s.refused((await linkCalls(s, { wallet: s.alice.address as Address })).calls);
    expect(alices.code).to.equal("would_revert");
    expect(await s.consent.isLinked(s.alice.address)).to.equal(false);
    await s.run((await linkCalls(s)).calls);
    const stale = await s.refused(
      changeConsentCalls({
        program: s.program,
        wallet: s.member.address,
        purposes: ["marketing"],
        nonce: 0n,
        deadline: s.deadline,
      }),
    );
    expect(stale.code).to.equal("would_revert");
    // The brand's functions are not a member's action, whatever the account holds.
    const brandUnlink = encodeFunctionData({ abi: consentRegistryAbi, functionName: "brandUnlink", args: [s.member.address] });
    const outside = await s.refused([{ to: s.program.consent, data: brandUnlink }]);
    expect(outside.code).to.equal("outside_program");
    expect((await getConsentLink(s.client, { program: s.program, wallet: s.member.address }))?.purposes).to.deep.equal([
      "rewards",
    ]);
  });

  it("the passkey signs consent (ERC-1271), the brand's link store links it; export shows the record; forget, signed by the passkey, erases it", async () => {
    const s = await setup();
    const { commitment } = await s.store.prepareLink({ customerId: "cust-passkey", wallet: s.member.address });
    const consent = await signConsentLink(s.memberClient, { program: s.program, commitment, purposes: ["rewards"] });
    await s.store.link({ customerId: "cust-passkey", consent });
    const exported = await s.store.exportMemberData({ wallet: s.member.address });
    expect(exported.brand).to.deep.include({ customerId: "cust-passkey", status: "linked" });
    expect(exported.onChain?.purposes).to.deep.equal(["rewards"]);

    const answer = await s.api.forgetLink(await signForgetRequest(s.memberClient, { program: s.program }));
    expect(answer.status).to.equal("forgotten");
    expect(answer.erasedRecords.link).to.equal(true);
    expect(answer.unlinkedOnChain).to.equal(true);
    expect(await s.store.db.selectFrom("member_links").selectAll().execute()).to.deep.equal([]);
    expect(await getConsentLink(s.client, { program: s.program, wallet: s.member.address })).to.equal(null);
    expect(await ethers.provider.getBalance(s.member.address)).to.equal(0n);
  });

  it("abuse: forget signed by a passkey that is not the account's (made for the account's address) is refused; the record stays", async () => {
    const s = await setup();
    const { commitment } = await s.store.prepareLink({ customerId: "cust-passkey", wallet: s.member.address });
    await s.store.link({
      customerId: "cust-passkey",
      consent: await signConsentLink(s.memberClient, { program: s.program, commitment, purposes: ["rewards"] }),
    });
    // A thief's passkey over the same account address: the ERC-7739 wrapping is the account's, the key is not.
    const thief = await s.memberAccount(new TestPasskey("thief"), { firstPublicKey: s.passkey.credential.publicKey });
    expect(thief.address).to.equal(s.member.address);
    const forged = await signForgetRequest(accountClient(s, thief), { program: s.program });
    let refusal: unknown;
    try {
      await s.api.forgetLink(forged);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).to.be.instanceOf(ProgramServerError);
    expect((refusal as ProgramServerError).code).to.equal("bad_signature");
    expect(await s.store.db.selectFrom("member_links").selectAll().execute()).to.have.length(1);
    expect(await s.consent.isLinked(s.member.address)).to.equal(true);
  });

  /** Alice linked as a minor in the care of `guardian`, allowing rewards; the brand submits her link. */
  async function minorOf(s: Awaited<ReturnType<typeof setup>>, guardian: Address) {
    const alice = clientFor(s.alice.address as Address);
    const commitment = ethers.hexlify(ethers.randomBytes(32)) as Hex;
    const attestation = await attestLink(s.brand, {
      program: s.program,
      wallet: s.alice.address as Address,
      commitment,
      minor: true,
      guardian,
    });
    const consent = await signConsentLink(alice, { program: s.program, commitment, purposes: ["rewards"] });
    await submitLink(s.brand, { program: s.program, consent, attestation });
    return alice;
  }
  const purposesOf = async (s: Awaited<ReturnType<typeof setup>>) =>
    (await getConsentLink(s.client, { program: s.program, wallet: s.alice.address as Address }))?.purposes;
  const withdrawal = async (s: Awaited<ReturnType<typeof setup>>, guardian: Address) =>
    guardianWithdrawalCalls({
      program: s.program,
      wallet: s.alice.address as Address,
      guardian,
      purposes: ["marketing"],
      nonce: await s.consent.guardianNonces(guardian, s.alice.address),
      deadline: s.deadline,
    });

  it("a guardian's account approves the minor's signed request and withdraws it again, signing nothing but its UserOps", async () => {
    const s = await setup();
    const alice = await minorOf(s, s.member.address);
    const change = await signGuardianRequest(alice, { program: s.program, purposes: ["rewards", "marketing"] });
    await s.run(guardianApprovalCalls({ program: s.program, change }));
    expect(await purposesOf(s)).to.deep.equal(["rewards", "marketing"]);
    await s.run(await withdrawal(s, s.member.address));
    expect(await purposesOf(s)).to.deep.equal(["rewards"]);
    expect(await ethers.provider.getBalance(s.member.address)).to.equal(0n);
  });

  it("abuse: an account that is not the minor's guardian can neither approve nor withdraw: refused before sponsoring, nothing changes", async () => {
    const s = await setup();
    const alice = await minorOf(s, s.stranger.address as Address);
    const change = await signGuardianRequest(alice, { program: s.program, purposes: ["rewards", "marketing"] });
    expect((await s.refused(guardianApprovalCalls({ program: s.program, change }))).code).to.equal("would_revert");
    // Naming itself the guardian does not help: the registry compares it with the guardian the brand attested.
    expect((await s.refused(await withdrawal(s, s.member.address))).code).to.equal("would_revert");
    expect(await purposesOf(s)).to.deep.equal(["rewards"]);
  });
});
