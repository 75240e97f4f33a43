import type { Program, WriteClient } from "../program.js";
import type { Purpose } from "../types/consent.js";
import { GUARDIAN_REQUEST_LIFETIME_SECONDS } from "../types/guardianRequest.js";
import { expiryIn } from "../utils/expiryIn.js";
import { signConsentChange, type SignConsentChangeReturnType } from "./signConsentChange.js";

export interface SignGuardianRequestParameters {
  program: Program;
  /** The complete set of purposes the minor asks for: today's, and the one their guardian must approve. */
  purposes: readonly Purpose[];
  /** Unix seconds; default 7 days after the chain's latest block. A server accepts at most 30 days ahead. */
  deadline?: bigint;
}

export type SignGuardianRequestReturnType = SignConsentChangeReturnType;

/**
 * A minor signs the purposes they want, for their guardian to approve: the same PurposesChange as
 * {@link signConsentChange}, lasting days rather than an hour, so the guardian has time to answer. Post it with the
 * program server's `askGuardian`; the guardian approves with {@link signGuardianApproval} over its message.
 *
 * @example
 * const request = await signGuardianRequest(minor, { program, purposes: ["rewards", "marketing"] });
 * await server.askGuardian({ change: request });
 */
export async function signGuardianRequest(
  client: WriteClient,
  { program, purposes, deadline }: SignGuardianRequestParameters,
): Promise<SignGuardianRequestReturnType> {
  return signConsentChange(client, {
    program,
    purposes,
    deadline: deadline ?? (await expiryIn(client, GUARDIAN_REQUEST_LIFETIME_SECONDS)),
  });
}
