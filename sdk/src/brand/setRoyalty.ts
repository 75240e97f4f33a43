import { stampsErrorCatalog } from "../errors/stamps.js";
import type { Address } from "viem";
import { stampsAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { requireAddress, requireRange } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";
import { MAX_ROYALTY_BPS } from "../constants.js";

export interface SetRoyaltyParameters {
  program: Program;
  /** Receiver of the royalty on every trade. */
  treasury: Address;
  /** Rate in basis points (100 = 1 %), at most 1,000. */
  royaltyBps: bigint;
}

export type SetRoyaltyReturnType = ExecuteResult;

/**
 * Sets the brand's royalty receiver and rate. Admin only.
 *
 * @example
 * await setRoyalty(brand, { program, treasury, royaltyBps: 500n }); // 5 %
 */
export async function setRoyalty(
  client: WriteClient,
  { program, treasury, royaltyBps }: SetRoyaltyParameters,
): Promise<SetRoyaltyReturnType> {
  requireAddress("treasury", treasury);
  requireRange("royaltyBps", royaltyBps, 0n, MAX_ROYALTY_BPS, " basis points");
  return execute(
    client,
    {
      address: program.stamps,
      abi: stampsAbi,
      functionName: "setRoyalty",
      args: [treasury, royaltyBps],
    },
    [stampsErrorCatalog],
  );
}
