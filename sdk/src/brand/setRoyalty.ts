import type { Address } from "viem";
import { stampsAbi } from "../abis";
import { execute, type ExecuteResult } from "../internal/execute";
import { requireAddress, requireRange } from "../internal/validate";
import type { Program, WriteClient } from "../program";

/** The royalty cap the Stamps contract enforces: 10 %. */
export const MAX_ROYALTY_BPS = 1_000n;

export interface SetRoyaltyParameters {
  program: Program;
  /** Receiver of the royalty on every trade. */
  treasury: Address;
  /** Rate in basis points (100 = 1 %), at most 1,000. */
  royaltyBps: bigint;
}

/**
 * Sets the brand's royalty receiver and rate. Admin only.
 *
 * @example
 * await setRoyalty(brand, { program, treasury, royaltyBps: 500n }); // 5 %
 */
export async function setRoyalty(
  client: WriteClient,
  { program, treasury, royaltyBps }: SetRoyaltyParameters,
): Promise<ExecuteResult> {
  requireAddress("treasury", treasury);
  requireRange("royaltyBps", royaltyBps, 0n, MAX_ROYALTY_BPS, " basis points");
  return execute(client, {
    address: program.stamps,
    abi: stampsAbi,
    functionName: "setRoyalty",
    args: [treasury, royaltyBps],
  });
}
