import {
  acceptOffer,
  acceptOfferCalls,
  approveMarket,
  approveMarketCalls,
  approveOfferCalls,
  buyStampCalls,
  cancelAllOrdersCalls,
  cancelOrderCalls,
  changeConsentCalls,
  consentRegistryAbi,
  fillSwapCalls,
  guardianApprovalCalls,
  guardianWithdrawalCalls,
  marketAbi,
  pointsAbi,
  withdrawConsentCalls,
  buyStamp,
  cancelAllOrders,
  cancelOrder,
  changeConsent,
  DEFAULT_CONSENT_LIFETIME_SECONDS,
  DEFAULT_ORDER_LIFETIME_SECONDS,
  expiryIn,
  fillSwap,
  listStamp,
  makeOffer,
  proposeSwap,
  signCancel,
  signCancelAll,
  signConsentChange,
  signForgetRequest,
  signGuardianApproval,
  signGuardianWithdrawal,
  signMarketApproval,
  signPointsPermit,
  signPurchase,
  submitConsentChange,
  unlinkWallet,
  withdrawAsGuardian,
  type AnyOrder,
  type BookEntry,
  type CancellableOrder,
  type ExecuteResult,
  type ForgetLinkAnswer,
  type GuardianPurpose,
  type Listing,
  type Offer,
  type Order,
  type Program,
  type ProgramServerClient,
  type Purpose,
  type PurposesChangeMessage,
  type Signed,
  type SignedConsent,
  type SignPointsPermitReturnType,
  type SwapOrder,
  type WriteClient,
  ProgramServerError,
} from "@punchcard/sdk";
import type { Address, Hex, PublicClient } from "viem";
import { getBlock, readContract } from "viem/actions";
import { PasskeyActionUnavailableError } from "./passkey/userOpErrors.js";
import { sendUserOperation, type PasskeySender } from "./passkey/userOps.js";
import { relayed } from "./programServer.js";

/** Who acts, and how: the member's wallet signs, and, when the member is sponsored, the brand's relayer sends. */
export interface Sender {
  program: Program;
  /** Reads the chain and waits for a relayed transaction. */
  client: PublicClient;
  /** The member's wallet: it sends the transaction (direct), or only signs (sponsored). */
  writer: WriteClient;
  /** The program server whose relayer sends the action and pays its gas; absent, the member sends it. */
  relayer?: ProgramServerClient | undefined;
  /**
   * A passkey member's account, the program server that sponsors its UserOps and the bundler that sends them: every
   * action is one UserOp from the account (batched: an approval with what it is for), the relayer is not used.
   */
  passkey?: PasskeySender | undefined;
}

/** What a sent action answers: its mined transaction, or nothing when only an order was signed. */
type Sent = ExecuteResult | undefined;

/** An offer signed for the order book, with the buyer's points permit when the relayer will submit it on acceptance. */
export interface SignedOffer {
  offer: Signed<Offer>;
  permit?: SignPointsPermitReturnType;
}

/**
 * What "Forget me" did: the brand's answer when its server erased (or had erased) its record, and the on-chain
 * unlink or withdrawal when the wallet did it itself; `notErased` says why the brand's record was not erased here.
 */
export interface ForgetOutcome {
  answer?: ForgetLinkAnswer;
  onChain?: Sent;
  /** No program server; its server keeps no link store; or its store holds no record of this wallet. */
  notErased?: "no_server" | "link_store_off" | "not_linked";
}

/** What each member action takes and answers. */
interface MemberActions {
  /** Lets the Market move the member's stamps (to list, accept an offer, or swap). */
  marketApproval: { input: Record<string, never>; output: void };
  buy: { input: { listing: Signed<Listing> }; output: Sent };
  /** Signs an offer; its points are backed by an allowance (a transaction) or, sponsored, by a permit. */
  makeOffer: { input: { seriesId: bigint; tokenId?: bigint; price: bigint }; output: SignedOffer };
  /**
   * Makes again offers that ended, at their prices and on their stamps or series. Sponsored, one permit covers them
   * all (their prices added up): whichever is accepted first submits it, and the allowance left pays the others.
   */
  renewOffers: { input: { offers: Offer[] }; output: SignedOffer[] };
  acceptOffer: { input: { offer: Signed<Offer>; tokenId: bigint }; output: Sent };
  fillSwap: { input: { swap: Signed<SwapOrder>; takerTokenId: bigint }; output: Sent };
  cancel: { input: { order: BookEntry }; output: Sent };
  cancelAll: { input: Record<string, never>; output: Sent };
  /** The member sets their purposes (the Privacy page's switches). */
  consentChange: { input: { purposes: Purpose[] }; output: Sent };
  /**
   * "Forget me": with a program server (`brand`), the wallet signs a ForgetLink request and the brand erases its
   * record and unlinks the wallet on-chain at its own cost, sponsored or not. Without one (or when its server keeps
   * no record of the wallet), the chain alone: the member's own transaction unlinks the wallet; sponsored, the member
   * signs the withdrawal of every purpose and the relayer sends it (the relayer has no unlink).
   */
  forget: { input: { brand?: ProgramServerClient | undefined }; output: ForgetOutcome };
  /**
   * A minor's guardian approves the minor's request (their signed change, from the program server): the guardian
   * sends it as the registry's caller, or, sponsored, signs a GuardianApproval over it and the relayer sends both.
   */
  guardianApproval: { input: { change: SignedConsent<PurposesChangeMessage> }; output: Sent };
  /** A minor's guardian withdraws what they approved (the Privacy page). */
  guardianWithdrawal: { input: { ward: Address; purposes: GuardianPurpose[] }; output: Sent };
}

export type MemberAction = keyof MemberActions;

/**
 * An action's forms: the member sends it and pays the gas, or signs it for the brand's relayer, or (a passkey
 * member) their account does it in one UserOp the brand sponsors. An action with no `userOp` is not offered to a
 * passkey member (sendOrRelay says so and does nothing).
 */
interface Route<Input, Output> {
  direct: (sender: Sender, input: Input) => Promise<Output>;
  sponsored: (sender: Sender, relayer: ProgramServerClient, input: Input) => Promise<Output>;
  userOp?: (sender: Sender, passkey: PasskeySender, input: Input) => Promise<Output>;
}

/**
 * Every member action the wallet can have sponsored, each with its direct call and its relayed call, so the choice
 * (sponsored or direct) is made here once, for every button (the Privacy page's guardian withdrawal too). A new
 * action is its types in MemberActions, one row here, and its route on the program server's relayer.
 */
const ROUTES: { [Action in MemberAction]: Route<MemberActions[Action]["input"], MemberActions[Action]["output"]> } = {
  marketApproval: {
    direct: async ({ program, writer }) => {
      await approveMarket(writer, { program });
    },
    sponsored: async ({ program, writer, client }, relayer) => {
      const approval = await signMarketApproval(writer, { program });
      const { hash } = await relayer.relay("marketApproval", { approval });
      await relayed(client, hash);
    },
    userOp: async ({ program, client }, passkey) => {
      await sendUserOperation(client, passkey, approveMarketCalls({ program }));
    },
  },
  buy: {
    direct: ({ program, writer }, { listing }) => buyStamp(writer, { program, listing }),
    sponsored: async ({ program, writer, client }, relayer, { listing }) => {
      const purchase = await signPurchase(writer, { program, listing });
      const permit = await signPointsPermit(writer, { program, value: listing.order.price });
      const { hash } = await relayer.relay("buy", { listing, purchase, permit });
      return relayed(client, hash);
    },
    // The approval and the purchase in one UserOp: the price is approved on top of what backs the account's open
    // offers (an approval of the price alone would replace it, and those offers would leave the book unfunded), and
    // the purchase takes exactly the price back.
    userOp: async ({ program, client }, passkey, { listing }) => {
      const { currency, price } = listing.order;
      const allowance = (await marketAllowance(client, program, passkey, currency)) + price;
      return sendUserOperation(client, passkey, [
        ...approveOfferCalls({ program, currency, amount: allowance }),
        ...buyStampCalls({ program, listing, allowance }),
      ]);
    },
  },
  makeOffer: {
    // The book takes an offer only if the buyer's points are there for it: an allowance raised by makeOffer (a
    // transaction), or, sponsored, a permit for the price that lasts as long as the offer, which the book keeps
    // and the brand's relayer submits when the offer is accepted. Both signatures come before anything is posted.
    direct: async ({ program, writer }, { seriesId, tokenId, price }) => ({
      offer: await makeOffer(writer, {
        program,
        ...offerTarget(seriesId, tokenId),
        price,
        currency: program.points,
        approve: true,
      }),
    }),
    sponsored: async ({ program, writer }, _relayer, { seriesId, tokenId, price }) => {
      const offer = await makeOffer(writer, {
        program,
        ...offerTarget(seriesId, tokenId),
        price,
        currency: program.points,
        approve: false,
      });
      const permit = await signPointsPermit(writer, { program, value: price, deadline: offer.order.expiry });
      return { offer, permit };
    },
    // The account signs the offer (the Market checks it through ERC-1271), then raises its allowance by the price in
    // a UserOp, so the offer is backed before the book is asked to take it.
    userOp: async ({ program, writer, client }, passkey, { seriesId, tokenId, price }) => {
      const offer = await makeOffer(writer, {
        program,
        ...offerTarget(seriesId, tokenId),
        price,
        currency: program.points,
        approve: false,
      });
      await raiseOfferAllowance({ program, client }, passkey, price);
      return { offer };
    },
  },
  renewOffers: {
    direct: async ({ program, writer }, { offers }) => {
      const renewed: SignedOffer[] = [];
      for (const o of offers)
        renewed.push({
          offer: await makeOffer(writer, {
            program,
            ...offerTarget(o.seriesId, o.tokenId || undefined),
            price: o.price,
            currency: o.currency,
            approve: true,
          }),
        });
      return renewed;
    },
    sponsored: async ({ program, writer }, _relayer, { offers }) => {
      // One expiry for all, so that the one permit lasts exactly as long as every offer it pays for.
      const expiry = await expiryIn(writer, DEFAULT_ORDER_LIFETIME_SECONDS);
      const signed: Array<Signed<Offer>> = [];
      for (const o of offers)
        signed.push(
          await makeOffer(writer, {
            program,
            ...offerTarget(o.seriesId, o.tokenId || undefined),
            price: o.price,
            currency: o.currency,
            expiry,
            approve: false,
          }),
        );
      const total = offers.reduce((sum, o) => sum + o.price, 0n);
      const permit = await signPointsPermit(writer, { program, value: total, deadline: expiry });
      return signed.map((offer) => ({ offer, permit }));
    },
  },
  acceptOffer: {
    direct: ({ program, writer }, { offer, tokenId }) => acceptOffer(writer, { program, offer, tokenId }),
    // Relayed: the seller signs a listing at the offer's price, and the relayer matches the two.
    sponsored: async ({ program, writer, client }, relayer, { offer, tokenId }) => {
      const listing = await listStamp(writer, { program, tokenId, price: offer.order.price, currency: offer.order.currency });
      const { hash } = await relayer.relay("acceptOffer", { offer, listing });
      return relayed(client, hash);
    },
    userOp: ({ program, client }, passkey, { offer, tokenId }) =>
      sendUserOperation(client, passkey, acceptOfferCalls({ program, offer, tokenId })),
  },
  fillSwap: {
    direct: ({ program, writer }, { swap, takerTokenId }) => fillSwap(writer, { program, swap, takerTokenId }),
    // Relayed: the taker signs the counter-order and a permit for at most its fees; the relayer matches both.
    sponsored: async ({ program, writer, client }, relayer, { swap, takerTokenId }) => {
      const counterOrder = await proposeSwap(writer, {
        program,
        makerTokenId: takerTokenId,
        wantedTokenId: swap.order.makerTokenId,
      });
      const permit = await signPointsPermit(writer, { program, value: counterOrder.order.maxFees });
      const { hash } = await relayer.relay("swap", { order: swap, counterOrder, permit });
      return relayed(client, hash);
    },
    // The account calls the Market itself: the swap's fees as the Market quotes them now (a swap whose fees went
    // above its maxFees reverts, which the program server's simulation refuses with the reason), approved in the
    // same UserOp on top of what backs the account's open offers, as a purchase's price is.
    userOp: async ({ program, client }, passkey, { swap, takerTokenId }) => {
      const [fee, royaltyAmount] = await readContract(client, {
        address: program.market,
        abi: marketAbi,
        functionName: "quoteSwap",
        args: [swap.order.makerTokenId, takerTokenId],
      });
      const allowance = await marketAllowance(client, program, passkey, program.points);
      return sendUserOperation(
        client,
        passkey,
        fillSwapCalls({ program, swap, takerTokenId, fees: allowance + fee + royaltyAmount }),
      );
    },
  },
  cancel: {
    direct: ({ program, writer }, { order }) => cancelOrder(writer, { program, order: anyOrderOf(order) }),
    sponsored: async ({ program, writer, client }, relayer, { order }) => {
      const cancellation = await signCancel(writer, { program, order: cancellableOf(order) });
      const { hash } = await relayer.relay("cancel", { cancellation });
      return relayed(client, hash);
    },
    userOp: ({ program, client }, passkey, { order }) =>
      sendUserOperation(client, passkey, cancelOrderCalls({ program, order: orderOf(order) })),
  },
  cancelAll: {
    direct: ({ program, writer }) => cancelAllOrders(writer, { program }),
    sponsored: async ({ program, writer, client }, relayer) => {
      const { hash } = await relayer.relay("cancelAll", { cancellation: await signCancelAll(writer, { program }) });
      return relayed(client, hash);
    },
    userOp: ({ program, client }, passkey) => sendUserOperation(client, passkey, cancelAllOrdersCalls({ program })),
  },
  consentChange: {
    direct: ({ program, writer }, { purposes }) => changeConsent(writer, { program, purposes }),
    sponsored: async ({ program, writer, client }, relayer, { purposes }) => {
      const { hash } = await relayer.relay("consentChange", { change: await signConsentChange(writer, { program, purposes }) });
      return relayed(client, hash);
    },
    // The account is the linked wallet: it calls the registry itself, so it signs nothing but the UserOp.
    userOp: async ({ program, client }, passkey, { purposes }) => {
      const wallet = passkey.account.address;
      const nonce = await readContract(client, {
        address: program.consent,
        abi: consentRegistryAbi,
        functionName: "nonces",
        args: [wallet],
      });
      const deadline = (await getBlock(client)).timestamp + DEFAULT_CONSENT_LIFETIME_SECONDS;
      return sendUserOperation(client, passkey, changeConsentCalls({ program, wallet, purposes, nonce, deadline }));
    },
  },
  forget: {
    direct: (sender, { brand }) => forgetAtBrandOr(sender, brand, () => unlinkWallet(sender.writer, { program: sender.program })),
    sponsored: ({ program, writer, client }, relayer, { brand }) =>
      forgetAtBrandOr({ program, writer, client }, brand, async () => {
        const { hash } = await relayer.relay("consentChange", {
          change: await signConsentChange(writer, { program, purposes: [] }),
        });
        return relayed(client, hash);
      }),
    userOp: ({ program, writer, client }, passkey, { brand }) =>
      forgetAtBrandOr({ program, writer, client }, brand, () =>
        sendUserOperation(client, passkey, withdrawConsentCalls({ program, unlink: true })),
      ),
  },
  guardianApproval: {
    direct: ({ program, writer }, { change }) => submitConsentChange(writer, { program, change }),
    sponsored: async ({ program, writer, client }, relayer, { change }) => {
      const guardianSignature = await signGuardianApproval(writer, { program, message: change.message });
      const { hash } = await relayer.relay("consentChange", { change, guardianSignature });
      return relayed(client, hash);
    },
    // The guardian's account submits the minor's change itself: the registry takes its call as the approval. A card
    // that is not the minor's guardian is refused by the program server's simulation (ConsentGuardianRequired).
    userOp: ({ program, client }, passkey, { change }) =>
      sendUserOperation(client, passkey, guardianApprovalCalls({ program, change })),
  },
  guardianWithdrawal: {
    direct: ({ program, writer }, { ward, purposes }) => withdrawAsGuardian(writer, { program, wallet: ward, purposes }),
    sponsored: async ({ program, writer, client }, relayer, { ward, purposes }) => {
      const withdrawal = await signGuardianWithdrawal(writer, { program, wallet: ward, purposes });
      const { hash } = await relayer.relay("guardianWithdrawal", { withdrawal });
      return relayed(client, hash);
    },
    // The guardian's account calls the registry itself, so it signs nothing but the UserOp.
    userOp: async ({ program, client }, passkey, { ward, purposes }) => {
      const guardian = passkey.account.address;
      const nonce = await readContract(client, {
        address: program.consent,
        abi: consentRegistryAbi,
        functionName: "guardianNonces",
        args: [guardian, ward],
      });
      const deadline = (await getBlock(client)).timestamp + DEFAULT_CONSENT_LIFETIME_SECONDS;
      return sendUserOperation(
        client,
        passkey,
        guardianWithdrawalCalls({ program, wallet: ward, guardian, purposes, nonce, deadline }),
      );
    },
  },
};

/**
 * Raises the account's points allowance to the Market by `price`, on top of what its other open offers already
 * hold, so that each offer it signed stays backed.
 */
async function raiseOfferAllowance(
  { program, client }: Pick<Sender, "program" | "client">,
  passkey: PasskeySender,
  price: bigint,
): Promise<void> {
  const allowance = await marketAllowance(client, program, passkey, program.points);
  await sendUserOperation(client, passkey, approveOfferCalls({ program, currency: program.points, amount: allowance + price }));
}

/**
 * What the passkey member's account lets the Market take of `currency` now: what backs its open offers, which an
 * approval for a purchase or a swap's fees adds to, never replaces.
 */
function marketAllowance(client: PublicClient, program: Program, passkey: PasskeySender, currency: Address): Promise<bigint> {
  return readContract(client, {
    address: currency,
    abi: pointsAbi,
    functionName: "allowance",
    args: [passkey.account.address, program.market],
  });
}

/**
 * Runs a member action in the form the member is in: a UserOp from a passkey member's account, relayed when `sender.relayer` is given (the member only
 * signs, the brand pays the gas), otherwise sent by the member's own wallet.
 */
export function sendOrRelay<Action extends MemberAction>(
  action: Action,
  sender: Sender,
  input: MemberActions[Action]["input"],
): Promise<MemberActions[Action]["output"]> {
  const route: Route<MemberActions[Action]["input"], MemberActions[Action]["output"]> = ROUTES[action];
  if (sender.passkey) {
    if (!route.userOp) return Promise.reject(new PasskeyActionUnavailableError(action));
    return route.userOp(sender, sender.passkey, input);
  }
  return sender.relayer ? route.sponsored(sender, sender.relayer, input) : route.direct(sender, input);
}

/**
 * Asks the brand's server to erase its record (a signature, no transaction); the chain-only path `onChain` runs
 * when there is no server, the server keeps no link store, or it held no link of this wallet. Any other refusal
 * (an expired or forged request) is thrown, with the server's reason, and nothing else is done.
 */
async function forgetAtBrandOr(
  { program, writer }: Pick<Sender, "program" | "writer" | "client">,
  brand: ProgramServerClient | undefined,
  onChain: () => Promise<Sent>,
): Promise<ForgetOutcome> {
  if (!brand) return { onChain: await onChain(), notErased: "no_server" };
  let answer: ForgetLinkAnswer;
  try {
    answer = await brand.forgetLink(await signForgetRequest(writer, { program }));
  } catch (error) {
    if (error instanceof ProgramServerError && (error.code === "link_store_off" || error.code === "not_linked"))
      return { onChain: await onChain(), notErased: error.code };
    throw error;
  }
  // The brand erased only other records of the wallet (card payments): the link is the chain's to remove.
  const stillLinked = answer.status === "forgotten" && !answer.erasedRecords.link;
  return stillLinked ? { answer, onChain: await onChain(), notErased: "not_linked" } : { answer };
}

/** An offer names one stamp, or (no token id) any stamp of its series. */
function offerTarget(seriesId: bigint, tokenId: bigint | undefined): { seriesId: bigint } | { tokenId: bigint } {
  return tokenId === undefined ? { seriesId } : { tokenId };
}

/** A book entry in the form cancelOrder takes. */
function anyOrderOf(o: BookEntry): AnyOrder {
  return o.kind === "listing" ? { listing: o.signed } : o.kind === "offer" ? { offer: o.signed } : { swap: o.signed };
}

/** A book entry's order with its kind, as the Market's cancel calls take it (one branch per kind, as below). */
function orderOf(o: BookEntry): Order {
  return o.kind === "listing"
    ? { kind: o.kind, order: o.signed.order }
    : o.kind === "offer"
      ? { kind: o.kind, order: o.signed.order }
      : { kind: o.kind, order: o.signed.order };
}

/**
 * A book entry in the form signCancel takes: the order with its kind, and the hash the cancellation signs. The
 * branches are the same spread: one per kind lets TypeScript pair each kind with its order, with no cast.
 */
function cancellableOf(o: BookEntry): CancellableOrder & { orderHash: Hex } {
  return o.kind === "listing"
    ? { kind: o.kind, ...o.signed }
    : o.kind === "offer"
      ? { kind: o.kind, ...o.signed }
      : { kind: o.kind, ...o.signed };
}
