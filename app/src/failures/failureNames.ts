import type { ProgramErrorName } from "@punchcard/sdk";

/**
 * The custom errors of the program's contracts that no member action meets: raised only by the brand's setup and
 * administration (series, fees, price bounds, tiers, journeys, perks, exchanges, the pause, the program's end, the
 * admin handover), by crediting card payments and batch rewards, or by deploying the contracts, the factory and the
 * paymaster. Every other error of the nine ABIs needs a sentence in each language (failures.test.ts derives the list
 * from the ABIs and checks that each name here is an error of them).
 */
export const NOT_MET_BY_MEMBERS = [
  // Stamps: series, royalty, operators, the pause and the program's end, set by the brand.
  "StampsInvalidMaxSupply",
  "StampsInvalidText",
  "StampsInvalidBatchLength",
  "StampsRoyaltyTooHigh",
  "StampsInvalidTreasury",
  "StampsInvalidOperator",
  "StampsSeriesAlreadyMinted",
  "StampsHoldersNotCounted",
  "ProgramNoticeTooShort",
  "ProgramEndAlreadyAnnounced",
  "ProgramNoEndAnnounced",
  "ProgramInvalidNoticePeriod",
  "ExpectedPause",
  "PauseCoolingDown",
  "PauseInvalidBound",
  "PauseInvalidScopes",
  // Points: card purchases credited and reversed, batch rewards, terms and operators, by the brand.
  "PointsReceiptAlreadyCredited",
  "PointsInvalidReceipt",
  "PointsReceiptReversed",
  "PointsReceiptAlreadyReversed",
  "PointsInvalidTerms",
  "PointsInvalidBatchLength",
  "PointsBatchLengthMismatch",
  "PointsInvalidOperator",
  "PointsSalesClosed",
  "PointsAboveMax",
  // Market: fees, currencies, price bounds and the sweep, set by the brand; its constructor.
  "MarketFeeTooHigh",
  "MarketInvalidFeeRecipient",
  "MarketInvalidCurrency",
  "MarketSwapFeeTooHigh",
  "MarketInvalidPriceBounds",
  "MarketNothingToSweep",
  "MarketZeroAddress",
  "RoyaltySplitFeeTooHigh",
  // The consent registry's attester is the brand's key.
  "ConsentNotAttester",
  // Rewards: journeys, tiers and perks, set by the brand.
  "RewardsInvalidJourney",
  "RewardsInvalidTiers",
  "RewardsInvalidPerk",
  // Partner exchanges: proposed and accepted by the programs' admins.
  "ExchangeNotAdmin",
  "ExchangeInvalidTerms",
  // A member account is set up once, by the factory; the factory's and the paymaster's own deployment.
  "MemberAccountAlreadyInitialized",
  "CloneArgumentsTooLong",
  "Create2EmptyBytecode",
  "InsufficientBalance",
  "BrandPaymasterZeroSponsor",
  "BrandPaymasterZeroAddress",
  // The admin handover and the contracts' names, at deployment.
  "AccessControlBadConfirmation",
  "AccessControlEnforcedDefaultAdminDelay",
  "AccessControlEnforcedDefaultAdminRules",
  "AccessControlInvalidDefaultAdmin",
  "InvalidShortString",
  "StringTooLong",
] as const satisfies readonly ProgramErrorName[];

/** A custom error a member's own action can meet: each has a sentence in every language. */
export type MemberRevertName = Exclude<ProgramErrorName, (typeof NOT_MET_BY_MEMBERS)[number]>;

/**
 * The program server's refusal codes a member's wallet can receive (routes, order book, relayer, sponsorship,
 * links, guardians, card payments), and the client's own ("unexpected"). The brand's webhook and admin routes
 * ("invalid_event", "unauthorized") are not the member's: failures.test.ts reads the server's code for the rest.
 */
export const MEMBER_REFUSAL_CODES = [
  "bad_cursor",
  "bad_signature",
  "body_too_large",
  "budget_exceeded",
  "cancelled",
  "cannot_relay",
  "changes_nothing",
  "checkout_unavailable",
  "deadline_too_far",
  "expired",
  "fee_too_high",
  "fees_raised",
  "filled",
  "gas_price_high",
  "impossible_stamp",
  "invalid_json",
  "invalid_order",
  "invalid_permit",
  "invalid_request",
  "link_store_off",
  "no_approval_needed",
  "no_link_request",
  "nonce_bumped",
  "not_a_minor",
  "not_eligible",
  "not_found",
  "not_guardian",
  "not_linked",
  "not_linked_on_chain",
  "not_member_account",
  "not_pending",
  "not_sponsored",
  "other_commitment",
  "outside_program",
  "paymaster_low",
  "program_budget_spent",
  "program_ending",
  "quota_exceeded",
  "refused_by_market",
  "relay_off",
  "relayer_low",
  "request_pending",
  "send_it_yourself",
  "sponsor_off",
  "sponsorship_off",
  "stale",
  "stale_nonce",
  "stamp_moved",
  "too_many_orders",
  "too_many_orders_for_stamp",
  "unexpected",
  "unfunded",
  "unknown_action",
  "unknown_package",
  "unknown_wallet",
  "would_revert",
  "wrong_chain",
] as const;

export type MemberRefusalCode = (typeof MEMBER_REFUSAL_CODES)[number];

/** One language's sentences for what refused a member: a contract (by error name) or the program server (by code). */
export interface FailureWords {
  reverts: Record<MemberRevertName, string>;
  refusals: Record<MemberRefusalCode, string>;
}
