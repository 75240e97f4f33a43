import { rewardsErrorCatalog } from "../errors/rewards.js";
import type { Address } from "viem";
import { rewardsAbi } from "../generated/abis.js";
import { read } from "../internal/read.js";
import type { Program, ReadClient } from "../program.js";

export interface TierOfParameters {
  program: Program;
  member: Address;
}

export interface TierOfReturnType {
  /** 0 below the first threshold, else the number of thresholds reached (1 = the config's first tier). */
  tier: number;
  /** Status points: every point rewarded (rewardPoints, journeys), never spent, moved or bought. */
  status: bigint;
  /** Status points each tier needs, lowest first. */
  thresholds: readonly bigint[];
}

/**
 * A member's tier and status points, read from Rewards.
 *
 * @example
 * const { tier, status } = await tierOf(client, { program, member: alice });
 */
export async function tierOf(client: ReadClient, { program, member }: TierOfParameters): Promise<TierOfReturnType> {
  const rewards = { address: program.rewards, abi: rewardsAbi } as const;
  const [tier, status, thresholds] = await Promise.all([
    read(client, { ...rewards, functionName: "tierOf", args: [member] }, [rewardsErrorCatalog]),
    read(client, { ...rewards, functionName: "statusOf", args: [member] }, [rewardsErrorCatalog]),
    read(client, { ...rewards, functionName: "tierThresholds" }, [rewardsErrorCatalog]),
  ]);
  return { tier: Number(tier), status, thresholds };
}
