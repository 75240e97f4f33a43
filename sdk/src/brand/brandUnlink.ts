import { consentRegistryErrorCatalog } from "../errors/consentRegistry.js";
import type { Address } from "viem";
import { consentRegistryAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";

export interface BrandUnlinkParameters {
  program: Program;
  wallet: Address;
}

export type BrandUnlinkReturnType = ExecuteResult;

/**
 * Removes a member's link on the brand's side: what erasure ("forget me") does on-chain. Needs the
 * registry's brand role.
 *
 * @example
 * await brandUnlink(backend, { program, wallet });
 */
export async function brandUnlink(
  client: WriteClient,
  { program, wallet }: BrandUnlinkParameters,
): Promise<BrandUnlinkReturnType> {
  return execute(client, { address: program.consent, abi: consentRegistryAbi, functionName: "brandUnlink", args: [wallet] }, [
    consentRegistryErrorCatalog,
  ]);
}
