import type { Address, Hex } from "viem";
import { readContract, signTypedData } from "viem/actions";
import { consentRegistryAbi } from "../abis";
import type { Program, ReadClient, WriteClient } from "../program";
import {
  consentDomain,
  consentLinkTypes,
  DEFAULT_CONSENT_LIFETIME_SECONDS,
  guardianApprovalTypes,
  purposesChangeTypes,
  purposesToMask,
  type ConsentLinkMessage,
  type Purpose,
  type PurposesChangeMessage,
} from "./consentTypes";
import { expiryIn } from "./orderTypes";

/** A member's signed consent message, ready for the brand or a relayer to submit. */
export interface SignedConsent<Message> {
  message: Message;
  signature: Hex;
}

async function nonceOf(client: ReadClient, program: Program, wallet: Address): Promise<bigint> {
  return readContract(client, { address: program.consent, abi: consentRegistryAbi, functionName: "nonces", args: [wallet] });
}

/**
 * The member signs their consent to link their wallet to the brand account behind `commitment` (given
 * by the brand), granting `purposes`. Nothing is sent; the brand submits it with its attestation.
 *
 * @example
 * const consent = await signConsentLink(member, { program, commitment, purposes: ["rewards", "analytics"] });
 */
export async function signConsentLink(
  client: WriteClient,
  { program, commitment, purposes, deadline }: { program: Program; commitment: Hex; purposes: readonly Purpose[]; deadline?: bigint },
): Promise<SignedConsent<ConsentLinkMessage>> {
  const wallet = client.account.address;
  const message: ConsentLinkMessage = {
    wallet,
    commitment,
    purposes: purposesToMask(purposes),
    nonce: await nonceOf(client, program, wallet),
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
    nonce: await nonceOf(client, program, wallet),
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

/**
 * A minor's guardian approves the purposes in the minor's own message (same wallet, purposes, nonce and
 * deadline): needed to grant marketing or partner sharing to a minor.
 *
 * @example
 * const approval = await signGuardianApproval(guardian, { program, message: consent.message });
 */
export async function signGuardianApproval(
  client: WriteClient,
  { program, message }: { program: Program; message: { wallet: Address; purposes: bigint; nonce: bigint; deadline: bigint } },
): Promise<Hex> {
  return signTypedData(client, {
    account: client.account,
    domain: consentDomain(program),
    types: guardianApprovalTypes,
    primaryType: "GuardianApproval",
    message: { wallet: message.wallet, guardian: client.account.address, purposes: message.purposes, nonce: message.nonce, deadline: message.deadline },
  });
}
