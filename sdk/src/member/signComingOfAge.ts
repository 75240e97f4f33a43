import { signTypedData } from "viem/actions";
import { DEFAULT_CONSENT_LIFETIME_SECONDS } from "../constants.js";
import { consentNonce } from "../internal/consentNonce.js";
import type { Program, WriteClient } from "../program.js";
import { comingOfAgeTypes, consentDomain, type ComingOfAgeMessage, type SignedConsent } from "../types/consent.js";
import { expiryIn } from "../utils/expiryIn.js";

export interface SignComingOfAgeParameters {
  program: Program;
  deadline?: bigint;
}

export type SignComingOfAgeReturnType = SignedConsent<ComingOfAgeMessage>;

/**
 * A member linked as a minor signs that their link becomes an adult's: the guardian goes and marketing and
 * partner sharing stand on their own consent. The brand attests the new status by submitting it
 * ({@link submitComingOfAge}).
 *
 * @example
 * const request = await signComingOfAge(member, { program });
 */
export async function signComingOfAge(
  client: WriteClient,
  { program, deadline }: SignComingOfAgeParameters,
): Promise<SignComingOfAgeReturnType> {
  const wallet = client.account.address;
  const message: ComingOfAgeMessage = {
    wallet,
    nonce: await consentNonce(client, program, wallet),
    deadline: deadline ?? (await expiryIn(client, DEFAULT_CONSENT_LIFETIME_SECONDS)),
  };
  const signature = await signTypedData(client, {
    account: client.account,
    domain: consentDomain(program),
    types: comingOfAgeTypes,
    primaryType: "ComingOfAge",
    message,
  });
  return { message, signature };
}
