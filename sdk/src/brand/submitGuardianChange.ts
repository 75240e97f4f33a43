import { consentRegistryErrorCatalog } from "../errors/consentRegistry.js";
import type { Hex } from "viem";
import { consentRegistryAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";
import type { GuardianChangeMessage, SignedConsent } from "../types/consent.js";

export interface SubmitGuardianChangeParameters {
  program: Program;
  /** The minor's signed change ({@link signGuardianChange}). */
  change: SignedConsent<GuardianChangeMessage>;
  /** The new guardian's signature of the same message ({@link acceptGuardianship}). */
  newGuardianSignature: Hex;
}

export type SubmitGuardianChangeReturnType = ExecuteResult;

/**
 * Changes a minor's guardian on the member's and the new guardian's signatures. Needs the registry's brand
 * role. Marketing and partner sharing the old guardian approved are withdrawn: the new guardian approves anew.
 *
 * @example
 * await submitGuardianChange(backend, { program, change, newGuardianSignature });
 */
export async function submitGuardianChange(
  client: WriteClient,
  { program, change, newGuardianSignature }: SubmitGuardianChangeParameters,
): Promise<SubmitGuardianChangeReturnType> {
  return execute(
    client,
    {
      address: program.consent,
      abi: consentRegistryAbi,
      functionName: "changeGuardian",
      args: [change.message, change.signature, newGuardianSignature],
    },
    [consentRegistryErrorCatalog],
  );
}
