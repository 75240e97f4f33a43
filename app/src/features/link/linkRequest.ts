import type { AttestationMessage, SignedConsent } from "@punchcard/sdk";
import { isAddress, isHex, type Address, type Hex } from "viem";

// A brand's link request: the link the brand gives a member (in an email, a QR code at the till, its own site) to link
// their card or wallet to their customer account, `#/link/<code>`. The code is the brand's attestation (`attestLink`,
// after `LinkStore.prepareLink`) for that wallet and commitment: the wallet adds the member's consent, purpose by
// purpose. Nothing in it names the person: the commitment is a salted hash only the brand can tie to them.

/** The attestation as the code carries it: JSON (the deadline as a decimal string), base64url. */
interface CodeJson {
  wallet: Address;
  commitment: Hex;
  minor: boolean;
  guardian: Address;
  attester: Address;
  deadline: string;
  signature: Hex;
}

/**
 * The code of a link request for the brand's signed attestation: the wallet's page `#/link/<code>` asks the member
 * for their consent to it.
 *
 * @example
 * const url = `${walletUrl}#/link/${linkRequestCode(await attestLink(backend, { program, wallet, commitment }))}`;
 */
export function linkRequestCode({ message, signature }: SignedConsent<AttestationMessage>): string {
  const json: CodeJson = { ...message, deadline: message.deadline.toString(), signature };
  return btoa(JSON.stringify(json)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The attestation a link request's code carries, or undefined when the code is not one (cut short, altered). */
export function parseLinkRequest(code: string): SignedConsent<AttestationMessage> | undefined {
  try {
    const json = JSON.parse(atob(code.replace(/-/g, "+").replace(/_/g, "/"))) as Partial<CodeJson>;
    const { wallet, commitment, minor, guardian, attester, deadline, signature } = json;
    if (
      !isAddress(wallet ?? "", { strict: false }) ||
      !isAddress(guardian ?? "", { strict: false }) ||
      !isAddress(attester ?? "", { strict: false }) ||
      !isHex(commitment) ||
      commitment.length !== 66 ||
      !isHex(signature) ||
      typeof minor !== "boolean" ||
      typeof deadline !== "string" ||
      !/^\d{1,20}$/.test(deadline)
    )
      return undefined;
    return {
      message: {
        wallet: wallet!,
        commitment,
        minor,
        guardian: guardian!,
        attester: attester!,
        deadline: BigInt(deadline),
      },
      signature,
    };
  } catch {
    return undefined;
  }
}
