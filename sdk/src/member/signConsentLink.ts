import type { Hex } from "viem";
import { signTypedData } from "viem/actions";
import { consentNonce } from "../internal/consentNonce.js";
import type { Program, WriteClient } from "../program.js";
import { consentDomain, consentLinkTypes, type ConsentLinkMessage, type Purpose, type SignedConsent } from "../types/consent.js";
import { DEFAULT_CONSENT_LIFETIME_SECONDS } from "../constants.js";
import { purposesToMask } from "../utils/consent.js";
import { expiryIn } from "../utils/expiryIn.js";

export interface SignConsentLinkParameters {
  program: Program;
  commitment: Hex;
  purposes: readonly Purpose[];
  deadline?: bigint;
}

export type SignConsentLinkReturnType = SignedConsent<ConsentLinkMessage>;

/**
 * The member signs their consent to link their wallet to the brand account behind `commitment` (given
 * by the brand), granting `purposes`. Nothing is sent; the brand submits it with its attestation.
 *
 * @example
 * const consent = await signConsentLink(member, { program, commitment, purposes: ["rewards", "analytics"] });
 */
export async function signConsentLink(
  client: WriteClient,
  { program, commitment, purposes, deadline }: SignConsentLinkParameters,
): Promise<SignConsentLinkReturnType> {
  const wallet = client.account.address;
  const message: ConsentLinkMessage = {
    wallet,
    commitment,
    purposes: purposesToMask(purposes),
    nonce: await consentNonce(client, program, wallet),
    deadline: deadline ?? (await expiryIn(client, DEFAULT_CONSENT_LIFETIME_SECONDS)),
  };
  const signature = await signTypedData(client, {
    account: client.account,
    domain: consentDomain(program),
    types: consentLinkTypes,
    primaryType: "Link",
    message,
  });
  return { message, signature };
}
