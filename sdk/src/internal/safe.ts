import {
  AbiDecodingDataSizeTooSmallError,
  AbiDecodingZeroDataError,
  BaseError,
  ContractFunctionRevertedError,
  ContractFunctionZeroDataError,
  type Address,
} from "viem";
import { getCode, readContract } from "viem/actions";
import { PunchcardError } from "../errors.js";
import type { ReadClient } from "../program.js";

/** The views of a Safe (Safe{Core} 1.3 and 1.4, singleton behind a proxy) that tell one from any other contract. */
export const safeViewsAbi = [
  { type: "function", name: "getOwners", stateMutability: "view", inputs: [], outputs: [{ type: "address[]" }] },
  { type: "function", name: "getThreshold", stateMutability: "view", inputs: [], outputs: [{ type: "uint256" }] },
] as const;

/** A Safe's owners and how many of them must sign. */
export interface SafeInfo {
  address: Address;
  owners: readonly Address[];
  threshold: bigint;
}

/**
 * Reads a Safe's owners and threshold, or says why the address is not a Safe: no code at all (an externally owned
 * account, or a Safe not deployed on this chain), or a contract without a Safe's `getOwners()` and `getThreshold()`.
 *
 * @example
 * const { owners, threshold } = await readSafe(client, safe);
 */
export async function readSafe(client: ReadClient, address: Address): Promise<SafeInfo> {
  const code = await getCode(client, { address }).catch((error: unknown) => {
    throw new PunchcardError(`Cannot read the code at ${address}.`, { cause: error, hint: "Check the RPC endpoint." });
  });
  if (!code || code === "0x") {
    throw new PunchcardError(`${address} has no code on chain ${client.chain?.id ?? "?"}: it is not a Safe.`, {
      hint:
        "An account without code is a single key, which is what the handover moves away from. Create the Safe on this " +
        "chain first (the Safe app or the Safe CLI), then pass its address.",
    });
  }
  try {
    const [owners, threshold] = await Promise.all([
      readContract(client, { address, abi: safeViewsAbi, functionName: "getOwners" }),
      readContract(client, { address, abi: safeViewsAbi, functionName: "getThreshold" }),
    ]);
    if (owners.length === 0 || threshold === 0n) {
      throw new PunchcardError(`${address} is a Safe that was never set up: it has no owners.`, {
        hint: "Set the Safe up with its owners and threshold first.",
      });
    }
    return { address, owners, threshold };
  } catch (error) {
    if (error instanceof PunchcardError) throw error;
    // A node that cannot answer is not a sign the address is no Safe: say so instead.
    if (!notASafe(error)) throw new PunchcardError(`Cannot read the Safe at ${address}.`, { cause: error, hint: "Retry." });
    throw new PunchcardError(`${address} is a contract but not a Safe: it answers no getOwners() and getThreshold().`, {
      hint: "Pass the address of the Safe itself (its proxy), as the Safe app shows it, not of a module or a token.",
      cause: error,
    });
  }
}

/** Whether a failed read means the contract has no such view (reverted, or answered nothing or too little). */
function notASafe(error: unknown): boolean {
  if (!(error instanceof BaseError)) return true;
  return (
    error.walk(
      (e) =>
        e instanceof ContractFunctionRevertedError ||
        e instanceof ContractFunctionZeroDataError ||
        e instanceof AbiDecodingZeroDataError ||
        e instanceof AbiDecodingDataSizeTooSmallError,
    ) !== null
  );
}
