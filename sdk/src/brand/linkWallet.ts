import { zeroAddress, type Address, type Hex } from "viem";
import { signTypedData } from "viem/actions";
import { consentRegistryAbi } from "../abis";
import { InvalidArgumentError } from "../errors";
import { execute, type ExecuteResult } from "../internal/execute";
import { requireAddress } from "../internal/validate";
import type { Program, WriteClient } from "../program";
import {
  attestationTypes,
  consentDomain,
  DEFAULT_CONSENT_LIFETIME_SECONDS,
  type AttestationMessage,
  type ConsentLinkMessage,
  type PurposesChangeMessage,
} from "../member/consentTypes";
import type { SignedConsent } from "../member/signConsent";
import { expiryIn } from "../member/orderTypes";

export interface AttestLinkParameters {
  program: Program;
  wallet: Address;
  commitment: Hex;
  /** Whether the customer is a minor; then `guardian` must approve marketing and partner sharing. */
  minor?: boolean;
  guardian?: Address;
  deadline?: bigint;
}

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
): Promise<SignedConsent<AttestationMessage>> {
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

export interface SubmitLinkParameters {
  program: Program;
  /** The member's signed consent ({@link signConsentLink}). */
  consent: SignedConsent<ConsentLinkMessage>;
  /** The brand's signed attestation ({@link attestLink}). */
  attestation: SignedConsent<AttestationMessage>;
  /** The guardian's approval, for a minor granting marketing or partner sharing. */
  guardianSignature?: Hex;
}

/**
 * Submits a link on the member's and the brand's signatures: the brand or any relayer pays the gas.
 *
 * @example
 * await submitLink(backend, { program, consent, attestation });
 */
export async function submitLink(
  client: WriteClient,
  { program, consent, attestation, guardianSignature = "0x" }: SubmitLinkParameters,
): Promise<ExecuteResult> {
  return execute(client, {
    address: program.consent,
    abi: consentRegistryAbi,
    functionName: "link",
    args: [consent.message, consent.signature, attestation.message, attestation.signature, guardianSignature],
  });
}

/**
 * Submits a member's signed change of purposes (revocation included); the brand or a relayer pays the gas.
 *
 * @example
 * await submitConsentChange(backend, { program, change: await signConsentChange(member, { program, purposes: [] }) });
 */
export async function submitConsentChange(
  client: WriteClient,
  { program, change, guardianSignature = "0x" }: { program: Program; change: SignedConsent<PurposesChangeMessage>; guardianSignature?: Hex },
): Promise<ExecuteResult> {
  return execute(client, {
    address: program.consent,
    abi: consentRegistryAbi,
    functionName: "changePurposes",
    args: [change.message, change.signature, guardianSignature],
  });
}

/**
 * Removes a member's link on the brand's side: what erasure ("forget me") does on-chain. Needs the
 * registry's brand role.
 *
 * @example
 * await brandUnlink(backend, { program, wallet });
 */
export async function brandUnlink(client: WriteClient, { program, wallet }: { program: Program; wallet: Address }): Promise<ExecuteResult> {
  return execute(client, { address: program.consent, abi: consentRegistryAbi, functionName: "brandUnlink", args: [wallet] });
}
