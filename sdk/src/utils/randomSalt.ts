import { toHex, type Hex } from "viem";

/**
 * A random 32-byte salt (Web Crypto: works in browsers and Node).
 *
 * @example
 * const salt = randomSalt(); // 0x + 64 hex digits
 */
export function randomSalt(): Hex {
  return toHex(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}
