import { encodePacked, keccak256, type Address, type Hex, type TypedDataDomain } from "viem";
import { InvalidArgumentError } from "../errors";
import type { Program } from "../program";

// The consent registry's EIP-712 messages: the same fields, in the same order, as the TYPEHASH strings in
// contracts/libraries/ConsentTypes.sol (a test checks the SDK's hashes against the contract's).

/** The named purposes a member consents to, and their bits in the registry. */
export const PURPOSES = { rewards: 1n, analytics: 2n, marketing: 4n, partnerSharing: 8n } as const;
export type Purpose = keyof typeof PURPOSES;

/**
 * The bitmask of a set of purposes; an unknown name is an {@link InvalidArgumentError}.
 *
 * @example
 * purposesToMask(["rewards", "analytics"]); // 3n
 */
export function purposesToMask(purposes: readonly Purpose[]): bigint {
  let mask = 0n;
  for (const purpose of purposes) {
    const bit = PURPOSES[purpose];
    if (bit === undefined) {
      throw new InvalidArgumentError("purposes", `holds ${JSON.stringify(purpose)}, which is not a purpose (${Object.keys(PURPOSES).join(", ")}).`);
    }
    mask |= bit;
  }
  return mask;
}

/**
 * The purposes of a bitmask, in a fixed order.
 *
 * @example
 * maskToPurposes(5n); // ["rewards", "marketing"]
 */
export function maskToPurposes(mask: bigint): Purpose[] {
  return (Object.keys(PURPOSES) as Purpose[]).filter((p) => (mask & PURPOSES[p]) !== 0n);
}

/**
 * The on-chain commitment to a customer id: `keccak256(salt ‖ customerId)`. With a random 32-byte salt
 * that only the brand keeps, the commitment reveals nothing; once the salt is erased it names nobody.
 *
 * @example
 * const commitment = commitmentOf(randomSalt(), "cust-0042");
 */
export function commitmentOf(salt: Hex, customerId: string): Hex {
  return keccak256(encodePacked(["bytes32", "string"], [salt, customerId]));
}

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

/**
 * The registry's EIP-712 domain: one chain, one registry.
 *
 * @example
 * await signTypedData(client, { account, domain: consentDomain(program), types: unlinkTypes, primaryType: "Unlink", message });
 */
export function consentDomain(program: Program): TypedDataDomain {
  return { name: "Punchcard Consent", version: "1", chainId: program.chainId, verifyingContract: program.consent };
}

/** Default validity of a consent signature: one hour (long enough to relay, short enough not to linger). */
export const DEFAULT_CONSENT_LIFETIME_SECONDS = 60n * 60n;

/** A member's signed consent message, ready for the brand or a relayer to submit. */
export interface SignedConsent<Message> {
  message: Message;
  signature: Hex;
}
