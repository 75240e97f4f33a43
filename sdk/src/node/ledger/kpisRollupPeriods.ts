import { sql, type Kysely } from "kysely";
import type { KpiPeriod } from "./kpisPeriods.js";
import type { LedgerTables } from "./schema.js";

/** One cell of `ledger_kpi_periods` a batch adds to: a period, a kind, the members new to it, and its total. */
export interface PeriodCell {
  period: KpiPeriod;
  start: number;
  kind: string;
  members: number;
  total: bigint;
}

const CHUNK = 500;

/** Adds the batch's period cells to the stored ones (the totals are decimal text: added here, exactly). */
export async function savePeriods(db: Kysely<LedgerTables>, key: string, cells: PeriodCell[]) {
  if (cells.length === 0) return;
  const earliest = Math.min(...cells.map((c) => c.start));
  const { rows } = await sql<{
    period: string;
    period_start: string | number;
    kind: string;
    members: string | number;
    total: string;
  }>`
    SELECT period, period_start, kind, members, total FROM ledger_kpi_periods
    WHERE program = ${key} AND period_start >= ${earliest}`.execute(db);
  const stored = new Map(rows.map((r) => [`${r.period}|${Number(r.period_start)}|${r.kind}`, r]));
  for (let i = 0; i < cells.length; i += CHUNK) {
    const values = cells.slice(i, i + CHUNK).map((c) => {
      const old = stored.get(`${c.period}|${c.start}|${c.kind}`);
      const members = c.members + (old === undefined ? 0 : Number(old.members));
      const total = c.total + (old === undefined ? 0n : BigInt(old.total));
      return sql`(${sql.join([key, c.period, c.start, c.kind, members, total.toString()])})`;
    });
    await sql`INSERT INTO ledger_kpi_periods (program, period, period_start, kind, members, total) VALUES ${sql.join(values)}
      ON CONFLICT (program, period, period_start, kind) DO UPDATE SET members = excluded.members, total = excluded.total`.execute(
      db,
    );
  }
}
