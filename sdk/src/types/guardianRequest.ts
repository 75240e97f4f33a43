import type { Address, Hex } from "viem";
import type { SignedConsent } from "./consent.js";

// A minor asks their guardian, through the brand's program server, to approve a purpose only a guardian may approve
// (marketing, partner sharing). The request is the minor's own signed PurposesChange (signConsentChange): the
// message the guardian's GuardianApproval signs over, so approving it is the registry's existing flow. Reading the
// requests and declining one are signed too, in the consent registry's EIP-712 domain (one chain, one program);
// the registry never reads these two types, so they cannot be replayed on-chain. Nothing in them but wallets.

export const guardianRequestsReadTypes = {
  GuardianRequestsRead: [
    { name: "reader", type: "address" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export const guardianRequestDeclineTypes = {
  GuardianRequestDecline: [
    { name: "guardian", type: "address" },
    { name: "request", type: "bytes32" },
  ],
} as const;

/** A wallet asks to read the guardian requests it sent (as a minor) or must answer (as a guardian). */
export interface GuardianRequestsReadMessage {
  reader: Address;
  /** Unix seconds (the chain's clock) after which the server refuses it. */
  deadline: bigint;
}

/** A guardian declines one request, named by its id (the EIP-712 hash of the minor's PurposesChange). */
export interface GuardianRequestDeclineMessage {
  guardian: Address;
  request: Hex;
}

/** A signed read or decline, with the chain it was signed for (the server refuses another chain's in words). */
export type SignedGuardianRequestsRead = SignedConsent<GuardianRequestsReadMessage> & { chainId: number };
export type SignedGuardianRequestDecline = SignedConsent<GuardianRequestDeclineMessage> & { chainId: number };

/** How long a minor's request lasts by default: 7 days, for the guardian to see it and answer. */
export const GUARDIAN_REQUEST_LIFETIME_SECONDS = 7n * 24n * 60n * 60n;
/** The longest a server accepts a request to last, from the chain's latest block: 30 days. */
export const MAX_GUARDIAN_REQUEST_LIFETIME_SECONDS = 30n * 24n * 60n * 60n;
/** How long a read made by {@link signGuardianRequestsRead} is valid by default: 10 minutes. */
export const GUARDIAN_REQUESTS_READ_LIFETIME_SECONDS = 10n * 60n;
/** The longest a server accepts a read to last: 1 hour (a read is a bearer token for the reader's requests). */
export const MAX_GUARDIAN_REQUESTS_READ_LIFETIME_SECONDS = 60n * 60n;
