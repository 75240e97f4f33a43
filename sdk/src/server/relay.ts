import type { Kysely } from "kysely";
import { getAddress, hashTypedData, type Address, type Hash, type Hex } from "viem";
import type { z } from "zod";
import { submitConsentChange } from "../brand/submitConsentChange.js";
import { submitGuardianChange } from "../brand/submitGuardianChange.js";
import { submitGuardianWithdrawal } from "../brand/submitGuardianWithdrawal.js";
import { PunchcardError, toPunchcardError } from "../errors.js";
import { redeemVoucher } from "../member/redeemVoucher.js";
import { relayCancel } from "../brand/relayCancel.js";
import { relayMarketApproval } from "../brand/relayMarketApproval.js";
import { relayMatch } from "../brand/relayMatch.js";
import { relayRedeem } from "../brand/relayRedeem.js";
import { relaySwap } from "../brand/relaySwap.js";
import type { CancellableOrder } from "../member/signCancel.js";
import type { AllOrdersCancellation, MarketApproval, PointsPermit, Redemption, SignedIntent } from "../types/intents.js";
import {
  listingTypes,
  marketDomain,
  offerTypes,
  swapOrderTypes,
  type Listing,
  type Offer,
  type Signed,
  type SwapOrder,
} from "../types/orders.js";
import type { OrderBookTables } from "./orderBook/schema.js";
import type { Program, WriteClient } from "../program.js";
import type { GuardianChangeMessage, GuardianWithdrawalMessage, PurposesChangeMessage } from "../types/consent.js";
import { rewardsDomain, voucherTypes, type VoucherMessage } from "../types/rewards.js";
import { fromWire, relaySchemas, type RelayAction } from "./api.js";
import { BookRefusal } from "./orderBook/bookRefusal.js";

/**
 * One action the relayer submits for a member: the body's schema, the member it is for (whose signature it
 * carries and whose quota it spends), and the SDK call that simulates and sends it from the relayer's key. The
 * SDK call simulates first (execute), so what would revert is refused with the SDK's sentence and nothing is sent.
 */
export interface RelayEntry<Schema extends z.ZodType> {
  schema: Schema;
  member(body: z.infer<Schema>): Address;
  send(
    relayer: WriteClient,
    program: Program,
    body: z.infer<Schema>,
    context: RelayContext,
  ): Promise<{ hash: Hash; permit?: { hash: Hash } }>;
}

/** What a relayed action may look up besides its body. */
export interface RelayContext {
  /** The permit posted to the book with an offer, by the offer's hash. */
  storedPermit(offerHash: Hex): Promise<SignedIntent<PointsPermit> | undefined>;
}

const entry = <Schema extends z.ZodType>(e: RelayEntry<Schema>) => e;

type WireSigned = { order: Record<string, unknown>; signature: string };
type WireIntent = { message: Record<string, unknown>; signature: string };

/** A signed order from the wire, with its EIP-712 hash computed here for this chain and Market (never trusted). */
function signedListing(program: Program, wire: WireSigned): Signed<Listing> {
  const order = fromWire<Listing>(wire.order);
  const orderHash = hashTypedData({ domain: marketDomain(program), types: listingTypes, primaryType: "Listing", message: order });
  return { order, signature: wire.signature as Hex, orderHash };
}
function signedOffer(program: Program, wire: WireSigned): Signed<Offer> {
  const order = fromWire<Offer>(wire.order);
  const orderHash = hashTypedData({ domain: marketDomain(program), types: offerTypes, primaryType: "Offer", message: order });
  return { order, signature: wire.signature as Hex, orderHash };
}
function signedSwap(program: Program, wire: WireSigned): Signed<SwapOrder> {
  const order = fromWire<SwapOrder>(wire.order);
  const orderHash = hashTypedData({
    domain: marketDomain(program),
    types: swapOrderTypes,
    primaryType: "SwapOrder",
    message: order,
  });
  return { order, signature: wire.signature as Hex, orderHash };
}
function intent<Message>(wire: WireIntent): SignedIntent<Message> {
  return { message: fromWire<Message>(wire.message), signature: wire.signature as Hex };
}
const permitOf = (wire: WireIntent | undefined) => (wire === undefined ? {} : { permit: intent<PointsPermit>(wire) });

/** Every relayed action, by the name in `POST /relay/<action>`. Adding one is one entry here and its schema in api.ts. */
export const relayActions = {
  redeemVoucher: entry({
    schema: relaySchemas.redeemVoucher,
    member: (b) => getAddress(b.voucher.order.member),
    send: (relayer, program, b) => {
      const order = fromWire<VoucherMessage>(b.voucher.order);
      const orderHash = hashTypedData({
        domain: rewardsDomain(program),
        types: voucherTypes,
        primaryType: "Voucher",
        message: order,
      });
      return redeemVoucher(relayer, { program, voucher: { order, signature: b.voucher.signature as Hex, orderHash } });
    },
  }),
  consentChange: entry({
    schema: relaySchemas.consentChange,
    member: (b) => getAddress(b.change.message.wallet),
    send: (relayer, program, b) =>
      submitConsentChange(relayer, {
        program,
        change: { message: fromWire<PurposesChangeMessage>(b.change.message), signature: b.change.signature as Hex },
        ...(b.guardianSignature === undefined ? {} : { guardianSignature: b.guardianSignature as Hex }),
      }),
  }),
  guardianChange: entry({
    schema: relaySchemas.guardianChange,
    member: (b) => getAddress(b.change.message.wallet),
    send: (relayer, program, b) =>
      submitGuardianChange(relayer, {
        program,
        change: { message: fromWire<GuardianChangeMessage>(b.change.message), signature: b.change.signature as Hex },
        newGuardianSignature: b.newGuardianSignature as Hex,
      }),
  }),
  guardianWithdrawal: entry({
    schema: relaySchemas.guardianWithdrawal,
    member: (b) => getAddress(b.withdrawal.message.wallet),
    send: (relayer, program, b) =>
      submitGuardianWithdrawal(relayer, {
        program,
        withdrawal: {
          message: fromWire<GuardianWithdrawalMessage>(b.withdrawal.message),
          signature: b.withdrawal.signature as Hex,
        },
      }),
  }),
  marketApproval: entry({
    schema: relaySchemas.marketApproval,
    member: (b) => getAddress(b.approval.message.owner),
    send: (relayer, program, b) => relayMarketApproval(relayer, { program, approval: intent<MarketApproval>(b.approval) }),
  }),
  // A purchase: the buyer signed the offer (signPurchase) and the permit, so it is the buyer's quota.
  buy: entry({
    schema: relaySchemas.buy,
    member: (b) => getAddress(b.purchase.order.buyer),
    send: (relayer, program, b) =>
      relayMatch(relayer, {
        program,
        listing: signedListing(program, b.listing),
        offer: signedOffer(program, b.purchase),
        ...permitOf(b.permit),
      }),
  }),
  // An acceptance: the seller signed a listing at the offer's price, so it is the seller's quota. The buyer's
  // permit comes in the body, or else from the book, where it was posted with the offer.
  acceptOffer: entry({
    schema: relaySchemas.acceptOffer,
    member: (b) => getAddress(b.listing.order.seller),
    send: async (relayer, program, b, context) => {
      const offer = signedOffer(program, b.offer);
      const stored = b.permit === undefined ? await context.storedPermit(offer.orderHash) : undefined;
      return relayMatch(relayer, {
        program,
        listing: signedListing(program, b.listing),
        offer,
        ...(b.permit !== undefined ? permitOf(b.permit) : stored ? { permit: stored } : {}),
      });
    },
  }),
  // The counter-order's maker takes the swap (and pays its fees), so it is the taker's quota.
  swap: entry({
    schema: relaySchemas.swap,
    member: (b) => getAddress(b.counterOrder.order.maker),
    send: (relayer, program, b) =>
      relaySwap(relayer, {
        program,
        order: signedSwap(program, b.order),
        counterOrder: signedSwap(program, b.counterOrder),
        ...permitOf(b.permit),
      }),
  }),
  cancel: entry({
    schema: relaySchemas.cancel,
    member: (b) => {
      const { kind, order } = b.cancellation.order;
      return getAddress(kind === "listing" ? order.seller : kind === "offer" ? order.buyer : order.maker);
    },
    send: (relayer, program, b) => {
      const { kind, order } = b.cancellation.order;
      const target = (
        kind === "listing"
          ? { kind, order: fromWire<Listing>(order) }
          : kind === "offer"
            ? { kind, order: fromWire<Offer>(order) }
            : { kind, order: fromWire<SwapOrder>(order) }
      ) as CancellableOrder;
      const message = { orderHash: b.cancellation.message.orderHash as Hex, deadline: BigInt(b.cancellation.message.deadline) };
      return relayCancel(relayer, {
        program,
        cancellation: { message, signature: b.cancellation.signature as Hex, order: target },
      });
    },
  }),
  cancelAll: entry({
    schema: relaySchemas.cancelAll,
    member: (b) => getAddress(b.cancellation.message.signer),
    send: (relayer, program, b) => relayCancel(relayer, { program, cancellation: intent<AllOrdersCancellation>(b.cancellation) }),
  }),
  redeem: entry({
    schema: relaySchemas.redeem,
    member: (b) => getAddress(b.redemption.message.member),
    send: (relayer, program, b) => relayRedeem(relayer, { program, redemption: intent<Redemption>(b.redemption) }),
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
        throw new BookRefusal(
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

  /** Validates, charges the quota, simulates and sends; the body must already match the action's schema. */
  async relay<A extends RelayAction>(action: A, body: z.infer<(typeof relaySchemas)[A]>) {
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
        throw new BookRefusal(422, "would_revert", refusal.shortMessage);
      // The SDK refused before simulating (an allowance short and no permit that covers it): nothing was sent.
      if (error instanceof PunchcardError) throw new BookRefusal(422, "cannot_relay", error.shortMessage);
      throw error;
    }
  }
}
