import { sql, type Kysely } from "kysely";
import {
  ACTIVE_WINDOWS,
  ACTIVITY_KINDS,
  DAY,
  FLOW_KINDS,
  JOIN_KINDS,
  KPI_PERIODS,
  periodStart,
  type KpiPeriod,
} from "./kpisPeriods.js";
import { savePeriods, type PeriodCell } from "./kpisRollupPeriods.js";
import { applyTierSeriesRollups, TIER_SERIES_TABLES } from "./kpisRollupTiersSeries.js";
import type { LedgerTables } from "./schema.js";

/**
 * The KPI rollups (tables ledger_kpi_*, migration 0006), kept beside the running figures (ledgerFigures.ts): each
 * batch a sync writes is folded into them in the transaction that writes it, so `ledgerKpis` reads a few hundred rows
 * for a year instead of every entry, and counts each distinct member exactly without a distinct count over the year:
 *
 * - `ledger_kpi_members`: per member, the day of their join, of their first point, of their last act, and of their
 *   last row of each points flow. Rows come in chain order and block times never go back, so a row is a member's
 *   first of a day, week or month exactly when its period is after the one of the member's last such row.
 * - `ledger_kpi_periods`: per day, week and month and per flow, the points (exact decimal text) and the members
 *   behind them; and the members who joined (`joined`) or got their first point (`holder`) in the period.
 * - `ledger_kpi_active`: the active-member counts as a difference array per window of 7, 30 and 90 days. A member is
 *   counted at day E when they acted on a day in [E − w, E − 1]; each new active day d after their previous one p
 *   adds +1 at max(d + 1, p + w + 1) and −1 at d + w + 1, so the running sum up to E is the count at E.
 * - `ledger_kpi_cohorts`: per join week and week, the members of that join week who acted in that week.
 * - tiers, journey completions, referrals, perk claims and series holders: kpisRollupTiersSeries.ts (migration 0007).
 *
 * A rollup cannot be unfolded: after a reorg deletes rows, `resetFigures` empties these tables with the figures and
 * the refresh in the same transaction rebuilds them from the rows that stay.
 */

export const KPI_ROLLUP_TABLES = [
  "ledger_kpi_members",
  "ledger_kpi_periods",
  "ledger_kpi_active",
  "ledger_kpi_cohorts",
  ...TIER_SERIES_TABLES,
] as const;

type FlowKind = (typeof FLOW_KINDS)[number];

/** The member state columns holding the day of each flow's last row. */
const FLOW_COLUMNS: Record<FlowKind, string> = {
  "points.minted": "minted_day",
  "points.burned": "burned_day",
  "points.redeemed": "redeemed_day",
  "points.expired": "expired_day",
  "points.purchase.reversed": "reversed_day",
};

interface MemberState {
  joined_day: number | null;
  holder_day: number | null;
  active_day: number | null;
  active_days: number;
  /** Points minted to the member, all time (exact). */
  earned: bigint;
  flows: Record<FlowKind, number | null>;
}

interface EntryRow {
  block_number: string | number;
  log_index: string | number;
  block_time: string | number;
  kind: string;
  actor: string | null;
  amount: string | null;
  args: string | null;
}

const PAGE = 50_000;
const CHUNK = 500;
const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const weekOf = (day: number) => periodStart(day * DAY, "week");
const isJoin = new Set<string>(JOIN_KINDS);
const isAct = new Set<string>(ACTIVITY_KINDS);
const isFlow = new Set<string>(FLOW_KINDS);
const ROLLUP_KINDS = [...new Set<string>([...JOIN_KINDS, ...ACTIVITY_KINDS, ...FLOW_KINDS])];

/** Folds the rows of blocks `from`..`to` of a program into its KPI rollups. Call in the batch's transaction. */
export async function applyKpiRollups(db: Kysely<LedgerTables>, key: string, from: bigint, to: bigint): Promise<void> {
  const members = new Map<string, MemberState>();
  const periods = new Map<string, PeriodCell>();
  const active = new Map<string, number>();
  const cohorts = new Map<string, number>();
  const addPeriod = (period: KpiPeriod, day: number, kind: string, newMember: boolean, amount: bigint) => {
    const start = periodStart(day * DAY, period);
    const id = `${period}|${start}|${kind}`;
    const cell = periods.get(id) ?? { period, start, kind, members: 0, total: 0n };
    if (newMember) cell.members += 1;
    cell.total += amount;
    periods.set(id, cell);
  };
  const bump = (map: Map<string, number>, id: string, by: number) => map.set(id, (map.get(id) ?? 0) + by);

  let after: [string, string] = ["-1", "-1"];
  for (;;) {
    const { rows } = await sql<EntryRow>`
      SELECT block_number, log_index, block_time, kind, actor, amount,
        CASE WHEN kind = 'points.purchase.reversed' THEN args END AS args
      FROM ledger_entries
      WHERE program = ${key} AND block_number >= CAST(${from.toString()} AS BIGINT) AND block_number <= CAST(${to.toString()} AS BIGINT)
        AND (block_number > CAST(${after[0]} AS BIGINT) OR (block_number = CAST(${after[0]} AS BIGINT) AND log_index > CAST(${after[1]} AS BIGINT)))
        AND kind IN (${sql.join(ROLLUP_KINDS)})
      ORDER BY block_number, log_index
      LIMIT ${PAGE}`.execute(db);
    if (rows.length === 0) break;
    await loadMembers(db, key, rows, members);
    for (const row of rows) {
      const day = Math.floor(Number(row.block_time) / DAY);
      const m = row.actor === null ? undefined : members.get(row.actor)!;
      if (m !== undefined && isJoin.has(row.kind) && m.joined_day === null) {
        m.joined_day = day;
        for (const period of KPI_PERIODS) addPeriod(period, day, "joined", true, 0n);
        // Acts earlier in the week they join count for that week (the acts of weeks before do not).
        if (m.active_day !== null && weekOf(m.active_day) === weekOf(day)) bump(cohorts, `${weekOf(day)}|${weekOf(day)}`, 1);
      }
      if (m !== undefined && row.kind === "points.minted" && m.holder_day === null) {
        m.holder_day = day;
        for (const period of KPI_PERIODS) addPeriod(period, day, "holder", true, 0n);
      }
      if (isFlow.has(row.kind)) {
        const kind = row.kind as FlowKind;
        const amount =
          kind === "points.purchase.reversed"
            ? BigInt((JSON.parse(row.args ?? "{}") as { burned?: string }).burned ?? "0")
            : BigInt(row.amount ?? "0");
        const last = m?.flows[kind] ?? null;
        for (const period of KPI_PERIODS) {
          const fresh = m !== undefined && (last === null || periodStart(last * DAY, period) < periodStart(day * DAY, period));
          addPeriod(period, day, kind, fresh, amount);
        }
        if (m !== undefined) m.flows[kind] = day;
        if (m !== undefined && kind === "points.minted") m.earned += amount;
      }
      if (m !== undefined && isAct.has(row.kind) && (m.active_day === null || day > m.active_day)) {
        const previous = m.active_day;
        for (const w of ACTIVE_WINDOWS) {
          bump(active, `${w}|${previous === null ? day + 1 : Math.max(day + 1, previous + w + 1)}`, 1);
          bump(active, `${w}|${day + w + 1}`, -1);
        }
        if (m.joined_day !== null && (previous === null || weekOf(previous) < weekOf(day)))
          bump(cohorts, `${weekOf(m.joined_day)}|${weekOf(day)}`, 1);
        m.active_day = day;
        m.active_days += 1;
      }
    }
    const last = rows.at(-1)!;
    after = [String(last.block_number), String(last.log_index)];
    if (rows.length < PAGE) break;
  }
  await saveMembers(db, key, members);
  await savePeriods(db, key, [...periods.values()]);
  await addCounts(db, "ledger_kpi_active", ["days", "day"], "delta", key, active);
  await addCounts(db, "ledger_kpi_cohorts", ["cohort", "week"], "members", key, cohorts);
  await applyTierSeriesRollups(db, key, from, to);
}

/** Reads the state of the page's members not yet in `members` (a new member starts empty). */
async function loadMembers(db: Kysely<LedgerTables>, key: string, rows: EntryRow[], members: Map<string, MemberState>) {
  const missing = [...new Set(rows.map((r) => r.actor).filter((a): a is string => a !== null && !members.has(a)))];
  for (const wallet of missing)
    members.set(wallet, {
      joined_day: null,
      holder_day: null,
      active_day: null,
      active_days: 0,
      earned: 0n,
      flows: Object.fromEntries(FLOW_KINDS.map((k) => [k, null])) as Record<FlowKind, number | null>,
    });
  for (let i = 0; i < missing.length; i += CHUNK) {
    const { rows: stored } = await sql<Record<string, string | number | null>>`
      SELECT * FROM ledger_kpi_members WHERE program = ${key} AND member IN (${sql.join(missing.slice(i, i + CHUNK))})`.execute(
      db,
    );
    for (const s of stored) {
      const m = members.get(String(s.member))!;
      m.joined_day = num(s.joined_day);
      m.holder_day = num(s.holder_day);
      m.active_day = num(s.active_day);
      m.active_days = Number(s.active_days);
      m.earned = BigInt(s.points_earned ?? "0");
      for (const kind of FLOW_KINDS) m.flows[kind] = num(s[FLOW_COLUMNS[kind]]);
    }
  }
}

async function saveMembers(db: Kysely<LedgerTables>, key: string, members: Map<string, MemberState>) {
  const flowColumns = FLOW_KINDS.map((k) => FLOW_COLUMNS[k]);
  const columns = ["program", "member", "joined_day", "holder_day", "active_day", "active_days", "points_earned", ...flowColumns];
  const entries = [...members.entries()];
  for (let i = 0; i < entries.length; i += CHUNK) {
    const values = entries
      .slice(i, i + CHUNK)
      .map(
        ([member, m]) =>
          sql`(${sql.join([
            key,
            member,
            m.joined_day,
            m.holder_day,
            m.active_day,
            m.active_days,
            m.earned.toString(),
            ...FLOW_KINDS.map((k) => m.flows[k]),
          ])})`,
      );
    await sql`INSERT INTO ledger_kpi_members (${sql.join(columns.map((c) => sql.ref(c)))}) VALUES ${sql.join(values)}
      ON CONFLICT (program, member) DO UPDATE SET
      ${sql.join(columns.slice(2).map((c) => sql`${sql.ref(c)} = ${sql.ref(`excluded.${c}`)}`))}`.execute(db);
  }
}

/** Adds integer counts keyed "a|b" to a table's `column`, keyed (program, a, b). */
async function addCounts(
  db: Kysely<LedgerTables>,
  table: string,
  keys: [string, string],
  column: string,
  key: string,
  counts: Map<string, number>,
) {
  const entries = [...counts.entries()].filter(([, n]) => n !== 0);
  for (let i = 0; i < entries.length; i += CHUNK) {
    const values = entries.slice(i, i + CHUNK).map(([id, n]) => {
      const [a, b] = id.split("|").map(Number);
      return sql`(${sql.join([key, a, b, n])})`;
    });
    await sql`INSERT INTO ${sql.table(table)} (program, ${sql.ref(keys[0])}, ${sql.ref(keys[1])}, ${sql.ref(column)})
      VALUES ${sql.join(values)}
      ON CONFLICT (program, ${sql.ref(keys[0])}, ${sql.ref(keys[1])}) DO UPDATE SET
      ${sql.ref(column)} = ${sql.ref(`${table}.${column}`)} + ${sql.ref(`excluded.${column}`)}`.execute(db);
  }
}
