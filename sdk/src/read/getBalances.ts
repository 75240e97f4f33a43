import type { Address } from "viem";
import { getBalance, readContract } from "viem/actions";
import { pointsAbi, stampsAbi } from "../generated/abis.js";
import type { Program, ReadClient } from "../program.js";

export interface Balances {
  /** Points, in their smallest unit. */
  points: bigint;
  /** Number of stamps held. */
  stamps: bigint;
  /** The chain's native coin, in wei. */
  native: bigint;
}

export interface GetBalancesParameters {
  program: Program;
  member: Address;
}

export type GetBalancesReturnType = Balances;

/**
 * A member's points, stamp count and native coin.
 *
 * @example
 * const { points, stamps } = await getBalances(client, { program, member: alice });
 */
export async function getBalances(
  client: ReadClient,
  { program, member }: GetBalancesParameters,
): Promise<GetBalancesReturnType> {
  const [points, stamps, native] = await Promise.all([
    readContract(client, { address: program.points, abi: pointsAbi, functionName: "balanceOf", args: [member] }),
    readContract(client, { address: program.stamps, abi: stampsAbi, functionName: "balanceOf", args: [member] }),
    getBalance(client, { address: member }),
  ]);
  return { points, stamps, native };
}
