import { hexToBigInt, keccak256, stringToHex } from "viem";

/**
 * A Postgres advisory lock key (a signed 64-bit integer, as text) for a label: the first 8 bytes of its keccak-256.
 * Instances that name one thing alike contend for one lock; two things collide once in 2^64.
 *
 * @example
 * advisoryLockKey("punchcard order book leader 31337:0x5fbdb2315678afecb367f032d93f642f64180aa3"); // "-2614274016919241111"
 */
export function advisoryLockKey(label: string): string {
  return BigInt.asIntN(64, hexToBigInt(keccak256(stringToHex(label)).slice(0, 18) as `0x${string}`)).toString();
}
