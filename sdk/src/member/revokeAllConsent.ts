import { consentRegistryErrorCatalog } from "../errors/consentRegistry.js";
import { consentRegistryAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";

export interface RevokeAllConsentParameters {
  program: Program;
}

export type RevokeAllConsentReturnType = ExecuteResult;

/**
 * Revokes every purpose of the member's link in one call, with nothing to sign: as easy as granting.
 *
 * @example
 * await revokeAllConsent(member, { program });
 */
export async function revokeAllConsent(
  client: WriteClient,
  { program }: RevokeAllConsentParameters,
): Promise<RevokeAllConsentReturnType> {
  return execute(client, { address: program.consent, abi: consentRegistryAbi, functionName: "revokeAll", args: [] }, [
    consentRegistryErrorCatalog,
  ]);
}
