import type { Address, Hex } from "viem";
import { readContract } from "viem/actions";
import { consentRegistryAbi } from "../abis";
import { PURPOSES, maskToPurposes, type Purpose } from "../member/consentTypes";
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

export interface ConsentLinkInfo {
  commitment: Hex;
  purposes: Purpose[];
  minor: boolean;
  guardian: Address;
  linkedAt: bigint;
}

/**
 * The on-chain link of a wallet, or null when it is not linked.
 *
 * @example
 * const link = await getConsentLink(client, { program, wallet });
 */
export async function getConsentLink(
  client: ReadClient,
  { program, wallet }: { program: Program; wallet: Address },
): Promise<ConsentLinkInfo | null> {
  const consent = { address: program.consent, abi: consentRegistryAbi } as const;
  if (!(await readContract(client, { ...consent, functionName: "isLinked", args: [wallet] }))) return null;
  const link = await readContract(client, { ...consent, functionName: "linkOf", args: [wallet] });
  return { commitment: link.commitment, purposes: maskToPurposes(link.purposes), minor: link.minor, guardian: link.guardian, linkedAt: link.linkedAt };
}
