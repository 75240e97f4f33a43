/**
 * The figures query at scale: a synthetic ledger of 1,000,000 rows inserted directly (no chain), then
 * `ledgerStats` timed (best and median of 3) and checked against the TypeScript fold over every row.
 *
 *   npx ts-node --transpile-only bench/ledger/stats.ts [rows]     (PUNCHCARD_PG_URL adds Postgres)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { sql } from "kysely";
import { ledgerStats, openDatabase, type LedgerTables } from "@punchcard/sdk/node";
import { foldLedgerStats } from "../../sdk/src/node/ledger/foldLedgerStats";
import { refreshFigures } from "../../sdk/src/node/ledger/ledgerFigures";
import { syntheticProgram } from "../../sdk/src/node/ledger/ledgerFixture";
import { programKey } from "../../sdk/src/node/ledger/syncLedger";
import { insertSyntheticLedger } from "./syntheticLedger";

export interface StatsAtScale {
  engine: string;
  rows: number;
  insertSeconds: number;
  /** Folding every row into the running figures at once (a sync does it batch by batch). */
  buildSeconds: number;
  /** Each of the 3 timed runs, ms. */
  runsMs: number[];
  foldMs: number;
  /** Undefined when the fold was skipped. */
  equalToFold: boolean | undefined;
}

/**
 * Builds the synthetic ledger in a database and times `ledgerStats` on it.
 *
 * @example
 * const result = await benchStatsAtScale("sqlite", "/tmp/stats.sqlite", 1_000_000);
 */
export async function benchStatsAtScale(
  engine: string,
  location: string,
  count: number,
  log = console.log,
): Promise<StatsAtScale> {
  const db = openDatabase<LedgerTables>(location);
  try {
    const program = syntheticProgram(31337, `0x${"5a".repeat(20)}`);
    const insertSeconds = await insertSyntheticLedger(db, engine, program, count, log);
    const [{ rows }] = (await sql<{ rows: string | number }>`SELECT count(*) AS rows FROM ledger_entries`.execute(db)).rows as [
      { rows: string | number },
    ];
    // What a sync does batch by batch, here at once over every row.
    const tb = performance.now();
    await db.transaction().execute((trx) => refreshFigures(trx, programKey(program)));
    const buildSeconds = (performance.now() - tb) / 1000;
    log(`${engine}: running figures built from ${rows} rows in ${buildSeconds.toFixed(1)} s`);
    const runsMs: number[] = [];
    let stats;
    for (let run = 0; run < 3; run++) {
      const t = performance.now();
      stats = await ledgerStats(db, { program });
      runsMs.push(performance.now() - t);
    }
    // The fold reads every row into memory: minutes at 1,000,000 rows on a loaded machine. BENCH_FOLD=0 skips it.
    let foldMs = NaN;
    let equalToFold: boolean | undefined;
    if (process.env.BENCH_FOLD !== "0") {
      const t1 = performance.now();
      const all = await db.selectFrom("ledger_entries").selectAll().orderBy("block_number").orderBy("log_index").execute();
      const fold = foldLedgerStats(all);
      foldMs = performance.now() - t1;
      equalToFold = isDeepStrictEqual(stats, fold);
    }
    log(
      `${engine}: ledgerStats ${runsMs.map((ms) => ms.toFixed(0)).join(" / ")} ms; TypeScript fold ${foldMs.toFixed(0)} ms; equal: ${equalToFold}`,
    );
    return { engine, rows: Number(rows), insertSeconds, buildSeconds, runsMs, foldMs, equalToFold };
  } finally {
    await db.destroy();
  }
}

/** The rows of the markdown table. */
export function statsAtScaleMarkdown(results: StatsAtScale[]): string[] {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return [
    "## The figures query at scale",
    "",
    "`ledgerStats` on a synthetic ledger inserted directly (no chain): 10,000 members; rewards, stamps, transfers,",
    "trades in wei and in points, swaps, consent, journeys, perks. Three runs; the answer is compared with the",
    "TypeScript fold over every row (what `ledgerStats` did before it asked SQL). Target: < 1,000 ms at 1,000,000 rows.",
    "",
    "| database | rows | insert (s) | figures built at once (s) | ledgerStats median (ms) | runs (ms) | TypeScript fold (ms) | same answer |",
    "|---|---:|---:|---:|---:|---|---:|---|",
    ...results.map(
      (r) =>
        `| ${r.engine} | ${r.rows} | ${r.insertSeconds.toFixed(1)} | ${r.buildSeconds.toFixed(1)} | ${median(r.runsMs).toFixed(0)} | ${r.runsMs.map((ms) => ms.toFixed(0)).join(", ")} | ${Number.isNaN(r.foldMs) ? "not run" : r.foldMs.toFixed(0)} | ${r.equalToFold === undefined ? "not checked" : r.equalToFold ? "yes" : "NO"} |`,
    ),
    "",
  ];
}

if (require.main === module) {
  const count = Number(process.argv[2] ?? 1_000_000);
  (async () => {
    const results = [];
    if (process.env.BENCH_ENGINES !== "postgres") {
      results.push(
        await benchStatsAtScale(
          "sqlite",
          path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-stats-")), "ledger.sqlite"),
          count,
        ),
      );
    }
    if (process.env.PUNCHCARD_PG_URL) results.push(await benchStatsAtScale("postgres", process.env.PUNCHCARD_PG_URL, count));
    console.log(statsAtScaleMarkdown(results).join("\n"));
  })().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
