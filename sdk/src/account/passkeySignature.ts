import { concat, encodeAbiParameters, keccak256, size, slice, type Hex } from "viem";
import type { WebAuthnAccount } from "viem/account-abstraction";

/** A passkey's P-256 public key as the member account stores it: its two coordinates. */
export interface PasskeyCoordinates {
  x: Hex;
  y: Hex;
}

/** What a WebAuthn account's `sign` returns: the assertion's signature (r ‖ s) and its WebAuthn metadata. */
export type PasskeyAssertion = Awaited<ReturnType<WebAuthnAccount["sign"]>>;

export type EncodePasskeySignatureParameters = {
  /** The signing passkey's public key (64 bytes, or 65 with the 0x04 prefix), as a WebAuthn credential holds it. */
  publicKey: Hex;
  /** The passkey's assertion over the hash. */
  assertion: PasskeyAssertion;
};

export type EncodePasskeySignatureReturnType = Hex;

const webAuthnAuthParameters = [
  { name: "r", type: "bytes32" },
  { name: "s", type: "bytes32" },
  { name: "challengeIndex", type: "uint256" },
  { name: "typeIndex", type: "uint256" },
  { name: "authenticatorData", type: "bytes" },
  { name: "clientDataJSON", type: "string" },
] as const;

/**
 * The two coordinates of a passkey's public key.
 *
 * @example
 * const { x, y } = passkeyCoordinates(credential.publicKey);
 */
export function passkeyCoordinates(publicKey: Hex): PasskeyCoordinates {
  const bytes = size(publicKey);
  if (bytes !== 64 && bytes !== 65) throw new Error(`A P-256 public key has 64 or 65 bytes, not ${bytes}.`);
  const start = bytes - 64;
  return { x: slice(publicKey, start, start + 32), y: slice(publicKey, start + 32, start + 64) };
}

/**
 * A passkey's id in the member account: `keccak256(abi.encode(x, y))`, the name of the key in its events and in
 * `removePasskey`.
 *
 * @example
 * const keyId = passkeyId(credential.publicKey);
 */
export function passkeyId(publicKey: Hex): Hex {
  const { x, y } = passkeyCoordinates(publicKey);
  return keccak256(concat([x, y]));
}

/**
 * Encodes a passkey's WebAuthn assertion as the member account checks it: the key's coordinates, then the
 * assertion (`r, s, challengeIndex, typeIndex, authenticatorData, clientDataJSON`, ABI-encoded).
 *
 * @example
 * const assertion = await owner.sign({ hash: userOpHash });
 * const signature = encodePasskeySignature({ publicKey: owner.publicKey, assertion });
 */
export function encodePasskeySignature({
  publicKey,
  assertion,
}: EncodePasskeySignatureParameters): EncodePasskeySignatureReturnType {
  const { x, y } = passkeyCoordinates(publicKey);
  const { webauthn } = assertion;
  const auth = encodeAbiParameters(webAuthnAuthParameters, [
    slice(assertion.signature, 0, 32),
    slice(assertion.signature, 32, 64),
    // WebAuthn clients give the indexes; the JSON has both keys in any case, so they can be found again.
    BigInt(webauthn.challengeIndex ?? webauthn.clientDataJSON.indexOf('"challenge"')),
    BigInt(webauthn.typeIndex ?? webauthn.clientDataJSON.indexOf('"type"')),
    webauthn.authenticatorData,
    webauthn.clientDataJSON,
  ]);
  return concat([x, y, auth]);
}
