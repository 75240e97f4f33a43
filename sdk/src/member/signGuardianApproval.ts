import type { Address, Hex } from "viem";
import { signTypedData } from "viem/actions";
import type { Program, WriteClient } from "../program.js";
import { consentDomain, guardianApprovalTypes } from "../types/consent.js";

export interface SignGuardianApprovalParameters {
  program: Program;
  message: { wallet: Address; purposes: bigint; nonce: bigint; deadline: bigint };
}

export type SignGuardianApprovalReturnType = Hex;

/**
 * A minor's guardian approves the purposes in the minor's own message (same wallet, purposes, nonce and
 * deadline): needed to grant marketing or partner sharing to a minor.
 *
 * @example
 * const approval = await signGuardianApproval(guardian, { program, message: consent.message });
 */
export async function signGuardianApproval(
  client: WriteClient,
  { program, message }: SignGuardianApprovalParameters,
): Promise<SignGuardianApprovalReturnType> {
  return signTypedData(client, {
    account: client.account,
    domain: consentDomain(program),
    types: guardianApprovalTypes,
    primaryType: "GuardianApproval",
    message: {
      wallet: message.wallet,
      guardian: client.account.address,
      purposes: message.purposes,
      nonce: message.nonce,
      deadline: message.deadline,
    },
  });
}
