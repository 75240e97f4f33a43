import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { keccak256, stringToHex } from "viem";
import {
  attestationTypes,
  attestLink,
  changeConsent,
  consentLinkTypes,
  consentRegistryAbi,
  getConsentLink,
  guardianApprovalTypes,
  hasConsent,
  type InvalidArgumentError,
  maskToPurposes,
  purposesChangeTypes,
  purposesToMask,
  signConsentLink,
  submitLink,
  unlinkTypes,
  unlinkWallet,
  commitmentOf,
  randomSalt,
  type Purpose,
} from "../index.js";
import { sdkProgram } from "../../../test/helpers/sdkProgram.js";

/** "Name(type name,...)" from a viem typed-data field list, as EIP-712's encodeType writes it. */
function encodeType(types: Record<string, readonly { name: string; type: string }[]>): string {
  const [name, fields] = Object.entries(types)[0]!;
  return `${name}(${fields.map((f) => `${f.type} ${f.name}`).join(",")})`;
}

describe("sdk: consent from the member's wallet", () => {
  it("builds the same EIP-712 types as the registry's TYPEHASH constants", async () => {
    const { program, brand } = await loadFixture(sdkProgram);
    const read = (
      functionName:
        "LINK_TYPEHASH" | "ATTESTATION_TYPEHASH" | "PURPOSES_CHANGE_TYPEHASH" | "GUARDIAN_APPROVAL_TYPEHASH" | "UNLINK_TYPEHASH",
    ) => brand.readContract({ address: program.consent, abi: consentRegistryAbi, functionName });
    expect(keccak256(stringToHex(encodeType(consentLinkTypes)))).to.equal(await read("LINK_TYPEHASH"));
    expect(keccak256(stringToHex(encodeType(attestationTypes)))).to.equal(await read("ATTESTATION_TYPEHASH"));
    expect(keccak256(stringToHex(encodeType(purposesChangeTypes)))).to.equal(await read("PURPOSES_CHANGE_TYPEHASH"));
    expect(keccak256(stringToHex(encodeType(guardianApprovalTypes)))).to.equal(await read("GUARDIAN_APPROVAL_TYPEHASH"));
    expect(keccak256(stringToHex(encodeType(unlinkTypes)))).to.equal(await read("UNLINK_TYPEHASH"));
  });

  it("links, then the member changes purposes and unlinks from their own wallet", async () => {
    const { program, backend, members } = await loadFixture(sdkProgram);
    const ada = members[0]!;
    const commitment = commitmentOf(randomSalt(), "cust-0042");
    const consent = await signConsentLink(ada, { program, commitment, purposes: ["rewards"] });
    const attestation = await attestLink(backend, { program, wallet: ada.account.address, commitment });
    await submitLink(backend, { program, consent, attestation });
    expect(await getConsentLink(ada, { program, wallet: ada.account.address })).to.deep.include({
      commitment,
      purposes: ["rewards"],
      minor: false,
    });

    await changeConsent(ada, { program, purposes: ["rewards", "analytics"] });
    expect(await hasConsent(ada, { program, wallet: ada.account.address, purpose: "analytics" })).to.equal(true);
    await unlinkWallet(ada, { program });
    expect(await getConsentLink(ada, { program, wallet: ada.account.address })).to.equal(null);
    expect(await hasConsent(ada, { program, wallet: ada.account.address, purpose: "rewards" })).to.equal(false);
  });

  it("names purposes both ways and refuses unknown ones", async () => {
    const { program, brand, members } = await loadFixture(sdkProgram);
    expect(purposesToMask(["rewards", "partnerSharing"])).to.equal(9n);
    expect(maskToPurposes(15n)).to.deep.equal(["rewards", "analytics", "marketing", "partnerSharing"]);
    try {
      await hasConsent(brand, { program, wallet: members[0]!.account.address, purpose: "newsletter" as Purpose });
      expect.fail("should throw");
    } catch (error) {
      expect((error as InvalidArgumentError).argument).to.equal("purpose");
    }
    try {
      await attestLink(brand, {
        program,
        wallet: members[0]!.account.address,
        commitment: commitmentOf(randomSalt(), "x"),
        minor: true,
      });
      expect.fail("a minor without a guardian should throw");
    } catch (error) {
      expect((error as InvalidArgumentError).argument).to.equal("guardian");
    }
  });
});
