import { Base64, Bytes, Hash, Hex as OxHex, P256, PublicKey } from "ox";
import type { Hex } from "viem";
import { toWebAuthnAccount, type ToWebAuthnAccountParameters, type WebAuthnAccount } from "viem/account-abstraction";

/** The relying party of the test passkeys (the member wallet's host). */
export const TEST_RP_ID = "wallet.punchcard.test";
const ORIGIN = `https://${TEST_RP_ID}`;
/** Authenticator data flags: user present (0x01) and user verified (0x04), as a phone's passkey with a PIN or face. */
const UP_UV = 0x05;

/** DER encoding of an ECDSA signature, as `navigator.credentials.get` returns it. */
function derSignature(r: bigint, s: bigint): Uint8Array {
  const integer = (value: bigint) => {
    let bytes = Bytes.fromNumber(value);
    while (bytes.length > 1 && bytes[0] === 0 && (bytes[1] ?? 0) < 0x80) bytes = bytes.slice(1);
    if ((bytes[0] ?? 0) >= 0x80) bytes = Bytes.concat(new Uint8Array([0]), bytes);
    return Bytes.concat(new Uint8Array([0x02, bytes.length]), bytes);
  };
  const body = Bytes.concat(integer(r), integer(s));
  return Bytes.concat(new Uint8Array([0x30, body.length]), body);
}

/**
 * A passkey held by a software authenticator: a real P-256 key that answers `navigator.credentials.get` the way a
 * phone does (authenticator data with the user present and verified, client data JSON with the base64url challenge,
 * a DER signature), so the WebAuthn parsing of ox and viem and the contract's checks all run as in a browser.
 */
export class TestPasskey {
  readonly privateKey: Hex;
  readonly publicKey: Hex;
  readonly id: string;
  /** How many assertions it made (a test can see that a refused UserOp was never signed). */
  signCount = 0;

  constructor(label: string) {
    this.privateKey = P256.randomPrivateKey();
    this.publicKey = PublicKey.toHex(P256.getPublicKey({ privateKey: this.privateKey }), { includePrefix: false });
    this.id = `test-passkey-${label}`;
  }

  get credential(): { id: string; publicKey: Hex } {
    return { id: this.id, publicKey: this.publicKey };
  }

  /** The WebAuthn `get` of this authenticator, for viem's `toWebAuthnAccount({ getFn })`. */
  readonly getFn: NonNullable<ToWebAuthnAccountParameters["getFn"]> = async (options) => {
    const request = options?.publicKey;
    if (!request) throw new Error("no publicKey request");
    const challenge = new Uint8Array(request.challenge as ArrayBuffer);
    const rpIdHash = Hash.sha256(Bytes.fromString(request.rpId ?? TEST_RP_ID));
    this.signCount++;
    const authenticatorData = Bytes.concat(rpIdHash, new Uint8Array([UP_UV]), Bytes.fromNumber(0, { size: 4 }));
    const clientDataJSON = Bytes.fromString(
      JSON.stringify({
        type: "webauthn.get",
        challenge: Base64.fromBytes(challenge, { url: true, pad: false }),
        origin: ORIGIN,
        crossOrigin: false,
      }),
    );
    const payload = Bytes.concat(authenticatorData, Hash.sha256(clientDataJSON));
    const { r, s } = P256.sign({ payload: OxHex.fromBytes(payload), privateKey: this.privateKey, hash: true });
    return {
      id: this.id,
      type: "public-key",
      response: { authenticatorData, clientDataJSON, signature: derSignature(r, s) },
    } as unknown as Credential;
  };

  /** The viem WebAuthn account of this passkey. */
  account(): WebAuthnAccount {
    return toWebAuthnAccount({ credential: this.credential, getFn: this.getFn, rpId: TEST_RP_ID });
  }
}
