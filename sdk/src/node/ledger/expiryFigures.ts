import type { LedgerEntriesTable } from "./schema.js";

const DAY = 86_400;
const WINDOW = 30 * DAY;

/** The columns the expiry replays read, of a program's rows in chain order. */
export type ExpiryRow = Pick<LedgerEntriesTable, "kind" | "actor" | "counterparty" | "amount" | "block_time">;

/** The kinds that announce or withdraw the program's end (Stamps' lifecycle), read by {@link programEndOf}. */
export const PROGRAM_END_KINDS = ["program.end.announced", "program.end.cancelled"] as const;

/** The points kinds {@link inactivityClocks} replays: what can stamp a member's inactivity clock. */
export const INACTIVITY_KINDS = ["points.minted", "points.transferred", "points.redeemed"] as const;

/**
 * The program's end as the ledger last heard it: the `endsAt` of the newest announcement not withdrawn since, or
 * null. From that second balances are frozen and nothing expires any more.
 *
 * @example
 * const endsAt = programEndOf(rows.filter((row) => row.kind.startsWith("program.end")));
 */
export function programEndOf(rows: readonly Pick<ExpiryRow, "kind" | "amount">[]): number | null {
  let endsAt: number | null = null;
  for (const row of rows) {
    if (row.kind === "program.end.announced") endsAt = Number(row.amount);
    else if (row.kind === "program.end.cancelled") endsAt = null;
  }
  return endsAt;
}

/**
 * The window the expiry figures read, with the clock stopped at the program's end: points dated by `expiredBy` have
 * expired; those dated after it and by `expiringBy` expire within 30 days. Past the end both are the end, so nothing
 * expires after it; before it, the 30 days stop there.
 *
 * @example
 * const { expiredBy, expiringBy } = expiryWindow(asOf, programEndOf(endRows));
 */
export function expiryWindow(asOf: number, endsAt: number | null): { expiredBy: number; expiringBy: number } {
  const stop = endsAt ?? Number.POSITIVE_INFINITY;
  return { expiredBy: Math.min(asOf, stop), expiringBy: Math.min(asOf + WINDOW, stop) };
}

/**
 * Each member's inactivity clock replayed from the ledger by Points' rule: the member's own acts stamp it (points
 * minted to them, a redemption, a transfer out), while points received from another holder only start a clock that
 * is not running (never started, or run out after `expiryDays`), never move a running one. A move of zero is none.
 * Returns the last stamp per wallet (lowercase).
 *
 * @example
 * const clocks = inactivityClocks(rows, 365);
 */
export function inactivityClocks(rows: readonly ExpiryRow[], expiryDays: number): Map<string, number> {
  const clocks = new Map<string, number>();
  for (const row of rows) {
    if (row.amount === null || BigInt(row.amount) === 0n || row.actor === null) continue;
    const t = Number(row.block_time);
    const actor = row.actor.toLowerCase();
    if (row.kind === "points.minted" || row.kind === "points.redeemed") clocks.set(actor, t);
    else if (row.kind === "points.transferred") {
      const from = row.counterparty?.toLowerCase();
      if (from !== undefined) clocks.set(from, t);
      const last = clocks.get(actor);
      if (actor !== from && (last === undefined || last + expiryDays * DAY <= t)) clocks.set(actor, t);
    }
  }
  return clocks;
}

/**
 * Under inactivity expiry: the points expired and not yet burned, those expiring within 30 days (with their
 * members), from each wallet's balance and clock, with the clock stopped at the program's end.
 *
 * @example
 * const figures = inactivityExpiry(balances, inactivityClocks(rows, 365), { expiryDays: 365, asOf, endsAt });
 */
export function inactivityExpiry(
  balances: Iterable<readonly [string, bigint]>,
  clocks: ReadonlyMap<string, number>,
  { expiryDays, asOf, endsAt }: { expiryDays: number; asOf: number; endsAt: number | null },
): { expiredUnburned: bigint; expiring30d: bigint; membersExpiring30d: number } {
  const { expiredBy, expiringBy } = expiryWindow(asOf, endsAt);
  const result = { expiredUnburned: 0n, expiring30d: 0n, membersExpiring30d: 0 };
  for (const [wallet, balance] of balances) {
    const last = clocks.get(wallet.toLowerCase());
    if (balance <= 0n || last === undefined) continue;
    const expiresAt = last + expiryDays * DAY;
    if (expiresAt <= expiredBy) result.expiredUnburned += balance;
    else if (expiresAt <= expiringBy) {
      result.expiring30d += balance;
      result.membersExpiring30d += 1;
    }
  }
  return result;
}
