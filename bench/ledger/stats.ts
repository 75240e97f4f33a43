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
import { zeroAddress, type Address } from "viem";
import { ledgerStats, migrateLedger, openDatabase, type LedgerTables } from "@punchcard/sdk/node";
import { foldLedgerStats } from "../../sdk/src/node/ledger/foldLedgerStats";
import { FIGURE_TABLES, refreshFigures } from "../../sdk/src/node/ledger/ledgerFigures";
import { programKey } from "../../sdk/src/node/ledger/syncLedger";
import {
  codeOf,
  insertRows,
  syntheticProgram,
  syntheticRows,
  type SyntheticEvent,
} from "../../sdk/src/node/ledger/ledgerFixture";

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
 * A deterministic history of `count` events over 10,000 members: rewards, stamps, trades in wei and points, swaps,
 * consent, journeys, perks, spread evenly over `spanDays` (a year: the KPIs bench asks for a year by week).
 */
export function syntheticHistory(count: number, spanDays = 365): SyntheticEvent[] {
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const member = () => `0x${(0x100000 + random(10_000)).toString(16).padStart(40, "0")}` as Address;
  const pointsToken = `0x${"ee".repeat(20)}` as Address;
  const events: SyntheticEvent[] = [
    { kind: "series.created", actor: null, seriesId: 1n, amount: 999_999_999n },
    { kind: "series.created", actor: null, seriesId: 2n, amount: 2n ** 256n - 1n, blocks: 0 },
  ];
  let tokens = 0;
  while (events.length < count) {
    const r = random(100);
    const blocks = random(4) === 0 ? 1 : 0;
    const actor = member();
    if (r < 40) {
      const amount = BigInt(1 + random(500)) * 10n ** 18n;
      events.push({ kind: "points.minted", actor, amount, blocks }, { kind: "points.rewarded", actor, amount, blocks: 0 });
    } else if (r < 55) {
      tokens++;
      events.push({ kind: "stamp.minted", actor, tokenId: BigInt(tokens), seriesId: BigInt(1 + (tokens % 2)), blocks });
    } else if (r < 62 && tokens > 0) {
      const t = 1 + random(tokens);
      events.push({
        kind: "stamp.transferred",
        actor,
        counterparty: member(),
        tokenId: BigInt(t),
        seriesId: BigInt(1 + (t % 2)),
        blocks,
      });
    } else if (r < 70) {
      events.push({
        kind: "points.transferred",
        actor,
        counterparty: member(),
        amount: BigInt(1 + random(50)) * 10n ** 18n,
        blocks,
      });
    } else if (r < 76) {
      const amount = BigInt(1 + random(100)) * 10n ** 18n;
      events.push({ kind: "points.burned", actor, amount, blocks }, { kind: "points.redeemed", actor, amount, blocks: 0 });
    } else if (r < 84 && tokens > 0) {
      const t = 1 + random(tokens);
      const native = random(2) === 0;
      const price = native ? BigInt(1 + random(1000)) * 10n ** 16n : BigInt(1 + random(1000)) * 10n ** 18n;
      events.push({
        kind: random(3) === 0 ? "offer.accepted" : "order.filled",
        actor,
        counterparty: member(),
        tokenId: BigInt(t),
        seriesId: BigInt(1 + (t % 2)),
        currency: native ? zeroAddress : pointsToken,
        amount: price,
        royalty: price / 20n,
        fee: price / 40n,
        blocks,
      });
    } else if (r < 86) {
      events.push({ kind: "swap", actor, counterparty: member(), royalty: 10n ** 18n, fee: 7n * 10n ** 17n, blocks });
    } else if (r < 92) {
      const kinds = ["consent.linked", "consent.granted", "consent.changed", "consent.revoked", "consent.unlinked"];
      const kind = kinds[random(kinds.length)]!;
      events.push({
        kind,
        actor,
        amount: kind.startsWith("consent.") && kind.endsWith("linked") ? null : BigInt(random(16)),
        blocks,
      });
    } else if (r < 97) {
      events.push({ kind: "journey.completed", actor, amount: 50n * 10n ** 18n, code: codeOf(`journey-${random(5)}`), blocks });
    } else {
      events.push({ kind: "perk.claimed", actor, amount: 30n * 10n ** 18n, code: codeOf(`perk-${random(8)}`), blocks });
    }
  }
  const history = events.slice(0, count);
  const blocks = history.reduce((n, e) => n + (e.blocks ?? 1), 0);
  const secondsPerBlock = Math.max(1, Math.floor((spanDays * 86_400) / Math.max(1, blocks)));
  return history.map((e) => ({ ...e, seconds: (e.blocks ?? 1) * secondsPerBlock }));
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
    if (engine === "postgres") {
      for (const table of [
        "ledger_entries",
        "sync_checkpoints",
        "punchcard_ledger_migration",
        "punchcard_ledger_migration_lock",
        "sync_blocks",
        "ledger_units",
        ...FIGURE_TABLES,
      ]) {
        // CASCADE: the analysts' views (migration 0005) read ledger_entries.
        await db.schema.dropTable(table).ifExists().cascade().execute();
      }
      // The one analysts' view that reads no table, so no CASCADE above drops it.
      await sql`DROP VIEW IF EXISTS analytics_schema_version`.execute(db);
    }
    await migrateLedger(db);
    const program = syntheticProgram(31337, `0x${"5a".repeat(20)}`);
    const rows = syntheticRows(program, syntheticHistory(count));
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += 50_000) await insertRows(db, rows.slice(i, i + 50_000));
    const insertSeconds = (performance.now() - t0) / 1000;
    log(`${engine}: inserted ${rows.length} synthetic rows in ${insertSeconds.toFixed(1)} s`);
    if (engine === "postgres") await sql`ANALYZE`.execute(db);
    // What a sync does batch by batch, here at once over every row.
    const tb = performance.now();
    await db.transaction().execute((trx) => refreshFigures(trx, programKey(program)));
    const buildSeconds = (performance.now() - tb) / 1000;
    log(`${engine}: running figures built from ${rows.length} rows in ${buildSeconds.toFixed(1)} s`);
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
    return { engine, rows: rows.length, insertSeconds, buildSeconds, runsMs, foldMs, equalToFold };
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
