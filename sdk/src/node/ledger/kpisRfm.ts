import { sql, type Kysely } from "kysely";
import type { Program } from "../../program.js";
import { readKpiSnapshot } from "./kpisSnapshot.js";
import { shownCount } from "./kpisPeriods.js";
import type { LedgerTables } from "./schema.js";
import { programKey } from "./syncLedger.js";

/** The analytics purpose's bit in the consent registry's purposes. */
const ANALYTICS = 2n;

/** A score from 1 (lowest fifth) to 5 (highest fifth) of the members. */
export type RfmScore = 1 | 2 | 3 | 4 | 5;

/** One member's RFM figures and scores: listed only for a member whose analytics purpose stands. */
export interface KpiRfmMember {
  member: string;
  /** Days from their last act to the program's newest act. */
  recencyDays: number;
  /** Days with an act, over their whole history. */
  frequency: number;
  /** Points minted to them (earned, bought, converted in), smallest units. */
  monetary: bigint;
  recency: RfmScore;
  frequencyScore: RfmScore;
  monetaryScore: RfmScore;
  /** The three scores as one code, "545". */
  segment: string;
}

/** One cell of the 5 × 5 × 5 segments: how many members score so; null when 1 to 4. */
export interface KpiRfmCell {
  segment: string;
  members: number | null;
}

export interface KpiRfm {
  /** The program's newest act (Unix seconds, UTC, the day's start): recency counts back from it. */
  asOf: number | null;
  /** Members with at least one act, every one of them in the cells. */
  members: number | null;
  /** The non-empty cells, by segment code. */
  cells: KpiRfmCell[];
  /** Per member, only those whose newest purposes change includes analytics, by segment then wallet. */
  consented: KpiRfmMember[];
}

export interface KpiRfmParameters {
  program: Program;
}

/**
 * The score of `value` among `sorted` (ascending): 1 + ⌊5 × (members below it) ÷ members⌋, so equal values score the
 * same and each score holds about a fifth of the members.
 */
function score(sorted: number[] | bigint[], value: number | bigint): RfmScore {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return (1 + Math.floor((5 * low) / sorted.length)) as RfmScore;
}

/**
 * RFM segments from the member rollup (`ledger_kpi_members`): recency (days since the last act, fewer scores higher),
 * frequency (days with an act) and monetary (points minted to the member), each scored 1–5 by fifths of the members.
 * Every member with an act is counted in the cells, and a cell of 1 to 4 members is withheld; a member is listed by
 * wallet only while their analytics purpose stands (their newest purposes change includes it).
 *
 * @example
 * const { cells, consented } = await kpiRfm(db, { program });
 * const champions = consented.filter((m) => m.segment === "555");
 */
export async function kpiRfm(db: Kysely<LedgerTables>, { program }: KpiRfmParameters): Promise<KpiRfm> {
  const key = programKey(program);
  const rows = await readKpiSnapshot(
    db,
    key,
    async (trx) =>
      (
        await sql<{
          member: string;
          active_day: string | number;
          active_days: string | number;
          points_earned: string;
          purposes: string | null;
        }>`
        SELECT m.member, m.active_day, m.active_days, m.points_earned, c.purposes
        FROM ledger_kpi_members m LEFT JOIN ledger_fig_consent c ON c.program = m.program AND c.wallet = m.member
        WHERE m.program = ${key} AND m.active_day IS NOT NULL`.execute(trx)
      ).rows,
  );
  if (rows.length === 0) return { asOf: null, members: 0, cells: [], consented: [] };
  const members = rows.map((r) => ({
    member: r.member,
    lastDay: Number(r.active_day),
    frequency: Number(r.active_days),
    monetary: BigInt(r.points_earned),
    consented: r.purposes !== null && (BigInt(r.purposes) & ANALYTICS) !== 0n,
  }));
  const asOfDay = Math.max(...members.map((m) => m.lastDay));
  const byLastDay = members.map((m) => m.lastDay).sort((a, b) => a - b);
  const byFrequency = members.map((m) => m.frequency).sort((a, b) => a - b);
  const byMonetary = members.map((m) => m.monetary).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const scored = members.map((m) => {
    const recency = score(byLastDay, m.lastDay);
    const frequencyScore = score(byFrequency, m.frequency);
    const monetaryScore = score(byMonetary, m.monetary);
    return { ...m, recency, frequencyScore, monetaryScore, segment: `${recency}${frequencyScore}${monetaryScore}` };
  });
  const cells = new Map<string, number>();
  for (const m of scored) cells.set(m.segment, (cells.get(m.segment) ?? 0) + 1);
  return {
    asOf: asOfDay * 86_400,
    members: shownCount(members.length),
    cells: [...cells.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([segment, n]) => ({ segment, members: shownCount(n) })),
    consented: scored
      .filter((m) => m.consented)
      .map((m) => ({
        member: m.member,
        recencyDays: asOfDay - m.lastDay,
        frequency: m.frequency,
        monetary: m.monetary,
        recency: m.recency,
        frequencyScore: m.frequencyScore,
        monetaryScore: m.monetaryScore,
        segment: m.segment,
      }))
      .sort((a, b) => a.segment.localeCompare(b.segment) || a.member.localeCompare(b.member)),
  };
}
