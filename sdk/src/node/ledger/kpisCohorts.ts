import { sql, type Kysely } from "kysely";
import type { Program } from "../../program.js";
import { readKpiSnapshot } from "./kpisSnapshot.js";
import { DAY, isSmallGroup, nextPeriod, periodLabel, periodStart, shownCount } from "./kpisPeriods.js";
import type { LedgerTables } from "./schema.js";
import { programKey } from "./syncLedger.js";

/** One join week's members and how many of them acted in each week since. */
export interface KpiCohortRow {
  /** The join week's Monday, "2026-03-02", and its first second (Unix, UTC). */
  cohort: string;
  start: number;
  /** Members whose first row (as `members` counts it) fell in that week; null when 1 to 4. */
  members: number | null;
  /**
   * Members of the cohort with an act (`ACTIVITY_KINDS`) in week k after their join week (k = 0 is the join week
   * itself, acts before the join that week included), up to the week holding `to - 1`. A count of 1 to 4, and every
   * count of a cohort of 1 to 4, is null.
   */
  active: Array<number | null>;
}

export interface KpiCohortsParameters {
  program: Program;
  /** Unix seconds: the cohorts of the weeks holding `from` to `to - 1`. */
  from: number;
  to: number;
}

/**
 * Retention by join-week cohort: a cohort × week matrix read from the rollups the sync keeps (`ledger_kpi_cohorts`),
 * so a year of cohorts reads a few thousand cells, not the entries. Groups of 1 to 4 members are withheld.
 *
 * @example
 * const cohorts = await kpiCohorts(db, { program, from: Date.UTC(2026, 0, 1) / 1000, to: Date.UTC(2027, 0, 1) / 1000 });
 * // cohorts[0].active[4]: members of the first week's cohort active four weeks after they joined
 */
export async function kpiCohorts(db: Kysely<LedgerTables>, { program, from, to }: KpiCohortsParameters): Promise<KpiCohortRow[]> {
  const key = programKey(program);
  const first = periodStart(from, "week");
  const end = nextPeriod(periodStart(to - 1, "week"), "week");
  const { sizes, cells } = await readKpiSnapshot(db, key, async (trx) => ({
    sizes: (
      await sql<{ period_start: string | number; members: string | number }>`
        SELECT period_start, members FROM ledger_kpi_periods
        WHERE program = ${key} AND period = 'week' AND kind = 'joined' AND period_start >= ${first} AND period_start < ${end}`.execute(
        trx,
      )
    ).rows,
    cells: (
      await sql<{ cohort: string | number; week: string | number; members: string | number }>`
        SELECT cohort, week, members FROM ledger_kpi_cohorts
        WHERE program = ${key} AND cohort >= ${first} AND cohort < ${end} AND week < ${end}`.execute(trx)
    ).rows,
  }));
  const size = new Map(sizes.map((r) => [Number(r.period_start), Number(r.members)]));
  const active = new Map(cells.map((r) => [`${Number(r.cohort)}|${Number(r.week)}`, Number(r.members)]));
  const rows: KpiCohortRow[] = [];
  for (let start = first; start < end; start += 7 * DAY) {
    const members = size.get(start) ?? 0;
    const weeks = Array.from({ length: (end - start) / (7 * DAY) }, (_, k) => active.get(`${start}|${start + k * 7 * DAY}`) ?? 0);
    rows.push({
      cohort: periodLabel(start, "week"),
      start,
      members: shownCount(members),
      active: weeks.map((n) => (isSmallGroup(members) ? null : shownCount(n))),
    });
  }
  return rows;
}
