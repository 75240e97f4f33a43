import type { Kysely } from "kysely";
import type { Program } from "../../program";
import type { LedgerTables } from "./schema";
import { programKey } from "./syncLedger";

export interface SeriesFigures {
  seriesId: bigint;
  minted: bigint;
  maxSupply: bigint;
  burned: bigint;
}

export interface LedgerStats {
  /** Block time (unix seconds) of the newest entry: the "now" of the activity windows. */
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
    /** The brand's liability: issued minus burned. */
    outstanding: bigint;
  };
  series: SeriesFigures[];
  /** Members rewarded at least once, and those of them active again in a later block. */
  retention: { rewarded: number; returned: number; rate: number };
}

/** Kinds that are a member doing or receiving something (not admin settings or approvals). */
export const ACTIVITY_KINDS = [
  "stamp.minted",
  "stamp.transferred",
  "stamp.burned",
  "points.transferred",
  "points.rewarded",
  "points.credited",
  "points.redeemed",
] as const;

const REWARD_KINDS = ["points.rewarded", "stamp.minted"];

/**
 * The program's figures, computed from the synced ledger alone (anyone can recompute them from the
 * chain). Amounts are exact bigints.
 *
 * @example
 * const stats = await ledgerStats(db, { program });
 * console.log(`${stats.points.outstanding} points outstanding, ${stats.members} members`);
 */
export async function ledgerStats(db: Kysely<LedgerTables>, { program }: { program: Program }): Promise<LedgerStats> {
  const key = programKey(program);
  const rows = await db
    .selectFrom("ledger_entries")
    .select(["kind", "actor", "counterparty", "token_id", "series_id", "amount", "block_number", "block_time"])
    .where("program", "=", key)
    .orderBy("block_number")
    .orderBy("log_index")
    .execute();

  const stampOwner = new Map<string, string | null>();
  const pointBalance = new Map<string, bigint>();
  const series = new Map<string, SeriesFigures>();
  const points = { issued: 0n, rewarded: 0n, credited: 0n, redeemed: 0n, outstanding: 0n };
  const lastActive = new Map<string, number>();
  const firstReward = new Map<string, bigint>();
  const returned = new Set<string>();
  let asOf = 0;

  const addPoints = (wallet: string, delta: bigint) => pointBalance.set(wallet, (pointBalance.get(wallet) ?? 0n) + delta);

  for (const row of rows) {
    const amount = row.amount === null ? 0n : BigInt(row.amount);
    const time = Number(row.block_time);
    const block = BigInt(row.block_number);
    asOf = Math.max(asOf, time);
    switch (row.kind) {
      case "series.created":
        series.set(row.series_id!, { seriesId: BigInt(row.series_id!), minted: 0n, maxSupply: amount, burned: 0n });
        break;
      case "stamp.minted":
        stampOwner.set(row.token_id!, row.actor);
        series.get(row.series_id!)!.minted += 1n;
        break;
      case "stamp.transferred":
        stampOwner.set(row.token_id!, row.actor);
        break;
      case "stamp.burned":
        stampOwner.set(row.token_id!, null);
        series.get(row.series_id!)!.burned += 1n;
        break;
      case "points.minted":
        points.issued += amount;
        addPoints(row.actor!, amount);
        break;
      case "points.burned":
        addPoints(row.actor!, -amount);
        points.outstanding -= amount;
        break;
      case "points.transferred":
        addPoints(row.actor!, amount);
        addPoints(row.counterparty!, -amount);
        break;
      case "points.rewarded":
        points.rewarded += amount;
        break;
      case "points.credited":
        points.credited += amount;
        break;
      case "points.redeemed":
        points.redeemed += amount;
        break;
    }
    if ((ACTIVITY_KINDS as readonly string[]).includes(row.kind)) {
      for (const wallet of [row.actor, row.counterparty]) {
        if (!wallet) continue;
        lastActive.set(wallet, time);
        const first = firstReward.get(wallet);
        if (first !== undefined && block > first) returned.add(wallet);
        if (first === undefined && REWARD_KINDS.includes(row.kind) && wallet === row.actor) firstReward.set(wallet, block);
      }
    }
  }
  points.outstanding += points.issued;

  const holders = new Set<string>();
  for (const owner of stampOwner.values()) if (owner) holders.add(owner);
  for (const [wallet, balance] of pointBalance) if (balance > 0n) holders.add(wallet);
  const activeSince = (days: number) => [...lastActive.values()].filter((t) => t > asOf - days * 86_400).length;

  return {
    asOf,
    entries: rows.length,
    members: holders.size,
    activeWallets: { days7: activeSince(7), days30: activeSince(30) },
    points,
    series: [...series.values()].sort((a, b) => (a.seriesId < b.seriesId ? -1 : 1)),
    retention: {
      rewarded: firstReward.size,
      returned: returned.size,
      rate: firstReward.size === 0 ? 0 : returned.size / firstReward.size,
    },
  };
}
