import { consentRegistryAbi } from "../abis";
import { execute, type ExecuteResult } from "../internal/execute";
import type { Program, WriteClient } from "../program";

/**
 * Removes the member's link (and every purpose with it) from their own wallet.
 *
 * @example
 * await unlinkWallet(member, { program });
 */
export async function unlinkWallet(client: WriteClient, { program }: { program: Program }): Promise<ExecuteResult> {
  return execute(client, { address: program.consent, abi: consentRegistryAbi, functionName: "unlink", args: [] });
}
