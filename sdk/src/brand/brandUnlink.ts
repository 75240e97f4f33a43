import type { Address } from "viem";
import { consentRegistryAbi } from "../abis";
import { execute, type ExecuteResult } from "../internal/execute";
import type { Program, WriteClient } from "../program";

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
