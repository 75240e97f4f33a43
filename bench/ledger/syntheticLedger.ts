/**
 * The synthetic ledger every scale bench reads (the figures, the KPI queries, the analysts' outputs): a deterministic
 * year of activity over 10,000 members inserted directly into a ledger database (no chain), in one place so that
 * each bench measures the same rows.
 */
import { sql, type Kysely } from "kysely";
import { zeroAddress, type Address } from "viem";
import { migrateLedger, type LedgerTables } from "../../sdk/src/node/ledger/schema";
import { FIGURE_TABLES } from "../../sdk/src/node/ledger/ledgerFigures";
import { codeOf, insertRows, syntheticRows, type SyntheticEvent } from "../../sdk/src/node/ledger/ledgerFixture";
import type { Program } from "../../sdk/src/program";

/**
 * A deterministic history of `count` events over 10,000 members: rewards, stamps, trades in wei and points, swaps,
 * consent, journeys, perks, spread evenly over `spanDays` (a year: the KPIs bench asks for a year by week).
 */
export function syntheticHistory(count: number, spanDays = 365): SyntheticEvent[] {
  // xorshift32 in 32-bit integer arithmetic: every draw uses all the state's bits. (A multiplier past 2^53 in
  // floating point, as this was before, repeated itself after a few hundred draws: some 600 members, and no wallet
  // ever gave the analytics purpose, so every per-member view was empty.)
  let seed = 42;
  const random = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return Math.floor(((seed >>> 0) / 2 ** 32) * n);
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
 * Empties a ledger database (on Postgres: drops the ledger's tables and views first), migrates it and inserts
 * `count` synthetic entries of `program`, 50,000 per transaction; on Postgres then ANALYZEs, as autovacuum would
 * soon after. Returns the seconds the insert took.
 *
 * @example
 * const seconds = await insertSyntheticLedger(db, "sqlite", syntheticProgram(31337, stamps), 1_000_000);
 */
export async function insertSyntheticLedger(
  db: Kysely<LedgerTables>,
  engine: string,
  program: Program,
  count: number,
  log: (line: string) => void = console.log,
): Promise<number> {
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
      // CASCADE: the analysts' views read ledger_entries.
      await db.schema.dropTable(table).ifExists().cascade().execute();
    }
    // The one analysts' view that reads no table, so no CASCADE above drops it.
    await sql`DROP VIEW IF EXISTS analytics_schema_version`.execute(db);
  }
  await migrateLedger(db);
  const rows = syntheticRows(program, syntheticHistory(count));
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += 50_000) await insertRows(db, rows.slice(i, i + 50_000));
  const seconds = (performance.now() - t0) / 1000;
  if (engine === "postgres") await sql`ANALYZE`.execute(db);
  log(`${engine}: inserted ${rows.length} synthetic rows in ${seconds.toFixed(1)} s`);
  return seconds;
}
