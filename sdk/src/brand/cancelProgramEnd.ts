import { stampsErrorCatalog } from "../errors/stamps.js";
import { stampsAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";

export interface CancelProgramEndParameters {
  program: Program;
}

export type CancelProgramEndReturnType = ExecuteResult;

/**
 * Withdraws the announced end of the program before it takes effect. Admin only. Members lose nothing when a
 * program goes on, and a new announcement needs the full notice period again, so a cancellation can never shorten
 * the notice members were given. After the end it is refused (`ProgramHasEnded`).
 *
 * @example
 * await cancelProgramEnd(brand, { program });
 */
export async function cancelProgramEnd(
  client: WriteClient,
  { program }: CancelProgramEndParameters,
): Promise<CancelProgramEndReturnType> {
  return execute(client, { address: program.stamps, abi: stampsAbi, functionName: "cancelEnd", args: [] }, [stampsErrorCatalog]);
}
