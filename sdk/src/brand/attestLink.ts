import { zeroAddress, type Address, type Hex } from "viem";
import { signTypedData } from "viem/actions";
import { InvalidArgumentError } from "../errors.js";
import { requireAddress } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";
import { attestationTypes, consentDomain, type AttestationMessage } from "../types/consent.js";
import { DEFAULT_CONSENT_LIFETIME_SECONDS } from "../constants.js";
import type { SignedConsent } from "../types/consent.js";
import { expiryIn } from "../utils/expiryIn.js";

export interface AttestLinkParameters {
  program: Program;
  wallet: Address;
  commitment: Hex;
  /** Whether the customer is a minor; then `guardian` must approve marketing and partner sharing. */
  minor?: boolean;
  guardian?: Address;
  deadline?: bigint;
}

export type AttestLinkReturnType = SignedConsent<AttestationMessage>;

/**
 * The brand states, by signature, that `commitment` is one of its customer accounts and whether that
 * customer is a minor. Needs the consent registry's brand role.
 *
 * @example
 * const attestation = await attestLink(backend, { program, wallet, commitment, minor: true, guardian });
 */
export async function attestLink(
  client: WriteClient,
  { program, wallet, commitment, minor = false, guardian = zeroAddress, deadline }: AttestLinkParameters,
): Promise<AttestLinkReturnType> {
  requireAddress("wallet", wallet);
  if (minor) requireAddress("guardian", guardian);
  else if (guardian !== zeroAddress) throw new InvalidArgumentError("guardian", "is only for a minor's link.");
  const message: AttestationMessage = {
    wallet,
    commitment,
    minor,
    guardian,
    attester: client.account.address,
    deadline: deadline ?? (await expiryIn(client, DEFAULT_CONSENT_LIFETIME_SECONDS)),
  };
  const signature = await signTypedData(client, {
    account: client.account,
    domain: consentDomain(program),
    types: attestationTypes,
    primaryType: "Attestation",
    message,
  });
  return { message, signature };
}
