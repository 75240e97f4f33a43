import { rewardsErrorCatalog } from "../errors/rewards.js";
import { stampsErrorCatalog } from "../errors/stamps.js";
import { isAddressEqual, parseEventLogs, zeroAddress, type Address, type Hex } from "viem";
import { readContract } from "viem/actions";
import { rewardsAbi, stampsAbi } from "../generated/abis.js";
import { InvalidArgumentError } from "../errors.js";
import { withAllowance } from "../internal/allowance.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { toBytes32 } from "../internal/validate.js";
import { read } from "../internal/read.js";
import type { Program, WriteClient } from "../program.js";
import { decodeStampId } from "../utils/stampId.js";

export interface ClaimPerkParameters {
  program: Program;
  /** The perk's code (as in the program config, e.g. "free-refill"), or its bytes32. */
  perkId: string;
  /** For a perk paid with a stamp (`claim.stampOfSeries`): the stamp of that series, held by the client, to spend. */
  tokenId?: bigint;
}

export interface ClaimPerkReturnType extends ExecuteResult {
  /** The claim recorded on-chain: a shop checks it with `isClaimed` or reads this event. */
  claim: { perkId: Hex; member: Address; period: bigint; pointsBurned: bigint; stampBurned: bigint };
}

/**
 * Claims a perk for the client's account. When the perk costs points, Rewards is approved for exactly that cost first
 * (and the raise undone if the claim fails); the points are burned. When it costs a stamp, Rewards is approved for
 * exactly `tokenId` (ERC-721 `approve`, never for all stamps) and the stamp is burned; if the claim fails, that
 * approval is withdrawn.
 *
 * @example
 * const { claim } = await claimPerk(alice, { program, perkId: "free-refill" });
 * await claimPerk(alice, { program, perkId: "mug-for-a-stamp", tokenId: 1_000_000_001n });
 */
export async function claimPerk(
  client: WriteClient,
  { program, perkId, tokenId }: ClaimPerkParameters,
): Promise<ClaimPerkReturnType> {
  const id = toBytes32("perkId", perkId);
  const rules = await read(client, { address: program.rewards, abi: rewardsAbi, functionName: "perk", args: [id] }, [
    rewardsErrorCatalog,
  ]);
  const series = BigInt(rules.stampCostSeriesId);
  if (series === 0n && tokenId !== undefined) {
    throw new InvalidArgumentError("tokenId", `is not wanted: perk ${perkId} is not paid with a stamp.`, "Leave tokenId out.");
  }
  if (series !== 0n && (tokenId === undefined || decodeStampId(tokenId).seriesId !== series)) {
    throw new InvalidArgumentError(
      "tokenId",
      `must be a stamp of series ${series}: perk ${perkId} is paid with one.`,
      "Pass the id of a stamp of that series you hold.",
    );
  }
  const claim =
    tokenId === undefined
      ? () =>
          execute(client, { address: program.rewards, abi: rewardsAbi, functionName: "claimPerk", args: [id] }, [
            rewardsErrorCatalog,
          ])
      : () =>
          withStampApproval(client, program, tokenId, () =>
            execute(
              client,
              {
                address: program.rewards,
                abi: rewardsAbi,
                functionName: "claimPerkWithStamp",
                args: [id, tokenId],
              },
              [rewardsErrorCatalog],
            ),
          );
  const result = await withAllowance(client, program.points, program.rewards, rules.pointsCost, claim);
  const [log] = parseEventLogs({ abi: rewardsAbi, eventName: "RewardsPerkClaimed", logs: result.receipt.logs });
  return { ...result, claim: log!.args };
}

/**
 * Approves Rewards for exactly one stamp while `action` runs, and withdraws the approval if `action` fails (and the
 * approval is still the one given here). A successful claim burns the stamp, which clears the approval by itself.
 */
async function withStampApproval<T>(
  client: WriteClient,
  program: Program,
  tokenId: bigint,
  action: () => Promise<T>,
): Promise<T> {
  const stamps = { address: program.stamps, abi: stampsAbi } as const;
  const approved = await read(client, { ...stamps, functionName: "getApproved", args: [tokenId] }, [
    rewardsErrorCatalog,
    stampsErrorCatalog,
  ]);
  const raised = !isAddressEqual(approved, program.rewards);
  if (raised)
    await execute(client, { ...stamps, functionName: "approve", args: [program.rewards, tokenId] }, [
      rewardsErrorCatalog,
      stampsErrorCatalog,
    ]);
  try {
    return await action();
  } catch (error) {
    if (raised) {
      const now = await readContract(client, { ...stamps, functionName: "getApproved", args: [tokenId] }).catch(() => undefined);
      if (now !== undefined && isAddressEqual(now, program.rewards)) {
        await execute(client, { ...stamps, functionName: "approve", args: [zeroAddress, tokenId] }, [
          rewardsErrorCatalog,
          stampsErrorCatalog,
        ]).catch(() => undefined);
      }
    }
    throw error;
  }
}
