import { sql, type Kysely } from "kysely";
import type { Program } from "../../program.js";
import { isSmallGroup, nextPeriod, periodLabel, periodStart, shownCount, type KpiPeriod } from "./kpisPeriods.js";
import { ACT_KINDS } from "./kpisRollupTiersSeries.js";
import { readKpiSnapshot } from "./kpisSnapshot.js";
import type { LedgerTables } from "./schema.js";
import { programKey } from "./syncLedger.js";

/** One period's journeys, referrals and perks: counts, and the members behind them; null where 1 to 4 members are. */
export interface KpiEngagementRow {
  start: number;
  end: number;
  period: string;
  /** Journeys completed in the period, and the members who completed them. */
  journeyCompletions: number | null;
  journeyMembers: number | null;
  /** Completions that named a referee (a referral converted: the referee did what the journey asks), and their referrers. */
  referralConversions: number | null;
  referrers: number | null;
  /** Perks claimed in the period, and the members who claimed them. */
  perkClaims: number | null;
  perkMembers: number | null;
}

export interface KpiEngagementParameters {
  program: Program;
  /** Unix seconds: the first period holds `from`, the last holds `to - 1`. */
  from: number;
  to: number;
  by: KpiPeriod;
}

/**
 * Journey completions, referral conversions and perk claims per day, week or month, from the period rollups the sync
 * keeps (`ledger_kpi_periods`, kinds `journey.completed`, `journey.referral`, `perk.claimed`). A count with 1 to 4
 * members behind it is null, with its members.
 *
 * @example
 * const months = await kpiEngagement(db, { program, from: Date.UTC(2026, 0, 1) / 1000, to: Date.UTC(2027, 0, 1) / 1000, by: "month" });
 */
export async function kpiEngagement(
  db: Kysely<LedgerTables>,
  { program, from, to, by }: KpiEngagementParameters,
): Promise<KpiEngagementRow[]> {
  const key = programKey(program);
  const first = periodStart(from, by);
  const end = nextPeriod(periodStart(to - 1, by), by);
  const rows = await readKpiSnapshot(
    db,
    key,
    async (trx) =>
      (
        await sql<{ period_start: string | number; kind: string; members: string | number; total: string }>`
          SELECT period_start, kind, members, total FROM ledger_kpi_periods
          WHERE program = ${key} AND period = ${by} AND kind IN (${sql.join([...ACT_KINDS])})
            AND period_start >= ${first} AND period_start < ${end}`.execute(trx)
      ).rows,
  );
  const cells = new Map(
    rows.map((r) => [`${Number(r.period_start)}|${r.kind}`, { members: Number(r.members), n: Number(r.total) }]),
  );
  const out: KpiEngagementRow[] = [];
  for (let start = first; start < end; start = nextPeriod(start, by)) {
    const of = (kind: string) => cells.get(`${start}|${kind}`) ?? { members: 0, n: 0 };
    const count = (kind: string) => (isSmallGroup(of(kind).members) ? null : of(kind).n);
    out.push({
      start,
      end: nextPeriod(start, by),
      period: periodLabel(start, by),
      journeyCompletions: count("journey.completed"),
      journeyMembers: shownCount(of("journey.completed").members),
      referralConversions: count("journey.referral"),
      referrers: shownCount(of("journey.referral").members),
      perkClaims: count("perk.claimed"),
      perkMembers: shownCount(of("perk.claimed").members),
    });
  }
  return out;
}
