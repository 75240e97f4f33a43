import { datedLotDays, pointsExpiryOf, type PointsExpiry } from "../../types/pointsExpiry.js";
import { expiryWindow } from "./expiryFigures.js";
import type { LedgerEntriesTable } from "./schema.js";

const DAY = 86_400;

/** The columns the replay reads, of a program's points rows in chain order. */
export type DatedLotsRow = Pick<
  LedgerEntriesTable,
  "kind" | "actor" | "counterparty" | "amount" | "block_time" | "code" | "args"
>;

/** The points kinds {@link datedLotsExpiry} needs, in chain order. */
export const DATED_LOTS_KINDS = [
  "points.minted",
  "points.transferred",
  "points.burned",
  "points.expired",
  "points.credited",
  "points.purchase.reversed",
] as const;

interface Lot {
  amount: bigint;
  expiresAt: number;
}

/**
 * Points' dated lots replayed from the ledger, by the contract's rules: every earn (mint, received transfer) joins the
 * lot of its period (ceil(N / 32) days) expiring N days after the period's start; a spend takes the oldest live lots
 * first; a reversal takes its own purchase's lot first, then the oldest; `expire` burns the expired ones. A burn is
 * told apart by the event that follows its Transfer in the same call (PointsExpired, PointsPurchaseReversed). Returns,
 * at `asOf`, the points expired and not yet burned and those expiring within 30 days, with the number of their
 * members, the clock stopped at the program's end (`endsAt`, null when none is announced): nothing expires after it.
 *
 * @example
 * const { expiring30d } = datedLotsExpiry(rows, { expiryDays: 365, asOf, endsAt: null });
 */
export function datedLotsExpiry(
  rows: readonly DatedLotsRow[],
  { expiryDays, asOf, endsAt }: { expiryDays: number; asOf: number; endsAt: number | null },
): { expiredUnburned: bigint; expiring30d: bigint; membersExpiring30d: number } {
  const period = datedLotDays(expiryDays) * DAY;
  const lots = new Map<string, Lot[]>();
  const setAside = new Map<string, bigint>();
  const lotOfReceipt = new Map<string, number>();
  const lotOf = (t: number) => Math.floor(t / period) * period + expiryDays * DAY;
  const lotsOf = (wallet: string) => lots.get(wallet) ?? (lots.set(wallet, []), lots.get(wallet)!);
  const sweep = (wallet: string, t: number) => {
    const queue = lotsOf(wallet);
    while (queue.length > 0 && queue[0]!.expiresAt <= t) {
      setAside.set(wallet, (setAside.get(wallet) ?? 0n) + queue.shift()!.amount);
    }
  };
  const earn = (wallet: string, amount: bigint, t: number) => {
    sweep(wallet, t);
    const queue = lotsOf(wallet);
    const expiresAt = lotOf(t);
    const last = queue.at(-1);
    if (last?.expiresAt === expiresAt) last.amount += amount;
    else queue.push({ amount, expiresAt });
  };
  /** Takes `amount` from the lot expiring at `first` (a reversal's own), then from the oldest. */
  const take = (wallet: string, amount: bigint, t: number, first?: number) => {
    sweep(wallet, t);
    const queue = lotsOf(wallet);
    const own = queue.findIndex((lot) => lot.expiresAt === first);
    const order = own < 0 ? queue : [queue[own]!, ...queue.filter((_, i) => i !== own)];
    for (const lot of order) {
      const used = lot.amount < amount ? lot.amount : amount;
      lot.amount -= used;
      amount -= used;
    }
    lots.set(
      wallet,
      queue.filter((lot) => lot.amount > 0n),
    );
  };

  // A burn waits for the row after it: PointsExpired or PointsPurchaseReversed say what it was, else it was a spend.
  const held: { burn: { wallet: string; amount: bigint; t: number } | null } = { burn: null };
  const spendBurn = () => {
    if (held.burn) take(held.burn.wallet, held.burn.amount, held.burn.t);
    held.burn = null;
  };
  for (const row of rows) {
    const t = Number(row.block_time);
    const amount = row.amount === null ? 0n : BigInt(row.amount);
    const wallet = row.actor?.toLowerCase() ?? "";
    const previous = held.burn;
    if (row.kind === "points.expired" && previous?.wallet === wallet && previous.amount === amount) {
      sweep(wallet, t);
      setAside.set(wallet, 0n);
      held.burn = null;
      continue;
    }
    if (row.kind === "points.purchase.reversed" && previous?.wallet === wallet) {
      const { burned } = JSON.parse(row.args) as { burned: string };
      if (BigInt(burned) === previous.amount) {
        // The purchase's own lot first, pending or released; what it lacks from the oldest.
        take(wallet, previous.amount, t, lotOfReceipt.get(row.code ?? ""));
        held.burn = null;
        continue;
      }
    }
    spendBurn();
    switch (row.kind) {
      case "points.minted":
        earn(wallet, amount, t);
        break;
      case "points.transferred": {
        const from = row.counterparty!.toLowerCase();
        // A move to oneself or of zero moves no lot.
        if (from === wallet || amount === 0n) break;
        take(from, amount, t);
        earn(wallet, amount, t);
        break;
      }
      case "points.burned":
        held.burn = { wallet, amount, t };
        break;
      case "points.credited":
        lotOfReceipt.set(row.code ?? "", lotOf(t));
        break;
    }
  }
  spendBurn();

  const { expiredBy, expiringBy } = expiryWindow(asOf, endsAt);
  const result = { expiredUnburned: 0n, expiring30d: 0n, membersExpiring30d: 0 };
  for (const [wallet, queue] of lots) {
    result.expiredUnburned += setAside.get(wallet) ?? 0n;
    let soon = 0n;
    for (const lot of queue) {
      if (lot.expiresAt <= expiredBy) result.expiredUnburned += lot.amount;
      else if (lot.expiresAt <= expiringBy) soon += lot.amount;
    }
    if (soon > 0n) {
      result.expiring30d += soon;
      result.membersExpiring30d += 1;
    }
  }
  return result;
}

/** The expiry model, days and pending days a `points.terms` row announced (none before any). */
export function expiryOfTerms(terms: { amount: string | null; args: string } | undefined): {
  model: PointsExpiry;
  days: number;
  pendingDays: number;
} {
  if (terms === undefined) return { model: "none", days: 0, pendingDays: 0 };
  const args = JSON.parse(terms.args) as { pendingDays: string; expiry: number | string; expiryDays: string };
  return { model: pointsExpiryOf(Number(args.expiry)), days: Number(args.expiryDays), pendingDays: Number(args.pendingDays) };
}
