import { consentRegistryErrorCatalog } from "../errors/consentRegistry.js";
import { consentRegistryAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";
import type { GuardianWithdrawalMessage, SignedConsent } from "../types/consent.js";

export interface SubmitGuardianWithdrawalParameters {
  program: Program;
  /** The guardian's signed withdrawal ({@link signGuardianWithdrawal}). */
  withdrawal: SignedConsent<GuardianWithdrawalMessage>;
}

export type SubmitGuardianWithdrawalReturnType = ExecuteResult;

/**
 * Relays a guardian's signed withdrawal of a minor's marketing or partner sharing; the brand pays the gas.
 * Any sender may relay it: only the guardian's signature counts.
 *
 * @example
 * await submitGuardianWithdrawal(backend, { program, withdrawal });
 */
export async function submitGuardianWithdrawal(
  client: WriteClient,
  { program, withdrawal }: SubmitGuardianWithdrawalParameters,
): Promise<SubmitGuardianWithdrawalReturnType> {
  return execute(
    client,
    {
      address: program.consent,
      abi: consentRegistryAbi,
      functionName: "guardianWithdraw",
      args: [withdrawal.message, withdrawal.signature],
    },
    [consentRegistryErrorCatalog],
  );
}
