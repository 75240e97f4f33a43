import type { Address } from "viem";
import { getBlock, readContract } from "viem/actions";
import { pointsAbi } from "../generated/abis.js";
import { InvalidArgumentError } from "../errors.js";
import { requireAddress } from "../internal/validate.js";
import type { Program, ReadClient } from "../program.js";

const DAY = 24n * 60n * 60n;

export interface GetPointsLifecycleParameters {
  program: Program;
  member: Address;
  /** How far ahead to look for expiring points, in days (default 30). */
  withinDays?: number;
}

export interface GetPointsLifecycleReturnType {
  /** Points held (balanceOf): spendable, pending and expired-not-yet-burned together. */
  balance: bigint;
  /** Points bought recently, counted but not yet spendable. */
  pending: bigint;
  /** Points the member can spend now (zero once expired). */
  spendable: bigint;
  /** Points already expired: they can no longer be spent and stay in `balance` until anyone calls `expirePoints`. */
  expired: bigint;
  /** Points that will have expired within `withinDays` if the member does nothing (already expired ones included). */
  expiring: bigint;
  /** When they expire, in Unix seconds; null when nothing does within the window. */
  expiresAt: bigint | null;
}

/**
 * A member's points by lifecycle: pending, spendable, expired, and expiring within N days, so an app can warn in time.
 * Read at the latest block, as of its time (what the contract checks), not the computer's clock. The expiry clock
 * stops at the program's end: nothing expires after it, so past an announced end `expiring` counts only what expires
 * by the end, and once the end has passed `expired` and `spendable` are as they stood at the end.
 *
 * @example
 * const { pending, expiring, expiresAt } = await getPointsLifecycle(client, { program, member: alice, withinDays: 30 });
 */
export async function getPointsLifecycle(
  client: ReadClient,
  { program, member, withinDays = 30 }: GetPointsLifecycleParameters,
): Promise<GetPointsLifecycleReturnType> {
  requireAddress("member", member);
  if (!Number.isInteger(withinDays) || withinDays < 0 || withinDays > 3650) {
    throw new InvalidArgumentError("withinDays", `must be a whole number of days from 0 to 3650 (got ${withinDays}).`);
  }
  const { number: blockNumber, timestamp } = await getBlock(client);
  // Every figure from the same block, so that they add up even when a block lands between two reads.
  const points = { address: program.points, abi: pointsAbi, blockNumber } as const;
  const [balance, pending, spendable, [expired], [expiring, expiresAt]] = await Promise.all([
    readContract(client, { ...points, functionName: "balanceOf", args: [member] }),
    readContract(client, { ...points, functionName: "pendingOf", args: [member] }),
    readContract(client, { ...points, functionName: "spendableOf", args: [member] }),
    readContract(client, { ...points, functionName: "expiringBy", args: [member, timestamp] }),
    readContract(client, { ...points, functionName: "expiringBy", args: [member, timestamp + BigInt(withinDays) * DAY] }),
  ]);
  return { balance, pending, spendable, expired, expiring, expiresAt: expiring === 0n ? null : expiresAt };
}
