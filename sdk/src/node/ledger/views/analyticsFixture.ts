import type { Address, Hex } from "viem";
import type { Program } from "../../../program.js";
import { codeOf, syntheticProgram, syntheticRows, type SyntheticEvent } from "../ledgerFixture.js";
import type { LedgerEntriesTable } from "../schema.js";

/** Wallets of the analysts' fixture: ada consents to analytics then withdraws, bob never gives it, cy is a minor. */
export const analyticsWallets = {
  ada: `0x${"a1".repeat(20)}` as Address,
  bob: `0x${"b2".repeat(20)}` as Address,
  cy: `0x${"c3".repeat(20)}` as Address,
  guardian: `0x${"d4".repeat(20)}` as Address,
  brand: `0x${"e5".repeat(20)}` as Address,
};

/** The fixture's program (synthetic: only chain and Stamps address matter), with its Points address. */
export const analyticsProgram: Program = {
  ...syntheticProgram(31337, `0x${"5a".repeat(20)}`),
  points: `0x${"6b".repeat(20)}`,
};

const { ada, bob, cy, guardian, brand } = analyticsWallets;
const NATIVE = "0x0000000000000000000000000000000000000000" as Address;
const purposes = (actor: Address, before: bigint, after: bigint, kind = "consent.changed"): SyntheticEvent => ({
  kind,
  actor,
  amount: after,
  args: JSON.stringify({ wallet: actor, oldPurposes: String(before), newPurposes: String(after) }),
});

/**
 * A small history touching every view, in two parts: `before` (ada consents to rewards and analytics, then earns,
 * buys, trades, claims a perk and completes a referral journey; bob, rewards only, does the same things; cy, a minor,
 * has marketing withdrawn by her guardian) and `after` (ada withdraws analytics, then redeems). Amounts in smallest
 * units; tests record 2 decimals for points.
 */
export function analyticsHistory(): { before: SyntheticEvent[]; after: SyntheticEvent[] } {
  const before: SyntheticEvent[] = [
    {
      kind: "points.terms",
      actor: null,
      amount: 0n,
      args: JSON.stringify({ pendingDays: "2", expiry: 0, expiryDays: "0" }),
    },
    {
      kind: "series.created",
      actor: null,
      seriesId: 1n,
      amount: 100n,
      args: JSON.stringify({ seriesId: "1", name: "Coffee Cup", maxSupply: "100", soulbound: false }),
    },
    { kind: "tiers.set", actor: null, args: JSON.stringify({ thresholds: ["10000", "50000"] }) },
    { kind: "consent.linked", actor: ada, counterparty: brand, code: codeOf("ada-link") },
    purposes(ada, 0n, 3n, "consent.granted"),
    { kind: "consent.linked", actor: bob, counterparty: brand, code: codeOf("bob-link") },
    purposes(bob, 0n, 1n, "consent.granted"),
    { kind: "consent.linked", actor: cy, counterparty: brand, code: codeOf("cy-link") },
    purposes(cy, 0n, 7n, "consent.granted"),
    // The guardian's withdrawal and the purposes change it causes: one transaction (see guardianPair).
    { kind: "consent.guardian.withdrew", actor: cy, counterparty: guardian, amount: 4n, blocks: 1 },
    { ...purposes(cy, 7n, 3n), blocks: 0 },
    { kind: "points.rewarded", actor: ada, amount: 15_000n, code: codeOf("welcome") },
    { kind: "points.rewarded", actor: bob, amount: 10_000n, code: codeOf("welcome") },
    { kind: "stamp.minted", actor: ada, tokenId: 1_000_000_001n, seriesId: 1n },
    { kind: "stamp.minted", actor: bob, tokenId: 1_000_000_002n, seriesId: 1n },
    { kind: "stamp.transferred", actor: ada, counterparty: bob, tokenId: 1_000_000_002n, seriesId: 1n },
    {
      kind: "order.filled",
      actor: ada,
      counterparty: bob,
      tokenId: 1_000_000_002n,
      seriesId: 1n,
      amount: 10n ** 17n,
      currency: NATIVE,
      royalty: 5n * 10n ** 15n,
      fee: 10n ** 15n,
      code: `0x${"0f".repeat(32)}` as Hex,
    },
    {
      kind: "swap",
      actor: bob,
      counterparty: ada,
      tokenId: 1_000_000_001n,
      seriesId: 1n,
      royalty: 250n,
      fee: 100n,
      code: `0x${"5e".repeat(32)}` as Hex,
    },
    // 00:00 UTC after 2 pending days: the fixture's clock starts at 1,700,000,000 (2023-11-14 22:13:20).
    { kind: "points.credited", actor: ada, amount: 25_000n, code: `0x${"ac".repeat(32)}` as Hex },
    {
      kind: "perk.claimed",
      actor: ada,
      amount: 5_000n,
      code: codeOf("free-coffee"),
      args: JSON.stringify({ perkId: codeOf("free-coffee"), member: ada, period: "3", pointsBurned: "5000", stampBurned: "0" }),
    },
    {
      kind: "journey.completed",
      actor: ada,
      counterparty: bob,
      amount: 2_000n,
      code: codeOf("refer-a-friend"),
      args: JSON.stringify({ voucherId: `0x${"77".repeat(32)}`, stamps: "1", points: "2000", referee: bob }),
    },
    { kind: "points.rewarded", actor: cy, amount: 500n, code: `0x${"ff".repeat(32)}` as Hex },
  ];
  const after: SyntheticEvent[] = [
    purposes(ada, 3n, 1n),
    { kind: "points.redeemed", actor: ada, amount: 1_000n, code: codeOf("mug") },
  ];
  return { before, after };
}

/**
 * The fixture's rows as the sync writes them, with the guardian's two events in one transaction as the registry
 * emits them (synthetic rows get one transaction each).
 */
export function analyticsRows(events: readonly SyntheticEvent[], startTime?: number): LedgerEntriesTable[] {
  const rows = syntheticRows(analyticsProgram, events, startTime);
  for (let i = 1; i < rows.length; i++) {
    if (rows[i - 1]!.kind === "consent.guardian.withdrew") rows[i]!.tx_hash = rows[i - 1]!.tx_hash;
  }
  return rows;
}
