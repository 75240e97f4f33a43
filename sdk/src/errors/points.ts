import { isoDate } from "./format.js";
import type { ContractErrorSentences } from "./types.js";
import { pointsErrorAbi } from "../generated/errorAbi.js";
import { errorCatalog } from "./catalog.js";
import { stampsErrorCatalog } from "./stamps.js";

/**
 * One sentence per custom error only Points raises (its own, ERC-20's and ERC-2612's), saying what
 * happened and what to do.
 */
export const pointsErrors = {
  PointsReceiptAlreadyCredited: ([receiptId]) =>
    `Receipt ${receiptId} was already credited: each payment receipt credits points once.`,
  PointsInvalidReceipt: () => "A receipt id cannot be zero.",
  PointsReceiptReversed: ([receiptId]) =>
    `Receipt ${receiptId} was reversed (refunded) before it was credited: it can never be credited.`,
  PointsReceiptAlreadyReversed: ([receiptId]) =>
    `Receipt ${receiptId} was already reversed: a purchase is reversed once (see its PointsPurchaseReversed event).`,
  PointsNotSpendable: ([holder, spendable, needed]) =>
    `${holder} can spend ${spendable} points now, not ${needed}: points bought recently stay pending until their release (pendingOf), and expired dated lots wait for expirePoints to burn them (getPointsLifecycle).`,
  PointsBalanceExpired: ([holder, expiredAt]) =>
    `The points of ${holder} expired at ${isoDate(expiredAt)} (no activity): they cannot be spent; expirePoints burns them.`,
  PointsNothingToExpire: ([member]) => `Nothing of ${member} has expired: there is nothing to burn.`,
  PointsInvalidTerms: ([pendingDays, expiryDays]) =>
    `Points lifecycle terms of ${pendingDays} pending days and ${expiryDays} expiry days are refused: expiry days need an expiry model and, under inactivity, must exceed the pending days + 1, under dated lots the pending days + 1 + the lot period (ceil(expiry days / 32)) (each at most 3650). Fix points.lifecycle in the program config.`,
  PointsZeroAmount: () => "The amount of points must be at least 1.",
  PointsInvalidBatchLength: ([length, max]) => `A batch reward takes 1 to ${max} members (got ${length}): split it.`,
  PointsBatchLengthMismatch: ([members, amounts]) =>
    `A batch reward needs one amount per member (${members} members, ${amounts} amounts).`,
  PointsNotTransferable: ([from, to]) => `Points of this program cannot be transferred between members (${from} to ${to}).`,
  PointsInvalidOperator: () => "The zero address cannot be an operator.",
  PointsSignatureExpired: ([deadline]) =>
    `The signed redemption expired at ${new Date(Number(deadline) * 1000).toISOString()}: ask the member to sign it again.`,
  PointsInvalidSignature: ([member]) =>
    `The signature is not ${member}'s over this redemption with their current nonce, on this chain and these Points: it was altered, already used (or a permit used its nonce first), or signed elsewhere; sign again.`,
  PointsAboveMax: ([value, max]) =>
    `This would take the points supply or a member's status points to ${value}, above the most there can be (${max}): reward less.`,
  ERC20InsufficientBalance: ([account, balance, needed]) => `${account} holds ${balance} points but ${needed} are needed.`,
  ERC20InsufficientAllowance: ([spender, allowance, needed]) =>
    `${spender} may spend ${allowance} but ${needed} are needed: approve more first.`,
  PointsSalesClosed: ([endsAt]) =>
    `The program ends at ${isoDate(endsAt)}: during the notice nothing is credited for money. Refund the purchase instead.`,
  PointsFrozen: ([endedAt]) =>
    `The program ended at ${isoDate(endedAt)}: point balances are frozen, nothing is minted, moved or redeemed.`,
  ERC20InvalidApprover: ([approver]) => `${approver} cannot approve points (the zero address).`,
  ERC20InvalidReceiver: ([receiver]) => `${receiver} cannot receive points (the zero address).`,
  ERC20InvalidSender: ([sender]) => `${sender} cannot send points (the zero address).`,
  ERC20InvalidSpender: ([spender]) => `${spender} cannot be approved to spend points (the zero address).`,
  ERC2612ExpiredSignature: ([deadline]) =>
    `The permit expired at ${new Date(Number(deadline) * 1000).toISOString()}: ask the member to sign a new one.`,
  ERC2612InvalidSigner: ([signer, owner]) => `The permit is signed by ${signer}, not by the owner ${owner}.`,
} satisfies ContractErrorSentences<"points">;

/** The errors and sentences of Points and, through it, of the contracts it calls: what an action calling it decodes a revert with. */
export const pointsErrorCatalog = /* @__PURE__ */ errorCatalog(pointsErrorAbi, pointsErrors, [stampsErrorCatalog]);
