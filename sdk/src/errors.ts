import { BaseError, ContractFunctionRevertedError, decodeErrorResult, type Abi, type ContractErrorArgs, type Hex } from "viem";
import { ROLES } from "./constants.js";
import { consentRegistryAbi, marketAbi, partnerExchangeAbi, pointsAbi, rewardsAbi, stampsAbi } from "./generated/abis.js";

/** Every custom error of the program's contracts: a revert bubbling up from another contract of the
 * program (Points refusing a Market payment) is decoded too, not only the called contract's own. */
const programErrors: Abi = [
  ...stampsAbi,
  ...pointsAbi,
  ...marketAbi,
  ...consentRegistryAbi,
  ...rewardsAbi,
  ...partnerExchangeAbi,
].filter((item) => item.type === "error");

function decodeProgramError(raw: Hex | undefined): { errorName: string; args: readonly unknown[] } | undefined {
  if (!raw || raw === "0x") return undefined;
  try {
    const decoded = decodeErrorResult({ abi: programErrors, data: raw });
    return { errorName: decoded.errorName, args: decoded.args ?? [] };
  } catch {
    return undefined;
  }
}

/**
 * Base of every error the SDK throws: a short message a person can act on, optional details
 * (the underlying cause) and a hint saying what to do.
 *
 * @example
 * try {
 *   await mintStamp(client, { program, to, seriesId: 1n });
 * } catch (error) {
 *   if (error instanceof PunchcardError) console.error(error.shortMessage, error.hint);
 * }
 */
export class PunchcardError extends Error {
  override name = "PunchcardError";
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly hint: string | undefined;

  constructor(shortMessage: string, options: { details?: string; hint?: string; cause?: unknown } = {}) {
    const lines = [shortMessage];
    if (options.hint) lines.push(`Hint: ${options.hint}`);
    if (options.details) lines.push(`Details: ${options.details}`);
    super(lines.join("\n"), options.cause === undefined ? undefined : { cause: options.cause });
    this.shortMessage = shortMessage;
    this.details = options.details;
    this.hint = options.hint;
  }
}

/**
 * An argument was rejected before any transaction was sent; nothing changed on-chain.
 *
 * @example
 * // InvalidArgumentError: rewards[0].amount must be at least 1 (got 0).
 * await rewardPoints(client, { program, reason: "welcome", rewards: [{ member, amount: 0n }] });
 */
export class InvalidArgumentError extends PunchcardError {
  override name = "InvalidArgumentError";
  /** Name of the offending argument, e.g. `amount` or `members[3]`. */
  readonly argument: string;

  constructor(argument: string, problem: string, hint?: string) {
    super(`${argument} ${problem}`, hint === undefined ? {} : { hint });
    this.argument = argument;
  }
}

/**
 * A contract refused the call with one of its custom errors, decoded: `errorName` is the Solidity
 * error (e.g. `PointsReceiptAlreadyCredited`) and `args` its arguments.
 *
 * @example
 * try {
 *   await creditPurchase(client, { program, member, amount: 500n, receiptId });
 * } catch (error) {
 *   if (error instanceof ContractRevertError && error.errorName === "PointsReceiptAlreadyCredited") {
 *     // the receipt was credited before: nothing to do
 *   }
 * }
 */
export class ContractRevertError extends PunchcardError {
  override name = "ContractRevertError";
  readonly errorName: string;
  readonly args: readonly unknown[];

  constructor(errorName: string, args: readonly unknown[], cause?: unknown) {
    const explain = (explanations as unknown as Record<string, Explain | undefined>)[errorName];
    const sentence = explain ? explain(args) : `The contract refused the call with ${errorName}.`;
    super(sentence, {
      details: `${errorName}(${args.map(String).join(", ")})`,
      ...(explain ? {} : { hint: "See the contract's interface for what this error means." }),
      ...(cause === undefined ? {} : { cause }),
    });
    this.errorName = errorName;
    this.args = args;
  }
}

type Explain = (args: readonly unknown[]) => string;

/** Every item of the program's ABIs. */
type ProgramAbiItem =
  | (typeof stampsAbi)[number]
  | (typeof pointsAbi)[number]
  | (typeof marketAbi)[number]
  | (typeof consentRegistryAbi)[number]
  | (typeof rewardsAbi)[number]
  | (typeof partnerExchangeAbi)[number];

/** The name of every custom error in the program's ABIs. */
export type ProgramErrorName = Extract<ProgramAbiItem, { type: "error" }>["name"];

/** The decoded arguments of a custom error, typed from its ABI inputs (a uint256 is a bigint, an address a string). */
type ErrorArgs<Name extends ProgramErrorName> = ContractErrorArgs<readonly ProgramAbiItem[], Name>;

/**
 * One sentence per custom error, saying what happened and what to do. Typed from the ABIs, name and
 * arguments: an error a contract gains without a sentence here, a sentence for an error no contract has, or a
 * sentence reading an argument the error does not carry, fails to compile.
 */

/** Unix seconds from a contract error, as a date a person reads. */
const isoDate = (seconds: unknown) => new Date(Number(seconds) * 1000).toISOString();

const explanations = {
  StampsUnknownSeries: ([seriesId]) => `Series ${seriesId} does not exist: create it first with createSeries.`,
  StampsSeriesSoldOut: ([seriesId, max]) =>
    `Series ${seriesId} has minted all ${max} editions: create another series for more stamps.`,
  StampsInvalidMaxSupply: ([supply, max]) => `A series' max supply must be between 1 and ${max} (got ${supply}).`,
  StampsInvalidText: ([text]) =>
    `Text ${JSON.stringify(text)} is not allowed: names are required, and no text may contain quotes, backslashes or control characters.`,
  StampsInvalidBatchLength: ([length, max]) => `A batch mint takes 1 to ${max} members (got ${length}): split it.`,
  StampsRoyaltyTooHigh: ([bps, max]) => `A royalty of ${bps} basis points is above the cap of ${max}.`,
  StampsInvalidTreasury: () => "The royalty treasury cannot be the zero address.",
  StampsInvalidOperator: () => "The zero address cannot be an operator.",
  StampsSoulbound: ([tokenId]) => `Stamp ${tokenId} is soulbound: it can never be transferred, only burned by its holder.`,
  StampsTransferNotAllowed: ([operator, tokenId]) =>
    `The program is market-only: ${operator} may not move stamp ${tokenId}. Trade it through the program's Market.`,
  StampsNotHolder: ([caller, tokenId]) =>
    `${caller} does not hold stamp ${tokenId}: only its holder, or the address it approved for that stamp, can burn it.`,
  StampsSeriesAlreadyMinted: ([seriesId]) =>
    `Series ${seriesId} has minted already, so its holders can no longer be counted exactly: count holders of a new series before its first mint.`,
  StampsHoldersNotCounted: ([seriesId]) =>
    `Series ${seriesId} does not count its holders, so no perk can ask for it: use a series created with countHolders before its first mint.`,
  StampsSignatureExpired: ([deadline]) =>
    `The signed approval expired at ${new Date(Number(deadline) * 1000).toISOString()}: ask the member to sign it again.`,
  StampsInvalidSignature: ([owner]) =>
    `The signature is not ${owner}'s over this approval with their current nonce, on this chain and these Stamps: it was altered, already used, or signed elsewhere; sign again.`,
  RewardsUnknownJourney: ([journeyId]) =>
    `Journey ${journeyId} does not exist or is closed: set it up first (setJourney, or the program config's journeys).`,
  RewardsInvalidJourney: ([journeyId]) =>
    `Journey ${journeyId} is inconsistent: it must pay stamps (of a series, at most 10 per voucher) or points, and its window cannot end before it starts.`,
  RewardsVoucherExpired: ([voucherId, expiry]) =>
    `Voucher ${voucherId} expired at ${new Date(Number(expiry) * 1000).toISOString()}: ask the brand for a new one.`,
  RewardsVoucherAlreadyRedeemed: ([voucherId]) => `Voucher ${voucherId} was already redeemed: a voucher pays once.`,
  RewardsVoucherWasCancelled: ([voucherId]) => `The brand cancelled voucher ${voucherId}: it can no longer be redeemed.`,
  RewardsInvalidIssuer: ([signer]) =>
    `The voucher is signed by ${signer}, which is not an issuer (its role was revoked, or the voucher was altered): ask the brand for a new one.`,
  RewardsOutsideWindow: ([journeyId, start, end]) =>
    `Journey ${journeyId} is not open now (window ${start} to ${end === 0n ? "no end" : end}): redeem within its window.`,
  RewardsVoucherAboveJourney: ([journeyId, stamps, points]) =>
    `The voucher pays ${stamps} stamps and ${points} points, more than journey ${journeyId} allows: sign it within the journey's reward.`,
  RewardsLimitReached: ([journeyId, member, limit]) =>
    `${member} has completed journey ${journeyId} ${limit} times, as often as it allows.`,
  RewardsReferralMismatch: ([journeyId, referee]) =>
    `Journey ${journeyId} and the voucher's referee ${referee} do not match: a referral journey names a referee, any other journey none.`,
  RewardsSelfReferral: ([member]) => `${member} cannot refer themselves.`,
  RewardsRefereeLinked: ([referee]) => `${referee} is already linked to a customer account: only a new member can be referred.`,
  RewardsReferralAlreadyPaid: ([journeyId, referrer, referee]) =>
    `${referrer} was already rewarded for referring ${referee} on journey ${journeyId}: a referral pays once per pair.`,
  RewardsInvalidTiers: ([index]) =>
    `Tier threshold ${index} is invalid: at most 8 tiers, each above zero and above the one before.`,
  RewardsInvalidPerk: ([perkId]) => `Perk ${perkId} is inconsistent: its minimum tier is above the highest tier (8).`,
  RewardsUnknownPerk: ([perkId]) => `Perk ${perkId} does not exist or was withdrawn.`,
  RewardsPerkLocked: ([member, perkId]) =>
    `${member} does not meet the conditions of perk ${perkId} (stamps, points or tier): check isUnlocked first.`,
  RewardsWrongStamp: ([perkId, tokenId, seriesId]) =>
    seriesId === 0n
      ? `Perk ${perkId} burns no stamp: claim it without one (stamp ${tokenId} given).`
      : `Perk ${perkId} is paid with a stamp of series ${seriesId}: pass one you hold as tokenId (got ${tokenId}).`,
  RewardsNotStampHolder: ([member, tokenId]) =>
    `${member} does not hold stamp ${tokenId}: only its holder can spend it on a perk.`,
  RewardsStampNotApproved: ([member, tokenId]) =>
    `${member} has not approved Rewards for stamp ${tokenId}: approve that one stamp (ERC-721 approve), then claim.`,
  RewardsPerkAlreadyClaimed: ([member, perkId, period]) =>
    `${member} already claimed perk ${perkId} in this period (${period}): wait for the next one.`,
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
  ExchangeUnknown: ([id]) => `No partner exchange agreement has id ${id}: check the id proposeExchange returned.`,
  ExchangeNotAdmin: ([caller]) =>
    `${caller} is not the admin of either program's Points in this agreement (or its side already accepted): the program's admin must send it.`,
  ExchangeInvalidTerms: () =>
    "The exchange terms are unusable: two different Points, non-zero rates, caps and period, and an end date in the future are required.",
  ExchangeNotActive: ([id]) =>
    `Exchange ${id} is not in effect: both admins must accept it, and it must not be paused, ended or past its end date.`,
  ExchangeAlreadyEnded: ([id]) => `Exchange ${id} was ended for good: propose a new agreement instead.`,
  ExchangeInexactAmount: ([amountA, rateA]) =>
    `${amountA} points cannot convert exactly: convert a non-zero multiple of ${rateA} (quoteExchange shows what it yields).`,
  ExchangeMemberCapExceeded: ([member, used, cap]) =>
    `${member} already converted ${used} of the ${cap} points allowed per member this period: wait for the next period.`,
  ExchangePeriodCapExceeded: ([used, cap]) =>
    `Members already converted ${used} of the ${cap} points allowed this period: wait for the next period.`,
  ExchangeConsentRequired: ([member]) =>
    `This exchange shares data with the partner: ${member} must grant partner-sharing consent in the program's registry first.`,
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
  MarketSignatureExpired: ([deadline]) =>
    `The signed cancellation expired at ${new Date(Number(deadline) * 1000).toISOString()}: ask the member to sign it again.`,
  MarketOrdersMismatch: ([listingCurrency, listingPrice, offerCurrency, offerPrice]) =>
    `The listing (${listingPrice} of ${listingCurrency}) and the offer (${offerPrice} of ${offerCurrency}) do not agree: match an offer signed at the listing's price and currency.`,
  MarketOrderExpired: ([expiry]) => `The order expired at ${new Date(Number(expiry) * 1000).toISOString()}: ask for a new one.`,
  MarketNonceMismatch: ([signer]) =>
    `${signer} cancelled all their orders since this one was signed: it can no longer be filled.`,
  MarketOrderCancelled: ([hash]) => `Order ${hash} was cancelled by its signer.`,
  MarketOrderFilled: ([hash]) => `Offer ${hash} was already accepted.`,
  MarketStaleOrder: ([tokenId]) =>
    `Stamp ${tokenId} has moved since the order was signed (sold, or given away): the order is dead.`,
  MarketNotHolder: ([account, tokenId]) => `${account} does not hold stamp ${tokenId}.`,
  MarketInvalidSignature: ([signer]) =>
    `The signature is not ${signer}'s over this order, on this chain and this Market: the order was altered or signed elsewhere.`,
  MarketCurrencyNotAllowed: ([currency]) => `${currency} is not a currency of this Market.`,
  MarketNativeCoinOffer: () => "Offers cannot be in the native coin: make them in Points or an allowed ERC-20.",
  MarketWrongPayment: ([expected, sent]) => `The payment must be exactly ${expected} wei of native coin (sent ${sent}).`,
  MarketStampNotWanted: ([tokenId]) => `Stamp ${tokenId} is not one the order asks for.`,
  MarketNotSigner: ([caller, signer]) => `Only ${signer} can cancel this order, not ${caller}.`,
  MarketFeeTooHigh: ([bps, max]) => `A market fee of ${bps} basis points is above the cap of ${max}.`,
  MarketInvalidFeeRecipient: () => "The market fee needs a recipient other than the zero address.",
  MarketInvalidCurrency: ([currency]) =>
    `${currency} cannot be allowed or forbidden: the native coin and the program's Points always are currencies.`,
  MarketNothingOwed: ([account]) => `The Market owes ${account} nothing.`,
  MarketWithdrawFailed: ([to, amount]) => `Sending ${amount} wei to ${to} failed: withdraw to another address.`,
  MarketPriceBelowFloor: ([seriesId, currency, price, floor]) =>
    `A price of ${price} is below the floor of ${floor} the brand set for series ${seriesId} in ${currency}: the program is market-only with gifts off, so a cheaper sale would skip the royalty. List at ${floor} or more.`,
  MarketPriceAboveCeiling: ([seriesId, currency, price, ceiling]) =>
    `A price of ${price} is above the ceiling of ${ceiling} the brand set for series ${seriesId} in ${currency}: list at ${ceiling} or less.`,
  MarketRoyaltyTooLow: ([royaltyAmount, minimum]) =>
    royaltyAmount === 0n && minimum === 1n
      ? "This price is too low for the brand's royalty (it rounds to 0), and every trade pays one in this program: raise the price."
      : `This price pays the brand a royalty of ${royaltyAmount}, below the least of ${minimum} every trade pays in this program: raise the price.`,
  MarketNoSwapRoyalty: () =>
    "Swaps must pay the brand a royalty in Points here, and the brand has set none: ask it to set a minimum royalty in Points (setMinRoyalty), or sell the stamp instead.",
  MarketSellerAmountTooLow: ([sellerAmount, minSellerAmount]) =>
    `The royalty or market fee rose since this listing was signed: the seller would get ${sellerAmount}, less than the ${minSellerAmount} they signed for. Ask them to list again.`,
  MarketFeesTooHigh: ([fees, maxFees]) =>
    `The fees rose since this order was signed: they are ${fees} now, above the ${maxFees} it accepts. Ask its signer for a new one.`,
  MarketSwapFeeTooHigh: ([swapFee, max]) => `A swap fee of ${swapFee} is above the cap of ${max} (in Points' smallest unit).`,
  MarketInvalidPriceBounds: ([floor, ceiling]) =>
    `A floor of ${floor} above a ceiling of ${ceiling} would let nothing fill: use 0 for no ceiling.`,
  MarketTransferAmountMismatch: ([currency, to, expected, received]) =>
    `${currency} delivered ${received} to ${to} instead of ${expected} (a fee-on-transfer or rebasing token): the Market refuses it, ask the brand to disallow it.`,
  MarketNothingToSweep: ([balance, totalOwed]) =>
    `The Market holds ${balance} wei and owes ${totalOwed}: nothing beyond what it owes to sweep.`,
  ConsentUnknownPurposes: ([mask]) =>
    `Purposes ${mask} hold a bit that is no purpose: use rewards, analytics, marketing, partnerSharing.`,
  ConsentInvalidPurpose: ([purpose]) => `${purpose} is not exactly one purpose.`,
  ConsentExpired: ([deadline]) =>
    `The signature expired at ${new Date(Number(deadline) * 1000).toISOString()}: ask the member to sign again.`,
  ConsentInvalidNonce: ([wallet]) =>
    `The message was signed with an old nonce of ${wallet} (used already, or the member acted since): sign again.`,
  ConsentInvalidMemberSignature: ([wallet]) =>
    `The signature is not ${wallet}'s: only the member's own wallet can grant consent.`,
  ConsentNotAttester: ([attester]) => `${attester} cannot attest links: it lacks the registry's brand role.`,
  ConsentInvalidAttesterSignature: ([attester]) => `The attestation is not signed by ${attester}.`,
  ConsentAttestationMismatch: ([wallet]) => `The attestation is for another wallet or commitment than ${wallet}'s request.`,
  ConsentInvalidGuardian: ([wallet]) =>
    `The guardian of ${wallet} is wrong: a minor needs a guardian other than their own wallet, an adult none.`,
  ConsentGuardianRequired: ([wallet]) =>
    `${wallet} belongs to a minor: marketing and partner sharing need the guardian's approval (signGuardianApproval).`,
  ConsentInvalidGuardianSignature: ([guardian]) => `The guardian approval is not signed by ${guardian}.`,
  ConsentInvalidCommitment: () => "The zero commitment links nothing.",
  ConsentCommitmentUsed: ([commitment]) => `Commitment ${commitment} was used before: link with a fresh salt.`,
  ConsentAlreadyLinked: ([wallet]) => `${wallet} is already linked: unlink it first.`,
  ConsentNotLinked: ([wallet]) => `${wallet} is not linked to any customer account.`,
  ConsentNotMinor: ([wallet]) => `${wallet}'s link is an adult's: it has no guardian to act for it or to change.`,
  ConsentNotGuardian: ([wallet, guardian]) =>
    `${guardian} is not the guardian of ${wallet} (a former guardian's approvals no longer count): read the link's guardian with getConsentLink.`,
  ConsentNotGuardianPurposes: ([purposes]) =>
    `A guardian can withdraw only marketing and partner sharing (at least one); ${purposes} is not such a set.`,
  ConsentInvalidGuardianNonce: ([guardian]) =>
    `The withdrawal was signed with an old nonce of guardian ${guardian} (used already): sign it again.`,
  ERC20InsufficientBalance: ([account, balance, needed]) => `${account} holds ${balance} points but ${needed} are needed.`,
  ERC20InsufficientAllowance: ([spender, allowance, needed]) =>
    `${spender} may spend ${allowance} but ${needed} are needed: approve more first.`,
  ERC721NonexistentToken: ([tokenId]) => `Stamp ${tokenId} does not exist (never minted, or burned).`,
  ERC721InvalidReceiver: ([to]) => `${to} cannot receive stamps.`,
  ERC721InsufficientApproval: ([operator, tokenId]) =>
    `${operator} is not approved to move stamp ${tokenId}: the holder must approve it first.`,
  AccessControlUnauthorizedAccount: ([account, role]) =>
    `${account} lacks the role this call needs (${roleName(role)}): ask the program's admin to grant it.`,
  EnforcedPause: () =>
    "The contract is paused: mints, transfers and fills wait until the pauser unpauses it or the pause runs out (pausedUntil); burns, redemptions and withdrawals still work.",
  PauseCoolingDown: ([availableAt]) =>
    `A new pause may start only at ${isoDate(availableAt)}: pauses are bounded and spaced so that a program cannot be kept stopped. To stop for good, announce the end.`,
  PauseInvalidBound: ([bound, min, max]) =>
    `A pause bound of ${bound} seconds is outside ${min} to ${max}: set lifecycle.maxPauseSeconds in the program config.`,
  ProgramNoticeTooShort: ([endsAt, earliest]) =>
    `An end at ${isoDate(endsAt)} gives members less than the notice the program promised: announce ${isoDate(earliest)} or later.`,
  ProgramEndAlreadyAnnounced: ([endsAt]) =>
    `The program's end is already announced for ${isoDate(endsAt)}: cancel it first (cancelProgramEnd) to announce another date.`,
  ProgramNoEndAnnounced: () => "No end of the program is announced: there is nothing to cancel.",
  ProgramHasEnded: ([endedAt]) =>
    `The program ended at ${isoDate(endedAt)}: nothing is minted any more, and an ended program cannot be revived.`,
  ProgramInvalidNoticePeriod: ([period, min]) =>
    `A notice period of ${period} seconds is shorter than the ${min} the contract requires: set lifecycle.noticePeriodSeconds in the program config.`,
  PointsSalesClosed: ([endsAt]) =>
    `The program ends at ${isoDate(endsAt)}: during the notice nothing is credited for money. Refund the purchase instead.`,
  PointsFrozen: ([endedAt]) =>
    `The program ended at ${isoDate(endedAt)}: point balances are frozen, nothing is minted, moved or redeemed.`,
  AccessControlBadConfirmation: () => "To renounce a role, the caller must confirm its own address.",
  AccessControlEnforcedDefaultAdminDelay: ([schedule]) =>
    `The admin handover cannot complete before ${new Date(Number(schedule) * 1000).toISOString()}: wait for the delay.`,
  AccessControlEnforcedDefaultAdminRules: () =>
    "The admin role moves only by the two-step handover (beginDefaultAdminTransfer, then acceptDefaultAdminTransfer).",
  AccessControlInvalidDefaultAdmin: ([account]) => `${account} cannot accept the admin role: it is not the pending admin.`,
  ERC721IncorrectOwner: ([sender, tokenId, owner]) => `${sender} does not hold stamp ${tokenId}; ${owner} does.`,
  ERC721InvalidApprover: ([approver]) => `${approver} cannot approve: it does not hold the stamp.`,
  ERC721InvalidOperator: ([operator]) => `${operator} cannot be an operator (the zero address).`,
  ERC721InvalidOwner: ([owner]) => `${owner} cannot hold stamps (the zero address).`,
  ERC721InvalidSender: ([sender]) => `${sender} cannot send stamps (the zero address).`,
  ExpectedPause: () => "The contract is not paused: there is nothing to unpause.",
  SafeCastOverflowedUintDowncast: ([bits, value]) => `${value} does not fit in ${bits} bits.`,
  ECDSAInvalidSignature: () => "The signature is not a valid signature: sign the message again.",
  ECDSAInvalidSignatureLength: ([length]) => `A signature must be 65 bytes (got ${length}): sign the message again.`,
  ECDSAInvalidSignatureS: () =>
    "The signature is malleable (high s) and was refused: sign the message again with a standard wallet.",
  ERC20InvalidApprover: ([approver]) => `${approver} cannot approve points (the zero address).`,
  ERC20InvalidReceiver: ([receiver]) => `${receiver} cannot receive points (the zero address).`,
  ERC20InvalidSender: ([sender]) => `${sender} cannot send points (the zero address).`,
  ERC20InvalidSpender: ([spender]) => `${spender} cannot be approved to spend points (the zero address).`,
  ERC2612ExpiredSignature: ([deadline]) =>
    `The permit expired at ${new Date(Number(deadline) * 1000).toISOString()}: ask the member to sign a new one.`,
  ERC2612InvalidSigner: ([signer, owner]) => `The permit is signed by ${signer}, not by the owner ${owner}.`,
  InvalidAccountNonce: ([account, nonce]) => `The permit's nonce is not ${account}'s current one (${nonce}): sign a new one.`,
  InvalidShortString: () => "A name is too long for the EIP-712 domain.",
  StringTooLong: ([text]) => `${JSON.stringify(text)} is too long.`,
  MarketZeroAddress: () => "The Market needs the program's Stamps and Points addresses, not the zero address.",
  ReentrancyGuardReentrantCall: () => "A contract called back into the Market during a fill: refused.",
  RoyaltySplitFeeTooHigh: ([feeBps]) => `A fee of ${feeBps} basis points is above 100 %.`,
  SafeERC20FailedOperation: ([token]) => `The token ${token} refused the transfer: check the balance and allowance.`,
} satisfies { [Name in ProgramErrorName]: (args: ErrorArgs<Name>) => string };

/**
 * Whether the SDK has a sentence for this custom error (a test keeps every contract error covered).
 *
 * @example
 * hasExplanation("StampsSeriesSoldOut"); // true
 */
export function hasExplanation(errorName: string): boolean {
  return errorName in explanations;
}

const roleNames: Record<string, string> = Object.fromEntries(Object.entries(ROLES).map(([name, id]) => [id, name]));

function roleName(role: unknown): string {
  return roleNames[String(role)] ?? String(role);
}

/**
 * Turns whatever a viem call threw into the SDK's error: a decoded custom error becomes a
 * {@link ContractRevertError}; SDK errors pass through; anything else is wrapped with its message.
 *
 * @example
 * try { await walletClient.writeContract(request); } catch (e) { throw toPunchcardError(e); }
 */
export function toPunchcardError(error: unknown): PunchcardError {
  if (error instanceof PunchcardError) return error;
  if (error instanceof BaseError) {
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) {
      const decoded = revert.data?.errorName
        ? { errorName: revert.data.errorName, args: revert.data.args ?? [] }
        : decodeProgramError(revert.raw);
      if (decoded) return new ContractRevertError(decoded.errorName, decoded.args, error);
    }
    if (/out of gas/i.test(error.details ?? "")) {
      return new PunchcardError("The transaction ran out of gas.", {
        details: error.details,
        hint: "It needs more gas than a transaction may use: split a batch into smaller ones.",
        cause: error,
      });
    }
    return new PunchcardError(error.shortMessage, { details: error.details, cause: error });
  }
  return new PunchcardError(error instanceof Error ? error.message : String(error), { cause: error });
}
