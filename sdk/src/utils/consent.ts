import { encodePacked, keccak256, type Hex } from "viem";
import { InvalidArgumentError } from "../errors.js";
import { PURPOSES, type Purpose } from "../types/consent.js";

/**
 * The bitmask of a set of purposes; an unknown name is an {@link InvalidArgumentError}.
 *
 * @example
 * purposesToMask(["rewards", "analytics"]); // 3n
 */
export function purposesToMask(purposes: readonly Purpose[]): bigint {
  let mask = 0n;
  for (const purpose of purposes) {
    const bit = PURPOSES[purpose];
    if (bit === undefined) {
      throw new InvalidArgumentError(
        "purposes",
        `holds ${JSON.stringify(purpose)}, which is not a purpose (${Object.keys(PURPOSES).join(", ")}).`,
      );
    }
    mask |= bit;
  }
  return mask;
}

/**
 * The purposes of a bitmask, in a fixed order.
 *
 * @example
 * maskToPurposes(5n); // ["rewards", "marketing"]
 */
export function maskToPurposes(mask: bigint): Purpose[] {
  return (Object.keys(PURPOSES) as Purpose[]).filter((p) => (mask & PURPOSES[p]) !== 0n);
}

/**
 * The on-chain commitment to a customer id: `keccak256(salt ‖ customerId)`. With a random 32-byte salt
 * that only the brand keeps, the commitment reveals nothing; once the salt is erased it names nobody.
 *
 * @example
 * const commitment = commitmentOf(randomSalt(), "cust-0042");
 */
export function commitmentOf(salt: Hex, customerId: string): Hex {
  return keccak256(encodePacked(["bytes32", "string"], [salt, customerId]));
}
