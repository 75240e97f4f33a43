import { rewardsErrorCatalog } from "../errors/rewards.js";
import type { Address, Hex } from "viem";
import { rewardsAbi } from "../generated/abis.js";
import { read } from "../internal/read.js";
import { toBytes32 } from "../internal/validate.js";
import type { Program, ReadClient } from "../program.js";

export interface PerksOfParameters {
  program: Program;
  member: Address;
  /** The perks to check, by code (e.g. the program config's perk ids) or bytes32. */
  perkIds: readonly string[];
}

export type PerksOfReturnType = Array<{
  perkId: Hex;
  /** Whether the member meets every condition now (`isUnlocked`). */
  unlocked: boolean;
  /** Whether the member already claimed it in the current period (`isClaimed`). */
  claimed: boolean;
}>;

/**
 * Which perks a member has unlocked, and which they already claimed this period: what a shop checks.
 *
 * @example
 * const perks = await perksOf(client, { program, member: alice, perkIds: ["free-refill", "gold-lounge"] });
 */
export async function perksOf(client: ReadClient, { program, member, perkIds }: PerksOfParameters): Promise<PerksOfReturnType> {
  const rewards = { address: program.rewards, abi: rewardsAbi } as const;
  return Promise.all(
    perkIds.map(async (code, i) => {
      const perkId = toBytes32(`perkIds[${i}]`, code);
      const [unlocked, claimed] = await Promise.all([
        read(client, { ...rewards, functionName: "isUnlocked", args: [member, perkId] }, [rewardsErrorCatalog]),
        read(client, { ...rewards, functionName: "isClaimed", args: [member, perkId] }, [rewardsErrorCatalog]),
      ]);
      return { perkId, unlocked, claimed };
    }),
  );
}
