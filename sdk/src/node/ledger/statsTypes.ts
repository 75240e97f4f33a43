import type { Hex } from "viem";
import type { PointsExpiry } from "../../types/pointsExpiry.js";

// The figures ledgerStats reads from SQL and foldLedgerStats recomputes from the rows: one shape, shared by
// both (and by the report and the CLI), kept apart from either so neither imports the other for it.

export interface SeriesFigures {
  seriesId: bigint;
  minted: bigint;
  maxSupply: bigint;
  burned: bigint;
}

/** Secondary-market figures of one payment currency (zero address: the native coin). */
export interface CurrencyFigures {
  currency: string;
  trades: number;
  volume: bigint;
  royalties: bigint;
  fees: bigint;
}

/** Prices of a series' sales: the lowest of the last 30 days (floor) and the latest, per currency. */
export interface SeriesPrices {
  seriesId: bigint;
  currency: string;
  /** Lowest sale price of the last 30 days before `asOf`; null when the series had no sale in that window. */
  floor30d: bigint | null;
  last: bigint;
  lastTime: number;
}

/**
 * Completions of one journey. Steps are checked by the brand off-chain and not recorded on-chain, so the ledger
 * cannot tell members who started from those who finished: only completions.
 */
export interface JourneyFigures {
  journeyId: Hex;
  /** The journey's code as text when it is one (e.g. "five-visits"), else the hex. */
  name: string;
  completions: number;
  /** Distinct members who completed it. */
  members: number;
  /** Points (and status points) it paid. */
  points: bigint;
}

/** Claims of one perk, and the points they burned. */
export interface PerkFigures {
  perkId: Hex;
  name: string;
  claims: number;
  pointsBurned: bigint;
}

export interface LedgerStats {
  /**
   * Unix seconds the figures are dated at, the "now" of the activity windows and of expiry: the chain's clock when
   * `ledgerStats` was given it (`punchcard ledger stats` reads the RPC's latest block), else the newest entry's time.
   */
  asOf: number;
  entries: number;
  /** Wallets holding at least one stamp or point now. */
  members: number;
  /** Wallets with member activity (earning, redeeming, trading, transferring) in the last 7 and 30 days before `asOf`. */
  activeWallets: { days7: number; days30: number };
  points: {
    /** Minted as rewards and purchase credits. */
    issued: bigint;
    rewarded: bigint;
    credited: bigint;
    redeemed: bigint;
    /** Burned by purchase reversals (refunds, chargebacks). */
    reversed: bigint;
    /** Shortfall of reversals: points members had spent before their purchase was reversed. */
    reversalShortfall: bigint;
    /** Burned by expiry. */
    expired: bigint;
    /** The brand's liability: issued minus burned. */
    outstanding: bigint;
  };
  /**
   * The expiry model and days of the Points deployment's terms; points already expired and not yet burned (`expire`
   * will), and points that expire within 30 days after `asOf` (under inactivity unless their members earn or spend;
   * under dated lots, the lots dated by then, replayed from the ledger), with the number of those members. All zero
   * without expiry.
   */
  expiry: {
    model: PointsExpiry;
    days: number;
    pendingDays: number;
    expiredUnburned: bigint;
    expiring30d: bigint;
    membersExpiring30d: number;
  };
  series: SeriesFigures[];
  /** Sales (listings bought, offers accepted) per currency, with the brand's royalties. */
  market: CurrencyFigures[];
  /** Stamp-for-stamp swaps, and the swap fees and royalties paid in Points. */
  swaps: { count: number; fees: bigint; royalties: bigint };
  prices: SeriesPrices[];
  /** Linked wallets now, and the share of them consenting to each purpose (from the registry's events). */
  consent: { linked: number; rates: Record<"rewards" | "analytics" | "marketing" | "partnerSharing", number> };
  /** Completions per journey (vouchers redeemed), in order of the journey's first completion. */
  journeys: JourneyFigures[];
  /** Claims per perk. */
  perks: PerkFigures[];
  /** Members rewarded at least once, and those of them active again in a later block. */
  retention: { rewarded: number; returned: number; rate: number };
  /**
   * Conversions through a partner exchange touching this program, per agreement, from both programs' sides: `from`
   * is the program points left (A: redeemed by the exchange under the agreement's id, `converted`), `to` the one they
   * arrived in (B: credited in the same transaction, `received`). The other program's side is known when its ledger
   * is synced into the same database, else `to` (or the whole conversion into this program) is missing: `to` and
   * `received` are null. Empty unless `exchange` is given.
   */
  exchanges: ExchangeFigures[];
}

/** One partner exchange agreement's conversions, from the program points left (A) to the one they arrived in (B). */
export interface ExchangeFigures {
  agreementId: bigint;
  /** Ledger key (`chainId:stamps`) of the program whose points were converted (A), when known. */
  from: string | null;
  /** Ledger key of the program the points arrived in (B), when its ledger is in the same database. */
  to: string | null;
  conversions: number;
  /** Points out of A (A's units). */
  converted: bigint;
  /** Points into B (B's units); null when B's ledger is not in the same database. */
  received: bigint | null;
}
