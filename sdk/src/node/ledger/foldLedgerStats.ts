import { hexToString, type Hex } from "viem";
import { PURPOSES } from "../../types/consent.js";
import type { LedgerEntriesTable } from "./schema.js";
import { ACTIVITY_KINDS } from "./ledgerFigures.js";
import { DATED_LOTS_KINDS, datedLotsExpiry, expiryOfTerms } from "./datedLots.js";
import { INACTIVITY_KINDS, PROGRAM_END_KINDS, inactivityClocks, inactivityExpiry, programEndOf } from "./expiryFigures.js";
import type {
  CurrencyFigures,
  ExchangeFigures,
  JourneyFigures,
  LedgerStats,
  PerkFigures,
  SeriesFigures,
  SeriesPrices,
} from "./statsTypes.js";

const REWARD_KINDS = ["points.rewarded", "stamp.minted", "journey.completed"];

/** The columns the fold reads. */
export type FoldRow = Pick<
  LedgerEntriesTable,
  | "kind"
  | "actor"
  | "counterparty"
  | "token_id"
  | "series_id"
  | "amount"
  | "currency"
  | "royalty"
  | "fee"
  | "block_number"
  | "block_time"
  | "code"
  | "args"
>;

/** A bytes32 code as its text when it is short printable text, else as hex. */
export function codeName(code: Hex): string {
  const text = hexToString(code, { size: 32 }).replace(/\0+$/, "");
  return /^[\x20-\x7e]+$/.test(text) ? text : code;
}

/**
 * The program's figures folded in TypeScript over every row in chain order: what `ledgerStats` did
 * before it asked SQL. Kept as the reference the SQL answer is checked against (tests, bench).
 *
 * @example
 * const stats = foldLedgerStats(await db.selectFrom("ledger_entries").selectAll().orderBy("block_number").orderBy("log_index").execute());
 */
export function foldLedgerStats(
  rows: readonly FoldRow[],
  {
    exchange,
    program,
    now,
  }: {
    exchange?: string;
    /** The program's ledger key, for `exchanges[].from`. */
    program?: string;
    /** Unix seconds the figures are dated at; at the least the newest row's time (as `ledgerStats`). */
    now?: number;
  } = {},
): LedgerStats {
  const stampOwner = new Map<string, string | null>();
  const pointBalance = new Map<string, bigint>();
  const series = new Map<string, SeriesFigures>();
  const points = {
    issued: 0n,
    rewarded: 0n,
    credited: 0n,
    redeemed: 0n,
    reversed: 0n,
    reversalShortfall: 0n,
    expired: 0n,
    outstanding: 0n,
  };
  let terms: { amount: string | null; args: string } | undefined;
  // The rows the expiry replays read (dated lots, inactivity clocks, the program's end), in chain order.
  const expiryRows: FoldRow[] = [];
  const exchanges = new Map<bigint, ExchangeFigures>();
  const exchangeAddress = exchange?.toLowerCase();
  const lastActive = new Map<string, number>();
  const firstReward = new Map<string, bigint>();
  const returned = new Set<string>();
  const consentPurposes = new Map<string, bigint>();
  const linked = new Set<string>();
  const market = new Map<string, CurrencyFigures>();
  const swaps = { count: 0, fees: 0n, royalties: 0n };
  const journeys = new Map<string, JourneyFigures & { wallets: Set<string> }>();
  const perks = new Map<string, PerkFigures>();
  const sales: Array<{ seriesId: string; currency: string; price: bigint; time: number }> = [];
  let asOf = 0;

  const addPoints = (wallet: string, delta: bigint) => pointBalance.set(wallet, (pointBalance.get(wallet) ?? 0n) + delta);

  const expiryKinds = new Set<string>([...DATED_LOTS_KINDS, ...INACTIVITY_KINDS, ...PROGRAM_END_KINDS]);
  for (const row of rows) {
    if (expiryKinds.has(row.kind)) expiryRows.push(row);
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
      case "points.redeemed": {
        points.redeemed += amount;
        if (exchangeAddress !== undefined && row.actor?.toLowerCase() === exchangeAddress) {
          const agreementId = BigInt(row.code!);
          // One program's rows: its side only (the partner's credit is in another program's rows).
          const figures = exchanges.get(agreementId) ?? {
            agreementId,
            from: program ?? null,
            to: null,
            conversions: 0,
            converted: 0n,
            received: null,
          };
          figures.conversions += 1;
          figures.converted += amount;
          exchanges.set(agreementId, figures);
        }
        break;
      }
      case "points.purchase.reversed": {
        const { burned, shortfall } = JSON.parse(row.args) as { burned: string; shortfall: string };
        points.reversed += BigInt(burned);
        points.reversalShortfall += BigInt(shortfall);
        break;
      }
      case "points.expired":
        points.expired += amount;
        break;
      case "points.terms":
        terms = row;
        break;
      case "order.filled":
      case "offer.accepted":
      case "orders.matched": {
        const currency = row.currency!;
        const figures = market.get(currency) ?? { currency, trades: 0, volume: 0n, royalties: 0n, fees: 0n };
        figures.trades += 1;
        figures.volume += amount;
        figures.royalties += BigInt(row.royalty ?? "0");
        figures.fees += BigInt(row.fee ?? "0");
        market.set(currency, figures);
        sales.push({ seriesId: row.series_id!, currency, price: amount, time });
        break;
      }
      case "consent.linked":
        linked.add(row.actor!);
        break;
      case "consent.unlinked":
        linked.delete(row.actor!);
        consentPurposes.delete(row.actor!);
        break;
      case "consent.granted":
      case "consent.changed":
      case "consent.revoked":
        consentPurposes.set(row.actor!, amount);
        break;
      case "journey.completed": {
        const journeyId = row.code as Hex;
        const figures = journeys.get(journeyId) ?? {
          journeyId,
          name: codeName(journeyId),
          completions: 0,
          members: 0,
          points: 0n,
          wallets: new Set<string>(),
        };
        figures.completions += 1;
        figures.points += amount;
        figures.wallets.add(row.actor!);
        figures.members = figures.wallets.size;
        journeys.set(journeyId, figures);
        break;
      }
      case "perk.claimed": {
        const perkId = row.code as Hex;
        const figures = perks.get(perkId) ?? { perkId, name: codeName(perkId), claims: 0, pointsBurned: 0n };
        figures.claims += 1;
        figures.pointsBurned += amount;
        perks.set(perkId, figures);
        break;
      }
      case "swap":
        swaps.count += 1;
        swaps.fees += BigInt(row.fee ?? "0");
        swaps.royalties += BigInt(row.royalty ?? "0");
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
  asOf = Math.max(asOf, now ?? 0);

  const holders = new Set<string>();
  for (const owner of stampOwner.values()) if (owner) holders.add(owner);
  for (const [wallet, balance] of pointBalance) if (balance > 0n) holders.add(wallet);
  const activeSince = (days: number) => [...lastActive.values()].filter((t) => t > asOf - days * 86_400).length;

  const prices = new Map<string, SeriesPrices>();
  for (const sale of sales) {
    const key = `${sale.seriesId}:${sale.currency}`;
    const p = prices.get(key) ?? {
      seriesId: BigInt(sale.seriesId),
      currency: sale.currency,
      floor30d: null,
      last: sale.price,
      lastTime: 0,
    };
    if (sale.time > asOf - 30 * 86_400 && (p.floor30d === null || sale.price < p.floor30d)) p.floor30d = sale.price;
    if (sale.time >= p.lastTime) Object.assign(p, { last: sale.price, lastTime: sale.time });
    prices.set(key, p);
  }

  const expiry = { ...expiryOfTerms(terms), expiredUnburned: 0n, expiring30d: 0n, membersExpiring30d: 0 };
  const expiryDays = expiry.days;
  const rowsOf = (kinds: readonly string[]) => expiryRows.filter((row) => kinds.includes(row.kind));
  const endsAt = programEndOf(rowsOf(PROGRAM_END_KINDS));
  if (expiry.model === "dated") {
    Object.assign(expiry, datedLotsExpiry(rowsOf(DATED_LOTS_KINDS), { expiryDays, asOf, endsAt }));
  } else if (expiryDays > 0) {
    const clocks = inactivityClocks(rowsOf(INACTIVITY_KINDS), expiryDays);
    Object.assign(expiry, inactivityExpiry(pointBalance, clocks, { expiryDays, asOf, endsAt }));
  }

  const rate = (bit: bigint) =>
    linked.size === 0 ? 0 : [...linked].filter((w) => ((consentPurposes.get(w) ?? 0n) & bit) !== 0n).length / linked.size;

  return {
    asOf,
    entries: rows.length,
    members: holders.size,
    activeWallets: { days7: activeSince(7), days30: activeSince(30) },
    points,
    series: [...series.values()].sort((a, b) => (a.seriesId < b.seriesId ? -1 : 1)),
    market: [...market.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    swaps,
    consent: {
      linked: linked.size,
      rates: {
        rewards: rate(PURPOSES.rewards),
        analytics: rate(PURPOSES.analytics),
        marketing: rate(PURPOSES.marketing),
        partnerSharing: rate(PURPOSES.partnerSharing),
      },
    },
    prices: [...prices.values()].sort((a, b) =>
      a.seriesId === b.seriesId ? a.currency.localeCompare(b.currency) : a.seriesId < b.seriesId ? -1 : 1,
    ),
    journeys: [...journeys.values()].map(({ wallets: _, ...figures }) => figures),
    perks: [...perks.values()],
    retention: {
      rewarded: firstReward.size,
      returned: returned.size,
      rate: firstReward.size === 0 ? 0 : returned.size / firstReward.size,
    },
    expiry,
    exchanges: [...exchanges.values()].sort((a, b) => (a.agreementId < b.agreementId ? -1 : 1)),
  };
}
