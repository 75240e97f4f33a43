// A brand's link request code (#/link/<code>): what the brand's attestation becomes, and what the wallet takes back.
import { expect } from "chai";
import type { AttestationMessage, SignedConsent } from "@punchcard/sdk";
import { linkRequestCode, parseLinkRequest } from "../src/features/link/linkRequest";

const ATTESTATION: SignedConsent<AttestationMessage> = {
  message: {
    wallet: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    commitment: `0x${"ab".repeat(32)}`,
    minor: false,
    guardian: "0x0000000000000000000000000000000000000000",
    attester: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    deadline: 1_900_000_000n,
  },
  signature: `0x${"cd".repeat(65)}`,
};

describe("wallet: a brand's link request code", () => {
  it("carries the brand's attestation to the wallet unchanged, in characters a URL's hash keeps as they are", () => {
    const code = linkRequestCode(ATTESTATION);
    expect(code).to.match(/^[A-Za-z0-9_-]+$/);
    expect(parseLinkRequest(code)).to.deep.equal(ATTESTATION);
  });

  it("abuse: a code cut short, not base64, not JSON, or with a field of the wrong kind is no request (the page says it is damaged)", () => {
    const code = linkRequestCode(ATTESTATION);
    expect(parseLinkRequest(code.slice(0, code.length - 10))).to.equal(undefined);
    expect(parseLinkRequest("!!!")).to.equal(undefined);
    expect(parseLinkRequest(Buffer.from("not json").toString("base64url"))).to.equal(undefined);
    const altered = (patch: Record<string, unknown>) =>
      Buffer.from(
        JSON.stringify({ ...ATTESTATION.message, deadline: "1900000000", signature: ATTESTATION.signature, ...patch }),
      ).toString("base64url");
    expect(parseLinkRequest(altered({}))).to.deep.equal(ATTESTATION);
    expect(parseLinkRequest(altered({ wallet: "Ada" }))).to.equal(undefined);
    expect(parseLinkRequest(altered({ commitment: "0x1234" }))).to.equal(undefined);
    expect(parseLinkRequest(altered({ minor: "yes" }))).to.equal(undefined);
    expect(parseLinkRequest(altered({ deadline: "-1" }))).to.equal(undefined);
    expect(parseLinkRequest(altered({ deadline: 1_900_000_000 }))).to.equal(undefined);
    expect(parseLinkRequest(altered({ signature: "not hex" }))).to.equal(undefined);
  });
});
