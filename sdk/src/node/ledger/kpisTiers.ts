import { sql, type Kysely } from "kysely";
import type { Program } from "../../program.js";
import { DAY, shownCount } from "./kpisPeriods.js";
import { thresholdsOf } from "./kpisRollupTiersSeries.js";
import { readKpiSnapshot } from "./kpisSnapshot.js";
import type { LedgerTables } from "./schema.js";
import { programKey } from "./syncLedger.js";

/** The analytics purpose's bit in the consent registry's purposes. */
const ANALYTICS = 2n;
const PURPOSE_KINDS = ["consent.granted", "consent.changed", "consent.revoked"] as const;

/** One cell of the tier migration matrix: members who were in tier `from` and are in tier `to`; null when 1 to 4. */
export interface KpiTierCell {
  from: number;
  to: number;
  members: number | null;
}

export interface KpiTierMigration {
  /** The first second of the day the "before" tiers are taken at, and the first second after the "after" tiers' day. */
  from: number;
  to: number;
  /** Tiers 0 (below the first threshold) to `tiers - 1`, from the thresholds in force at `to`. */
  tiers: number;
  /** Members in the matrix: joined before `to`, with their analytics purpose standing at `to`; null when 1 to 4. */
  members: number | null;
  /** Every cell of the tiers × tiers matrix, row by row (from 0, to 0), (from 0, to 1)... */
  cells: KpiTierCell[];
}

export interface KpiTierMigrationParameters {
  program: Program;
  /** Unix seconds: tiers at the start of the day holding `from`, against tiers at the end of the day holding `to - 1`. */
  from: number;
  to: number;
}

/**
 * The tier migration matrix: how many members moved from each tier at `from` to each tier at `to`, as Points and
 * Rewards tier them (status points, every point rewarded, against the thresholds of the last `tiers.set`). A member's
 * tier over time is per-member data, so only members whose analytics purpose stands at `to` (their last purposes change
 * before it includes analytics) are in it, and a cell of 1 to 4 members is withheld: a member who withdraws leaves
 * the matrix, and a cell they leave at 4 shows nothing. Read from the rollups the sync keeps (`ledger_kpi_tiers`).
 *
 * @example
 * const { cells } = await kpiTierMigration(db, { program, from: Date.UTC(2026, 0, 1) / 1000, to: Date.UTC(2027, 0, 1) / 1000 });
 * const promoted = cells.filter((c) => c.to > c.from);
 */
export async function kpiTierMigration(
  db: Kysely<LedgerTables>,
  { program, from, to }: KpiTierMigrationParameters,
): Promise<KpiTierMigration> {
  const key = programKey(program);
  const fromDay = Math.floor(from / DAY);
  const toDay = Math.ceil(to / DAY);
  const { consent, joined, changes, thresholds } = await readKpiSnapshot(db, key, async (trx) => ({
    // In no order: each wallet's last change is picked below by its position. Asking for chain order made SQLite
    // walk the program's every row by block to skip a sort of the few purposes changes.
    consent: (
      await sql<{ actor: string; amount: string; block_number: string | number; log_index: string | number }>`
        SELECT actor, amount, block_number, log_index FROM ledger_entries
        WHERE program = ${key} AND kind IN (${sql.join([...PURPOSE_KINDS])}) AND block_time < ${toDay * DAY} AND actor IS NOT NULL`.execute(
        trx,
      )
    ).rows,
    joined: (
      await sql<{ member: string }>`
        SELECT member FROM ledger_kpi_members WHERE program = ${key} AND joined_day < ${toDay}`.execute(trx)
    ).rows,
    changes: (
      await sql<{ member: string; day: string | number; tier: string | number }>`
        SELECT member, day, tier FROM ledger_kpi_tiers WHERE program = ${key} AND day < ${toDay}`.execute(trx)
    ).rows,
    thresholds: (
      await sql<{ args: string }>`
        SELECT args FROM ledger_entries WHERE program = ${key} AND kind = 'tiers.set' AND block_time < ${toDay * DAY}
        ORDER BY block_number DESC, log_index DESC LIMIT 1`.execute(trx)
    ).rows,
  }));
  const purposes = new Map<string, bigint>();
  // Each wallet's purposes: those of its last change (by block, then position in the block).
  const last = new Map<string, { block: number; log: number }>();
  for (const row of consent) {
    const at = { block: Number(row.block_number), log: Number(row.log_index) };
    const known = last.get(row.actor);
    if (known !== undefined && (known.block > at.block || (known.block === at.block && known.log > at.log))) continue;
    last.set(row.actor, at);
    purposes.set(row.actor, BigInt(row.amount ?? "0"));
  }
  const counted = joined.map((r) => r.member).filter((m) => ((purposes.get(m) ?? 0n) & ANALYTICS) !== 0n);
  // A member's tier at a day: the tier of their last change on a day before it (0 before any).
  const before = new Map<string, { day: number; tier: number }>();
  const after = new Map<string, { day: number; tier: number }>();
  for (const row of changes) {
    const change = { day: Number(row.day), tier: Number(row.tier) };
    const newer = (map: Map<string, { day: number; tier: number }>) => {
      const known = map.get(row.member);
      if (known === undefined || known.day < change.day) map.set(row.member, change);
    };
    if (change.day < fromDay) newer(before);
    newer(after);
  }
  const tiers = (thresholds[0] === undefined ? 0 : thresholdsOf(thresholds[0].args).length) + 1;
  const counts = new Map<string, number>();
  let top = tiers;
  for (const member of counted) {
    const a = before.get(member)?.tier ?? 0;
    const b = after.get(member)?.tier ?? 0;
    top = Math.max(top, a + 1, b + 1);
    counts.set(`${a}|${b}`, (counts.get(`${a}|${b}`) ?? 0) + 1);
  }
  const cells: KpiTierCell[] = [];
  for (let a = 0; a < top; a++)
    for (let b = 0; b < top; b++) cells.push({ from: a, to: b, members: shownCount(counts.get(`${a}|${b}`) ?? 0) });
  return { from: fromDay * DAY, to: toDay * DAY, tiers: top, members: shownCount(counted.length), cells };
}
