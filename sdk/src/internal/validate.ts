import { isAddress, isHex, size, stringToHex, zeroAddress, type Address, type Hex } from "viem";
import { InvalidArgumentError } from "../errors.js";

/** Checks `value` is a non-zero address; returns it typed. */
export function requireAddress(argument: string, value: string): Address {
  if (!isAddress(value, { strict: false })) {
    throw new InvalidArgumentError(argument, `must be a 20-byte 0x address (got ${JSON.stringify(value)}).`);
  }
  if (value.toLowerCase() === zeroAddress) throw new InvalidArgumentError(argument, "cannot be the zero address.");
  return value;
}

/** Checks `value` is a whole number in [min, max]. */
export function requireRange(argument: string, value: bigint, min: bigint, max?: bigint, unit = ""): bigint {
  if (typeof value !== "bigint") {
    throw new InvalidArgumentError(argument, `must be a bigint (got ${typeof value}).`, "Write amounts as 100n.");
  }
  if (value < min || (max !== undefined && value > max)) {
    const range = max === undefined ? `at least ${min}` : `between ${min} and ${max}`;
    throw new InvalidArgumentError(argument, `must be ${range}${unit} (got ${value}).`);
  }
  return value;
}

/** Checks a list is non-empty and at most `max` long. */
export function requireLength(argument: string, list: readonly unknown[], max: number): void {
  if (list.length === 0 || list.length > max) {
    throw new InvalidArgumentError(argument, `must hold 1 to ${max} entries (got ${list.length}).`, "Split it into batches.");
  }
}

/**
 * A bytes32 code from either a short text (at most 31 bytes, e.g. "welcome-bonus") or a 0x hex of 32 bytes.
 * Codes are public on-chain: never put personal data in them.
 */
export function toBytes32(argument: string, value: string): Hex {
  if (isHex(value)) {
    if (size(value) !== 32) throw new InvalidArgumentError(argument, `as hex must be 32 bytes (got ${size(value)}).`);
    return value;
  }
  const encoded = stringToHex(value);
  if (size(encoded) > 31) {
    throw new InvalidArgumentError(argument, `as text must be at most 31 bytes (got ${size(encoded)}).`);
  }
  return stringToHex(value, { size: 32 });
}
