import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress, keccak256, stringToHex } from "viem";
import {
  acceptGuardianship,
  attestLink,
  comingOfAgeTypes,
  commitmentOf,
  consentRegistryAbi,
  getConsentLink,
  guardianChangeTypes,
  guardianWithdrawalTypes,
  hasConsent,
  type GuardianPurpose,
  randomSalt,
  readLedger,
  signComingOfAge,
  signConsentChange,
  signConsentLink,
  signGuardianApproval,
  signGuardianChange,
  signGuardianWithdrawal,
  submitComingOfAge,
  submitConsentChange,
  submitGuardianChange,
  submitGuardianWithdrawal,
  submitLink,
  withdrawAsGuardian,
} from "../index.js";
import { sdkProgram } from "../../../test/helpers/sdkProgram.js";
import { expectInvalid, expectRevert } from "../../../test/helpers/sdkErrors.js";

function encodeType(types: Record<string, readonly { name: string; type: string }[]>): string {
  const [name, fields] = Object.entries(types)[0]!;
  return `${name}(${fields.map((f) => `${f.type} ${f.name}`).join(",")})`;
}

/** Cleo (members[2]) linked as a minor with guardian Dev (members[3]): rewards, marketing, partner sharing. */
async function minorProgram() {
  const f = await sdkProgram();
  const [, , cleo, dev, eli] = f.members;
  const commitment = commitmentOf(randomSalt(), "cust-minor-1");
  const consent = await signConsentLink(cleo!, {
    program: f.program,
    commitment,
    purposes: ["rewards", "marketing", "partnerSharing"],
  });
  const attestation = await attestLink(f.backend, {
    program: f.program,
    wallet: cleo!.account.address,
    commitment,
    minor: true,
    guardian: dev!.account.address,
  });
  const guardianSignature = await signGuardianApproval(dev!, { program: f.program, message: consent.message });
  await submitLink(f.backend, { program: f.program, consent, attestation, guardianSignature });
  return { ...f, minor: cleo!, guardian: dev!, newGuardian: eli!, stranger: f.members[0]! };
}

describe("sdk: a minor's guardian and coming of age", () => {
  it("builds the same EIP-712 types as the registry's new TYPEHASH constants", async () => {
    const { program, brand } = await loadFixture(sdkProgram);
    const read = (functionName: "GUARDIAN_WITHDRAWAL_TYPEHASH" | "GUARDIAN_CHANGE_TYPEHASH" | "COMING_OF_AGE_TYPEHASH") =>
      brand.readContract({ address: program.consent, abi: consentRegistryAbi, functionName });
    expect(keccak256(stringToHex(encodeType(guardianWithdrawalTypes)))).to.equal(await read("GUARDIAN_WITHDRAWAL_TYPEHASH"));
    expect(keccak256(stringToHex(encodeType(guardianChangeTypes)))).to.equal(await read("GUARDIAN_CHANGE_TYPEHASH"));
    expect(keccak256(stringToHex(encodeType(comingOfAgeTypes)))).to.equal(await read("COMING_OF_AGE_TYPEHASH"));
  });

  it("the guardian withdraws marketing by a signature the brand relays, then partner sharing by a call", async () => {
    const { program, backend, minor, guardian, stranger } = await loadFixture(minorProgram);
    const wallet = minor.account.address;
    const withdrawal = await signGuardianWithdrawal(guardian, { program, wallet, purposes: ["marketing"] });
    await submitGuardianWithdrawal(backend, { program, withdrawal });
    expect(await hasConsent(backend, { program, wallet, purpose: "marketing" })).to.equal(false);
    await expectRevert(submitGuardianWithdrawal(backend, { program, withdrawal }), "ConsentInvalidGuardianNonce");
    // Someone else's signature, or call, is refused.
    const forged = await signGuardianWithdrawal(stranger, { program, wallet, purposes: ["partnerSharing"] });
    await expectRevert(submitGuardianWithdrawal(backend, { program, withdrawal: forged }), "ConsentNotGuardian");
    await expectRevert(withdrawAsGuardian(stranger, { program, wallet, purposes: ["partnerSharing"] }), "ConsentNotGuardian");

    await withdrawAsGuardian(guardian, { program, wallet, purposes: ["partnerSharing"] });
    expect((await getConsentLink(backend, { program, wallet }))?.purposes).to.deep.equal(["rewards"]);
    const kinds = (await readLedger(backend, { program }))
      .filter((e) => e.kind === "consent.guardian.withdrew")
      .map((e) => [e.counterparty, e.amount]);
    expect(kinds).to.deep.equal([
      [guardian.account.address, 4n],
      [guardian.account.address, 8n],
    ]);
  });

  it("refuses, before signing or sending, purposes a guardian cannot withdraw", async () => {
    const { program, minor, guardian } = await loadFixture(minorProgram);
    const wallet = minor.account.address;
    await expectInvalid(signGuardianWithdrawal(guardian, { program, wallet, purposes: [] }), "purposes");
    await expectInvalid(
      withdrawAsGuardian(guardian, { program, wallet, purposes: ["rewards" as GuardianPurpose] }),
      "purposes",
      /only marketing and partnerSharing/,
    );
  });

  it("changes the guardian on the minor's and the new guardian's signatures; the old guardian's approval stops counting", async () => {
    const { program, backend, minor, guardian, newGuardian, stranger } = await loadFixture(minorProgram);
    const wallet = minor.account.address;
    const change = await signGuardianChange(minor, { program, newGuardian: newGuardian.account.address });
    expect(change.message.oldGuardian.toLowerCase()).to.equal(guardian.account.address.toLowerCase());
    await expectInvalid(acceptGuardianship(stranger, { program, message: change.message }), "message");
    // Signed by the old guardian instead of the new one: refused.
    const byOld = await acceptGuardianship(newGuardian, { program, message: change.message }).then(() =>
      guardian.signTypedData({
        domain: { name: "Punchcard Consent", version: "1", chainId: program.chainId, verifyingContract: program.consent },
        types: guardianChangeTypes,
        primaryType: "GuardianChange",
        message: change.message,
      }),
    );
    await expectRevert(
      submitGuardianChange(backend, { program, change, newGuardianSignature: byOld }),
      "ConsentInvalidGuardianSignature",
    );
    const newGuardianSignature = await acceptGuardianship(newGuardian, { program, message: change.message });
    // Only the brand submits it.
    await expectRevert(
      submitGuardianChange(minor, { program, change, newGuardianSignature }),
      "AccessControlUnauthorizedAccount",
    );
    await submitGuardianChange(backend, { program, change, newGuardianSignature });
    const link = await getConsentLink(backend, { program, wallet });
    expect(link).to.deep.include({ minor: true, purposes: ["rewards"] });
    expect(link!.guardian.toLowerCase()).to.equal(newGuardian.account.address.toLowerCase());
    await expectRevert(submitGuardianChange(backend, { program, change, newGuardianSignature }), "ConsentNotGuardian");

    // The old guardian's approval of a new grant no longer counts; the new guardian's does.
    const grant = await signConsentChange(minor, { program, purposes: ["rewards", "marketing"] });
    const stale = await signGuardianApproval(guardian, { program, message: grant.message });
    await expectRevert(
      submitConsentChange(backend, { program, change: grant, guardianSignature: stale }),
      "ConsentInvalidGuardianSignature",
    );
    const fresh = await signGuardianApproval(newGuardian, { program, message: grant.message });
    await submitConsentChange(backend, { program, change: grant, guardianSignature: fresh });
    expect(await hasConsent(backend, { program, wallet, purpose: "marketing" })).to.equal(true);
    await expectRevert(withdrawAsGuardian(guardian, { program, wallet, purposes: ["marketing"] }), "ConsentNotGuardian");
  });

  it("a minor comes of age: the brand attests, the member signs, purposes then stand alone", async () => {
    const { program, backend, minor, guardian, stranger } = await loadFixture(minorProgram);
    const wallet = minor.account.address;
    const request = await signComingOfAge(minor, { program });
    await expectRevert(submitComingOfAge(stranger, { program, request }), "AccessControlUnauthorizedAccount");
    const forged = await signComingOfAge(guardian, { program });
    await expectRevert(
      submitComingOfAge(backend, { program, request: { message: request.message, signature: forged.signature } }),
      "ConsentInvalidMemberSignature",
    );
    await submitComingOfAge(backend, { program, request });
    expect(await getConsentLink(backend, { program, wallet })).to.deep.include({
      minor: false,
      purposes: ["rewards", "marketing", "partnerSharing"],
    });
    await expectRevert(submitComingOfAge(backend, { program, request }), "ConsentNotMinor");
    await expectRevert(withdrawAsGuardian(guardian, { program, wallet, purposes: ["marketing"] }), "ConsentNotMinor");
    await expectInvalid(signGuardianChange(minor, { program, newGuardian: guardian.account.address }), "wallet");
    const entry = (await readLedger(backend, { program })).find((e) => e.kind === "consent.cameOfAge");
    expect([entry!.actor, entry!.counterparty]).to.deep.equal([getAddress(wallet), getAddress(backend.account.address)]);
    expect(entry!.blockTime).to.be.greaterThan(0);
  });
});
