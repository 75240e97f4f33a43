import { consentRegistryErrorCatalog } from "../errors/consentRegistry.js";
import { consentRegistryAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";
import type { ComingOfAgeMessage, SignedConsent } from "../types/consent.js";

export interface SubmitComingOfAgeParameters {
  program: Program;
  /** The member's signed agreement ({@link signComingOfAge}). */
  request: SignedConsent<ComingOfAgeMessage>;
}

export type SubmitComingOfAgeReturnType = ExecuteResult;

/**
 * The brand attests that a member linked as a minor is now an adult, and submits the member's signed
 * agreement: the guardian goes, the purposes stay. Needs the registry's brand role; check the member's age
 * in your own records first, the chain takes your word for it.
 *
 * @example
 * await submitComingOfAge(backend, { program, request: await signComingOfAge(member, { program }) });
 */
export async function submitComingOfAge(
  client: WriteClient,
  { program, request }: SubmitComingOfAgeParameters,
): Promise<SubmitComingOfAgeReturnType> {
  return execute(
    client,
    {
      address: program.consent,
      abi: consentRegistryAbi,
      functionName: "comeOfAge",
      args: [request.message, request.signature],
    },
    [consentRegistryErrorCatalog],
  );
}
