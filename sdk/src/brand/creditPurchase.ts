import { pointsErrorCatalog } from "../errors/points.js";
import { isHex, keccak256, size, stringToHex, type Address, type Hex } from "viem";
import { pointsAbi } from "../generated/abis.js";
import { InvalidArgumentError } from "../errors.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { requireAddress, requireRange } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";

export interface CreditPurchaseParameters {
  program: Program;
  member: Address;
  amount: bigint;
  /** The payment receipt's id as a 32-byte hex; derive it with {@link receiptIdOf}. Never personal data. */
  receiptId: Hex;
}

export type CreditPurchaseReturnType = ExecuteResult;

/**
 * The bytes32 receipt id of a payment, derived from the brand's own receipt reference and a secret
 * the brand keeps (so nobody can guess receipt ids from public order numbers).
 *
 * @example
 * const receiptId = receiptIdOf("order-2026-000123", process.env.RECEIPT_SECRET!);
 */
export function receiptIdOf(receiptReference: string, brandSecret: string): Hex {
  return keccak256(stringToHex(`${brandSecret}\u0000${receiptReference}`));
}

/**
 * Credits points bought with money, once per payment receipt: a second credit of the same receipt
 * fails with `ContractRevertError` named `PointsReceiptAlreadyCredited`. Needs the minter role.
 *
 * @example
 * await creditPurchase(backend, { program, member: alice, amount: 500n, receiptId });
 */
export async function creditPurchase(
  client: WriteClient,
  { program, member, amount, receiptId }: CreditPurchaseParameters,
): Promise<CreditPurchaseReturnType> {
  requireAddress("member", member);
  requireRange("amount", amount, 1n);
  if (!isHex(receiptId) || size(receiptId) !== 32) {
    throw new InvalidArgumentError("receiptId", "must be a 32-byte 0x hex.", "Derive it with receiptIdOf().");
  }
  if (BigInt(receiptId) === 0n) throw new InvalidArgumentError("receiptId", "cannot be zero.");
  return execute(
    client,
    {
      address: program.points,
      abi: pointsAbi,
      functionName: "credit",
      args: [member, amount, receiptId],
    },
    [pointsErrorCatalog],
  );
}
