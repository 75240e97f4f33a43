import { PostgresAdapter, sql, type Kysely, type RawBuilder } from "kysely";
import type { Hex } from "viem";
import type { Program } from "../../program.js";
import { PURPOSES } from "../../types/consent.js";
import { fromLimbSums, LIMB_COUNT } from "./amountLimbs.js";
import { DATED_LOTS_KINDS, datedLotsExpiry, expiryOfTerms, type DatedLotsRow } from "./datedLots.js";
import {
  INACTIVITY_KINDS,
  PROGRAM_END_KINDS,
  inactivityClocks,
  inactivityExpiry,
  programEndOf,
  type ExpiryRow,
} from "./expiryFigures.js";
import { codeName } from "./foldLedgerStats.js";
import { ACTIVITY_KINDS, refreshFiguresIfBehind, SALE_KINDS, list } from "./ledgerFigures.js";
import type { LedgerTables } from "./schema.js";
import type {
  CurrencyFigures,
  ExchangeFigures,
  JourneyFigures,
  LedgerStats,
  PerkFigures,
  SeriesFigures,
  SeriesPrices,
} from "./statsTypes.js";
import { programKey } from "./syncLedger.js";

/** Kinds that are a member doing or receiving something (not admin settings or approvals). */
export { ACTIVITY_KINDS };

type Sums = Record<string, string | number | null>;
type Num = string | number;
const total = (row: Sums, prefix: string) => fromLimbSums(Array.from({ length: LIMB_COUNT }, (_, i) => row[`${prefix}${i}`]));

/**
 * The program's figures, computed from the synced ledger alone (anyone can recompute them from the
 * chain), dated at `now`: pass the chain's clock (the latest block's timestamp) so that after quiet weeks the
 * points that expired meanwhile show as expired; without it they are dated at the newest entry. Amounts are exact
 * bigints. SQL does the work on both engines: the sync folds each batch into
 * running figures (ledger_fig_* tables, uint256 sums exact through 32-bit limbs, see amountLimbs.ts), and
 * this reads one row per kind, wallet, stamp or code, in one consistent snapshot. Rows written without
 * their figures (by a version before them, or inserted directly) are folded in first.
 *
 * @example
 * const stats = await ledgerStats(db, { program });
 * console.log(`${stats.points.outstanding} points outstanding, ${stats.members} members`);
 */
export async function ledgerStats(
  db: Kysely<LedgerTables>,
  {
    program,
    exchange,
    now,
  }: {
    program: Program;
    /** A PartnerExchange the program converts points through. */
    exchange?: string;
    /** Unix seconds the figures are dated at (the chain's clock); default, and at the least, the newest entry's time. */
    now?: number;
  },
): Promise<LedgerStats> {
  const key = programKey(program);
  await refreshFiguresIfBehind(db, key);
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // One snapshot: a sync committing between two of the queries below cannot mix two states.
  const snapshot = postgres ? db.transaction().setIsolationLevel("repeatable read") : db.transaction();
  return snapshot.execute((trx) => readFigures(trx, key, exchange?.toLowerCase(), now));
}

async function readFigures(
  db: Kysely<LedgerTables>,
  key: string,
  exchange: string | undefined,
  now: number | undefined,
): Promise<LedgerStats> {
  const run = async <Row>(query: RawBuilder<Row>) => (await query.execute(db)).rows;

  const groups = await run(sql<
    Sums & { kind: string; currency: string; series_id: string; n: Num; max_time: Num; last_pos: Num }
  >`
    SELECT * FROM ledger_fig_totals WHERE program = ${key}`);
  let asOf = 0;
  let entries = 0;
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
  const series = new Map<string, SeriesFigures>();
  const market = new Map<string, CurrencyFigures>();
  const swaps = { count: 0, fees: 0n, royalties: 0n };
  const lastSales = new Map<string, { seriesId: string; currency: string; pos: bigint }>();
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
    const amount = total(row, "amount_l");
    switch (row.kind) {
      case "series.created":
        created.add(row.series_id);
        seriesOf(row.series_id).maxSupply = amount;
        break;
      case "stamp.minted":
        seriesOf(row.series_id).minted += BigInt(n);
        break;
      case "stamp.burned":
        seriesOf(row.series_id).burned += BigInt(n);
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
      case "points.expired":
        points.expired += amount;
        break;
      case "order.filled":
      case "offer.accepted":
      case "orders.matched": {
        const currency = row.currency;
        const figures = market.get(currency) ?? { currency, trades: 0, volume: 0n, royalties: 0n, fees: 0n };
        figures.trades += n;
        figures.volume += amount;
        figures.royalties += total(row, "royalty_l");
        figures.fees += total(row, "fee_l");
        market.set(currency, figures);
        const id = `${row.series_id}:${currency}`;
        const pos = BigInt(row.last_pos);
        if ((lastSales.get(id)?.pos ?? -1n) < pos) lastSales.set(id, { seriesId: row.series_id, currency, pos });
        break;
      }
      case "swap":
        swaps.count += n;
        swaps.fees += total(row, "fee_l");
        swaps.royalties += total(row, "royalty_l");
        break;
    }
  }
  points.outstanding += points.issued;
  // Dated at the chain's clock when given: the windows (activity, floor, expiry) end now, not at the last event.
  asOf = Math.max(asOf, now ?? 0);

  // Members: wallets holding a stamp, or whose points add up above zero.
  const holders = new Set<string>();
  const owners = await run(sql<{ owner: string }>`
    SELECT DISTINCT owner FROM ledger_fig_stamps WHERE program = ${key} AND owner IS NOT NULL`);
  for (const row of owners) holders.add(row.owner);
  const balances = await run(sql<Sums & { wallet: string }>`
    SELECT * FROM ledger_fig_wallets WHERE program = ${key}
      AND (${sql.join(
        Array.from({ length: LIMB_COUNT }, (_, i) => sql`${sql.ref(`balance_l${i}`)} <> 0`),
        sql` OR `,
      )})`);
  for (const row of balances) if (total(row, "balance_l") > 0n) holders.add(row.wallet);

  const cutoff = (days: number) => sql`CAST(${String(asOf - days * 86_400)} AS BIGINT)`;
  const [activity] = await run(sql<{ days7: Num | null; days30: Num | null; rewarded: Num; returned: Num | null }>`
    SELECT
      sum(CASE WHEN last_time > ${cutoff(7)} THEN 1 ELSE 0 END) AS days7,
      sum(CASE WHEN last_time > ${cutoff(30)} THEN 1 ELSE 0 END) AS days30,
      count(first_reward) AS rewarded,
      sum(CASE WHEN last_block > first_reward THEN 1 ELSE 0 END) AS returned
    FROM ledger_fig_wallets WHERE program = ${key} AND last_time IS NOT NULL`);
  const rewarded = Number(activity?.rewarded ?? 0);
  const returned = Number(activity?.returned ?? 0);

  // Prices: the newest sale of each series and currency, and the cheapest of the last 30 days
  // (the partial index ledger_entries_sales reads only those days' sales).
  const prices = new Map<string, SeriesPrices>();
  for (const [id, sale] of lastSales) {
    const [row] = await run(sql<{ amount: string | null; block_time: Num }>`
      SELECT amount, block_time FROM ledger_entries
      WHERE program = ${key} AND block_number = CAST(${String(sale.pos >> 32n)} AS BIGINT)
        AND log_index = ${Number(sale.pos & 0xffffffffn)} AND kind IN (${list(SALE_KINDS)})`);
    prices.set(id, {
      seriesId: BigInt(sale.seriesId),
      currency: sale.currency,
      floor30d: null,
      last: BigInt(row?.amount ?? "0"),
      lastTime: Number(row?.block_time ?? 0),
    });
  }
  const limbOrder = sql.join(
    Array.from({ length: LIMB_COUNT }, (_, i) => sql`coalesce(${sql.ref(`amount_l${LIMB_COUNT - 1 - i}`)}, 0)`),
  );
  const floors = await run(sql<{ series_id: string | null; currency: string | null; amount: string | null }>`
    SELECT series_id, currency, amount FROM (
      SELECT series_id, currency, amount,
        ROW_NUMBER() OVER (PARTITION BY series_id, currency ORDER BY ${limbOrder}) AS rn
      FROM ledger_entries
      WHERE program = ${key} AND kind IN (${list(SALE_KINDS)}) AND block_time > ${cutoff(30)}
    ) f WHERE rn = 1`);
  for (const row of floors) {
    const p = prices.get(`${row.series_id ?? ""}:${row.currency ?? ""}`);
    if (p) p.floor30d = BigInt(row.amount ?? "0");
  }

  // Consent: linked now when the newest link is after the newest unlink; unlinking forgets the purposes.
  const consentRows = await run(sql<{
    linked_pos: Num | null;
    unlinked_pos: Num | null;
    set_pos: Num | null;
    purposes: string | null;
  }>`
    SELECT linked_pos, unlinked_pos, set_pos, purposes FROM ledger_fig_consent WHERE program = ${key}`);
  const pos = (value: Num | null) => (value === null ? -1n : BigInt(value));
  const linked = consentRows.filter((c) => pos(c.linked_pos) > pos(c.unlinked_pos));
  const rate = (bit: bigint) =>
    linked.length === 0
      ? 0
      : linked.filter((c) => pos(c.set_pos) > pos(c.unlinked_pos) && (BigInt(c.purposes ?? "0") & bit) !== 0n).length /
        linked.length;

  // Journeys and perks, in order of their first completion or claim.
  const codes = await run(sql<Sums & { kind: string; code: Hex; n: Num; first_pos: Num; members: Num }>`
    SELECT c.*, (SELECT count(*) FROM ledger_fig_code_members m
      WHERE m.program = c.program AND m.kind = c.kind AND m.code = c.code) AS members
    FROM ledger_fig_codes c WHERE c.program = ${key}`);
  codes.sort((a, b) => (BigInt(a.first_pos) < BigInt(b.first_pos) ? -1 : 1));
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
        points: total(row, "amount_l"),
      });
    } else {
      perks.push({ perkId: row.code, name, claims: Number(row.n), pointsBurned: total(row, "amount_l") });
    }
  }

  // The points lifecycle: reversals carry their burn and shortfall in args (rare rows, read one by one); expiry reads
  // the terms Points announced at deployment and the program's end (the clock stops there), then replays the points
  // rows by the contract's rules, only when the program has expiry (only those programs pay it).
  const reversals = await run(sql<{ args: string }>`
    SELECT args FROM ledger_entries WHERE program = ${key} AND kind = 'points.purchase.reversed'`);
  for (const row of reversals) {
    const { burned, shortfall } = JSON.parse(row.args) as { burned: string; shortfall: string };
    points.reversed += BigInt(burned);
    points.reversalShortfall += BigInt(shortfall);
  }
  const [terms] = await run(sql<{ amount: string | null; args: string }>`
    SELECT amount, args FROM ledger_entries WHERE program = ${key} AND kind = 'points.terms'
    ORDER BY block_number DESC, log_index DESC LIMIT 1`);
  const expiry = { ...expiryOfTerms(terms), expiredUnburned: 0n, expiring30d: 0n, membersExpiring30d: 0 };
  const replay = async <Row>(kinds: readonly string[]) =>
    run(sql<Row>`
      SELECT kind, actor, counterparty, amount, block_time, code, args FROM ledger_entries
      WHERE program = ${key} AND kind IN (${list(kinds)})
      ORDER BY block_number, log_index`);
  const endsAt = expiry.days > 0 ? programEndOf(await replay<ExpiryRow>(PROGRAM_END_KINDS)) : null;
  if (expiry.model === "dated") {
    const rows = await replay<DatedLotsRow>(DATED_LOTS_KINDS);
    Object.assign(expiry, datedLotsExpiry(rows, { expiryDays: expiry.days, asOf, endsAt }));
  } else if (expiry.days > 0) {
    const clocks = inactivityClocks(await replay<ExpiryRow>(INACTIVITY_KINDS), expiry.days);
    const wallets = balances.map((row) => [row.wallet, total(row, "balance_l")] as const);
    Object.assign(expiry, inactivityExpiry(wallets, clocks, { expiryDays: expiry.days, asOf, endsAt }));
  }
  const exchanges = new Map<bigint, ExchangeFigures>();
  if (exchange !== undefined) {
    // A conversion is one transaction: the exchange's redemption in A under the agreement's id, then the member's
    // credit in B. Both sides of those touching this program: its own redemptions, and redemptions elsewhere in this
    // database whose transaction credited this program. Several conversions in one transaction pair in log order.
    const outs = await run(sql<{ program: string; tx_hash: string; log_index: Num; code: Hex; amount: string }>`
      SELECT program, tx_hash, log_index, code, amount FROM ledger_entries
      WHERE kind = 'points.redeemed' AND lower(actor) = ${exchange} AND (program = ${key} OR tx_hash IN (
        SELECT tx_hash FROM ledger_entries WHERE program = ${key} AND kind = 'points.credited'))
      ORDER BY tx_hash, log_index`);
    const ins = await run(sql<{ program: string; tx_hash: string; log_index: Num; amount: string }>`
      SELECT c.program, c.tx_hash, c.log_index, c.amount FROM ledger_entries c
      WHERE c.kind = 'points.credited' AND EXISTS (
        SELECT 1 FROM ledger_entries r WHERE r.tx_hash = c.tx_hash AND r.kind = 'points.redeemed'
          AND lower(r.actor) = ${exchange} AND r.program <> c.program AND (r.program = ${key} OR c.program = ${key}))
      ORDER BY c.tx_hash, c.log_index`);
    const credits = new Map<string, Array<{ program: string; amount: string }>>();
    for (const row of ins) credits.set(row.tx_hash, [...(credits.get(row.tx_hash) ?? []), row]);
    for (const row of outs) {
      const credit = credits.get(row.tx_hash)?.find((c) => c.program !== row.program);
      if (credit) credits.get(row.tx_hash)!.splice(credits.get(row.tx_hash)!.indexOf(credit), 1);
      const agreementId = BigInt(row.code);
      const figures = exchanges.get(agreementId) ?? {
        agreementId,
        from: row.program,
        to: credit?.program ?? null,
        conversions: 0,
        converted: 0n,
        received: credit ? 0n : null,
      };
      figures.conversions += 1;
      figures.converted += BigInt(row.amount);
      if (credit && figures.received !== null) figures.received += BigInt(credit.amount);
      exchanges.set(agreementId, figures);
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
    expiry,
    exchanges: [...exchanges.values()].sort((a, b) => (a.agreementId < b.agreementId ? -1 : 1)),
  };
}
