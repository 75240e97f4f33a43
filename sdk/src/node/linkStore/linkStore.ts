import { getAddress, isAddressEqual, zeroAddress, type Address, type Hex } from "viem";
import { sql, type Kysely } from "kysely";
import { attestLink } from "../../brand/attestLink.js";
import { brandUnlink } from "../../brand/brandUnlink.js";
import { submitConsentChange } from "../../brand/submitConsentChange.js";
import { submitComingOfAge } from "../../brand/submitComingOfAge.js";
import { submitGuardianChange } from "../../brand/submitGuardianChange.js";
import { submitGuardianWithdrawal } from "../../brand/submitGuardianWithdrawal.js";
import { submitLink } from "../../brand/submitLink.js";
import { InvalidArgumentError, PunchcardError } from "../../errors.js";
import { readLedger } from "../../ledger/readLedger.js";
import { commitmentOf, maskToPurposes } from "../../utils/consent.js";
import type {
  ComingOfAgeMessage,
  ConsentLinkMessage,
  GuardianChangeMessage,
  GuardianWithdrawalMessage,
  Purpose,
  PurposesChangeMessage,
} from "../../types/consent.js";
import { memberDataSchema, type MemberData } from "../../types/memberData.js";
import { randomSalt } from "../../utils/randomSalt.js";
import type { SignedConsent } from "../../types/consent.js";
import type { Program, WriteClient } from "../../program.js";
import { getConsentLink } from "../../read/getConsentLink.js";
import { hasConsent } from "../../read/hasConsent.js";
import { engineOf, openDatabase, type DatabaseEngine } from "../database.js";
import { migrateLinkStore, type LinkStoreTables, type MemberLinksTable } from "./schema.js";

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

/**
 * The chain does not show the link the store prepared for the wallet: the consent registry links the wallet with no
 * commitment (`not_linked`: not sent yet, refused, or unlinked since) or with another one (`other_commitment`: a
 * link this store did not prepare). Nothing was changed.
 *
 * @example
 * if (error instanceof LinkNotOnChainError && error.reason === "not_linked") console.log("wait for the link's block");
 */
export class LinkNotOnChainError extends PunchcardError {
  override name = "LinkNotOnChainError";
  constructor(
    readonly wallet: string,
    readonly reason: "not_linked" | "other_commitment",
  ) {
    super(
      reason === "not_linked"
        ? `Wallet ${wallet} is not linked in the program's consent registry: nothing to confirm.`
        : `Wallet ${wallet} is linked in the program's consent registry with another commitment than the one this store prepared for it: nothing was marked.`,
      { hint: reason === "not_linked" ? "Confirm once the link's transaction is mined." : "Prepare the link again." },
    );
  }
}

/** Who the store is about: a customer by the brand's id, or a wallet. */
export type MemberRef = { customerId: string } | { wallet: Address };

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
   * then marks it linked ({@link confirmLink}, from the chain). A refused transaction leaves the store as it was.
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
    await this.confirmLink({ wallet: consent.message.wallet });
    return { txHash: hash, purposes: maskToPurposes(consent.message.purposes) };
  }

  /**
   * Marks the wallet's prepared link linked once the chain shows it: the consent registry links the wallet with the
   * commitment this store prepared for it. However the link was sent (by {@link link} here; by the member from the
   * brand's link request, with their own wallet or from a passkey card's sponsored UserOp), this is the one way the
   * store learns it: from the chain, never from a caller's word. `linkedAt` is the chain's. Confirming a link marked
   * already changes nothing. Throws WalletNotLinkedError when the store prepared no link for the wallet, and
   * LinkNotOnChainError when the chain shows none, or another commitment's.
   *
   * @example
   * // After the member linked from the link request (`#/link/<code>` in the wallet):
   * const { customerId, linkedAt } = await store.confirmLink({ wallet });
   */
  async confirmLink({ wallet }: { wallet: Address }): Promise<{ customerId: string; linkedAt: string }> {
    const onChain = await getConsentLink(this.brand, { program: this.program, wallet });
    if (!onChain) throw new LinkNotOnChainError(wallet, "not_linked");
    const row = await this.row({ wallet });
    if (onChain.commitment.toLowerCase() !== row.commitment.toLowerCase())
      throw new LinkNotOnChainError(wallet, "other_commitment");
    if (row.status === "linked" && row.linked_at) return { customerId: row.customer_id, linkedAt: row.linked_at };
    const linkedAt = new Date(Number(onChain.linkedAt) * 1000).toISOString();
    await this.db
      .updateTable("member_links")
      .set({ status: "linked", linked_at: linkedAt })
      .where("customer_id", "=", row.customer_id)
      .where("commitment", "=", row.commitment)
      .execute();
    return { customerId: row.customer_id, linkedAt };
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
    // to expire (at most 30 days; see README, "Privacy and the right to be forgotten").
    if (this.engine === "sqlite") await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(this.db);
    else await sql`VACUUM FULL member_links`.execute(this.db);
    return { unlinkedOnChain };
  }

  /**
   * Relays a guardian's signed withdrawal of a minor's marketing or partner sharing
   * ({@link signGuardianWithdrawal}); the brand pays the gas. The wallet must be linked in this store.
   */
  async relayGuardianWithdrawal({
    withdrawal,
  }: {
    withdrawal: SignedConsent<GuardianWithdrawalMessage>;
  }): Promise<{ txHash: Hex }> {
    await this.linkedRow(withdrawal.message.wallet);
    const { hash } = await submitGuardianWithdrawal(this.brand, { program: this.program, withdrawal });
    return { txHash: hash };
  }

  /**
   * Changes a minor's guardian on the member's signed change ({@link signGuardianChange}) and the new
   * guardian's signature of it ({@link acceptGuardianship}). What the old guardian approved (marketing,
   * partner sharing) is withdrawn on-chain; the new guardian approves anew with the member's next change.
   */
  async changeGuardian({
    change,
    newGuardianSignature,
  }: {
    change: SignedConsent<GuardianChangeMessage>;
    newGuardianSignature: Hex;
  }): Promise<{ txHash: Hex }> {
    await this.linkedRow(change.message.wallet);
    const { hash } = await submitGuardianChange(this.brand, { program: this.program, change, newGuardianSignature });
    return { txHash: hash };
  }

  /**
   * A minor comes of age: the brand, having checked the member's age in its own records, attests it by
   * submitting the member's signed agreement ({@link signComingOfAge}). The purposes stay; from now on
   * marketing and partner sharing stand on the member's consent alone.
   */
  async comeOfAge({ request }: { request: SignedConsent<ComingOfAgeMessage> }): Promise<{ txHash: Hex }> {
    await this.linkedRow(request.message.wallet);
    const { hash } = await submitComingOfAge(this.brand, { program: this.program, request });
    return { txHash: hash };
  }

  private async linkedRow(wallet: Address): Promise<MemberLinksTable> {
    const row = await this.row({ wallet });
    if (row.status !== "linked") throw new WalletNotLinkedError(wallet);
    return row;
  }

  /**
   * All the brand and the chain hold about a member, as one JSON document the member can read
   * ({@link memberDataSchema}, checked before it is returned): the store's row without the salt, the
   * on-chain link, its history, and the ledger entries about the wallet, without other members' wallets.
   */
  async exportMemberData(ref: MemberRef): Promise<MemberData> {
    const row = await this.row(ref);
    const wallet = getAddress(row.wallet);
    const onChain = await getConsentLink(this.brand, { program: this.program, wallet });
    const entries = (await readLedger(this.brand, { program: this.program })).filter(
      (e) => (e.actor && isAddressEqual(e.actor, wallet)) || (e.counterparty && isAddressEqual(e.counterparty, wallet)),
    );
    const time = (seconds: number | bigint) => new Date(Number(seconds) * 1000).toISOString();
    const consentEvents = entries.filter((e) => e.contract === "consent" && e.actor && isAddressEqual(e.actor, wallet));
    const data: MemberData = {
      format: "punchcard/member-data@1",
      exportedAt: new Date().toISOString(),
      program: { chainId: this.program.chainId, consentRegistry: getAddress(this.program.consent) },
      brand: {
        customerId: row.customer_id,
        wallet,
        commitment: row.commitment,
        status: row.status as MemberData["brand"]["status"],
        createdAt: row.created_at,
        linkedAt: row.linked_at,
      },
      onChain: onChain && {
        commitment: onChain.commitment,
        purposes: onChain.purposes,
        minor: onChain.minor,
        guardian: onChain.guardian === zeroAddress ? null : onChain.guardian,
        linkedAt: time(onChain.linkedAt),
      },
      purposesHistory: consentEvents
        .filter((e) => e.event === "ConsentPurposesChanged")
        .map((e) => ({ blockTime: time(e.blockTime), txHash: e.txHash, kind: e.kind, purposes: maskToPurposes(e.amount ?? 0n) })),
      linkHistory: consentEvents
        .filter((e) => e.event !== "ConsentPurposesChanged" && e.kind.startsWith("consent."))
        .map((e) => ({
          blockTime: time(e.blockTime),
          txHash: e.txHash,
          kind: e.kind,
          purposes: e.event === "ConsentGuardianWithdrew" ? maskToPurposes(e.amount ?? 0n) : null,
          // The guardian or the brand's key acting on the link; never another member's link.
          by: e.event === "ConsentUnlinked" ? null : e.counterparty,
        })),
      ledger: entries.map((e) => ({
        blockTime: time(e.blockTime),
        txHash: e.txHash,
        kind: e.kind,
        role: e.actor && isAddressEqual(e.actor, wallet) ? "actor" : "counterparty",
        tokenId: e.tokenId?.toString() ?? null,
        amount: e.amount?.toString() ?? null,
      })),
    };
    return memberDataSchema.parse(data);
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
