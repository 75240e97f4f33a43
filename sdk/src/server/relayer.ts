import type { Kysely } from "kysely";
import { formatEther, getAddress, hashTypedData, type Address, type Hash, type Hex, type TransactionReceipt } from "viem";
import { getBalance, getTransactionReceipt } from "viem/actions";
import type { z } from "zod";
import { relayCancel } from "../brand/relayCancel.js";
import { relayMarketApproval } from "../brand/relayMarketApproval.js";
import { relayMatch } from "../brand/relayMatch.js";
import { relayRedeem } from "../brand/relayRedeem.js";
import { relaySwap } from "../brand/relaySwap.js";
import { submitConsentChange } from "../brand/submitConsentChange.js";
import { submitGuardianChange } from "../brand/submitGuardianChange.js";
import { submitGuardianWithdrawal } from "../brand/submitGuardianWithdrawal.js";
import { ContractRevertError, PunchcardError, toPunchcardError } from "../errors.js";
import type { ExecuteResult } from "../internal/execute.js";
import { redeemVoucher } from "../member/redeemVoucher.js";
import type { OrderBookTables } from "./orderBook/schema.js";
import type { Program, WriteClient } from "../program.js";
import { relaySchemas, type RelayAction } from "../serverApi/schemas.js";
import type { PointsPermit, SignedIntent } from "../types/intents.js";
import { hashOrder, orderSigner, type Listing, type Offer, type Signed, type SwapOrder } from "../types/orders.js";
import { rewardsDomain, voucherTypes } from "../types/rewards.js";
import { ServerRefusal, wouldRevert } from "./errors.js";
import { carriesRevertData, faultOf } from "../utils/faults.js";
import { PROGRAM_SCOPE, RelayBudget, secondsUntilNextBudgetDay, type Spend } from "./relay/budget.js";
import { eligibleBy, whyUseless, type CheckContext } from "./relay/checks.js";
import { belowFloor, RelayerFunds } from "./relay/funds.js";
import { defaultRelayPolicy, outsideDates, type RelayPolicy } from "./relay/policy.js";
import { isPostgres, RelaySender, RelaySenderPool, type BeforeSend } from "./relay/sender.js";

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
  ): Promise<ExecuteResult & { permit?: ExecuteResult | undefined }>;
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
  /** Signs and pays with the brand's relayer key, or keys (each sends through its own nonce queue); never a member's. */
  relayer: WriteClient | readonly WriteClient[];
  db: Kysely<OrderBookTables>;
  /** What the brand sponsors (default {@link defaultRelayPolicy}). */
  policy?: RelayPolicy;
  /** Relayed actions per member per UTC day: replaces the policy's `member.actionsPerDay` when given. */
  quota?: number;
  /**
   * Take each key's nonces through the database, for instances sharing a key (default: when the database is
   * Postgres). On SQLite one process holds the key.
   */
  shareNonces?: boolean;
  /** A transaction not mined after this many milliseconds is sent again at a higher fee (default 30 s; 0: never). */
  stuckAfterMs?: number;
  /** Today, for tests of the day boundary (default: the wall clock). */
  today?: () => string;
  /** Now, for tests of the policy's dates (default: the wall clock). */
  now?: () => Date;
  /** The permit posted with an offer (the order book's); default none. */
  storedPermit?: RelayContext["storedPermit"];
}

const refusalIn = (error: unknown): ServerRefusal | undefined => {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) if (e instanceof ServerRefusal) return e;
  return undefined;
};

const nothing: Spend = { actions: 0, gas: 0n, coin: 0n };

/**
 * The relayer: sponsors what the brand's policy sponsors, for whom it sponsors it, within its budgets. Before
 * anything is sent it checks the policy's dates and actions, that a rule of the brand admits the member (never the
 * request's word), that the member cannot pay for themselves, that the action changes something, the relayer's
 * balance floor and the gas price cap; then it takes one of the member's and the program's actions for today, and
 * the SDK simulates. Each transaction's gas and coin is charged at its estimate before it takes a nonce, and settled
 * to the receipt after; whatever was not sent is handed back. Every counter is one conditional UPDATE in the
 * database. Nonces come from one queue per key ({@link RelaySender}).
 */
export class Relayer {
  readonly senders: RelaySenderPool;
  readonly policy: RelayPolicy;
  private readonly budget: RelayBudget;
  private readonly funds: RelayerFunds;

  constructor(private readonly options: RelayerOptions) {
    const keys: readonly WriteClient[] = Array.isArray(options.relayer)
      ? (options.relayer as readonly WriteClient[])
      : [options.relayer as WriteClient];
    const shared = options.shareNonces ?? isPostgres(options.db);
    this.senders = new RelaySenderPool(
      keys.map(
        (client) =>
          new RelaySender({
            client,
            ...(shared ? { db: options.db } : {}),
            ...(options.stuckAfterMs === undefined ? {} : { stuckAfterMs: options.stuckAfterMs }),
          }),
      ),
    );
    const base = options.policy ?? defaultRelayPolicy;
    this.policy = options.quota === undefined ? base : { ...base, member: { ...base.member, actionsPerDay: options.quota } };
    this.budget = new RelayBudget(options.db, this.key);
    this.funds = new RelayerFunds(this.reader);
  }

  private get key() {
    return `${this.options.program.chainId}:${this.options.program.market.toLowerCase()}`;
  }

  private get reader(): WriteClient {
    const { relayer } = this.options;
    return Array.isArray(relayer) ? (relayer as readonly WriteClient[])[0]! : (relayer as WriteClient);
  }

  private checkContext(): CheckContext {
    return { client: this.reader, program: this.options.program, db: this.options.db, bookKey: this.key };
  }

  /** How many relays the member used today. */
  async used(member: Address): Promise<number> {
    return (await this.budget.used(getAddress(member), this.today())).actions;
  }

  /** What the member and the program spent today. */
  async spent(member?: Address) {
    const day = this.today();
    return {
      day,
      program: await this.budget.used(PROGRAM_SCOPE, day),
      ...(member === undefined ? {} : { member: await this.budget.used(getAddress(member), day) }),
    };
  }

  /** Why sponsorship is paused now (its dates, every key's balance under the floor), or undefined. */
  async paused(): Promise<string | undefined> {
    const off = outsideDates(this.policy, this.now());
    if (off) return off;
    const balances = await Promise.all(this.senders.senders.map((s) => this.funds.balance(s.address)));
    const richest = balances.reduce((a, b) => (b > a ? b : a));
    return richest < this.policy.minRelayerBalance ? belowFloor(richest, this.policy.minRelayerBalance) : undefined;
  }

  private today() {
    return this.options.today?.() ?? new Date().toISOString().slice(0, 10);
  }

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /** Stops the senders' timers. */
  stop(): void {
    this.senders.stop();
  }

  // Everything that does not spend: the policy's dates and actions, the member, their coin, the action's use.
  private async admit<A extends RelayAction>(action: A, body: z.output<(typeof relaySchemas)[A]>, member: Address) {
    const { policy } = this;
    const off = outsideDates(policy, this.now());
    if (off) throw new ServerRefusal(503, "sponsorship_off", off);
    if (!policy.actions.includes(action))
      throw new ServerRefusal(422, "not_sponsored", `The brand does not sponsor ${action}: send it yourself.`);
    const context = this.checkContext();
    if (!(await eligibleBy(policy, action, member, context))) {
      const rules = [
        policy.eligibility.consent && "a wallet linked in the consent registry",
        policy.eligibility.holders && "a wallet holding a stamp or points",
        policy.eligibility.vouchers && "a voucher the brand signed",
        policy.eligibility.allowlist.length > 0 && "a wallet the brand listed",
      ].filter(Boolean);
      throw new ServerRefusal(
        422,
        "not_eligible",
        `${member} is not sponsored by this program's policy (it sponsors ${rules.join(", ") || "no one"}): send it yourself.`,
      );
    }
    if (policy.selfPayBalance > 0n) {
      const balance = await getBalance(context.client, { address: member });
      if (balance >= policy.selfPayBalance)
        throw new ServerRefusal(
          422,
          "send_it_yourself",
          `${member} holds ${formatEther(balance)} of the chain's coin (${balance} wei), at least the ${policy.selfPayBalance} wei the brand expects a member to pay with: send it yourself.`,
        );
    }
    const useless = await whyUseless(action, body as never, context);
    if (useless) throw new ServerRefusal(422, "changes_nothing", useless);
  }

  // The relayer's own state: its balance floor and the gas price cap.
  private async affordable(sender: RelaySender) {
    const { policy } = this;
    const [balance, gasPrice] = await Promise.all([this.funds.balance(sender.address), this.funds.gasPrice()]);
    if (balance < policy.minRelayerBalance)
      throw new ServerRefusal(503, "relayer_low", belowFloor(balance, policy.minRelayerBalance));
    if (gasPrice > policy.maxGasPrice)
      throw new ServerRefusal(
        503,
        "gas_price_high",
        `Gas costs ${gasPrice} wei, above the ${policy.maxGasPrice} wei the brand pays at most: try again later, or send it yourself.`,
      );
  }

  /** Takes one action of the member's and of the program's day; answers what the member has left. */
  private async takeAction(member: Address, day: string): Promise<number> {
    const { policy } = this;
    const one = { ...nothing, actions: 1 };
    const used = await this.budget.charge(member, day, one, policy.member);
    if (used === undefined)
      throw new ServerRefusal(
        429,
        "quota_exceeded",
        `${member} has used all ${policy.member.actionsPerDay} relayed actions for ${day} (UTC); try again tomorrow, or send it yourself.`,
        { retryAfter: secondsUntilNextBudgetDay(this.now()) },
      );
    if ((await this.budget.charge(PROGRAM_SCOPE, day, one, policy.program)) === undefined) {
      await this.budget.settle(member, day, one, nothing);
      throw new ServerRefusal(
        503,
        "program_budget_spent",
        `The program's sponsorship for ${day} (UTC) is spent: try again tomorrow, or send it yourself.`,
        { retryAfter: secondsUntilNextBudgetDay(this.now()) },
      );
    }
    return policy.member.actionsPerDay - used;
  }

  /** Checks the policy, charges the budgets, simulates and sends; the body is the action's, decoded by its schema. */
  async relay<A extends RelayAction>(action: A, body: z.output<(typeof relaySchemas)[A]>) {
    const handler = relayActions[action] as unknown as RelayEntry<(typeof relaySchemas)[A]>;
    const member = handler.member(body);
    await this.admit(action, body, member);
    const sender = this.senders.pick();
    return sender.using(async () => {
      await this.affordable(sender);
      const day = this.today();
      const remainingToday = await this.takeAction(member, day);
      const charges: { spend: Spend; hash?: Hash | undefined }[] = [];
      const { policy, budget } = this;
      const beforeSend: BeforeSend = async ({ gas, feePerGas }) => {
        const spend: Spend = { actions: 0, gas, coin: gas * feePerGas };
        if ((await budget.charge(member, day, spend, policy.member)) === undefined)
          throw new ServerRefusal(
            429,
            "budget_exceeded",
            `${member}'s sponsored gas for ${day} (UTC) would pass ${policy.member.gasPerDay} gas or ${formatEther(policy.member.coinPerDay)} of the coin: try again tomorrow, or send it yourself.`,
            { retryAfter: secondsUntilNextBudgetDay(this.now()) },
          );
        if ((await budget.charge(PROGRAM_SCOPE, day, spend, policy.program)) === undefined) {
          await budget.settle(member, day, spend, nothing);
          throw new ServerRefusal(
            503,
            "program_budget_spent",
            `The program's sponsored gas for ${day} (UTC) is spent: try again tomorrow, or send it yourself.`,
            { retryAfter: secondsUntilNextBudgetDay(this.now()) },
          );
        }
        const charge: { spend: Spend; hash?: Hash | undefined } = { spend };
        charges.push(charge);
        return (hash) => {
          charge.hash = hash;
          // Sent: the key's balance is at most this much less, until the chain's figure is read again.
          if (hash) this.funds.spent(sender.address, spend.coin);
        };
      };
      // The receipts the action waited for: what each charge really cost is read from them, not asked for again.
      const receipts: TransactionReceipt[] = [];
      try {
        const context: RelayContext = { storedPermit: this.options.storedPermit ?? (() => Promise.resolve(undefined)) };
        const { hash, receipt, permit } = await handler.send(sender.clientFor(beforeSend), this.options.program, body, context);
        receipts.push(receipt, ...(permit ? [permit.receipt] : []));
        return { hash, member, remainingToday, ...(permit ? { permitHash: permit.hash } : {}) };
      } catch (error) {
        // Nothing sent: the action is handed back too. Something sent (and reverted on chain) was spent.
        if (!charges.some((c) => c.hash)) {
          const one = { ...nothing, actions: 1 };
          await this.budget.settle(member, day, one, nothing);
          await this.budget.settle(PROGRAM_SCOPE, day, one, nothing);
        }
        throw this.refusalOf(error);
      } finally {
        await this.settle(sender, member, day, charges, receipts);
      }
    });
  }

  // Each charge becomes what its receipt says was spent, or nothing when it was not sent. The receipts the action
  // waited for are used as they are; a charge without one (the action failed after sending) reads it from the chain.
  private async settle(
    sender: RelaySender,
    member: Address,
    day: string,
    charges: { spend: Spend; hash?: Hash | undefined }[],
    waited: readonly TransactionReceipt[],
  ) {
    for (const { spend, hash } of charges) {
      let real = nothing;
      if (hash) {
        const current = sender.current(hash);
        const receipt =
          waited.find((r) => r.transactionHash === current || r.transactionHash === hash) ??
          (await getTransactionReceipt(this.reader, { hash: current }).catch(() => undefined));
        // Not mined yet (the wait failed): the estimate stays charged.
        if (!receipt) continue;
        real = { actions: 0, gas: receipt.gasUsed, coin: receipt.gasUsed * receipt.effectiveGasPrice };
      }
      await this.budget.settle(member, day, spend, real);
      await this.budget.settle(PROGRAM_SCOPE, day, spend, real);
    }
  }

  private refusalOf(error: unknown): Error {
    const own = refusalIn(error);
    if (own) return own;
    // The simulation reverted: named when the program's ABIs decode the revert, unnamed (never a 500) when not.
    if (toPunchcardError(error) instanceof ContractRevertError || carriesRevertData(error)) return wouldRevert(error);
    // The chain or the database did not answer: not the member's fault, and nothing was charged. The error
    // middleware answers it 503 with Retry-After, as it answers every fault.
    if (faultOf(error)) return error as Error;
    // The SDK refused before simulating (an allowance short and no permit that covers it): nothing was sent.
    if (error instanceof PunchcardError) return new ServerRefusal(422, "cannot_relay", error.shortMessage);
    return error instanceof Error ? error : new Error(String(error));
  }
}
