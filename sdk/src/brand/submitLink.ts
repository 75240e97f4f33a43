import { consentRegistryErrorCatalog } from "../errors/consentRegistry.js";
import type { Hex } from "viem";
import { consentRegistryAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";
import type { AttestationMessage, ConsentLinkMessage } from "../types/consent.js";
import type { SignedConsent } from "../types/consent.js";

export interface SubmitLinkParameters {
  program: Program;
  /** The member's signed consent ({@link signConsentLink}). */
  consent: SignedConsent<ConsentLinkMessage>;
  /** The brand's signed attestation ({@link attestLink}). */
  attestation: SignedConsent<AttestationMessage>;
  /** The guardian's approval, for a minor granting marketing or partner sharing. */
  guardianSignature?: Hex;
}

export type SubmitLinkReturnType = ExecuteResult;

/**
 * Submits a link on the member's and the brand's signatures: the brand or any relayer pays the gas.
 *
 * @example
 * await submitLink(backend, { program, consent, attestation });
 */
export async function submitLink(
  client: WriteClient,
  { program, consent, attestation, guardianSignature = "0x" }: SubmitLinkParameters,
): Promise<SubmitLinkReturnType> {
  return execute(
    client,
    {
      address: program.consent,
      abi: consentRegistryAbi,
      functionName: "link",
      args: [consent.message, consent.signature, attestation.message, attestation.signature, guardianSignature],
    },
    [consentRegistryErrorCatalog],
  );
}
