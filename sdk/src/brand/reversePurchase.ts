import { pointsErrorCatalog } from "../errors/points.js";
import { isHex, parseEventLogs, size, type Address, type Hex } from "viem";
import { pointsAbi } from "../generated/abis.js";
import { InvalidArgumentError, PunchcardError } from "../errors.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";

export interface ReversePurchaseParameters {
  program: Program;
  /** The refunded payment's receipt id, as credited (see receiptIdOf). */
  receiptId: Hex;
}

export interface ReversePurchaseReturnType extends ExecuteResult {
  /** The member credited for the receipt; null when the receipt was never credited (it now never can be). */
  member: Address | null;
  /** Points the receipt credited. */
  amount: bigint;
  /** Points burned now: all of them while pending, else what the member could still spend. */
  burned: bigint;
  /** Points the member had already spent (amount - burned), for the brand to settle off-chain. */
  shortfall: bigint;
}

/**
 * Reverses a refunded or charged-back purchase, once per receipt: while its points are pending the credit is
 * cancelled whole; afterwards what the member can still spend is burned, up to the credit, and the rest is the
 * shortfall. A receipt reversed before it was credited can never be credited. A second reversal fails with
 * `ContractRevertError` named `PointsReceiptAlreadyReversed`. Needs the minter role.
 *
 * @example
 * const { burned, shortfall } = await reversePurchase(backend, { program, receiptId });
 */
export async function reversePurchase(
  client: WriteClient,
  { program, receiptId }: ReversePurchaseParameters,
): Promise<ReversePurchaseReturnType> {
  if (!isHex(receiptId) || size(receiptId) !== 32) {
    throw new InvalidArgumentError("receiptId", "must be a 32-byte 0x hex.", "Derive it with receiptIdOf().");
  }
  if (BigInt(receiptId) === 0n) throw new InvalidArgumentError("receiptId", "cannot be zero.");
  const result = await execute(
    client,
    {
      address: program.points,
      abi: pointsAbi,
      functionName: "reversePurchase",
      args: [receiptId],
    },
    [pointsErrorCatalog],
  );
  const [event] = parseEventLogs({ abi: pointsAbi, eventName: "PointsPurchaseReversed", logs: result.receipt.logs });
  if (!event)
    throw new PunchcardError(`Transaction ${result.hash} reversed no purchase: is ${program.points} the program's Points?`);
  const { member, amount, burned, shortfall } = event.args;
  return { ...result, member: BigInt(member) === 0n ? null : member, amount, burned, shortfall };
}
