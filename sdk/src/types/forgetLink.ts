import type { Address } from "viem";
import type { SignedConsent } from "./consent.js";

// "Forget me" sent to the brand's server: the wallet asks the brand to erase its link record (customer id ↔
// wallet ↔ salt). Signed in the consent registry's EIP-712 domain (consentDomain), so a request names one chain
// and one program; the registry itself never reads it (no contract has this type), so it cannot be replayed
// on-chain.

export const forgetLinkTypes = {
  ForgetLink: [
    { name: "wallet", type: "address" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** The wallet asks the brand to erase its link record; valid until `deadline` (Unix seconds, the chain's clock). */
export interface ForgetLinkMessage {
  wallet: Address;
  deadline: bigint;
}

/** A signed "forget me" request, with the chain it was signed for (the server refuses another chain's in words). */
export type SignedForgetRequest = SignedConsent<ForgetLinkMessage> & { chainId: number };

/** How long a request made by {@link signForgetRequest} is valid by default: 15 minutes. */
export const FORGET_REQUEST_LIFETIME_SECONDS = 15n * 60n;

/**
 * The longest a server accepts, counted from the chain's latest block: 1 day. A request is a bearer token for the
 * erasure of one wallet's record; one made to last for years could erase a link made long after it.
 */
export const MAX_FORGET_REQUEST_LIFETIME_SECONDS = 24n * 60n * 60n;
