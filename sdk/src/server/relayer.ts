import type { Kysely } from "kysely";
import { getAddress, hashTypedData, type Address, type Hash, type Hex } from "viem";
import type { z } from "zod";
import { relayCancel } from "../brand/relayCancel.js";
import { relayMarketApproval } from "../brand/relayMarketApproval.js";
import { relayMatch } from "../brand/relayMatch.js";
import { relayRedeem } from "../brand/relayRedeem.js";
import { relaySwap } from "../brand/relaySwap.js";
import { submitConsentChange } from "../brand/submitConsentChange.js";
import { submitGuardianChange } from "../brand/submitGuardianChange.js";
import { submitGuardianWithdrawal } from "../brand/submitGuardianWithdrawal.js";
import { PunchcardError, toPunchcardError } from "../errors.js";
import { redeemVoucher } from "../member/redeemVoucher.js";
import type { OrderBookTables } from "./orderBook/schema.js";
import type { Program, WriteClient } from "../program.js";
import { relaySchemas, type RelayAction } from "../serverApi/schemas.js";
import type { PointsPermit, SignedIntent } from "../types/intents.js";
import { hashOrder, orderSigner, type Listing, type Offer, type Signed, type SwapOrder } from "../types/orders.js";
import { rewardsDomain, voucherTypes } from "../types/rewards.js";
import { ServerRefusal } from "./errors.js";

/**
 * One action the relayer submits for a member: the body's schema, the member it is for (whose signature it
 * carries and whose quota it spends), and the SDK call that simulates and sends it from the relayer's key. The
 * SDK call simulates first (execute), so what would revert is refused with the SDK's sentence and nothing is sent.
 * The body arrives decoded by the schema: bigints, checksummed addresses.
 */
export interface RelayEntry<Schema extends z.ZodType> {
  schema: Schema;
  member(body: z.output<Schema>): Address;
  send(
    relayer: WriteClient,
    program: Program,
    body: z.output<Schema>,
    context: RelayContext,
  ): Promise<{ hash: Hash; permit?: { hash: Hash } }>;
}

/** What a relayed action may look up besides its body. */
export interface RelayContext {
  /** The permit posted to the book with an offer, by the offer's hash. */
  storedPermit(offerHash: Hex): Promise<SignedIntent<PointsPermit> | undefined>;
}

const entry = <Schema extends z.ZodType>(e: RelayEntry<Schema>) => e;

type Posted<Order> = { order: Order; signature: Hex };

// A signed order with its EIP-712 hash computed here for this chain and Market (a hash sent along is never trusted).
const listingOf = (program: Program, { order, signature }: Posted<Listing>): Signed<Listing> => ({
  order,
  signature,
  orderHash: hashOrder(program, { kind: "listing", order }),
});
const offerOf = (program: Program, { order, signature }: Posted<Offer>): Signed<Offer> => ({
  order,
  signature,
  orderHash: hashOrder(program, { kind: "offer", order }),
});
const swapOf = (program: Program, { order, signature }: Posted<SwapOrder>): Signed<SwapOrder> => ({
  order,
  signature,
  orderHash: hashOrder(program, { kind: "swap", order }),
});
const permitOf = (permit: SignedIntent<PointsPermit> | undefined) => (permit === undefined ? {} : { permit });

/** Every relayed action, by the name in `POST /relay/<action>`. Adding one is one entry here and its schema in serverApi/schemas.ts. */
export const relayActions = {
  redeemVoucher: entry({
    schema: relaySchemas.redeemVoucher,
    member: (b) => b.voucher.order.member,
    send: (relayer, program, { voucher: { order, signature } }) => {
      const orderHash = hashTypedData({
        domain: rewardsDomain(program),
        types: voucherTypes,
        primaryType: "Voucher",
        message: order,
      });
      return redeemVoucher(relayer, { program, voucher: { order, signature, orderHash } });
    },
  }),
  consentChange: entry({
    schema: relaySchemas.consentChange,
    member: (b) => b.change.message.wallet,
    send: (relayer, program, b) =>
      submitConsentChange(relayer, {
        program,
        change: b.change,
        ...(b.guardianSignature === undefined ? {} : { guardianSignature: b.guardianSignature }),
      }),
  }),
  guardianChange: entry({
    schema: relaySchemas.guardianChange,
    member: (b) => b.change.message.wallet,
    send: (relayer, program, b) =>
      submitGuardianChange(relayer, { program, change: b.change, newGuardianSignature: b.newGuardianSignature }),
  }),
  guardianWithdrawal: entry({
    schema: relaySchemas.guardianWithdrawal,
    member: (b) => b.withdrawal.message.wallet,
    send: (relayer, program, b) => submitGuardianWithdrawal(relayer, { program, withdrawal: b.withdrawal }),
  }),
  marketApproval: entry({
    schema: relaySchemas.marketApproval,
    member: (b) => b.approval.message.owner,
    send: (relayer, program, b) => relayMarketApproval(relayer, { program, approval: b.approval }),
  }),
  // A purchase: the buyer signed the offer (signPurchase) and the permit, so it is the buyer's quota.
  buy: entry({
    schema: relaySchemas.buy,
    member: (b) => b.purchase.order.buyer,
    send: (relayer, program, b) =>
      relayMatch(relayer, {
        program,
        listing: listingOf(program, b.listing),
        offer: offerOf(program, b.purchase),
        ...permitOf(b.permit),
      }),
  }),
  // An acceptance: the seller signed a listing at the offer's price, so it is the seller's quota. The buyer's
  // permit comes in the body, or else from the book, where it was posted with the offer.
  acceptOffer: entry({
    schema: relaySchemas.acceptOffer,
    member: (b) => b.listing.order.seller,
    send: async (relayer, program, b, context) => {
      const offer = offerOf(program, b.offer);
      const permit = b.permit ?? (await context.storedPermit(offer.orderHash));
      return relayMatch(relayer, { program, listing: listingOf(program, b.listing), offer, ...permitOf(permit) });
    },
  }),
  // The counter-order's maker takes the swap (and pays its fees), so it is the taker's quota.
  swap: entry({
    schema: relaySchemas.swap,
    member: (b) => b.counterOrder.order.maker,
    send: (relayer, program, b) =>
      relaySwap(relayer, {
        program,
        order: swapOf(program, b.order),
        counterOrder: swapOf(program, b.counterOrder),
        ...permitOf(b.permit),
      }),
  }),
  cancel: entry({
    schema: relaySchemas.cancel,
    member: (b) => orderSigner(b.cancellation.order),
    // The order may carry its own signature along (signCancel keeps it); relayCancel reads its kind and order only.
    send: (relayer, program, b) => relayCancel(relayer, { program, cancellation: b.cancellation }),
  }),
  cancelAll: entry({
    schema: relaySchemas.cancelAll,
    member: (b) => b.cancellation.message.signer,
    send: (relayer, program, b) => relayCancel(relayer, { program, cancellation: b.cancellation }),
  }),
  redeem: entry({
    schema: relaySchemas.redeem,
    member: (b) => b.redemption.message.member,
    send: (relayer, program, b) => relayRedeem(relayer, { program, redemption: b.redemption }),
  }),
} satisfies { [A in RelayAction]: RelayEntry<(typeof relaySchemas)[A]> };

export interface RelayerOptions {
  program: Program;
  /** Signs and pays with the brand's relayer key; never with a member's. */
  relayer: WriteClient;
  db: Kysely<OrderBookTables>;
  /** Relayed actions per member per UTC day. */
  quota: number;
  /** Today, for tests of the day boundary (default: the wall clock). */
  today?: () => string;
  /** The permit posted with an offer (the order book's); default none. */
  storedPermit?: RelayContext["storedPermit"];
}

/**
 * The relayer: checks a member's quota for the day (stored, so a restart does not reset it), then submits the
 * action through the SDK, which simulates before it sends. A refusal hands the quota back.
 */
export class Relayer {
  constructor(private readonly options: RelayerOptions) {}

  private get key() {
    return `${this.options.program.chainId}:${this.options.program.market.toLowerCase()}`;
  }

  /** Uses one of the member's relays for today, or refuses with 429. Returns what is left. */
  private async take(member: Address, day: string): Promise<number> {
    const { db, quota } = this.options;
    return db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom("relay_quota")
        .select("used")
        .where("program", "=", this.key)
        .where("member", "=", member)
        .where("day", "=", day)
        .executeTakeFirst();
      const used = Number(row?.used ?? 0);
      if (used >= quota)
        throw new ServerRefusal(
          429,
          "quota_exceeded",
          `${member} has used all ${quota} relayed actions for ${day} (UTC); try again tomorrow, or send it yourself.`,
        );
      await trx
        .insertInto("relay_quota")
        .values({ program: this.key, member, day, used: 1 })
        .onConflict((c) => c.columns(["program", "member", "day"]).doUpdateSet({ used: used + 1 }))
        .execute();
      return quota - used - 1;
    });
  }

  private async giveBack(member: Address, day: string) {
    await this.options.db
      .updateTable("relay_quota")
      .set((eb) => ({ used: eb("used", "-", 1) }))
      .where("program", "=", this.key)
      .where("member", "=", member)
      .where("day", "=", day)
      .where("used", ">", 0)
      .execute();
  }

  /** How many relays the member used today. */
  async used(member: Address): Promise<number> {
    const row = await this.options.db
      .selectFrom("relay_quota")
      .select("used")
      .where("program", "=", this.key)
      .where("member", "=", getAddress(member))
      .where("day", "=", this.today())
      .executeTakeFirst();
    return Number(row?.used ?? 0);
  }

  private today() {
    return this.options.today?.() ?? new Date().toISOString().slice(0, 10);
  }

  /** Charges the quota, simulates and sends; the body is the action's, decoded by its schema. */
  async relay<A extends RelayAction>(action: A, body: z.output<(typeof relaySchemas)[A]>) {
    const handler = relayActions[action] as unknown as RelayEntry<(typeof relaySchemas)[A]>;
    const member = handler.member(body);
    const day = this.today();
    const remainingToday = await this.take(member, day);
    try {
      const context: RelayContext = { storedPermit: this.options.storedPermit ?? (() => Promise.resolve(undefined)) };
      const { hash, permit } = await handler.send(this.options.relayer, this.options.program, body, context);
      return { hash, member, remainingToday, ...(permit ? { permitHash: permit.hash } : {}) };
    } catch (error) {
      await this.giveBack(member, day);
      const refusal = toPunchcardError(error);
      if (refusal instanceof PunchcardError && "errorName" in refusal)
        throw new ServerRefusal(422, "would_revert", refusal.shortMessage);
      // The SDK refused before simulating (an allowance short and no permit that covers it): nothing was sent.
      if (error instanceof PunchcardError) throw new ServerRefusal(422, "cannot_relay", error.shortMessage);
      throw error;
    }
  }
}
