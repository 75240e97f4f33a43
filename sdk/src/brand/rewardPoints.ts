import { pointsErrorCatalog } from "../errors/points.js";
import { parseEventLogs, type Address } from "viem";
import { pointsAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { requireAddress, requireLength, requireRange, toBytes32 } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";
import { MAX_REWARD_BATCH } from "../constants.js";

export interface PointsReward {
  member: Address;
  /** In the points' smallest unit (whole points when decimals is 0). */
  amount: bigint;
}

export interface RewardPointsParameters {
  program: Program;
  /** One member is rewarded with `Points.reward`, more with `Points.rewardBatch` in one transaction. */
  rewards: readonly PointsReward[];
  /** Why: a short public code (at most 31 bytes of text, or a 32-byte hex), e.g. "welcome-bonus". */
  reason: string;
}

export interface RewardPointsReturnType extends ExecuteResult {
  rewarded: PointsReward[];
}

/**
 * Rewards points to one or many members, who earn as many status points (the tiers' measure, never spent): the one way
 * the brand's backend rewards with status. The client's account needs the minter role. Points bought with money go
 * through creditPurchase instead and earn no status.
 *
 * @example
 * await rewardPoints(backend, {
 *   program, reason: "welcome-bonus",
 *   rewards: [{ member: alice, amount: 100n }, { member: bob, amount: 50n }],
 * });
 */
export async function rewardPoints(
  client: WriteClient,
  { program, rewards, reason }: RewardPointsParameters,
): Promise<RewardPointsReturnType> {
  requireLength("rewards", rewards, MAX_REWARD_BATCH);
  rewards.forEach(({ member, amount }, i) => {
    requireAddress(`rewards[${i}].member`, member);
    requireRange(`rewards[${i}].amount`, amount, 1n);
  });
  const code = toBytes32("reason", reason);
  const [single] = rewards;
  const result =
    rewards.length === 1 && single
      ? await execute(
          client,
          {
            address: program.points,
            abi: pointsAbi,
            functionName: "reward",
            args: [single.member, single.amount, code],
          },
          [pointsErrorCatalog],
        )
      : await execute(
          client,
          {
            address: program.points,
            abi: pointsAbi,
            functionName: "rewardBatch",
            args: [rewards.map((r) => r.member), rewards.map((r) => r.amount), code],
          },
          [pointsErrorCatalog],
        );
  const rewarded = parseEventLogs({ abi: pointsAbi, eventName: "PointsRewarded", logs: result.receipt.logs }).map((log) => ({
    member: log.args.member,
    amount: log.args.amount,
  }));
  return { ...result, rewarded };
}
