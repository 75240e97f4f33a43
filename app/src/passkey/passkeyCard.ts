import { predictMemberAccount } from "@punchcard/sdk";
import { Bytes, Hash, Hex as OxHex, P256, PublicKey, WebAuthnP256 } from "ox";
import { createPublicClient, defineChain, http, zeroAddress, type Address, type Hex, type PublicClient } from "viem";
import { createWebAuthnCredential } from "viem/account-abstraction";
import { getCode } from "viem/actions";
import { findAccountOfAddedPasskey, requirePasskeyHeld } from "./accountPasskeys.js";
import { cardOfAddedPasskey, remember, rememberedCard, type CardProgram, type PasskeyCard } from "./cardStore.js";

/** The passkey's two assertions share no public key: it is not a P-256 passkey of this wallet. */
export class PasskeyNotRecognisedError extends Error {
  constructor() {
    super("This passkey's public key could not be found again from its signatures.");
    this.name = "PasskeyNotRecognisedError";
  }
}

/**
 * The member's account for a passkey: the factory's predicted address, with no recoverer and salt zero (the
 * wallet's cards). The brand rewards it at sign-up; the first UserOp deploys it there.
 */
export function cardAccount(program: CardProgram, publicKey: Hex): Promise<Address> {
  return predictMemberAccount(chainOf(program), { factory: program.factory, publicKey, recoverer: zeroAddress });
}

/**
 * A client of the program's chain (reads only). It names the chain: viem's smart account reads `client.chain.id`
 * for its nonce. The native coin's name is never shown: a card holds none.
 */
export function chainOf({ rpcUrl, chainId }: Pick<CardProgram, "rpcUrl" | "chainId">): PublicClient {
  const chain = defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: "native coin", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  return createPublicClient({ chain, transport: http(rpcUrl, { retryCount: 0 }) });
}

/**
 * Makes a new card: a passkey on this device (a discoverable credential, with user verification: the phone's
 * fingerprint, face or PIN), no seed phrase, no extension, no coin. `passkeyName` is what the device lists it as;
 * `name` what the card shows (may be empty). Its user handle is random, so two members who pick the same name on one
 * device do not replace each other's passkey.
 */
export async function createCard(program: CardProgram, passkeyName: string, name: string): Promise<PasskeyCard> {
  const credential = await newPasskey(program, passkeyName);
  const card = {
    credentialId: credential.id,
    publicKey: credential.publicKey,
    name,
    address: await cardAccount(program, credential.publicKey),
  };
  remember(program, card);
  return card;
}

/**
 * A new passkey for this site (a discoverable credential with user verification): the card's first, or one more
 * for a card that has one (the browser offers this device, or a phone nearby through its QR code).
 */
export function newPasskey(program: Pick<CardProgram, "brand">, passkeyName: string): Promise<{ id: string; publicKey: Hex }> {
  return createWebAuthnCredential({
    name: passkeyName,
    rp: { id: window.location.hostname, name: program.brand },
    user: { id: Bytes.random(32), name: passkeyName, displayName: passkeyName },
    authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "required" },
  });
}

/**
 * Signs in with a passkey the device holds (a discoverable credential: the browser lists the member's passkeys for
 * this site). `get` does not return the public key: when this browser remembers the card it is read from there;
 * otherwise (storage cleared, another browser) it is recovered from the assertion itself (see recoverCard).
 */
export async function signInWithPasskey(program: CardProgram): Promise<PasskeyCard> {
  const first = await assertion();
  const remembered = rememberedCard(program);
  if (remembered && remembered.credentialId === first.id) {
    await requirePasskeyHeld(chainOf(program), remembered);
    return remembered;
  }
  // A passkey this browser added to the card: it opens the same card, signing with that passkey.
  const card = cardOfAddedPasskey(program, first.id, remembered?.name ?? "") ?? (await recoverCard(program, first));
  // A passkey removed from its card (on another device) opens nothing: refused before the card is remembered.
  await requirePasskeyHeld(chainOf(program), card);
  remember(program, card);
  return card;
}

type Assertion = Awaited<ReturnType<typeof WebAuthnP256.sign>>;

/** A discoverable-credential assertion over a fresh random challenge (nothing is sent anywhere: it proves the key). */
function assertion(credentialId?: string): Promise<Assertion> {
  return WebAuthnP256.sign({
    challenge: OxHex.random(32),
    rpId: window.location.hostname,
    userVerification: "required",
    ...(credentialId ? { credentialId } : {}),
  });
}

/**
 * The two public keys an ECDSA P-256 signature can come from (recovery bit 0 and 1): the authenticator signed
 * sha256(authenticatorData ‖ sha256(clientDataJSON)).
 */
export function candidateKeys({ metadata, signature }: Pick<Assertion, "metadata" | "signature">): Hex[] {
  const clientDataHash = Hash.sha256(OxHex.fromString(metadata.clientDataJSON));
  const payload = Hash.sha256(OxHex.concat(metadata.authenticatorData, clientDataHash));
  const keys: Hex[] = [];
  for (const yParity of [0, 1]) {
    try {
      keys.push(
        PublicKey.toHex(P256.recoverPublicKey({ payload, signature: { ...signature, yParity } }), { includePrefix: false }),
      );
    } catch {
      // No point on the curve for this recovery bit.
    }
  }
  return keys;
}

/**
 * The card of a passkey this browser does not remember. Its public key is one of the two the assertion recovers;
 * the chain tells which when its account exists (the first UserOp deployed it); otherwise a second assertion of
 * the same passkey recovers two more, and the key found in both is the passkey's (a wrong one matches by chance
 * with negligible odds). A passkey added to a card later (another device) has no predicted account: its account is
 * the factory's clone whose events added it. The name is not stored anywhere but this browser: it comes back empty.
 */
async function recoverCard(program: CardProgram, first: Assertion): Promise<PasskeyCard> {
  const candidates = candidateKeys(first);
  const accounts = await Promise.all(candidates.map((key) => cardAccount(program, key)));
  const codes = await Promise.all(accounts.map((address) => getCode(chainOf(program), { address })));
  const deployed = candidates.filter((_, i) => codes[i] !== undefined && codes[i] !== "0x");
  let publicKey = deployed.length === 1 ? deployed[0] : undefined;
  if (!publicKey) {
    const second = candidateKeys(await assertion(first.id));
    publicKey = candidates.find((key) => second.some((other) => other.toLowerCase() === key.toLowerCase()));
  }
  if (!publicKey) throw new PasskeyNotRecognisedError();
  const added = await findAccountOfAddedPasskey(chainOf(program), program, publicKey);
  if (added) return { credentialId: first.id, publicKey, name: "", ...added };
  return { credentialId: first.id, publicKey, name: "", address: accounts[candidates.indexOf(publicKey)]! };
}
