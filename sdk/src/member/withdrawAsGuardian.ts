import { consentRegistryErrorCatalog } from "../errors/consentRegistry.js";
import type { Address } from "viem";
import { readContract } from "viem/actions";
import { DEFAULT_CONSENT_LIFETIME_SECONDS } from "../constants.js";
import { consentRegistryAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { guardianPurposesToMask } from "../internal/guardianPurposes.js";
import { requireAddress } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";
import type { GuardianPurpose } from "../types/consent.js";
import { expiryIn } from "../utils/expiryIn.js";

export interface WithdrawAsGuardianParameters {
  program: Program;
  /** The minor's linked wallet. */
  wallet: Address;
  /** What to withdraw: marketing, partner sharing or both. */
  purposes: readonly GuardianPurpose[];
}

export type WithdrawAsGuardianReturnType = ExecuteResult;

/**
 * A minor's guardian withdraws marketing or partner sharing from the minor's link with their own transaction
 * (they pay the gas; nothing to sign). To have the brand pay, use {@link signGuardianWithdrawal}.
 *
 * @example
 * await withdrawAsGuardian(guardian, { program, wallet: minor, purposes: ["marketing", "partnerSharing"] });
 */
export async function withdrawAsGuardian(
  client: WriteClient,
  { program, wallet, purposes }: WithdrawAsGuardianParameters,
): Promise<WithdrawAsGuardianReturnType> {
  requireAddress("wallet", wallet);
  const guardian = client.account.address;
  const mask = guardianPurposesToMask(purposes);
  const consent = { address: program.consent, abi: consentRegistryAbi } as const;
  const nonce = await readContract(client, { ...consent, functionName: "guardianNonces", args: [guardian, wallet] });
  const deadline = await expiryIn(client, DEFAULT_CONSENT_LIFETIME_SECONDS);
  return execute(
    client,
    {
      ...consent,
      functionName: "guardianWithdraw",
      args: [{ wallet, guardian, purposes: mask, nonce, deadline }, "0x"],
    },
    [consentRegistryErrorCatalog],
  );
}
