import type { Address, Hex } from "viem";
import { readContract } from "viem/actions";
import { consentRegistryAbi } from "../generated/abis.js";
import { maskToPurposes } from "../utils/consent.js";
import type { Purpose } from "../types/consent.js";
import type { Program, ReadClient } from "../program.js";

export interface ConsentLinkInfo {
  commitment: Hex;
  purposes: Purpose[];
  minor: boolean;
  guardian: Address;
  linkedAt: bigint;
}

export interface GetConsentLinkParameters {
  program: Program;
  wallet: Address;
}

export type GetConsentLinkReturnType = ConsentLinkInfo | null;

/**
 * The on-chain link of a wallet, or null when it is not linked.
 *
 * @example
 * const link = await getConsentLink(client, { program, wallet });
 */
export async function getConsentLink(
  client: ReadClient,
  { program, wallet }: GetConsentLinkParameters,
): Promise<GetConsentLinkReturnType> {
  const consent = { address: program.consent, abi: consentRegistryAbi } as const;
  if (!(await readContract(client, { ...consent, functionName: "isLinked", args: [wallet] }))) return null;
  const link = await readContract(client, { ...consent, functionName: "linkOf", args: [wallet] });
  return {
    commitment: link.commitment,
    purposes: maskToPurposes(link.purposes),
    minor: link.minor,
    guardian: link.guardian,
    linkedAt: link.linkedAt,
  };
}
