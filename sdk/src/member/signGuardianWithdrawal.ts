import type { Address } from "viem";
import { readContract, signTypedData } from "viem/actions";
import { DEFAULT_CONSENT_LIFETIME_SECONDS } from "../constants.js";
import { consentRegistryAbi } from "../generated/abis.js";
import { guardianPurposesToMask } from "../internal/guardianPurposes.js";
import { requireAddress } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";
import {
  consentDomain,
  guardianWithdrawalTypes,
  type GuardianPurpose,
  type GuardianWithdrawalMessage,
  type SignedConsent,
} from "../types/consent.js";
import { expiryIn } from "../utils/expiryIn.js";

export interface SignGuardianWithdrawalParameters {
  program: Program;
  /** The minor's linked wallet. */
  wallet: Address;
  /** What to withdraw: marketing, partner sharing or both (the purposes that needed the guardian). */
  purposes: readonly GuardianPurpose[];
  deadline?: bigint;
}

export type SignGuardianWithdrawalReturnType = SignedConsent<GuardianWithdrawalMessage>;

/**
 * A minor's guardian signs the withdrawal of marketing or partner sharing from the minor's link, for the
 * brand to relay ({@link submitGuardianWithdrawal}); the guardian pays no gas. It carries the guardian's own
 * nonce, so nothing the minor does first can void it.
 *
 * @example
 * const withdrawal = await signGuardianWithdrawal(guardian, { program, wallet: minor, purposes: ["marketing"] });
 */
export async function signGuardianWithdrawal(
  client: WriteClient,
  { program, wallet, purposes, deadline }: SignGuardianWithdrawalParameters,
): Promise<SignGuardianWithdrawalReturnType> {
  requireAddress("wallet", wallet);
  const guardian = client.account.address;
  const message: GuardianWithdrawalMessage = {
    wallet,
    guardian,
    purposes: guardianPurposesToMask(purposes),
    nonce: await readContract(client, {
      address: program.consent,
      abi: consentRegistryAbi,
      functionName: "guardianNonces",
      args: [guardian, wallet],
    }),
    deadline: deadline ?? (await expiryIn(client, DEFAULT_CONSENT_LIFETIME_SECONDS)),
  };
  const signature = await signTypedData(client, {
    account: client.account,
    domain: consentDomain(program),
    types: guardianWithdrawalTypes,
    primaryType: "GuardianWithdrawal",
    message,
  });
  return { message, signature };
}
