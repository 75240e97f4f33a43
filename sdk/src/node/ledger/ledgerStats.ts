import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Hex } from "viem";
import type { Program } from "../../program.js";
import { PURPOSES } from "../../types/consent.js";
import { fromLimbSums, limbColumns, type LimbedColumn } from "./amountLimbs.js";
import { codeName } from "./foldLedgerStats.js";
import type { LedgerTables } from "./schema.js";
import { programKey } from "./syncLedger.js";

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
  "order.filled",
  "offer.accepted",
  "swap",
  "journey.completed",
  "perk.claimed",
] as const;

const REWARD_KINDS = ["points.rewarded", "stamp.minted", "journey.completed"] as const;
const STAMP_KINDS = ["stamp.minted", "stamp.transferred", "stamp.burned"] as const;
const SALE_KINDS = ["order.filled", "offer.accepted"] as const;
const CONSENT_SET_KINDS = ["consent.granted", "consent.changed", "consent.revoked"] as const;

type Sums = Record<string, string | number | null>;
const list = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)));
/** `CAST(sum(amount_l0) AS TEXT) AS amount_s0, ...`: text, so no driver reads a large sum through a double. */
const limbSums = (column: LimbedColumn, sign = "") =>
  sql.join(
    limbColumns(column).map((c, i) => sql`CAST(sum(${sql.raw(sign)}${sql.ref(c)}) AS TEXT) AS ${sql.ref(`${column}_s${i}`)}`),
  );
const total = (row: Sums, column: LimbedColumn) => fromLimbSums(limbColumns(column).map((_, i) => row[`${column}_s${i}`]));
/** Chain position as one integer: blocks stay below 2^31 and log indexes below 2^32, so it fits in 64 bits. */
const position = sql`block_number * 4294967296 + log_index`;

/**
 * The program's figures, computed from the synced ledger alone (anyone can recompute them from the
 * chain). Amounts are exact bigints. SQL does the work on both engines (a handful of aggregate queries;
 * uint256 sums exact through the limb columns, see amountLimbs.ts); TypeScript only reads one row per
 * kind, wallet or code.
 *
 * @example
 * const stats = await ledgerStats(db, { program });
 * console.log(`${stats.points.outstanding} points outstanding, ${stats.members} members`);
 */
export async function ledgerStats(db: Kysely<LedgerTables>, { program }: { program: Program }): Promise<LedgerStats> {
  const key = programKey(program);
  const run = async <Row>(query: RawBuilder<Row>) => (await query.execute(db)).rows;

  // Totals per kind, currency and series: counts, sums, and the newest block time.
  const groups = await run(sql<
    Sums & { kind: string; currency: string | null; series_id: string | null; n: string | number; max_time: string | number }
  >`
    SELECT kind, currency, series_id, count(*) AS n, max(block_time) AS max_time,
      ${limbSums("amount")}, ${limbSums("royalty")}, ${limbSums("fee")}
    FROM ledger_entries WHERE program = ${key}
    GROUP BY kind, currency, series_id`);
  let asOf = 0;
  let entries = 0;
  const points = { issued: 0n, rewarded: 0n, credited: 0n, redeemed: 0n, outstanding: 0n };
  const series = new Map<string, SeriesFigures>();
  const market = new Map<string, CurrencyFigures>();
  const swaps = { count: 0, fees: 0n, royalties: 0n };
  const seriesOf = (id: string) => {
    const figures = series.get(id) ?? { seriesId: BigInt(id), minted: 0n, maxSupply: 0n, burned: 0n };
    series.set(id, figures);
    return figures;
  };
  const created = new Set<string>();
  for (const row of groups) {
    const n = Number(row.n);
    entries += n;
    asOf = Math.max(asOf, Number(row.max_time));
    const amount = total(row, "amount");
    switch (row.kind) {
      case "series.created":
        created.add(row.series_id!);
        seriesOf(row.series_id!).maxSupply = amount;
        break;
      case "stamp.minted":
        seriesOf(row.series_id!).minted += BigInt(n);
        break;
      case "stamp.burned":
        seriesOf(row.series_id!).burned += BigInt(n);
        break;
      case "points.minted":
        points.issued += amount;
        break;
      case "points.burned":
        points.outstanding -= amount;
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
      case "order.filled":
      case "offer.accepted": {
        const currency = row.currency!;
        const figures = market.get(currency) ?? { currency, trades: 0, volume: 0n, royalties: 0n, fees: 0n };
        figures.trades += n;
        figures.volume += amount;
        figures.royalties += total(row, "royalty");
        figures.fees += total(row, "fee");
        market.set(currency, figures);
        break;
      }
      case "swap":
        swaps.count += n;
        swaps.fees += total(row, "fee");
        swaps.royalties += total(row, "royalty");
        break;
    }
  }
  points.outstanding += points.issued;

  // Members: wallets whose newest stamp event left them a stamp, or whose points add up above zero.
  const holders = new Set<string | null>();
  const owners = await run(sql<{ actor: string }>`
    SELECT DISTINCT actor FROM (
      SELECT actor, kind, ROW_NUMBER() OVER (PARTITION BY token_id ORDER BY block_number DESC, log_index DESC) AS rn
      FROM ledger_entries WHERE program = ${key} AND kind IN (${list(STAMP_KINDS)})
    ) s WHERE rn = 1 AND kind <> 'stamp.burned' AND actor IS NOT NULL`);
  for (const row of owners) holders.add(row.actor);
  const limbs = limbColumns("amount");
  const credit = sql.join(limbs.map((c) => sql`${sql.ref(c)} AS ${sql.ref(c)}`));
  const debit = sql.join(limbs.map((c) => sql`-${sql.ref(c)} AS ${sql.ref(c)}`));
  const balances = await run(sql<Sums & { wallet: string | null }>`
    SELECT wallet, ${sql.join(limbs.map((c, i) => sql`CAST(sum(${sql.ref(c)}) AS TEXT) AS ${sql.ref(`amount_s${i}`)}`))}
    FROM (
      SELECT actor AS wallet, ${credit} FROM ledger_entries
        WHERE program = ${key} AND kind IN ('points.minted', 'points.transferred')
      UNION ALL
      SELECT actor AS wallet, ${debit} FROM ledger_entries WHERE program = ${key} AND kind = 'points.burned'
      UNION ALL
      SELECT counterparty AS wallet, ${debit} FROM ledger_entries WHERE program = ${key} AND kind = 'points.transferred'
    ) b GROUP BY wallet`);
  for (const row of balances) if (total(row, "amount") > 0n) holders.add(row.wallet);

  // Activity per wallet (as actor or counterparty): newest time and block, first reward block.
  const cutoff = (days: number) => sql`CAST(${String(asOf - days * 86_400)} AS BIGINT)`;
  const [activity] = await run(sql<{
    days7: string | number | null;
    days30: string | number | null;
    rewarded: string | number;
    returned: string | number | null;
  }>`
    WITH acts AS (
      SELECT actor AS wallet, block_time, block_number,
        CASE WHEN kind IN (${list(REWARD_KINDS)}) THEN block_number END AS reward_block
      FROM ledger_entries WHERE program = ${key} AND kind IN (${list(ACTIVITY_KINDS)}) AND actor IS NOT NULL
      UNION ALL
      SELECT counterparty AS wallet, block_time, block_number, NULL AS reward_block
      FROM ledger_entries WHERE program = ${key} AND kind IN (${list(ACTIVITY_KINDS)}) AND counterparty IS NOT NULL
    ), wallets AS (
      SELECT wallet, max(block_time) AS last_time, max(block_number) AS last_block, min(reward_block) AS first_reward
      FROM acts GROUP BY wallet
    )
    SELECT
      sum(CASE WHEN last_time > ${cutoff(7)} THEN 1 ELSE 0 END) AS days7,
      sum(CASE WHEN last_time > ${cutoff(30)} THEN 1 ELSE 0 END) AS days30,
      count(first_reward) AS rewarded,
      sum(CASE WHEN last_block > first_reward THEN 1 ELSE 0 END) AS returned
    FROM wallets`);
  const rewarded = Number(activity?.rewarded ?? 0);
  const returned = Number(activity?.returned ?? 0);

  // Sale prices per series and currency: the newest sale, and the cheapest of the last 30 days.
  const priceRows = await run(sql<{
    series_id: string;
    currency: string;
    amount: string | null;
    block_time: string | number;
    last_rn: string | number;
    floor_rn: string | number | null;
  }>`
    SELECT series_id, currency, amount, block_time, last_rn, floor_rn FROM (
      SELECT series_id, currency, amount, block_time,
        ROW_NUMBER() OVER (PARTITION BY series_id, currency ORDER BY block_number DESC, log_index DESC) AS last_rn,
        CASE WHEN block_time > ${cutoff(30)} THEN ROW_NUMBER() OVER (
          PARTITION BY series_id, currency, CASE WHEN block_time > ${cutoff(30)} THEN 1 ELSE 0 END
          ORDER BY ${sql.join(limbs.map((c) => sql`coalesce(${sql.ref(c)}, 0)`).reverse())}) END AS floor_rn
      FROM ledger_entries WHERE program = ${key} AND kind IN (${list(SALE_KINDS)})
    ) p WHERE last_rn = 1 OR floor_rn = 1`);
  const prices = new Map<string, SeriesPrices>();
  for (const row of priceRows) {
    const id = `${row.series_id}:${row.currency}`;
    const p = prices.get(id) ?? {
      seriesId: BigInt(row.series_id),
      currency: row.currency,
      floor30d: null,
      last: 0n,
      lastTime: 0,
    };
    const price = BigInt(row.amount ?? "0");
    if (Number(row.last_rn) === 1) Object.assign(p, { last: price, lastTime: Number(row.block_time) });
    if (row.floor_rn !== null && Number(row.floor_rn) === 1) p.floor30d = price;
    prices.set(id, p);
  }

  // Consent: per wallet, its newest link, unlink and purpose-setting event.
  const consentRows = await run(sql<{
    actor: string;
    grp: string | number;
    kind: string;
    amount: string | null;
    pos: string | number;
  }>`
    SELECT actor, grp, kind, amount, pos FROM (
      SELECT actor, kind, amount, ${position} AS pos,
        CASE WHEN kind = 'consent.linked' THEN 0 WHEN kind = 'consent.unlinked' THEN 1 ELSE 2 END AS grp,
        ROW_NUMBER() OVER (
          PARTITION BY actor, CASE WHEN kind = 'consent.linked' THEN 0 WHEN kind = 'consent.unlinked' THEN 1 ELSE 2 END
          ORDER BY block_number DESC, log_index DESC) AS rn
      FROM ledger_entries
      WHERE program = ${key} AND kind IN ('consent.linked', 'consent.unlinked', ${list(CONSENT_SET_KINDS)})
    ) c WHERE rn = 1`);
  const consent = new Map<string, { linked: bigint; unlinked: bigint; set: bigint; purposes: bigint }>();
  for (const row of consentRows) {
    const c = consent.get(row.actor) ?? { linked: -1n, unlinked: -1n, set: -1n, purposes: 0n };
    const pos = BigInt(row.pos);
    if (Number(row.grp) === 0) c.linked = pos;
    else if (Number(row.grp) === 1) c.unlinked = pos;
    else Object.assign(c, { set: pos, purposes: BigInt(row.amount ?? "0") });
    consent.set(row.actor, c);
  }
  const linked = [...consent.values()].filter((c) => c.linked > c.unlinked);
  // Unlinking forgets the purposes: only a setting after the newest unlink counts.
  const rate = (bit: bigint) =>
    linked.length === 0 ? 0 : linked.filter((c) => c.set > c.unlinked && (c.purposes & bit) !== 0n).length / linked.length;

  // Journeys and perks, in order of their first completion or claim.
  const codes = await run(sql<
    Sums & { kind: string; code: Hex; n: string | number; members: string | number; first: string | number }
  >`
    SELECT kind, code, count(*) AS n, count(DISTINCT actor) AS members, min(${position}) AS first, ${limbSums("amount")}
    FROM ledger_entries WHERE program = ${key} AND kind IN ('journey.completed', 'perk.claimed')
    GROUP BY kind, code`);
  codes.sort((a, b) => (BigInt(a.first) < BigInt(b.first) ? -1 : 1));
  const journeys: JourneyFigures[] = [];
  const perks: PerkFigures[] = [];
  for (const row of codes) {
    const name = codeName(row.code);
    if (row.kind === "journey.completed") {
      journeys.push({
        journeyId: row.code,
        name,
        completions: Number(row.n),
        members: Number(row.members),
        points: total(row, "amount"),
      });
    } else {
      perks.push({ perkId: row.code, name, claims: Number(row.n), pointsBurned: total(row, "amount") });
    }
  }

  return {
    asOf,
    entries,
    members: holders.size,
    activeWallets: { days7: Number(activity?.days7 ?? 0), days30: Number(activity?.days30 ?? 0) },
    points,
    series: [...series.entries()]
      .filter(([id]) => created.has(id))
      .map(([, figures]) => figures)
      .sort((a, b) => (a.seriesId < b.seriesId ? -1 : 1)),
    market: [...market.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    swaps,
    consent: {
      linked: linked.length,
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
    journeys,
    perks,
    retention: { rewarded, returned, rate: rewarded === 0 ? 0 : returned / rewarded },
  };
}
