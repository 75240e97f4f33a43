import { pointsErrorCatalog } from "../errors/points.js";
import { pointsAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { requireRange, toBytes32 } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";

export interface RedeemPointsParameters {
  program: Program;
  amount: bigint;
  /** What the points were spent on: a short public code (at most 31 bytes of text, or a 32-byte hex). */
  rewardId: string;
}

export type RedeemPointsReturnType = ExecuteResult;

/**
 * Burns the member's own points for a reward; the ledger shows the reward id.
 *
 * @example
 * await redeemPoints(member, { program, amount: 150n, rewardId: "free-coffee" });
 */
export async function redeemPoints(
  client: WriteClient,
  { program, amount, rewardId }: RedeemPointsParameters,
): Promise<RedeemPointsReturnType> {
  requireRange("amount", amount, 1n);
  return execute(
    client,
    {
      address: program.points,
      abi: pointsAbi,
      functionName: "redeem",
      args: [amount, toBytes32("rewardId", rewardId)],
    },
    [pointsErrorCatalog],
  );
}
