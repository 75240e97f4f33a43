import type { Address, Hex } from "viem";

// What this browser keeps of a member's card (localStorage), and the card's number. Nothing here is secret: the
// passkey's private key never leaves the device's authenticator. Kept apart from passkeyCard.ts (the WebAuthn and
// P-256 code), which the Connect view loads only when the member creates a card or signs in.

/**
 * A member's card: the passkey that signs for their account (its credential id and public key), the name they chose,
 * and the account (the program's MemberAccountFactory's predicted address for that key, deployed by its first UserOp).
 */
export interface PasskeyCard {
  credentialId: string;
  publicKey: Hex;
  name: string;
  address: Address;
  /**
   * The account's first passkey, when the card signs with another one (a passkey added later, on another device):
   * the factory made the account for the first, and the account's address stands on it.
   */
  firstPublicKey?: Hex | undefined;
}

/**
 * What the card needs of the program: its chain (the node's URL: the card's code makes its own client, so the start
 * screen loads no chain-reading code), its factory, and the brand the passkey is made for.
 */
export interface CardProgram {
  rpcUrl: string;
  chainId: number;
  factory: Address;
  brand: string;
  /** The program's deployment block: where the cards' events are searched from (none is older). */
  fromBlock: bigint;
}

type CardKey = Pick<CardProgram, "chainId" | "factory">;

/** The key a card is kept under in this browser: one card per program (chain and factory). */
function storageKey({ chainId, factory }: CardKey, what: "card" | "signedIn" | "passkeys"): string {
  return `punchcard.${what}.${chainId}.${factory.toLowerCase()}`;
}

/** The card this browser remembers for the program, if any (one that is not well-formed is ignored). */
export function rememberedCard(program: CardKey): PasskeyCard | undefined {
  try {
    const raw = localStorage.getItem(storageKey(program, "card"));
    if (!raw) return undefined;
    const card = JSON.parse(raw) as Partial<PasskeyCard>;
    if (typeof card.credentialId !== "string" || typeof card.publicKey !== "string" || typeof card.address !== "string")
      return undefined;
    return {
      credentialId: card.credentialId,
      publicKey: card.publicKey,
      name: card.name ?? "",
      address: card.address,
      ...(typeof card.firstPublicKey === "string" ? { firstPublicKey: card.firstPublicKey } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Keeps the card in this browser, signed in (the wallet opens on it after a reload, as wagmi reconnects a wallet). */
export function remember(program: CardKey, card: PasskeyCard): void {
  try {
    localStorage.setItem(storageKey(program, "card"), JSON.stringify(card));
    localStorage.setItem(storageKey(program, "signedIn"), "1");
  } catch {
    // Private browsing may refuse storage: the member signs in with the passkey alone next time.
  }
}

/** The remembered card, if its member did not sign out. */
export function signedInCard(program: CardKey): PasskeyCard | undefined {
  try {
    return localStorage.getItem(storageKey(program, "signedIn")) ? rememberedCard(program) : undefined;
  } catch {
    return undefined;
  }
}

/** Signs out: the card stays remembered (its public key), so signing in again takes one passkey prompt. */
export function signOut(program: CardKey): void {
  try {
    localStorage.removeItem(storageKey(program, "signedIn"));
  } catch {
    // Nothing was stored.
  }
}

/**
 * The passkeys this browser added to a card (credential id to public key), so that signing in with one of them
 * opens that card: its account was made for the first passkey, so a later one's address cannot be predicted.
 */
type AddedPasskeys = Record<string, { publicKey: Hex; address: Address; firstPublicKey: Hex }>;

function addedPasskeys(program: CardKey): AddedPasskeys {
  try {
    return JSON.parse(localStorage.getItem(storageKey(program, "passkeys")) ?? "{}") as AddedPasskeys;
  } catch {
    return {};
  }
}

/** Remembers a passkey added to `card` (this browser can then open the card with it). */
export function rememberAddedPasskey(program: CardKey, card: PasskeyCard, credentialId: string, publicKey: Hex): void {
  try {
    const added = addedPasskeys(program);
    added[credentialId] = { publicKey, address: card.address, firstPublicKey: card.firstPublicKey ?? card.publicKey };
    localStorage.setItem(storageKey(program, "passkeys"), JSON.stringify(added));
  } catch {
    // Without storage the passkey still works on its own device: signing in there finds its account on the chain.
  }
}

/** The card a passkey this browser added opens (signing with that passkey), if it added it. */
export function cardOfAddedPasskey(program: CardKey, credentialId: string, name: string): PasskeyCard | undefined {
  const added = addedPasskeys(program)[credentialId];
  return added && { credentialId, name, ...added };
}

/** A short member number for the card, never hex: the account's last eight decimal digits, in two groups of four. */
export function memberNumber(address: Address): string {
  const digits = (BigInt(address) % 100_000_000n).toString().padStart(8, "0");
  return `${digits.slice(0, 4)} ${digits.slice(4)}`;
}
