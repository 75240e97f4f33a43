import { consentRegistryErrorCatalog } from "../errors/consentRegistry.js";
import { consentRegistryAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";

export interface UnlinkWalletParameters {
  program: Program;
}

export type UnlinkWalletReturnType = ExecuteResult;

/**
 * Removes the member's link (and every purpose with it) from their own wallet.
 *
 * @example
 * await unlinkWallet(member, { program });
 */
export async function unlinkWallet(client: WriteClient, { program }: UnlinkWalletParameters): Promise<UnlinkWalletReturnType> {
  return execute(client, { address: program.consent, abi: consentRegistryAbi, functionName: "unlink", args: [] }, [
    consentRegistryErrorCatalog,
  ]);
}
