import { getAddress, isAddressEqual, type Address, type Hex } from "viem";
import { sql, type Kysely } from "kysely";
import { attestLink } from "../brand/attestLink.js";
import { brandUnlink } from "../brand/brandUnlink.js";
import { submitConsentChange } from "../brand/submitConsentChange.js";
import { submitLink } from "../brand/submitLink.js";
import { InvalidArgumentError, PunchcardError } from "../errors.js";
import { readLedger } from "../ledger/readLedger.js";
import { commitmentOf, maskToPurposes } from "../utils/consent.js";
import type { ConsentLinkMessage, Purpose, PurposesChangeMessage } from "../types/consent.js";
import { randomSalt } from "../utils/randomSalt.js";
import type { SignedConsent } from "../types/consent.js";
import type { Program, WriteClient } from "../program.js";
import { getConsentLink, type ConsentLinkInfo } from "../read/getConsentLink.js";
import { hasConsent } from "../read/hasConsent.js";
import { engineOf, openDatabase, type DatabaseEngine } from "./database.js";
import { migrateLinkStore } from "./migrations/linkStoreMigrations.js";

/** The brand's private mapping: customer id ↔ wallet ↔ salt. Never on-chain; erased by {@link LinkStore.forget}. */
export interface MemberLinksTable {
  customer_id: string;
  /** Lower-case wallet address. */
  wallet: string;
  salt: string;
  commitment: string;
  /** "pending" until the link transaction succeeds, then "linked". */
  status: string;
  created_at: string;
  linked_at: string | null;
}

export interface LinkStoreTables {
  member_links: MemberLinksTable;
}

/**
 * The customer has no link (or pending link) in the brand's store.
 *
 * @example
 * if (error instanceof UnknownCustomerError) console.log(`no link for ${error.customerId}`);
 */
export class UnknownCustomerError extends PunchcardError {
  override name = "UnknownCustomerError";
  constructor(readonly customerId: string) {
    super(`Customer ${JSON.stringify(customerId)} has no wallet link in this store.`, { hint: "Call prepareLink first." });
  }
}

/**
 * The wallet is not linked in the brand's store.
 *
 * @example
 * if (error instanceof WalletNotLinkedError) console.log(`${error.wallet} is not linked`);
 */
export class WalletNotLinkedError extends PunchcardError {
  override name = "WalletNotLinkedError";
  constructor(readonly wallet: string) {
    super(`Wallet ${wallet} is not linked to any customer in this store.`);
  }
}

/** Who the store is about: a customer by the brand's id, or a wallet. */
export type MemberRef = { customerId: string } | { wallet: Address };

/** Everything the brand and the chain hold about one member, for a data-access request. */
export interface MemberData {
  customerId: string;
  wallet: Address;
  /** The salt is the member's data too: with it, anyone can tie the on-chain commitment to the customer id. */
  salt: Hex;
  commitment: Hex;
  status: string;
  createdAt: string;
  linkedAt: string | null;
  /** The link as the chain holds it now (null once unlinked). */
  onChain: (Omit<ConsentLinkInfo, "linkedAt"> & { linkedAt: string }) | null;
  /** Every consent change of the wallet, from the chain's events, oldest first. */
  purposesHistory: Array<{ blockTime: string; txHash: Hex; kind: string; purposes: Purpose[] }>;
  /** Every ledger entry of the program that involves the wallet. */
  ledger: Array<{
    blockTime: string;
    txHash: Hex;
    kind: string;
    counterparty: Address | null;
    tokenId: string | null;
    amount: string | null;
  }>;
}

/**
 * The brand's link store: the off-chain half of consent-aware wallet linking. It keeps the customer id ↔
 * wallet ↔ salt mapping in a database (SQLite file by default, Postgres by URL, one schema), puts only
 * the salted commitment on-chain, and erases the mapping on request. Node only.
 *
 * @example
 * const store = await LinkStore.open("links.sqlite", { program, brand: backend });
 * const { commitment } = await store.prepareLink({ customerId: "cust-0042", wallet });
 * // the member signs in their wallet: signConsentLink(member, { program, commitment, purposes: ["rewards"] })
 * await store.link({ customerId: "cust-0042", consent });
 */
export class LinkStore {
  private constructor(
    readonly db: Kysely<LinkStoreTables>,
    readonly engine: DatabaseEngine,
    readonly program: Program,
    readonly brand: WriteClient,
  ) {}

  /**
   * Opens a store at a file path or postgres:// URL, creating or migrating its table (see
   * migrateLinkStore). `brand` attests and submits.
   */
  static async open(location: string, { program, brand }: { program: Program; brand: WriteClient }): Promise<LinkStore> {
    const db = openDatabase<LinkStoreTables>(location);
    try {
      await migrateLinkStore(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }
    return new LinkStore(db, engineOf(location), program, brand);
  }

  /** Closes the database. */
  async close(): Promise<void> {
    await this.db.destroy();
  }

  private async row(ref: MemberRef): Promise<MemberLinksTable> {
    if ("customerId" in ref) {
      const row = await this.db
        .selectFrom("member_links")
        .selectAll()
        .where("customer_id", "=", ref.customerId)
        .executeTakeFirst();
      if (!row) throw new UnknownCustomerError(ref.customerId);
      return row;
    }
    const row = await this.db
      .selectFrom("member_links")
      .selectAll()
      .where("wallet", "=", ref.wallet.toLowerCase())
      .executeTakeFirst();
    if (!row) throw new WalletNotLinkedError(ref.wallet);
    return row;
  }

  /**
   * Starts a link: draws a random salt, stores customer ↔ wallet ↔ salt as pending, and returns the
   * commitment the member signs. Preparing again for the same customer and wallet draws a new salt.
   */
  async prepareLink({ customerId, wallet }: { customerId: string; wallet: Address }): Promise<{ commitment: Hex }> {
    if (customerId.trim() === "") throw new InvalidArgumentError("customerId", "is required.");
    const address = getAddress(wallet).toLowerCase();
    const existing = await this.db
      .selectFrom("member_links")
      .selectAll()
      .where((eb) => eb.or([eb("customer_id", "=", customerId), eb("wallet", "=", address)]))
      .execute();
    for (const row of existing) {
      if (row.status === "linked") {
        throw new InvalidArgumentError(
          row.customer_id === customerId ? "customerId" : "wallet",
          `is already linked (${row.wallet}).`,
          "Forget or unlink it first.",
        );
      }
    }
    const salt = randomSalt();
    const commitment = commitmentOf(salt, customerId);
    await this.db.transaction().execute(async (trx) => {
      for (const row of existing) await trx.deleteFrom("member_links").where("customer_id", "=", row.customer_id).execute();
      await trx
        .insertInto("member_links")
        .values({
          customer_id: customerId,
          wallet: address,
          salt,
          commitment,
          status: "pending",
          created_at: new Date().toISOString(),
          linked_at: null,
        })
        .execute();
    });
    return { commitment };
  }

  /**
   * Completes a link: checks the member's signed consent is for the prepared wallet and commitment,
   * attests it as the brand (minor and guardian included), submits it (the brand pays the gas), and only
   * then marks it linked. A refused transaction leaves the store as it was.
   */
  async link({
    customerId,
    consent,
    minor = false,
    guardian,
    guardianSignature,
  }: {
    customerId: string;
    consent: SignedConsent<ConsentLinkMessage>;
    minor?: boolean;
    guardian?: Address;
    guardianSignature?: Hex;
  }): Promise<{ txHash: Hex; purposes: Purpose[] }> {
    const row = await this.row({ customerId });
    if (!isAddressEqual(consent.message.wallet, row.wallet as Address)) {
      throw new InvalidArgumentError(
        "consent",
        `is signed for wallet ${consent.message.wallet}, but customer ${customerId} is linking ${row.wallet}.`,
      );
    }
    if (consent.message.commitment !== row.commitment) {
      throw new InvalidArgumentError(
        "consent",
        "is for another commitment than the one prepared for this customer.",
        "Call prepareLink again and have the member sign the new commitment.",
      );
    }
    const attestation = await attestLink(this.brand, {
      program: this.program,
      wallet: consent.message.wallet,
      commitment: consent.message.commitment,
      minor,
      ...(guardian ? { guardian } : {}),
    });
    const { hash } = await submitLink(this.brand, {
      program: this.program,
      consent,
      attestation,
      ...(guardianSignature ? { guardianSignature } : {}),
    });
    await this.db
      .updateTable("member_links")
      .set({ status: "linked", linked_at: new Date().toISOString() })
      .where("customer_id", "=", customerId)
      .execute();
    return { txHash: hash, purposes: maskToPurposes(consent.message.purposes) };
  }

  /** Submits a member's signed change of purposes (an empty set revokes everything) for a linked wallet. */
  async updatePurposes({
    change,
    guardianSignature,
  }: {
    change: SignedConsent<PurposesChangeMessage>;
    guardianSignature?: Hex;
  }): Promise<{ txHash: Hex; purposes: Purpose[] }> {
    const row = await this.row({ wallet: change.message.wallet });
    if (row.status !== "linked") throw new WalletNotLinkedError(change.message.wallet);
    const { hash } = await submitConsentChange(this.brand, {
      program: this.program,
      change,
      ...(guardianSignature ? { guardianSignature } : {}),
    });
    return { txHash: hash, purposes: maskToPurposes(change.message.purposes) };
  }

  /** Submits a member's signed revocation of every purpose (a change to the empty set). */
  async revoke({ change }: { change: SignedConsent<PurposesChangeMessage> }): Promise<{ txHash: Hex }> {
    if (change.message.purposes !== 0n) {
      throw new InvalidArgumentError("change", "must revoke every purpose (sign an empty set); use updatePurposes to keep some.");
    }
    const { txHash } = await this.updatePurposes({ change });
    return { txHash };
  }

  /** Whether the member consents to `purpose` now, as the chain says. */
  async hasConsent(ref: MemberRef & { purpose: Purpose }): Promise<boolean> {
    const row = await this.row(ref);
    return hasConsent(this.brand, { program: this.program, wallet: row.wallet as Address, purpose: ref.purpose });
  }

  /**
   * Erasure ("forget me"): unlinks the wallet on-chain if it is still linked, then deletes the customer
   * id, wallet and salt. Afterwards nothing the brand holds ties the on-chain commitment to the person.
   */
  async forget(ref: MemberRef): Promise<{ unlinkedOnChain: boolean }> {
    const row = await this.row(ref);
    const wallet = row.wallet as Address;
    // Unlink whatever link the wallet has, even one whose commitment the store no longer holds (a link
    // mined after its receipt timed out, then prepared again): erasure must end the consent on-chain.
    const onChain = await getConsentLink(this.brand, { program: this.program, wallet });
    const unlinkedOnChain = onChain !== null;
    if (unlinkedOnChain) await brandUnlink(this.brand, { program: this.program, wallet });
    await this.db.deleteFrom("member_links").where("customer_id", "=", row.customer_id).execute();
    // SQLite overwrites the deleted row (secure_delete) and the checkpoint empties the write-ahead log,
    // which still held the row's old pages. Postgres: VACUUM FULL rewrites the table without the dead
    // row (a plain VACUUM only marks its space reusable); WAL archives and backups are the operator's
    // to expire (see README, "Right to be forgotten").
    if (this.engine === "sqlite") await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(this.db);
    else await sql`VACUUM FULL member_links`.execute(this.db);
    return { unlinkedOnChain };
  }

  /** All the brand and the chain hold about a member, as plain JSON-ready data. */
  async exportMemberData(ref: MemberRef): Promise<MemberData> {
    const row = await this.row(ref);
    const wallet = getAddress(row.wallet);
    const onChain = await getConsentLink(this.brand, { program: this.program, wallet });
    const entries = (await readLedger(this.brand, { program: this.program })).filter(
      (e) => (e.actor && isAddressEqual(e.actor, wallet)) || (e.counterparty && isAddressEqual(e.counterparty, wallet)),
    );
    const time = (seconds: number) => new Date(seconds * 1000).toISOString();
    return {
      customerId: row.customer_id,
      wallet,
      salt: row.salt as Hex,
      commitment: row.commitment as Hex,
      status: row.status,
      createdAt: row.created_at,
      linkedAt: row.linked_at,
      onChain: onChain && { ...onChain, linkedAt: time(Number(onChain.linkedAt)) },
      purposesHistory: entries
        .filter((e) => e.contract === "consent" && e.event === "ConsentPurposesChanged")
        .map((e) => ({ blockTime: time(e.blockTime), txHash: e.txHash, kind: e.kind, purposes: maskToPurposes(e.amount ?? 0n) })),
      ledger: entries.map((e) => ({
        blockTime: time(e.blockTime),
        txHash: e.txHash,
        kind: e.kind,
        counterparty: e.counterparty,
        tokenId: e.tokenId?.toString() ?? null,
        amount: e.amount?.toString() ?? null,
      })),
    };
  }

  /**
   * The customer id of each wallet whose analytics consent stands now; other wallets stay anonymous.
   * This is the only way analytics may join on-chain activity to a customer.
   */
  async analyticsIdentities(wallets: readonly Address[]): Promise<Map<string, string>> {
    const identities = new Map<string, string>();
    for (const wallet of wallets) {
      const row = await this.db
        .selectFrom("member_links")
        .selectAll()
        .where("wallet", "=", wallet.toLowerCase())
        .executeTakeFirst();
      if (row?.status !== "linked") continue;
      if (await hasConsent(this.brand, { program: this.program, wallet, purpose: "analytics" })) {
        identities.set(wallet.toLowerCase(), row.customer_id);
      }
    }
    return identities;
  }
}
