import type { Address, Hex, TypedDataDomain } from "viem";
import type { Program } from "../program.js";

// The consent registry's EIP-712 messages: the same fields, in the same order, as the TYPEHASH strings in
// contracts/types/ConsentTypes.sol (a test checks the SDK's hashes against the contract's).

/** The named purposes a member consents to, and their bits in the registry. */
export const PURPOSES = { rewards: 1n, analytics: 2n, marketing: 4n, partnerSharing: 8n } as const;
export type Purpose = keyof typeof PURPOSES;

export const consentLinkTypes = {
  Link: [
    { name: "wallet", type: "address" },
    { name: "commitment", type: "bytes32" },
    { name: "purposes", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export const attestationTypes = {
  Attestation: [
    { name: "wallet", type: "address" },
    { name: "commitment", type: "bytes32" },
    { name: "minor", type: "bool" },
    { name: "guardian", type: "address" },
    { name: "attester", type: "address" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export const purposesChangeTypes = {
  PurposesChange: [
    { name: "wallet", type: "address" },
    { name: "purposes", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export const guardianApprovalTypes = {
  GuardianApproval: [
    { name: "wallet", type: "address" },
    { name: "guardian", type: "address" },
    { name: "purposes", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export const unlinkTypes = {
  Unlink: [
    { name: "wallet", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export const guardianWithdrawalTypes = {
  GuardianWithdrawal: [
    { name: "wallet", type: "address" },
    { name: "guardian", type: "address" },
    { name: "purposes", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export const guardianChangeTypes = {
  GuardianChange: [
    { name: "wallet", type: "address" },
    { name: "oldGuardian", type: "address" },
    { name: "newGuardian", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export const comingOfAgeTypes = {
  ComingOfAge: [
    { name: "wallet", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** Purposes a minor's guardian approves, and may withdraw alone. */
export const GUARDIAN_PURPOSES = ["marketing", "partnerSharing"] as const satisfies readonly Purpose[];
export type GuardianPurpose = (typeof GUARDIAN_PURPOSES)[number];

export interface ConsentLinkMessage {
  wallet: Address;
  commitment: Hex;
  purposes: bigint;
  nonce: bigint;
  deadline: bigint;
}

export interface AttestationMessage {
  wallet: Address;
  commitment: Hex;
  minor: boolean;
  guardian: Address;
  attester: Address;
  deadline: bigint;
}

export interface PurposesChangeMessage {
  wallet: Address;
  purposes: bigint;
  nonce: bigint;
  deadline: bigint;
}

/** A guardian's withdrawal of marketing or partner sharing from a minor's link; `nonce` is the guardian's own for this minor. */
export interface GuardianWithdrawalMessage {
  wallet: Address;
  guardian: Address;
  purposes: bigint;
  nonce: bigint;
  deadline: bigint;
}

/** A minor's change of guardian, signed by the member and by the new guardian. */
export interface GuardianChangeMessage {
  wallet: Address;
  oldGuardian: Address;
  newGuardian: Address;
  nonce: bigint;
  deadline: bigint;
}

/** The member's agreement that their minor's link becomes an adult's. */
export interface ComingOfAgeMessage {
  wallet: Address;
  nonce: bigint;
  deadline: bigint;
}

/**
 * The registry's EIP-712 domain: one chain, one registry.
 *
 * @example
 * await signTypedData(client, { account, domain: consentDomain(program), types: unlinkTypes, primaryType: "Unlink", message });
 */
export function consentDomain(program: Program): TypedDataDomain {
  return { name: "Punchcard Consent", version: "1", chainId: program.chainId, verifyingContract: program.consent };
}

/** A member's signed consent message, ready for the brand or a relayer to submit. */
export interface SignedConsent<Message> {
  message: Message;
  signature: Hex;
}
