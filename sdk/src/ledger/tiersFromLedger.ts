import type { Address } from "viem";
import type { LedgerEntry } from "./entries.js";

export interface TiersFromLedgerParameters {
  /** The program's ledger, in chain order (from {@link readLedger}, or rows of a synced database). */
  entries: readonly Pick<LedgerEntry, "kind" | "actor" | "amount" | "args">[];
}

/** Each member's status points and tier, keyed by lower-case address. */
export type TiersFromLedgerReturnType = Map<string, { member: Address; status: bigint; tier: number }>;

/**
 * Recomputes every member's status points and tier from the ledger alone, as Points and Rewards compute them: status
 * points are every point rewarded (`points.rewarded`: the brand's rewards and the points of journeys alike, never
 * credits bought with money, never reduced by a redemption or a transfer), the tier the number of thresholds (from the
 * last `tiers.set`) they reach.
 *
 * @example
 * const tiers = tiersFromLedger({ entries: await readLedger(client, { program }) });
 * tiers.get(alice.toLowerCase())?.tier; // equals tierOf(client, { program, member: alice })
 */
export function tiersFromLedger({ entries }: TiersFromLedgerParameters): TiersFromLedgerReturnType {
  let thresholds: bigint[] = [];
  const status = new Map<string, { member: Address; status: bigint }>();
  for (const entry of entries) {
    if (entry.kind === "tiers.set") thresholds = (entry.args.thresholds as string[]).map(BigInt);
    if (entry.kind === "points.rewarded" && entry.actor) {
      const key = entry.actor.toLowerCase();
      const current = status.get(key) ?? { member: entry.actor, status: 0n };
      current.status += entry.amount ?? 0n;
      status.set(key, current);
    }
  }
  const result: TiersFromLedgerReturnType = new Map();
  for (const [key, { member, status: points }] of status) {
    result.set(key, { member, status: points, tier: thresholds.filter((t) => points >= t).length });
  }
  return result;
}
