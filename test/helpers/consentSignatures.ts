import { ethers } from "ethers";
import type { TypedDataDomain, TypedDataField, Signer, BytesLike } from "ethers";
import {
  attestationTypes,
  comingOfAgeTypes,
  consentLinkTypes,
  guardianApprovalTypes,
  guardianChangeTypes,
  guardianWithdrawalTypes,
  purposesChangeTypes,
  unlinkTypes,
} from "@punchcard/sdk";

/** EIP-712 domain name and version of the ConsentRegistry (its constructor's `EIP712("Punchcard Consent", "1")`). */
export const CONSENT_DOMAIN_NAME = "Punchcard Consent";
export const CONSENT_DOMAIN_VERSION = "1";

/**
 * The signed messages' field lists: the SDK's (sdk/src/types/consent.ts), in the order of
 * `contracts/types/ConsentTypes.sol`.
 * A test hashes each list's type string and compares it with the contract's `*_TYPEHASH`, so a field
 * added or reordered on one side only fails loudly instead of producing signatures that never verify.
 */
export const consentTypes = {
  ...consentLinkTypes,
  ...attestationTypes,
  ...purposesChangeTypes,
  ...guardianApprovalTypes,
  ...unlinkTypes,
  ...guardianWithdrawalTypes,
  ...guardianChangeTypes,
  ...comingOfAgeTypes,
} as const satisfies Record<string, readonly TypedDataField[]>;

export type ConsentTypeName = keyof typeof consentTypes;

export interface LinkMessage {
  wallet: string;
  commitment: string;
  purposes: bigint;
  nonce: bigint;
  deadline: bigint;
}

export interface AttestationMessage {
  wallet: string;
  commitment: string;
  minor: boolean;
  guardian: string;
  attester: string;
  deadline: bigint;
}

export interface PurposesChangeMessage {
  wallet: string;
  purposes: bigint;
  nonce: bigint;
  deadline: bigint;
}

export interface GuardianApprovalMessage {
  wallet: string;
  guardian: string;
  purposes: bigint;
  nonce: bigint;
  deadline: bigint;
}

export interface UnlinkMessage {
  wallet: string;
  nonce: bigint;
  deadline: bigint;
}

export interface GuardianWithdrawalMessage {
  wallet: string;
  guardian: string;
  purposes: bigint;
  nonce: bigint;
  deadline: bigint;
}

export interface GuardianChangeMessage {
  wallet: string;
  oldGuardian: string;
  newGuardian: string;
  nonce: bigint;
  deadline: bigint;
}

export interface ComingOfAgeMessage {
  wallet: string;
  nonce: bigint;
  deadline: bigint;
}

interface MessageOf {
  Link: LinkMessage;
  Attestation: AttestationMessage;
  PurposesChange: PurposesChangeMessage;
  GuardianApproval: GuardianApprovalMessage;
  Unlink: UnlinkMessage;
  GuardianWithdrawal: GuardianWithdrawalMessage;
  GuardianChange: GuardianChangeMessage;
  ComingOfAge: ComingOfAgeMessage;
}

/** The EIP-712 type string of one message, e.g. `Unlink(address wallet,uint256 nonce,uint256 deadline)`. */
export function consentTypeString(name: ConsentTypeName): string {
  return `${name}(${consentTypes[name].map((field) => `${field.type} ${field.name}`).join(",")})`;
}

/** keccak256 of {@link consentTypeString}: what the contract's `*_TYPEHASH` constant must equal. */
export function consentTypeHash(name: ConsentTypeName): string {
  return ethers.keccak256(ethers.toUtf8Bytes(consentTypeString(name)));
}

/** The registry's domain; pass another `chainId` or `verifyingContract` to build a wrong one on purpose. */
export function consentDomain(verifyingContract: string, chainId: bigint): TypedDataDomain {
  return { name: CONSENT_DOMAIN_NAME, version: CONSENT_DOMAIN_VERSION, chainId, verifyingContract };
}

/** Signs one consent message with `signer` (an EOA, or the owner key of an ERC-1271 test wallet). */
export async function signConsent<N extends ConsentTypeName>(
  signer: Signer,
  domain: TypedDataDomain,
  name: N,
  message: MessageOf[N],
): Promise<string> {
  const types: Record<string, TypedDataField[]> = { [name]: [...consentTypes[name]] };
  return signer.signTypedData(domain, types, message);
}

/** The EIP-712 digest a wallet signs for one consent message. */
export function consentDigest<N extends ConsentTypeName>(domain: TypedDataDomain, name: N, message: MessageOf[N]): string {
  const types: Record<string, TypedDataField[]> = { [name]: [...consentTypes[name]] };
  return ethers.TypedDataEncoder.hash(domain, types, message);
}

/** `keccak256(abi.encodePacked(bytes32 salt, string customerId))`: the only thing about a customer the chain sees. */
export function consentCommitment(salt: BytesLike, customerId: string): string {
  return ethers.solidityPackedKeccak256(["bytes32", "string"], [salt, customerId]);
}

/** A fresh random 32-byte salt, as the brand's link store draws one per link. */
export function randomSalt(): string {
  return ethers.hexlify(ethers.randomBytes(32));
}

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * The other valid-looking form of an ECDSA signature (s -> n - s, v flipped) that recovers the same key.
 * OZ ECDSA rejects it (high s), so a relayer cannot make a second, distinct signature from a member's.
 */
export function malleableSignature(signature: string): string {
  const sig = ethers.Signature.from(signature);
  const highS = SECP256K1_N - BigInt(sig.s);
  const flippedV = sig.v === 27 ? 28 : 27;
  return ethers.concat([sig.r, ethers.toBeHex(highS, 32), ethers.toBeHex(flippedV, 1)]);
}
