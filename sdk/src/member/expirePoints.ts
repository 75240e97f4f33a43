import { pointsErrorCatalog } from "../errors/points.js";
import { parseEventLogs, type Address } from "viem";
import { pointsAbi } from "../generated/abis.js";
import { PunchcardError } from "../errors.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { requireAddress } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";

export interface ExpirePointsParameters {
  program: Program;
  /** The member whose expired points to burn (anyone may send this). */
  member: Address;
}

export interface ExpirePointsReturnType extends ExecuteResult {
  /** Points burned. */
  expired: bigint;
}

/**
 * Burns a member's expired points, with a `PointsExpired` event: expiry is never a balance shrinking silently.
 * Anyone may send it (the brand, a keeper, the member). Nothing expired fails with `ContractRevertError` named
 * `PointsNothingToExpire`; find who has expired points with getPointsLifecycle or the ledger.
 *
 * @example
 * const { expired } = await expirePoints(keeper, { program, member: alice });
 */
export async function expirePoints(
  client: WriteClient,
  { program, member }: ExpirePointsParameters,
): Promise<ExpirePointsReturnType> {
  requireAddress("member", member);
  const result = await execute(client, { address: program.points, abi: pointsAbi, functionName: "expire", args: [member] }, [
    pointsErrorCatalog,
  ]);
  const [event] = parseEventLogs({ abi: pointsAbi, eventName: "PointsExpired", logs: result.receipt.logs });
  if (!event) throw new PunchcardError(`Transaction ${result.hash} expired nothing: is ${program.points} the program's Points?`);
  return { ...result, expired: event.args.amount };
}
