import { sql, type Kysely, type RawBuilder } from "kysely";
import { LIMB_COUNT } from "./amountLimbs.js";
import { applyKpiRollups, KPI_ROLLUP_TABLES } from "./kpisRollup.js";
import type { LedgerTables } from "./schema.js";

/**
 * Running figures of a program (tables ledger_fig_*, migration 0003): each batch of rows is folded into
 * them by SQL aggregate statements over that batch's blocks, in the transaction that writes the batch,
 * so a reader never sees rows without their figures. Sums are limb sums (exact, see amountLimbs.ts).
 * `ledger_fig_state.last_block` says up to which block they are applied; rows are always written in
 * block order, so what lies beyond it is exactly what remains to apply.
 */

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
  "orders.matched",
  "swap",
  "journey.completed",
  "perk.claimed",
] as const;
export const REWARD_KINDS = ["points.rewarded", "stamp.minted", "journey.completed"] as const;
export const STAMP_KINDS = ["stamp.minted", "stamp.transferred", "stamp.burned"] as const;
export const SALE_KINDS = ["order.filled", "offer.accepted", "orders.matched"] as const;
export const CONSENT_SET_KINDS = ["consent.granted", "consent.changed", "consent.revoked"] as const;

export const list = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)));
const range = Array.from({ length: LIMB_COUNT }, (_, i) => i);
/** Chain position as one integer: blocks stay below 2^31 and log indexes below 2^32, so it fits in 64 bits. */
export const POSITION = sql`(block_number * 4294967296 + log_index)`;

/** `a0 = coalesce(t.a0, 0) + coalesce(excluded.a0, 0), ...` for limb sums kept in table `table`. */
function addLimbs(table: string, prefix: string) {
  return sql.join(
    range.map((i) => {
      const c = sql.ref(`${prefix}${i}`);
      return sql`${c} = coalesce(${sql.ref(`${table}.${prefix}${i}`)}, 0) + coalesce(${sql.ref(`excluded.${prefix}${i}`)}, 0)`;
    }),
  );
}
const limbNames = (prefix: string) => sql.join(range.map((i) => sql.ref(`${prefix}${i}`)));
const sumLimbs = (from: string, sign = "") => sql.join(range.map((i) => sql`sum(${sql.raw(sign)}${sql.ref(`${from}${i}`)})`));

/** Folds the rows of blocks `from`..`to` of a program into its running figures. */
export async function applyFigures(db: Kysely<LedgerTables>, key: string, from: bigint, to: bigint): Promise<void> {
  const run = (query: RawBuilder<unknown>) => query.execute(db);
  const rows = sql`ledger_entries WHERE program = ${key} AND block_number >= CAST(${from.toString()} AS BIGINT) AND block_number <= CAST(${to.toString()} AS BIGINT)`;

  await run(sql`
    INSERT INTO ledger_fig_totals (program, kind, currency, series_id, n, max_time, last_pos,
      ${limbNames("amount_l")}, ${limbNames("royalty_l")}, ${limbNames("fee_l")})
    SELECT ${key}, kind, coalesce(currency, ''), coalesce(series_id, ''), count(*), max(block_time), max(${POSITION}),
      ${sumLimbs("amount_l")}, ${sumLimbs("royalty_l")}, ${sumLimbs("fee_l")}
    FROM ${rows}
    GROUP BY kind, coalesce(currency, ''), coalesce(series_id, '')
    ON CONFLICT (program, kind, currency, series_id) DO UPDATE SET
      n = ledger_fig_totals.n + excluded.n,
      max_time = CASE WHEN excluded.max_time > ledger_fig_totals.max_time THEN excluded.max_time ELSE ledger_fig_totals.max_time END,
      last_pos = excluded.last_pos,
      ${addLimbs("ledger_fig_totals", "amount_l")}, ${addLimbs("ledger_fig_totals", "royalty_l")}, ${addLimbs("ledger_fig_totals", "fee_l")}`);

  // Point balances: credits to the receiver, debits from the sender and the burner.
  const credit = sql.join(range.map((i) => sql`${sql.ref(`amount_l${i}`)} AS ${sql.ref(`l${i}`)}`));
  const debit = sql.join(range.map((i) => sql`-${sql.ref(`amount_l${i}`)} AS ${sql.ref(`l${i}`)}`));
  await run(sql`
    INSERT INTO ledger_fig_wallets (program, wallet, ${limbNames("balance_l")})
    SELECT ${key}, wallet, ${sumLimbs("l")} FROM (
      SELECT coalesce(actor, '') AS wallet, ${credit} FROM ${rows} AND kind IN ('points.minted', 'points.transferred')
      UNION ALL
      SELECT coalesce(actor, '') AS wallet, ${debit} FROM ${rows} AND kind = 'points.burned'
      UNION ALL
      SELECT coalesce(counterparty, '') AS wallet, ${debit} FROM ${rows} AND kind = 'points.transferred'
    ) b WHERE true GROUP BY wallet
    ON CONFLICT (program, wallet) DO UPDATE SET ${addLimbs("ledger_fig_wallets", "balance_l")}`);

  // Activity as actor or counterparty: newest time and block, first reward (batches come in order).
  await run(sql`
    INSERT INTO ledger_fig_wallets (program, wallet, last_time, last_block, first_reward)
    SELECT ${key}, wallet, max(block_time), max(block_number), min(reward_block) FROM (
      SELECT actor AS wallet, block_time, block_number,
        CASE WHEN kind IN (${list(REWARD_KINDS)}) THEN block_number END AS reward_block
      FROM ${rows} AND kind IN (${list(ACTIVITY_KINDS)}) AND actor IS NOT NULL
      UNION ALL
      SELECT counterparty AS wallet, block_time, block_number, NULL AS reward_block
      FROM ${rows} AND kind IN (${list(ACTIVITY_KINDS)}) AND counterparty IS NOT NULL
    ) a WHERE true GROUP BY wallet
    ON CONFLICT (program, wallet) DO UPDATE SET
      last_time = excluded.last_time,
      last_block = excluded.last_block,
      first_reward = coalesce(ledger_fig_wallets.first_reward, excluded.first_reward)`);

  // Each stamp's holder after its newest event (none once burned).
  await run(sql`
    INSERT INTO ledger_fig_stamps (program, token_id, owner, pos)
    SELECT ${key}, token_id, CASE WHEN kind = 'stamp.burned' THEN NULL ELSE actor END, pos FROM (
      SELECT coalesce(token_id, '') AS token_id, kind, actor, ${POSITION} AS pos,
        ROW_NUMBER() OVER (PARTITION BY coalesce(token_id, '') ORDER BY block_number DESC, log_index DESC) AS rn
      FROM ${rows} AND kind IN (${list(STAMP_KINDS)})
    ) s WHERE rn = 1
    ON CONFLICT (program, token_id) DO UPDATE SET owner = excluded.owner, pos = excluded.pos`);

  // Consent: newest link, unlink and purpose setting of each wallet.
  await run(sql`
    INSERT INTO ledger_fig_consent (program, wallet, linked_pos, unlinked_pos, set_pos, purposes)
    SELECT ${key}, wallet,
      max(CASE WHEN grp = 0 THEN pos END), max(CASE WHEN grp = 1 THEN pos END), max(CASE WHEN grp = 2 THEN pos END),
      max(CASE WHEN grp = 2 AND rn = 1 THEN coalesce(amount, '0') END)
    FROM (
      SELECT coalesce(actor, '') AS wallet, amount, ${POSITION} AS pos,
        CASE WHEN kind = 'consent.linked' THEN 0 WHEN kind = 'consent.unlinked' THEN 1 ELSE 2 END AS grp,
        ROW_NUMBER() OVER (
          PARTITION BY coalesce(actor, ''), CASE WHEN kind = 'consent.linked' THEN 0 WHEN kind = 'consent.unlinked' THEN 1 ELSE 2 END
          ORDER BY block_number DESC, log_index DESC) AS rn
      FROM ${rows} AND kind IN ('consent.linked', 'consent.unlinked', ${list(CONSENT_SET_KINDS)})
    ) c WHERE true GROUP BY wallet
    ON CONFLICT (program, wallet) DO UPDATE SET
      linked_pos = coalesce(excluded.linked_pos, ledger_fig_consent.linked_pos),
      unlinked_pos = coalesce(excluded.unlinked_pos, ledger_fig_consent.unlinked_pos),
      purposes = CASE WHEN excluded.set_pos IS NULL THEN ledger_fig_consent.purposes ELSE excluded.purposes END,
      set_pos = coalesce(excluded.set_pos, ledger_fig_consent.set_pos)`);

  // Journeys and perks: completions or claims, points, first time, and who.
  await run(sql`
    INSERT INTO ledger_fig_codes (program, kind, code, n, first_pos, ${limbNames("amount_l")})
    SELECT ${key}, kind, coalesce(code, ''), count(*), min(${POSITION}), ${sumLimbs("amount_l")}
    FROM ${rows} AND kind IN ('journey.completed', 'perk.claimed')
    GROUP BY kind, coalesce(code, '')
    ON CONFLICT (program, kind, code) DO UPDATE SET
      n = ledger_fig_codes.n + excluded.n, ${addLimbs("ledger_fig_codes", "amount_l")}`);
  await run(sql`
    INSERT INTO ledger_fig_code_members (program, kind, code, wallet)
    SELECT DISTINCT ${key}, kind, coalesce(code, ''), actor
    FROM ${rows} AND kind IN ('journey.completed', 'perk.claimed') AND actor IS NOT NULL
    ON CONFLICT (program, kind, code, wallet) DO NOTHING`);

  // The KPIs' rollups (per member, per period, active windows, cohorts), from the same blocks.
  await applyKpiRollups(db, key, from, to);
}

export const FIGURE_TABLES = [
  "ledger_fig_totals",
  "ledger_fig_wallets",
  "ledger_fig_stamps",
  "ledger_fig_consent",
  "ledger_fig_codes",
  "ledger_fig_code_members",
  ...KPI_ROLLUP_TABLES,
  "ledger_fig_state",
] as const;

/**
 * Forgets a program's running figures (after rows were deleted, e.g. a reorg rolled back): the next
 * refresh rebuilds them from every row.
 */
export async function resetFigures(db: Kysely<LedgerTables>, key: string): Promise<void> {
  for (const table of FIGURE_TABLES) await sql`DELETE FROM ${sql.table(table)} WHERE program = ${key}`.execute(db);
}

/**
 * Applies the rows not yet in a program's figures. Call inside a transaction: the state row is locked
 * first (an UPDATE takes Postgres' row lock and SQLite's write lock), so two refreshes cannot both
 * apply the same blocks.
 */
export async function refreshFigures(db: Kysely<LedgerTables>, key: string): Promise<void> {
  await sql`INSERT INTO ledger_fig_state (program, last_block) VALUES (${key}, -1) ON CONFLICT (program) DO NOTHING`.execute(db);
  await sql`UPDATE ledger_fig_state SET last_block = last_block WHERE program = ${key}`.execute(db);
  const [state] = (
    await sql<{ last_block: string | number }>`SELECT last_block FROM ledger_fig_state WHERE program = ${key}`.execute(db)
  ).rows;
  const [top] = (
    await sql<{
      top: string | number | null;
    }>`SELECT max(block_number) AS top FROM ledger_entries WHERE program = ${key}`.execute(db)
  ).rows;
  const last = BigInt(state!.last_block);
  if (top?.top === null || top?.top === undefined || BigInt(top.top) <= last) return;
  await applyFigures(db, key, last + 1n, BigInt(top.top));
  await sql`UPDATE ledger_fig_state SET last_block = ${String(top.top)} WHERE program = ${key}`.execute(db);
}

/**
 * Brings a program's figures and KPI rollups up to its newest row when a row is not yet applied (rows written without
 * a sync, or a sync from before a migration that emptied them): what a reader calls before it reads them.
 */
export async function refreshFiguresIfBehind(db: Kysely<LedgerTables>, key: string): Promise<void> {
  const [state] = (
    await sql<{ last_block: string | number }>`SELECT last_block FROM ledger_fig_state WHERE program = ${key}`.execute(db)
  ).rows;
  const [top] = (
    await sql<{
      top: string | number | null;
    }>`SELECT max(block_number) AS top FROM ledger_entries WHERE program = ${key}`.execute(db)
  ).rows;
  if (top?.top != null && (state === undefined || BigInt(state.last_block) < BigInt(top.top))) {
    await db.transaction().execute((trx) => refreshFigures(trx, key));
  }
}
