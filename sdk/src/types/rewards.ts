import type { Address, Hex, TypedDataDomain } from "viem";
import type { Program } from "../program.js";
import type { Signed } from "./orders.js";

// The Rewards contract's EIP-712 voucher: the same fields, in the same order, as VOUCHER_TYPEHASH in
// contracts/types/RewardsTypes.sol (a test checks the SDK's hash against the contract's).

export const voucherTypes = {
  Voucher: [
    { name: "member", type: "address" },
    { name: "journeyId", type: "bytes32" },
    { name: "stamps", type: "uint256" },
    { name: "points", type: "uint256" },
    { name: "expiry", type: "uint256" },
    { name: "voucherId", type: "bytes32" },
    { name: "referee", type: "address" },
  ],
} as const;

/** The brand's promise to pay a member once for a journey completed (see RewardsTypes.Voucher). */
export interface VoucherMessage {
  member: Address;
  journeyId: Hex;
  stamps: bigint;
  points: bigint;
  expiry: bigint;
  voucherId: Hex;
  /** The wallet referred, for a referral journey; the zero address otherwise. */
  referee: Address;
}

/** A voucher with the issuer's signature, ready for the member or a relayer to redeem. */
export type SignedVoucher = Signed<VoucherMessage>;

/** A journey as stored on-chain (RewardsTypes.Journey). */
export interface JourneyRules {
  seriesId: bigint;
  maxStamps: number;
  maxPoints: bigint;
  start: bigint;
  end: bigint;
  limitPerMember: number;
  referral: boolean;
  active: boolean;
}

/** A perk as stored on-chain (RewardsTypes.Perk). */
export interface PerkRules {
  seriesId: bigint;
  minStamps: number;
  minTier: number;
  minPoints: bigint;
  pointsCost: bigint;
  /** A claim burns one stamp of this series, picked by the member (0: none). */
  stampCostSeriesId: number;
  period: bigint;
  active: boolean;
}

/**
 * The Rewards contract's EIP-712 domain: one chain, one contract.
 *
 * @example
 * await signTypedData(client, { account, domain: rewardsDomain(program), types: voucherTypes, primaryType: "Voucher", message });
 */
export function rewardsDomain(program: Program): TypedDataDomain {
  return { name: "Punchcard Rewards", version: "1", chainId: program.chainId, verifyingContract: program.rewards };
}
