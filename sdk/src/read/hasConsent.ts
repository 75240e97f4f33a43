import type { Address } from "viem";
import { readContract } from "viem/actions";
import { consentRegistryAbi } from "../generated/abis.js";
import { PURPOSES, type Purpose } from "../types/consent.js";
import { InvalidArgumentError } from "../errors.js";
import type { Program, ReadClient } from "../program.js";

export interface HasConsentParameters {
  program: Program;
  wallet: Address;
  purpose: Purpose;
}

export type HasConsentReturnType = boolean;

/**
 * Whether `wallet` is linked and consents to `purpose` now: one call, the chain's word.
 *
 * @example
 * if (await hasConsent(client, { program, wallet, purpose: "analytics" })) { ... }
 */
export async function hasConsent(
  client: ReadClient,
  { program, wallet, purpose }: HasConsentParameters,
): Promise<HasConsentReturnType> {
  const bit = PURPOSES[purpose];
  if (bit === undefined)
    throw new InvalidArgumentError(
      "purpose",
      `${JSON.stringify(purpose)} is not a purpose (${Object.keys(PURPOSES).join(", ")}).`,
    );
  return readContract(client, {
    address: program.consent,
    abi: consentRegistryAbi,
    functionName: "hasConsent",
    args: [wallet, bit],
  });
}
