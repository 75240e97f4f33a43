import type { Hex } from "viem";
import { signTypedData } from "viem/actions";
import type { Program, WriteClient } from "../program.js";
import { consentDomain } from "../types/consent.js";
import { guardianRequestDeclineTypes, type SignedGuardianRequestDecline } from "../types/guardianRequest.js";

export interface SignGuardianRequestDeclineParameters {
  program: Program;
  /** The request's id, as the program server lists it (the EIP-712 hash of the minor's PurposesChange). */
  request: Hex;
}

export type SignGuardianRequestDeclineReturnType = SignedGuardianRequestDecline;

/**
 * A guardian declines a minor's request (`declineGuardianRequest` on the program server): nothing changes on the
 * chain, and the minor sees it declined. A signature, not a transaction.
 *
 * @example
 * await server.declineGuardianRequest(await signGuardianRequestDecline(guardian, { program, request: request.id }));
 */
export async function signGuardianRequestDecline(
  client: WriteClient,
  { program, request }: SignGuardianRequestDeclineParameters,
): Promise<SignGuardianRequestDeclineReturnType> {
  const message = { guardian: client.account.address, request };
  const signature = await signTypedData(client, {
    account: client.account,
    domain: consentDomain(program),
    types: guardianRequestDeclineTypes,
    primaryType: "GuardianRequestDecline",
    message,
  });
  return { message, signature, chainId: program.chainId };
}
