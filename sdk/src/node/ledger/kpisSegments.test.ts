import { expect } from "chai";
import type { Kysely } from "kysely";
import type { Address } from "viem";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { openDatabase } from "../database.js";
import { kpiCohorts, type KpiCohortRow } from "./kpisCohorts.js";
import { ACTIVITY_KINDS, JOIN_KINDS, KPI_MIN_GROUP, nextPeriod, periodLabel, periodStart } from "./kpisPeriods.js";
import { KPIS_YEAR_START, kpisProgram, kpisYear } from "./kpisFixture.js";
import { kpiRfm, type KpiRfm, type RfmScore } from "./kpisRfm.js";
import { insertRows, syntheticRows, type SyntheticEvent } from "./ledgerFixture.js";
import { migrateLedger, type LedgerEntriesTable, type LedgerTables } from "./schema.js";

const DAY = 86_400;
const wallet = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as Address;
/** After the year: members 1 to 8 give rewards and analytics (3); member 3 then withdraws analytics (back to 1). */
const consent: SyntheticEvent[] = [
  ...Array.from({ length: 8 }, (_, i): SyntheticEvent => ({ kind: "consent.granted", actor: wallet(i + 1), amount: 3n })),
  { kind: "consent.changed", actor: wallet(3), amount: 1n },
];
const rows = syntheticRows(kpisProgram, [...kpisYear(), ...consent], KPIS_YEAR_START);

const isJoin = (e: LedgerEntriesTable) => (JOIN_KINDS as readonly string[]).includes(e.kind) && e.actor !== null;
const isAct = (e: LedgerEntriesTable) => (ACTIVITY_KINDS as readonly string[]).includes(e.kind) && e.actor !== null;
const day = (e: LedgerEntriesTable) => Math.floor(Number(e.block_time) / DAY);
const shown = (n: number) => (n > 0 && n < KPI_MIN_GROUP ? null : n);

/** Retention by join-week cohort as a plain fold over the entries, from the definition. */
function foldCohorts(entries: readonly LedgerEntriesTable[], from: number, to: number): KpiCohortRow[] {
  const joined = new Map<string, number>();
  const weeks = new Map<string, Set<number>>();
  for (const e of entries) {
    if (isJoin(e) && !joined.has(e.actor!)) joined.set(e.actor!, periodStart(Number(e.block_time), "week"));
    if (isAct(e)) weeks.set(e.actor!, (weeks.get(e.actor!) ?? new Set()).add(periodStart(Number(e.block_time), "week")));
  }
  const end = nextPeriod(periodStart(to - 1, "week"), "week");
  const out: KpiCohortRow[] = [];
  for (let start = periodStart(from, "week"); start < end; start += 7 * DAY) {
    const cohort = [...joined].filter(([, week]) => week === start).map(([m]) => m);
    const active = [];
    for (let week = start; week < end; week += 7 * DAY) {
      const n = cohort.filter((m) => weeks.get(m)?.has(week)).length;
      active.push(cohort.length > 0 && cohort.length < KPI_MIN_GROUP ? null : shown(n));
    }
    out.push({ cohort: periodLabel(start, "week"), start, members: shown(cohort.length), active });
  }
  return out;
}

/** RFM as a plain fold: last act, days with an act, points minted, scored by fifths; consent from the newest change. */
function foldRfm(entries: readonly LedgerEntriesTable[]): KpiRfm {
  const days = new Map<string, Set<number>>();
  const minted = new Map<string, bigint>();
  const purposes = new Map<string, bigint>();
  for (const e of entries) {
    if (isAct(e)) days.set(e.actor!, (days.get(e.actor!) ?? new Set()).add(day(e)));
    if (e.kind === "points.minted") minted.set(e.actor!, (minted.get(e.actor!) ?? 0n) + BigInt(e.amount!));
    if (["consent.granted", "consent.changed", "consent.revoked"].includes(e.kind)) purposes.set(e.actor!, BigInt(e.amount!));
  }
  const members = [...days].map(([member, set]) => ({
    member,
    last: Math.max(...set),
    frequency: set.size,
    monetary: minted.get(member) ?? 0n,
  }));
  const fifth = <T>(all: T[], value: T) => (1 + Math.floor((5 * all.filter((v) => v < value).length) / all.length)) as RfmScore;
  const asOfDay = Math.max(...members.map((m) => m.last));
  const scored = members.map((m) => {
    const recency = fifth(
      members.map((x) => x.last),
      m.last,
    );
    const frequencyScore = fifth(
      members.map((x) => x.frequency),
      m.frequency,
    );
    const monetaryScore = fifth(
      members.map((x) => x.monetary),
      m.monetary,
    );
    return { ...m, recency, frequencyScore, monetaryScore, segment: `${recency}${frequencyScore}${monetaryScore}` };
  });
  const segments = [...new Set(scored.map((m) => m.segment))].sort();
  return {
    asOf: asOfDay * DAY,
    members: shown(members.length),
    cells: segments.map((segment) => ({ segment, members: shown(scored.filter((m) => m.segment === segment).length) })),
    consented: scored
      .filter((m) => ((purposes.get(m.member) ?? 0n) & 2n) !== 0n)
      .map((m) => ({
        member: m.member,
        recencyDays: asOfDay - m.last,
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

for (const engine of databaseEngines()) {
  describe(`sdk/node: ledger KPI segments, cohorts and RFM (${engine})`, () => {
    let db: Kysely<LedgerTables>;
    before(async () => {
      db = openDatabase<LedgerTables>(await freshDatabase(engine));
      await migrateLedger(db);
      await insertRows(db, rows);
    });
    after(async () => db.destroy());

    it("retention by join-week cohort equals a plain fold, with cohorts and cells of 1 to 4 members withheld", async () => {
      const year = { from: KPIS_YEAR_START, to: KPIS_YEAR_START + 365 * DAY };
      const cohorts = await kpiCohorts(db, { program: kpisProgram, ...year });
      expect(cohorts).to.deep.equal(foldCohorts(rows, year.from, year.to));
      // Not two empty answers: the first week's cohort is shown, and most of its weeks after.
      const [first] = cohorts;
      expect(first!.members).to.be.at.least(KPI_MIN_GROUP);
      expect(first!.active.filter((n) => n !== null && n >= KPI_MIN_GROUP).length).to.be.greaterThan(first!.active.length / 2);
      // In the quiet weeks four of its members act: those cells are withheld.
      expect(first!.active.some((n) => n === null)).to.equal(true);
    });

    it("RFM segments equal a plain fold: every member in the cells, small cells withheld", async () => {
      const rfm = await kpiRfm(db, { program: kpisProgram });
      expect(rfm).to.deep.equal(foldRfm(rows));
      expect(rfm.members).to.equal(24);
      expect(rfm.cells.some((c) => c.members === null)).to.equal(true);
    });

    it("lists a member by wallet only while analytics consent stands: one who withdrew is gone, and so is their small cell", async () => {
      const rfm = await kpiRfm(db, { program: kpisProgram });
      const listed = rfm.consented.map((m) => m.member);
      // Members 1, 2, 4..8 gave analytics and still hold it; member 3 gave it and withdrew; 9..24 never gave it.
      expect(listed).to.have.members([1, 2, 4, 5, 6, 7, 8].map((n) => wallet(n).toLowerCase()));
      expect(listed).to.not.include(wallet(3).toLowerCase());
      // Member 3 still counts in the aggregates, where their cell of fewer than 5 shows no count.
      const all = foldRfm(rows.filter((r) => r.kind !== "consent.changed"));
      const theirs = all.consented.find((m) => m.member === wallet(3).toLowerCase())!;
      const cell = rfm.cells.find((c) => c.segment === theirs.segment)!;
      const size = foldRfm(rows).cells.find((c) => c.segment === theirs.segment)!.members;
      expect(cell.members).to.equal(size);
      if (size === null) expect(cell.members).to.equal(null);
      // Before withdrawing, they were listed: the withdrawal, not the fixture, takes them out.
      expect(all.consented.map((m) => m.member)).to.include(wallet(3).toLowerCase());
    });
  });
}
