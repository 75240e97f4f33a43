import { sql, type Kysely } from "kysely";
import { DAY, KPI_PERIODS, periodStart } from "./kpisPeriods.js";
import { savePeriods, type PeriodCell } from "./kpisRollupPeriods.js";
import type { LedgerTables } from "./schema.js";

/**
 * The KPI rollups of tiers, journeys, referrals, perks and series holders (migration 0007), folded by the sync with the
 * others (kpisRollup.ts), in the transaction that writes a batch:
 *
 * - `ledger_kpi_status`: per member, their status points (every point rewarded, as Points and Rewards count them) and
 *   tier (the thresholds of the last `tiers.set` they reach); `ledger_kpi_tiers`: each day a member's tier changed,
 *   the tier they ended that day in. A `tiers.set` re-tiers every member on its day.
 * - `ledger_kpi_periods`, kinds `journey.completed`, `journey.referral` (a completion that names a referee: a
 *   referral converted, counted for the referrer) and `perk.claimed`: per period how many rows (`total`) and how many
 *   members behind them; `ledger_kpi_codes` holds each member's last day of each kind, so a member counts once a period.
 * - `ledger_kpi_series_wallets`: the stamps each wallet holds of each series; `ledger_kpi_holders`: per series the
 *   holders as a difference array by day (+1 the day after a wallet's first stamp of it, −1 the day after its last
 *   left), so the holders at a period's end are the sum of the deltas up to it.
 */

/** The kinds of `ledger_kpi_periods` this fold writes (each `total` is a count of rows). */
export const ACT_KINDS = ["journey.completed", "journey.referral", "perk.claimed"] as const;
export type ActKind = (typeof ACT_KINDS)[number];

export const TIER_SERIES_TABLES = [
  "ledger_kpi_status",
  "ledger_kpi_tiers",
  "ledger_kpi_codes",
  "ledger_kpi_series_wallets",
  "ledger_kpi_holders",
] as const;

const FOLD_KINDS = [
  "points.rewarded",
  "tiers.set",
  "journey.completed",
  "perk.claimed",
  "stamp.minted",
  "stamp.transferred",
  "stamp.burned",
] as const;

interface Row {
  block_number: string | number;
  log_index: string | number;
  block_time: string | number;
  kind: string;
  actor: string | null;
  counterparty: string | null;
  series_id: string | null;
  amount: string | null;
  args: string | null;
}

const PAGE = 50_000;
const CHUNK = 500;

/** The tier a status reaches: how many thresholds it is at or above. */
export const tierOf = (status: bigint, thresholds: readonly bigint[]) => thresholds.filter((t) => status >= t).length;

/** The thresholds of a `tiers.set` row's arguments. */
export const thresholdsOf = (args: string | null): bigint[] =>
  ((JSON.parse(args ?? "{}") as { thresholds?: string[] }).thresholds ?? []).map(BigInt);

/** Folds the rows of blocks `from`..`to` of a program into the tier, act and holder rollups. Call in the batch's transaction. */
export async function applyTierSeriesRollups(db: Kysely<LedgerTables>, key: string, from: bigint, to: bigint): Promise<void> {
  const [last] = (
    await sql<{ args: string }>`
      SELECT args FROM ledger_entries WHERE program = ${key} AND kind = 'tiers.set' AND block_number < CAST(${from.toString()} AS BIGINT)
      ORDER BY block_number DESC, log_index DESC LIMIT 1`.execute(db)
  ).rows;
  let thresholds = last === undefined ? [] : thresholdsOf(last.args);
  const status = new Map<string, { status: bigint; tier: number }>();
  const tierDays = new Map<string, { member: string; day: number; tier: number }>();
  const codeDays = new Map<string, number | null>();
  const cells = new Map<string, PeriodCell>();
  const stamps = new Map<string, number>();
  const holders = new Map<string, number>();
  let everyone = false;

  const setTier = (member: string, day: number, state: { status: bigint; tier: number }) => {
    const tier = tierOf(state.status, thresholds);
    if (tier !== state.tier) tierDays.set(`${member}|${day}`, { member, day, tier });
    state.tier = tier;
  };
  const act = (kind: ActKind, member: string, day: number) => {
    const id = `${member}|${kind}`;
    const lastDay = codeDays.get(id) ?? null;
    for (const period of KPI_PERIODS) {
      const start = periodStart(day * DAY, period);
      const fresh = lastDay === null || periodStart(lastDay * DAY, period) < start;
      const cell = cells.get(`${period}|${start}|${kind}`) ?? { period, start, kind, members: 0, total: 0n };
      cell.members += fresh ? 1 : 0;
      cell.total += 1n;
      cells.set(`${period}|${start}|${kind}`, cell);
    }
    codeDays.set(id, day);
  };
  const move = (series: string, wallet: string, by: number, day: number) => {
    const id = `${series}|${wallet}`;
    const before = stamps.get(id)!;
    stamps.set(id, before + by);
    const change = before === 0 && by > 0 ? 1 : before > 0 && before + by === 0 ? -1 : 0;
    holders.set(`${series}|${day + 1}`, (holders.get(`${series}|${day + 1}`) ?? 0) + change);
  };

  let after: [string, string] = ["-1", "-1"];
  for (;;) {
    const { rows } = await sql<Row>`
      SELECT block_number, log_index, block_time, kind, actor, counterparty, series_id, amount,
        CASE WHEN kind = 'tiers.set' THEN args END AS args
      FROM ledger_entries
      WHERE program = ${key} AND block_number >= CAST(${from.toString()} AS BIGINT) AND block_number <= CAST(${to.toString()} AS BIGINT)
        AND (block_number > CAST(${after[0]} AS BIGINT) OR (block_number = CAST(${after[0]} AS BIGINT) AND log_index > CAST(${after[1]} AS BIGINT)))
        AND kind IN (${sql.join([...FOLD_KINDS])})
      ORDER BY block_number, log_index
      LIMIT ${PAGE}`.execute(db);
    if (rows.length === 0) break;
    if (!everyone && rows.some((r) => r.kind === "tiers.set")) {
      // A new set of thresholds re-tiers every member: every member's state is needed.
      await loadStatus(db, key, null, status);
      everyone = true;
    } else if (!everyone) {
      await loadStatus(
        db,
        key,
        rows.filter((r) => r.kind === "points.rewarded").map((r) => r.actor),
        status,
      );
    }
    await loadCodeDays(db, key, rows, codeDays);
    await loadStamps(db, key, rows, stamps);
    for (const row of rows) {
      const day = Math.floor(Number(row.block_time) / DAY);
      if (row.kind === "tiers.set") {
        thresholds = thresholdsOf(row.args);
        for (const [member, state] of status) setTier(member, day, state);
      } else if (row.kind === "points.rewarded" && row.actor !== null) {
        const state = status.get(row.actor) ?? { status: 0n, tier: 0 };
        state.status += BigInt(row.amount ?? "0");
        status.set(row.actor, state);
        setTier(row.actor, day, state);
      } else if (row.kind === "journey.completed" && row.actor !== null) {
        act("journey.completed", row.actor, day);
        if (row.counterparty !== null) act("journey.referral", row.actor, day);
      } else if (row.kind === "perk.claimed" && row.actor !== null) {
        act("perk.claimed", row.actor, day);
      } else if (row.series_id !== null && row.kind.startsWith("stamp.")) {
        if (row.kind === "stamp.minted" && row.actor !== null) move(row.series_id, row.actor, 1, day);
        if (row.kind === "stamp.burned" && row.actor !== null) move(row.series_id, row.actor, -1, day);
        if (row.kind === "stamp.transferred") {
          if (row.counterparty !== null) move(row.series_id, row.counterparty, -1, day);
          if (row.actor !== null) move(row.series_id, row.actor, 1, day);
        }
      }
    }
    const lastRow = rows.at(-1)!;
    after = [String(lastRow.block_number), String(lastRow.log_index)];
    if (rows.length < PAGE) break;
  }
  await save(
    db,
    "ledger_kpi_status (program, member, status, tier)",
    "(program, member) DO UPDATE SET status = excluded.status, tier = excluded.tier",
    [...status].map(([member, s]) => [key, member, s.status.toString(), s.tier]),
  );
  await save(
    db,
    "ledger_kpi_tiers (program, member, day, tier)",
    "(program, member, day) DO UPDATE SET tier = excluded.tier",
    [...tierDays.values()].map((t) => [key, t.member, t.day, t.tier]),
  );
  await save(
    db,
    "ledger_kpi_codes (program, member, kind, day)",
    "(program, member, kind) DO UPDATE SET day = excluded.day",
    [...codeDays].filter(([, day]) => day !== null).map(([id, day]) => [key, ...id.split("|"), day]),
  );
  await save(
    db,
    "ledger_kpi_series_wallets (program, series_id, wallet, stamps)",
    "(program, series_id, wallet) DO UPDATE SET stamps = excluded.stamps",
    [...stamps].map(([id, n]) => [key, ...id.split("|"), n]),
  );
  await save(
    db,
    "ledger_kpi_holders (program, series_id, day, delta)",
    "(program, series_id, day) DO UPDATE SET delta = ledger_kpi_holders.delta + excluded.delta",
    // A zero stays: it marks the day a series first had a stamp, so the series has rows from then on.
    [...holders].map(([id, n]) => [key, id.split("|")[0], Number(id.split("|")[1]), n]),
  );
  await savePeriods(db, key, [...cells.values()]);
}

/** Loads the status of the given members (all of them when `members` is null) not yet in `status`. */
async function loadStatus(
  db: Kysely<LedgerTables>,
  key: string,
  members: Array<string | null> | null,
  status: Map<string, { status: bigint; tier: number }>,
) {
  const read = async (where: ReturnType<typeof sql>) =>
    (
      await sql<{ member: string; status: string; tier: string | number }>`
        SELECT member, status, tier FROM ledger_kpi_status WHERE program = ${key} ${where}`.execute(db)
    ).rows;
  const take = (rows: Array<{ member: string; status: string; tier: string | number }>) => {
    for (const r of rows) if (!status.has(r.member)) status.set(r.member, { status: BigInt(r.status), tier: Number(r.tier) });
  };
  if (members === null) return take(await read(sql``));
  const missing = [...new Set(members.filter((m): m is string => m !== null && !status.has(m)))];
  for (let i = 0; i < missing.length; i += CHUNK) take(await read(sql`AND member IN (${sql.join(missing.slice(i, i + CHUNK))})`));
}

async function loadCodeDays(db: Kysely<LedgerTables>, key: string, rows: Row[], codeDays: Map<string, number | null>) {
  const members = new Set<string>();
  for (const r of rows)
    if ((r.kind === "journey.completed" || r.kind === "perk.claimed") && r.actor !== null)
      for (const kind of ACT_KINDS) if (!codeDays.has(`${r.actor}|${kind}`)) members.add(r.actor);
  const missing = [...members];
  for (const m of missing) for (const kind of ACT_KINDS) if (!codeDays.has(`${m}|${kind}`)) codeDays.set(`${m}|${kind}`, null);
  for (let i = 0; i < missing.length; i += CHUNK) {
    const { rows: stored } = await sql<{ member: string; kind: string; day: string | number }>`
      SELECT member, kind, day FROM ledger_kpi_codes WHERE program = ${key} AND member IN (${sql.join(missing.slice(i, i + CHUNK))})`.execute(
      db,
    );
    for (const s of stored) codeDays.set(`${s.member}|${s.kind}`, Number(s.day));
  }
}

async function loadStamps(db: Kysely<LedgerTables>, key: string, rows: Row[], stamps: Map<string, number>) {
  const pairs = new Set<string>();
  for (const r of rows) {
    if (!r.kind.startsWith("stamp.") || r.series_id === null) continue;
    for (const wallet of [r.actor, r.counterparty])
      if (wallet !== null && !stamps.has(`${r.series_id}|${wallet}`)) pairs.add(`${r.series_id}|${wallet}`);
  }
  const missing = [...pairs];
  for (const id of missing) stamps.set(id, 0);
  const wallets = [...new Set(missing.map((id) => id.split("|")[1]!))];
  for (let i = 0; i < wallets.length; i += CHUNK) {
    const { rows: stored } = await sql<{ series_id: string; wallet: string; stamps: string | number }>`
      SELECT series_id, wallet, stamps FROM ledger_kpi_series_wallets
      WHERE program = ${key} AND wallet IN (${sql.join(wallets.slice(i, i + CHUNK))})`.execute(db);
    for (const s of stored)
      if (pairs.has(`${s.series_id}|${s.wallet}`)) stamps.set(`${s.series_id}|${s.wallet}`, Number(s.stamps));
  }
}

/** Upserts rows of values into `target` in chunks. */
async function save(db: Kysely<LedgerTables>, target: string, conflict: string, rows: unknown[][]) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const values = rows.slice(i, i + CHUNK).map((r) => sql`(${sql.join(r)})`);
    await sql`INSERT INTO ${sql.raw(target)} VALUES ${sql.join(values)} ON CONFLICT ${sql.raw(conflict)}`.execute(db);
  }
}
