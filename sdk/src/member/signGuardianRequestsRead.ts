import type { Address } from "viem";
import { signTypedData } from "viem/actions";
import type { Program, WriteClient } from "../program.js";
import { consentDomain } from "../types/consent.js";
import {
  GUARDIAN_REQUESTS_READ_LIFETIME_SECONDS,
  guardianRequestsReadTypes,
  type SignedGuardianRequestsRead,
} from "../types/guardianRequest.js";
import { expiryIn } from "../utils/expiryIn.js";

export interface SignGuardianRequestsReadParameters {
  program: Program;
  /** The wallet whose requests are read: default the signer's own; a contract wallet's when its owner signs (ERC-1271). */
  reader?: Address;
  /** Unix seconds; default 10 minutes after the chain's latest block. A server accepts at most 1 hour ahead. */
  deadline?: bigint;
}

export type SignGuardianRequestsReadReturnType = SignedGuardianRequestsRead;

/**
 * A wallet signs to read its guardian requests from the program server (`guardianRequests`): those it sent as a
 * minor, and those it must answer as a guardian. Only the signer's own are answered. A signature, not a transaction.
 *
 * @example
 * const { toAnswer, sent } = await server.guardianRequests(await signGuardianRequestsRead(guardian, { program }));
 */
export async function signGuardianRequestsRead(
  client: WriteClient,
  { program, reader, deadline }: SignGuardianRequestsReadParameters,
): Promise<SignGuardianRequestsReadReturnType> {
  const message = {
    reader: reader ?? client.account.address,
    deadline: deadline ?? (await expiryIn(client, GUARDIAN_REQUESTS_READ_LIFETIME_SECONDS)),
  };
  const signature = await signTypedData(client, {
    account: client.account,
    domain: consentDomain(program),
    types: guardianRequestsReadTypes,
    primaryType: "GuardianRequestsRead",
    message,
  });
  return { message, signature, chainId: program.chainId };
}
