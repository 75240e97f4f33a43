import type { Address } from "viem";
import { readContract } from "viem/actions";
import { consentRegistryAbi } from "../abis";
import { PURPOSES, type Purpose } from "../member/consentTypes";
import { InvalidArgumentError } from "../errors";
import type { Program, ReadClient } from "../program";

/**
 * Whether `wallet` is linked and consents to `purpose` now: one call, the chain's word.
 *
 * @example
 * if (await hasConsent(client, { program, wallet, purpose: "analytics" })) { ... }
 */
export async function hasConsent(
  client: ReadClient,
  { program, wallet, purpose }: { program: Program; wallet: Address; purpose: Purpose },
): Promise<boolean> {
  const bit = PURPOSES[purpose];
  if (bit === undefined) throw new InvalidArgumentError("purpose", `${JSON.stringify(purpose)} is not a purpose (${Object.keys(PURPOSES).join(", ")}).`);
  return readContract(client, { address: program.consent, abi: consentRegistryAbi, functionName: "hasConsent", args: [wallet, bit] });
}
