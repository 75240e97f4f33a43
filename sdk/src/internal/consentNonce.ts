import type { Address } from "viem";
import { readContract } from "viem/actions";
import { consentRegistryAbi } from "../generated/abis.js";
import type { Program, ReadClient } from "../program.js";

/** The nonce a wallet's next consent message must carry. */
export async function consentNonce(client: ReadClient, program: Program, wallet: Address): Promise<bigint> {
  return readContract(client, { address: program.consent, abi: consentRegistryAbi, functionName: "nonces", args: [wallet] });
}
