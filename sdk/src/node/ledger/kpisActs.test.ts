import { expect } from "chai";
import type { Kysely } from "kysely";
import type { Address } from "viem";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import type { Program } from "../../program.js";
import { openDatabase } from "../database.js";
import { kpiEngagement, type KpiEngagementRow } from "./kpisEngagement.js";
import { KPIS_YEAR_START, QUIET_DAYS, kpisProgram, kpisYear } from "./kpisFixture.js";
import { ACTS_POINTS, kpisActs, withActs } from "./kpisFixtureActs.js";
import { kpiMarket, kpiSeries, SALE_KINDS, type KpiMarketRow, type KpiSeriesRow } from "./kpisMarket.js";
import { JOIN_KINDS, KPI_MIN_GROUP, nextPeriod, periodLabel, periodStart, type KpiPeriod } from "./kpisPeriods.js";
import { kpiTierMigration, type KpiTierMigration } from "./kpisTiers.js";
import { refreshFigures, resetFigures } from "./ledgerFigures.js";
import { insertRows, syntheticRows, type SyntheticEvent } from "./ledgerFixture.js";
import { migrateLedger, type LedgerEntriesTable, type LedgerTables } from "./schema.js";
import { programKey } from "./syncLedger.js";

const DAY = 86_400;
const program: Program = { ...kpisProgram, points: ACTS_POINTS };
const rows = syntheticRows(program, withActs(kpisYear(), kpisActs()), KPIS_YEAR_START);
const YEAR = { from: KPIS_YEAR_START, to: KPIS_YEAR_START + 365 * DAY };
type Entry = LedgerEntriesTable;
const t = (e: Entry) => Number(e.block_time);
const shown = (n: number) => (n > 0 && n < KPI_MIN_GROUP ? null : n);
const small = (n: number) => n > 0 && n < KPI_MIN_GROUP;
const periods = (by: KpiPeriod, from: number, to: number) => {
  const out: number[] = [];
  for (let s = periodStart(from, by); s < to; s = nextPeriod(s, by)) out.push(s);
  return out;
};

/** Journeys, referrals and perks per period, straight from the rows. */
function foldEngagement(entries: readonly Entry[], by: KpiPeriod, from: number, to: number): KpiEngagementRow[] {
  return periods(by, from, to).map((start) => {
    const end = nextPeriod(start, by);
    const of = (keep: (e: Entry) => boolean) => {
      const hits = entries.filter((e) => keep(e) && t(e) >= start && t(e) < end);
      const members = new Set(hits.map((e) => e.actor)).size;
      return { n: small(members) ? null : hits.length, members: shown(members) };
    };
    const journeys = of((e) => e.kind === "journey.completed");
    const referrals = of((e) => e.kind === "journey.completed" && e.counterparty !== null);
    const perks = of((e) => e.kind === "perk.claimed");
    return {
      start,
      end,
      period: periodLabel(start, by),
      journeyCompletions: journeys.n,
      journeyMembers: journeys.members,
      referralConversions: referrals.n,
      referrers: referrals.members,
      perkClaims: perks.n,
      perkMembers: perks.members,
    };
  });
}

/** Every member's tier after the rows before `before` (status: points rewarded; thresholds: the last tiers.set). */
function tiersBefore(entries: readonly Entry[], before: number) {
  let thresholds: bigint[] = [];
  const status = new Map<string, bigint>();
  for (const e of entries) {
    if (t(e) >= before) break;
    if (e.kind === "tiers.set") thresholds = (JSON.parse(e.args) as { thresholds: string[] }).thresholds.map(BigInt);
    if (e.kind === "points.rewarded") status.set(e.actor!, (status.get(e.actor!) ?? 0n) + BigInt(e.amount!));
  }
  const tiers = new Map([...status].map(([m, s]) => [m, thresholds.filter((x) => s >= x).length]));
  return { tiers, count: thresholds.length + 1 };
}

/** The tier migration matrix from the rows: members joined before the end, with analytics standing at it. */
function foldTiers(entries: readonly Entry[], from: number, to: number): KpiTierMigration {
  const [start, end] = [Math.floor(from / DAY) * DAY, Math.ceil(to / DAY) * DAY];
  const purposes = new Map<string, bigint>();
  const joined = new Set<string>();
  for (const e of entries) {
    if (t(e) >= end) break;
    if (["consent.granted", "consent.changed", "consent.revoked"].includes(e.kind)) purposes.set(e.actor!, BigInt(e.amount!));
    if ((JOIN_KINDS as readonly string[]).includes(e.kind) && e.actor !== null) joined.add(e.actor);
  }
  const members = [...joined].filter((m) => ((purposes.get(m) ?? 0n) & 2n) !== 0n);
  const [a, b] = [tiersBefore(entries, start), tiersBefore(entries, end)];
  let top = b.count;
  for (const m of members) top = Math.max(top, (a.tiers.get(m) ?? 0) + 1, (b.tiers.get(m) ?? 0) + 1);
  const cells = [];
  for (let x = 0; x < top; x++)
    for (let y = 0; y < top; y++)
      cells.push({
        from: x,
        to: y,
        members: shown(members.filter((m) => (a.tiers.get(m) ?? 0) === x && (b.tiers.get(m) ?? 0) === y).length),
      });
  return { from: start, to: end, tiers: top, members: shown(members.length), cells };
}

const isSale = (e: Entry) => (SALE_KINDS as readonly string[]).includes(e.kind);

function foldMarket(entries: readonly Entry[], by: KpiPeriod, from: number, to: number): KpiMarketRow[] {
  const out: KpiMarketRow[] = [];
  for (const start of periods(by, from, to)) {
    const end = nextPeriod(start, by);
    const trades = entries.filter((e) => (isSale(e) || e.kind === "swap") && t(e) >= start && t(e) < end);
    const currencyOf = (e: Entry) => (e.kind === "swap" ? ACTS_POINTS.toLowerCase() : e.currency!);
    for (const currency of [...new Set(trades.map(currencyOf))].sort()) {
      const mine = trades.filter((e) => currencyOf(e) === currency);
      const wallets = new Set(mine.flatMap((e) => [e.actor!, e.counterparty!])).size;
      const hide = <T>(v: T) => (small(wallets) ? null : v);
      out.push({
        start,
        end,
        period: periodLabel(start, by),
        currency,
        volume: hide(mine.filter(isSale).reduce((s, e) => s + BigInt(e.amount!), 0n)),
        royalties: hide(mine.reduce((s, e) => s + BigInt(e.royalty!), 0n)),
        trades: hide(mine.length),
        wallets: shown(wallets),
      });
    }
  }
  return out;
}

function foldSeries(entries: readonly Entry[], by: KpiPeriod, from: number, to: number): KpiSeriesRow[] {
  const out: KpiSeriesRow[] = [];
  for (const start of periods(by, from, to)) {
    const end = nextPeriod(start, by);
    const held = new Map<string, Map<string, number>>();
    const move = (series: string, wallet: string, by: number) => {
      const wallets = held.get(series) ?? new Map<string, number>();
      wallets.set(wallet, (wallets.get(wallet) ?? 0) + by);
      held.set(series, wallets);
    };
    for (const e of entries) {
      if (t(e) >= end || e.series_id === null) continue;
      if (e.kind === "stamp.minted") move(e.series_id, e.actor!, 1);
      if (e.kind === "stamp.burned") move(e.series_id, e.actor!, -1);
      if (e.kind === "stamp.transferred") {
        move(e.series_id, e.counterparty!, -1);
        move(e.series_id, e.actor!, 1);
      }
    }
    const sales = entries.filter((e) => isSale(e) && t(e) >= start && t(e) < end);
    const ids = [...new Set([...held.keys(), ...sales.map((e) => e.series_id!)])].sort((x, y) => Number(x) - Number(y));
    for (const seriesId of ids) {
      const holders = shown([...(held.get(seriesId)?.values() ?? [])].filter((n) => n > 0).length);
      const base = { start, end, period: periodLabel(start, by), seriesId, holders };
      const mine = sales.filter((e) => e.series_id === seriesId);
      if (mine.length === 0) out.push({ ...base, currency: null, floor: null, trades: 0 });
      for (const currency of [...new Set(mine.map((e) => e.currency!))].sort()) {
        const priced = mine.filter((e) => e.currency === currency);
        const wallets = new Set(priced.flatMap((e) => [e.actor, e.counterparty])).size;
        const floor = priced.map((e) => BigInt(e.amount!)).reduce((x, y) => (y < x ? y : x));
        out.push({ ...base, currency, floor: small(wallets) ? null : floor, trades: small(wallets) ? null : priced.length });
      }
    }
  }
  return out;
}

for (const engine of databaseEngines()) {
  describe(`sdk/node: tiers, journeys, perks, market and series KPIs (${engine})`, function () {
    this.timeout(120_000);
    let db: Kysely<LedgerTables>;
    before(async () => {
      db = openDatabase<LedgerTables>(await freshDatabase(engine));
      await migrateLedger(db);
      await insertRows(db, rows);
    });
    after(async () => db.destroy());

    for (const [by, days] of [
      ["day", 60],
      ["week", 365],
      ["month", 365],
    ] as const) {
      it(`counts journeys, referrals and perks as a plain fold does, by ${by}, over ${days} days`, async () => {
        const span = { from: KPIS_YEAR_START, to: KPIS_YEAR_START + days * DAY };
        const kpis = await kpiEngagement(db, { program, ...span, by });
        expect(kpis).to.deep.equal(foldEngagement(rows, by, span.from, span.to));
        // Not two empty answers: weeks and months show their counts (a day's few members hide most days').
        if (by !== "day")
          expect(kpis.filter((k) => (k.journeyCompletions ?? 0) > 0 && (k.perkClaims ?? 0) > 0).length).to.be.greaterThan(0);
        else expect(kpis.some((k) => k.journeyCompletions === null)).to.equal(true);
      });

      it(`sums the market per currency and gives floors and holders per series as a fold does, by ${by}`, async () => {
        const span = { from: KPIS_YEAR_START, to: KPIS_YEAR_START + days * DAY };
        const market = await kpiMarket(db, { program, ...span, by });
        expect(market).to.deep.equal(foldMarket(rows, by, span.from, span.to));
        const series = await kpiSeries(db, { program, ...span, by });
        const folded = foldSeries(rows, by, span.from, span.to);
        expect(series.length).to.equal(folded.length);
        for (let i = 0; i < folded.length; i++)
          expect(
            series[i],
            JSON.stringify(folded[i], (_, v) => (typeof v === "bigint" ? `${v}n` : v)),
          ).to.deep.equal(folded[i]);
        if (by === "month") {
          // Not two empty answers: both currencies, royalties from swaps in points, floors and holders shown.
          expect(new Set(market.map((m) => m.currency))).to.have.length(2);
          expect(series.some((s) => s.floor !== null && s.holders !== null && s.seriesId === "2")).to.equal(true);
        }
      });
    }

    it("hides the journeys, perks and trades of the quiet weeks, where four members act", async () => {
      const quietWeek = KPIS_YEAR_START + (QUIET_DAYS.from + 4) * DAY;
      const [week] = await kpiEngagement(db, { program, from: quietWeek, to: quietWeek + 1, by: "week" });
      expect([week!.journeyCompletions, week!.perkClaims]).to.deep.equal([null, null]);
      const market = await kpiMarket(db, { program, from: quietWeek, to: quietWeek + 1, by: "week" });
      for (const m of market) expect([m.volume, m.royalties, m.trades]).to.deep.equal([null, null, null]);
    });

    for (const [label, fromDay, toDay] of [
      ["the year", 0, 365],
      ["the second half, across the lowered thresholds", 150, 300],
      ["a window before anyone reaches a tier", 0, 10],
    ] as const)
      it(`migrates tiers over ${label} as a fold does, counting only members whose analytics stood at the end`, async () => {
        const span = { from: KPIS_YEAR_START + fromDay * DAY + 3_600, to: KPIS_YEAR_START + toDay * DAY };
        const matrix = await kpiTierMigration(db, { program, ...span });
        expect(matrix).to.deep.equal(foldTiers(rows, span.from, span.to));
        if (toDay === 365) {
          expect(matrix.tiers).to.equal(3);
          // 18 gave analytics, one withdrew for good: 17 of 24 members in the matrix.
          expect(matrix.members).to.equal(17);
        }
      });

    it("keeps the tier, act and holder rollups exact batch by batch, and after a reorg", async () => {
      // The last test of the suite: it empties the database the others read.
      const key = programKey(program);
      const refresh = () => db.transaction().execute((trx) => refreshFigures(trx, key));
      await db.deleteFrom("ledger_entries").execute();
      await db.transaction().execute((trx) => resetFigures(trx, key));
      const blockStart = (i: number) => {
        while (i < rows.length && i > 0 && rows[i]!.block_number === rows[i - 1]!.block_number) i++;
        return i;
      };
      const cuts = [0, 41, 700, 701, 2_500, 4_100, rows.length].map(blockStart);
      for (let i = 1; i < cuts.length; i++) {
        await insertRows(db, rows.slice(cuts[i - 1], cuts[i]));
        await refresh();
      }
      const all = async (entries: readonly Entry[]) => {
        const got = {
          engagement: await kpiEngagement(db, { program, ...YEAR, by: "week" }),
          series: await kpiSeries(db, { program, ...YEAR, by: "month" }),
          tiers: await kpiTierMigration(db, { program, ...YEAR }),
        };
        expect(got.engagement).to.deep.equal(foldEngagement(entries, "week", YEAR.from, YEAR.to));
        expect(got.series).to.deep.equal(foldSeries(entries, "month", YEAR.from, YEAR.to));
        expect(got.tiers).to.deep.equal(foldTiers(entries, YEAR.from, YEAR.to));
        return got;
      };
      const whole = await all(rows);
      const fork = Number(rows[Math.floor(rows.length / 2)]!.block_number);
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom("ledger_entries").where("block_number", ">", String(fork)).execute();
        await resetFigures(trx, key);
        await refreshFigures(trx, key);
      });
      // The new chain lost every third row after the fork (a transfer keeps its sale: both or neither).
      const kept = rows.filter((r) => Number(r.block_number) <= fork || Number(r.block_number) % 3 !== 0);
      const replayed = kept.filter((r) => Number(r.block_number) > fork);
      for (let i = 0; i < replayed.length; i += 700) {
        await insertRows(db, replayed.slice(blockStart(i), blockStart(i + 700)));
        await refresh();
      }
      expect(await all(kept)).to.not.deep.equal(whole);
    });
  });

  describe(`sdk/node: consent in the tier migration matrix (${engine})`, () => {
    const member = (n: number) => `0x${(0xa00 + n).toString(16).padStart(40, "0")}` as Address;
    /** Five members with analytics reach tier 1 in January; a sixth never gave analytics. */
    const january: SyntheticEvent[] = [
      { kind: "tiers.set", actor: null, args: JSON.stringify({ thresholds: ["100", "1000"] }) },
      ...[1, 2, 3, 4, 5, 6].flatMap((n): SyntheticEvent[] => [
        ...(n <= 5 ? [{ kind: "consent.granted", actor: member(n), amount: 3n } as const] : []),
        { kind: "points.rewarded", actor: member(n), amount: 500n },
        { kind: "points.minted", actor: member(n), amount: 500n, blocks: 0 },
      ]),
    ];
    const withdrawal: SyntheticEvent = { kind: "consent.changed", actor: member(3), amount: 1n, seconds: 86_400 };
    const span = { from: KPIS_YEAR_START, to: KPIS_YEAR_START + 30 * DAY };

    async function matrixOf(events: SyntheticEvent[]) {
      const db = openDatabase<LedgerTables>(await freshDatabase(engine));
      try {
        await migrateLedger(db);
        await insertRows(db, syntheticRows(program, events, KPIS_YEAR_START + 60));
        return await kpiTierMigration(db, { program, ...span });
      } finally {
        await db.destroy();
      }
    }
    const cell = (m: KpiTierMigration, from: number, to: number) => m.cells.find((c) => c.from === from && c.to === to)!.members;

    it("shows a cell of five members who gave analytics, and never counts the member who did not", async () => {
      const matrix = await matrixOf(january);
      expect(cell(matrix, 0, 1)).to.equal(5);
      expect(matrix.members).to.equal(5);
      expect(matrix.tiers).to.equal(3);
    });

    it("drops a member who withdrew analytics, and the cell they leave at four shows nothing", async () => {
      const matrix = await matrixOf([...january, withdrawal]);
      expect(cell(matrix, 0, 1)).to.equal(null);
      expect(matrix.members).to.equal(null);
      expect(matrix.cells.every((c) => c.members === null || c.members === 0)).to.equal(true);
    });
  });
}
