import { keccak256, stringToHex, zeroHash } from "viem";

// The protocol's numbers, declared once. Each mirrors a constant of a contract (the comment names it);
// constants.test.ts reads every one from a deployed program and fails if they drift apart.

/** Editions per series: a stamp id is `seriesId * EDITIONS_PER_SERIES + edition` (StampIds.EDITIONS_PER_SERIES). */
export const EDITIONS_PER_SERIES = 1_000_000_000n;

/** Most stamps a series may have (Stamps.MAX_SERIES_SUPPLY): edition 0 is never minted. */
export const MAX_SERIES_SUPPLY = EDITIONS_PER_SERIES - 1n;

/** Most members one batch mint may reach (Stamps.MAX_BATCH): a full batch stays under EIP-7825's 16.7 M gas cap. */
export const MAX_STAMP_BATCH = 300;

/** Most members one batch reward may reach (Points.MAX_BATCH). */
export const MAX_REWARD_BATCH = 500;

/** Most points that can exist at once (Points.MAX_SUPPLY): 2^128 - 1. */
export const MAX_POINTS_SUPPLY = 2n ** 128n - 1n;

/** Most status points a member can earn (Points.MAX_STATUS): they share the balance's slot as a uint96. */
export const MAX_STATUS_POINTS = 2n ** 96n - 1n;

/** Highest royalty, in basis points (Stamps.MAX_ROYALTY_BPS): 10 %. */
export const MAX_ROYALTY_BPS = 1_000n;

/** Highest market fee, in basis points (Market.MAX_FEE_BPS): 5 %. */
export const MAX_MARKET_FEE_BPS = 500n;

/** Highest swap fee, in whole points (Market.MAX_SWAP_FEE_POINTS); the Market scales it by the points' decimals. */
export const MAX_SWAP_FEE_POINTS = 10_000n;

/** The access-control roles of the program's contracts (OpenZeppelin AccessControl role ids). */
export const ROLES = {
  admin: zeroHash,
  minter: keccak256(stringToHex("MINTER_ROLE")),
  pauser: keccak256(stringToHex("PAUSER_ROLE")),
  brand: keccak256(stringToHex("BRAND_ROLE")),
  issuer: keccak256(stringToHex("ISSUER_ROLE")),
} as const;

/** Shortest notice of a program's end a deployment accepts, in seconds (ProgramLifecycle.MIN_NOTICE_PERIOD): 30 days. */
export const MIN_NOTICE_PERIOD_SECONDS = 30n * 24n * 60n * 60n;

/** Shortest pause bound a deployment accepts, in seconds (BoundedPausable.MIN_PAUSE_DURATION): one hour. */
export const MIN_PAUSE_SECONDS = 60n * 60n;

/** Longest pause bound a deployment accepts, in seconds (BoundedPausable.MAX_PAUSE_DURATION): 30 days. */
export const MAX_PAUSE_SECONDS = 30n * 24n * 60n * 60n;

/**
 * The scopes of the program's one pause (Stamps' PAUSE_STAMPS, PAUSE_POINTS, PAUSE_MARKET, PAUSE_ALL): bits of the
 * mask `pause(scopes)` takes. Stamps stops stamp mints and transfers, points stops point mints and transfers,
 * market stops every fill; burns, redemptions, cancellations and withdrawals never stop.
 */
export const PAUSE_SCOPES = { stamps: 1n, points: 2n, market: 4n, all: 7n } as const;

/** Most pending days and expiry days a Points deployment accepts (Points.MAX_TERM_DAYS): ten years. */
export const MAX_POINTS_TERM_DAYS = 3650;
/** Most live dated lots a member holds under "dated" expiry (Points.MAX_DATED_LOTS): lots span ceil(N / 32) days. */
export const MAX_DATED_LOTS = 32;
/** Most stamps one journey voucher mints (Rewards.MAX_VOUCHER_STAMPS). */
export const MAX_VOUCHER_STAMPS = 10;

/** Most tiers a program has (Rewards.MAX_TIERS). */
export const MAX_TIERS = 8;

// The SDK's defaults (not enforced by any contract).

/** Default validity of a new order: 7 days after the chain's latest block. */
export const DEFAULT_ORDER_LIFETIME_SECONDS = 7n * 24n * 60n * 60n;

/** Default validity of a consent signature: one hour (long enough to relay, short enough not to linger). */
export const DEFAULT_CONSENT_LIFETIME_SECONDS = 60n * 60n;

/** Default validity of a journey voucher: 30 days after the chain's latest block. */
export const DEFAULT_VOUCHER_LIFETIME_SECONDS = 30n * 24n * 60n * 60n;
