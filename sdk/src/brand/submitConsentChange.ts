import { consentRegistryErrorCatalog } from "../errors/consentRegistry.js";
import type { Hex } from "viem";
import { consentRegistryAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";
import type { PurposesChangeMessage } from "../types/consent.js";
import type { SignedConsent } from "../types/consent.js";

export interface SubmitConsentChangeParameters {
  program: Program;
  change: SignedConsent<PurposesChangeMessage>;
  guardianSignature?: Hex;
}

export type SubmitConsentChangeReturnType = ExecuteResult;

/**
 * Submits a member's signed change of purposes (revocation included); the brand or a relayer pays the gas.
 *
 * @example
 * await submitConsentChange(backend, { program, change: await signConsentChange(member, { program, purposes: [] }) });
 */
export async function submitConsentChange(
  client: WriteClient,
  { program, change, guardianSignature = "0x" }: SubmitConsentChangeParameters,
): Promise<SubmitConsentChangeReturnType> {
  return execute(
    client,
    {
      address: program.consent,
      abi: consentRegistryAbi,
      functionName: "changePurposes",
      args: [change.message, change.signature, guardianSignature],
    },
    [consentRegistryErrorCatalog],
  );
}
