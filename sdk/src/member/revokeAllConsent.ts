import { consentRegistryAbi } from "../abis";
import { execute, type ExecuteResult } from "../internal/execute";
import type { Program, WriteClient } from "../program";

/**
 * Revokes every purpose of the member's link in one call, with nothing to sign: as easy as granting.
 *
 * @example
 * await revokeAllConsent(member, { program });
 */
export async function revokeAllConsent(client: WriteClient, { program }: { program: Program }): Promise<ExecuteResult> {
  return execute(client, { address: program.consent, abi: consentRegistryAbi, functionName: "revokeAll", args: [] });
}
