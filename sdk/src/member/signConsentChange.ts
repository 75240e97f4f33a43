import { signTypedData } from "viem/actions";
import { consentNonce } from "../internal/consentNonce";
import type { Program, WriteClient } from "../program";
import {
  consentDomain,
  DEFAULT_CONSENT_LIFETIME_SECONDS,
  purposesChangeTypes,
  purposesToMask,
  type Purpose,
  type PurposesChangeMessage,
  type SignedConsent,
} from "./consentTypes";
import { expiryIn } from "./orderTypes";

/**
 * The member signs a new, complete set of purposes (an empty set revokes everything), for a relayer to submit.
 *
 * @example
 * const change = await signConsentChange(member, { program, purposes: ["rewards"] }); // drops analytics
 */
export async function signConsentChange(
  client: WriteClient,
  { program, purposes, deadline }: { program: Program; purposes: readonly Purpose[]; deadline?: bigint },
): Promise<SignedConsent<PurposesChangeMessage>> {
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
