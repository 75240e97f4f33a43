import { parseEventLogs, type Address, type Hex } from "viem";
import { readContract } from "viem/actions";
import { rewardsAbi } from "../generated/abis.js";
import { toPunchcardError } from "../errors.js";
import { withAllowance } from "../internal/allowance.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { toBytes32 } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";

export interface ClaimPerkParameters {
  program: Program;
  /** The perk's code (as in the program config, e.g. "free-refill"), or its bytes32. */
  perkId: string;
}

export interface ClaimPerkReturnType extends ExecuteResult {
  /** The claim recorded on-chain: a shop checks it with `isClaimed` or reads this event. */
  claim: { perkId: Hex; member: Address; period: bigint; pointsBurned: bigint };
}

/**
 * Claims a perk for the client's account. When the perk costs points, Rewards is approved for exactly that cost first
 * (and the raise undone if the claim fails); the points are burned.
 *
 * @example
 * const { claim } = await claimPerk(alice, { program, perkId: "free-refill" });
 */
export async function claimPerk(client: WriteClient, { program, perkId }: ClaimPerkParameters): Promise<ClaimPerkReturnType> {
  const id = toBytes32("perkId", perkId);
  const rules = await readContract(client, { address: program.rewards, abi: rewardsAbi, functionName: "perk", args: [id] }).catch(
    (error: unknown) => {
      throw toPunchcardError(error);
    },
  );
  const result = await withAllowance(client, program.points, program.rewards, rules.pointsCost, () =>
    execute(client, { address: program.rewards, abi: rewardsAbi, functionName: "claimPerk", args: [id] }),
  );
  const [log] = parseEventLogs({ abi: rewardsAbi, eventName: "RewardsPerkClaimed", logs: result.receipt.logs });
  return { ...result, claim: log!.args };
}
