import { signTypedData } from "viem/actions";
import { consentNonce } from "../internal/consentNonce.js";
import type { Program, WriteClient } from "../program.js";
import {
  consentDomain,
  purposesChangeTypes,
  type Purpose,
  type PurposesChangeMessage,
  type SignedConsent,
} from "../types/consent.js";
import { DEFAULT_CONSENT_LIFETIME_SECONDS } from "../constants.js";
import { purposesToMask } from "../utils/consent.js";
import { expiryIn } from "../utils/expiryIn.js";

export interface SignConsentChangeParameters {
  program: Program;
  purposes: readonly Purpose[];
  deadline?: bigint;
}

export type SignConsentChangeReturnType = SignedConsent<PurposesChangeMessage>;

/**
 * The member signs a new, complete set of purposes (an empty set revokes everything), for a relayer to submit.
 *
 * @example
 * const change = await signConsentChange(member, { program, purposes: ["rewards"] }); // drops analytics
 */
export async function signConsentChange(
  client: WriteClient,
  { program, purposes, deadline }: SignConsentChangeParameters,
): Promise<SignConsentChangeReturnType> {
  const wallet = client.account.address;
  const message: PurposesChangeMessage = {
    wallet,
    purposes: purposesToMask(purposes),
    nonce: await consentNonce(client, program, wallet),
    deadline: deadline ?? (await expiryIn(client, DEFAULT_CONSENT_LIFETIME_SECONDS)),
  };
  const signature = await signTypedData(client, {
    account: client.account,
    domain: consentDomain(program),
    types: purposesChangeTypes,
    primaryType: "PurposesChange",
    message,
  });
  return { message, signature };
}
