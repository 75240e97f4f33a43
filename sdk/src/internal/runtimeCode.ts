import { hexToBytes, keccak256, type Hex } from "viem";

/** What comparing a contract's live code with the SDK's bytecode found. */
export interface RuntimeCodeComparison {
  matches: boolean;
  /** keccak256 of the live runtime code with the immutables' words zeroed. */
  liveHash: Hex;
  /** keccak256 of the runtime code the SDK's bytecode deploys, immutables' words zero. */
  expectedHash: Hex;
  /** How many 32-byte immutable words were set aside. */
  immutables: number;
}

const PUSH1 = 0x60;
const PUSH32 = 0x7f;

/**
 * Compares a contract's live runtime code with the runtime code the SDK's creation bytecode deploys.
 *
 * The runtime code is the tail of the creation bytecode (solc appends it after the constructor, which copies it out
 * and returns it), so the expected code is the creation bytecode's last `live.length` bytes. Immutables differ per
 * deployment (addresses, the EIP-712 domain, the notice period): solc leaves each as a `PUSH32` of 32 zero bytes in
 * that template and the constructor writes the value there. So every `PUSH32 0` operand of the template is zeroed in
 * both codes before hashing; every other byte, the metadata hash included, must be equal.
 *
 * @example
 * const { matches } = compareRuntimeCode(await getCode(client, { address: program.stamps }), stampsBytecode);
 */
export function compareRuntimeCode(live: Hex, creation: Hex): RuntimeCodeComparison {
  const liveBytes = hexToBytes(live);
  const creationBytes = hexToBytes(creation);
  const template = creationBytes.slice(Math.max(0, creationBytes.length - liveBytes.length));
  const masked = liveBytes.slice();
  let immutables = 0;
  for (let pc = 0; pc < template.length; pc++) {
    const op = template[pc]!;
    if (op < PUSH1 || op > PUSH32) continue;
    const width = op - PUSH1 + 1;
    if (op === PUSH32 && pc + 32 < template.length && template.subarray(pc + 1, pc + 33).every((b) => b === 0)) {
      masked.fill(0, pc + 1, pc + 33);
      immutables++;
    }
    pc += width;
  }
  const liveHash = keccak256(masked);
  const expectedHash = keccak256(template);
  const matches = liveBytes.length > 0 && template.length === liveBytes.length && liveHash === expectedHash;
  return { matches, liveHash, expectedHash, immutables };
}
