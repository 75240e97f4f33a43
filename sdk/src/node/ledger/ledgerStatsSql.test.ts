import { expect } from "chai";
import fc from "fast-check";
import type { Kysely } from "kysely";
import { zeroAddress, type Address } from "viem";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { openDatabase } from "../database.js";
import { migrateLedger } from "./schema.js";
import { fromLimbSums, limbsOf } from "./amountLimbs.js";
import { foldLedgerStats } from "./foldLedgerStats.js";
import { codeOf, insertRows, syntheticProgram, syntheticRows, type SyntheticEvent } from "./ledgerFixture.js";
import { ledgerStats } from "./ledgerStats.js";
import type { LedgerTables } from "./schema.js";
import { programKey } from "./syncLedger.js";

const MAX = 2n ** 256n - 1n;
const wallets = Array.from({ length: 5 }, (_, i) => `0x${String(i + 1).repeat(40)}` as Address);
const POINTS_CURRENCY = `0x${"ee".repeat(20)}` as Address;

/** Rows in chain order, as the fold reads them. */
async function foldOf(db: Kysely<LedgerTables>, key: string) {
  const rows = await db
    .selectFrom("ledger_entries")
    .selectAll()
    .where("program", "=", key)
    .orderBy("block_number")
    .orderBy("log_index")
    .execute();
  return foldLedgerStats(rows);
}

describe("sdk/node: amount limbs", () => {
  it("split any uint256 and put sums back together exactly, and refuse what is not a uint256", () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: MAX }), { maxLength: 20 }), (values) => {
        const sums = Array.from({ length: 8 }, (_, i) => values.reduce((t, v) => t + BigInt(limbsOf(v)[i] ?? 0), 0n));
        expect(fromLimbSums(sums.map(String))).to.equal(values.reduce((t, v) => t + v, 0n));
      }),
    );
    expect(limbsOf(MAX)).to.deep.equal(Array(8).fill(0xffffffff));
    expect(limbsOf("0")).to.deep.equal(Array(8).fill(null));
    expect(() => limbsOf(MAX + 1n)).to.throw(RangeError, /not a uint256/);
    expect(() => limbsOf(-1n)).to.throw(RangeError);
  });

  it("split values around 2^53 (the double fast path's edge) as the bigint way does", () => {
    const slow = (v: bigint) => Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(32 * i)) & 0xffffffffn) || null);
    for (const v of [1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 64n + 7n]) {
      expect(limbsOf(v), v.toString()).to.deep.equal(slow(v));
      expect(limbsOf(v.toString()), v.toString()).to.deep.equal(slow(v));
    }
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 60n }), (v) => {
        expect(limbsOf(v)).to.deep.equal(slow(v));
      }),
    );
  });
});

/** A random but well-formed history: series exist before their stamps, sales have a currency. */
const eventArb: fc.Arbitrary<SyntheticEvent> = (() => {
  const wallet = fc.constantFrom(...wallets);
  const amount = fc.oneof(fc.bigInt({ min: 0n, max: 1000n }), fc.bigInt({ min: 0n, max: MAX }), fc.constant(MAX));
  const blocks = fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: 1, max: 400_000 }));
  const token = fc.integer({ min: 1, max: 6 });
  const common = { blocks, actor: wallet };
  return fc.oneof(
    fc.record({
      ...common,
      kind: fc.constantFrom(
        "points.minted",
        "points.burned",
        "points.rewarded",
        "points.credited",
        "points.redeemed",
        "points.expired",
      ),
      amount,
    }),
    fc.record({ ...common, kind: fc.constant("points.transferred"), counterparty: wallet, amount }),
    token.chain((t) =>
      fc.record({
        ...common,
        kind: fc.constantFrom("stamp.minted", "stamp.transferred", "stamp.burned"),
        counterparty: fc.option(wallet, { nil: null }),
        tokenId: fc.constant(BigInt(t)),
        seriesId: fc.constant(BigInt((t % 2) + 1)),
      }),
    ),
    fc.record({
      ...common,
      kind: fc.constantFrom("order.filled", "offer.accepted", "orders.matched"),
      counterparty: wallet,
      seriesId: fc.constantFrom(1n, 2n),
      currency: fc.constantFrom(zeroAddress, POINTS_CURRENCY),
      amount,
      royalty: amount,
      fee: fc.option(amount, { nil: null }),
    }),
    fc.record({ ...common, kind: fc.constant("swap"), counterparty: wallet, royalty: amount, fee: amount }),
    // The points lifecycle: the terms' expiry days (0: none), and reversals, whose burn and shortfall are in args.
    fc.record({ ...common, kind: fc.constant("points.terms"), amount: fc.bigInt({ min: 0n, max: 400n }) }),
    fc.record({ ...common, burned: amount, shortfall: amount }).map(({ burned, shortfall, ...rest }) => ({
      ...rest,
      kind: "points.purchase.reversed",
      args: JSON.stringify({ burned: burned.toString(), shortfall: shortfall.toString() }),
    })),
    fc.record({ ...common, kind: fc.constantFrom("consent.linked", "consent.unlinked") }),
    fc.record({
      ...common,
      kind: fc.constantFrom("consent.granted", "consent.changed", "consent.revoked"),
      amount: fc.bigInt({ min: 0n, max: 15n }),
    }),
    fc.record({
      ...common,
      kind: fc.constantFrom("journey.completed", "perk.claimed"),
      amount,
      code: fc.constantFrom(codeOf("five-visits"), `0x${"f1".repeat(32)}` as const),
    }),
    fc.record({ ...common, kind: fc.constantFrom("role.granted", "market.configured") }),
  );
})();

for (const engine of databaseEngines()) {
  describe(`sdk/node: ledgerStats in SQL on ${engine}`, () => {
    let db: Kysely<LedgerTables>;
    before(async () => {
      db = openDatabase<LedgerTables>(await freshDatabase(engine));
      await migrateLedger(db);
    });
    after(async () => db?.destroy());

    it("sums amounts near 2^256-1 exactly, far past 2^63 and past 2^256", async () => {
      const program = syntheticProgram(1, `0x${"a1".repeat(20)}`);
      const [ada, ben] = wallets;
      const events: SyntheticEvent[] = [
        { kind: "series.created", actor: null, seriesId: 7n, amount: MAX },
        { kind: "points.minted", actor: ada!, amount: MAX },
        { kind: "points.minted", actor: ben!, amount: MAX - 1n },
        { kind: "points.burned", actor: ben!, amount: MAX - 1n },
        { kind: "points.rewarded", actor: ada!, amount: MAX },
        { kind: "points.rewarded", actor: ben!, amount: MAX, blocks: 0 },
        ...[1n, 2n, 3n].map((i) => ({
          kind: "order.filled",
          actor: ben!,
          counterparty: ada!,
          seriesId: 7n,
          tokenId: i,
          currency: zeroAddress,
          amount: MAX - i,
          royalty: 2n ** 255n,
          fee: 2n ** 64n - 1n,
        })),
        { kind: "swap", actor: ada!, counterparty: ben!, royalty: MAX, fee: 2n ** 63n },
        { kind: "swap", actor: ada!, counterparty: ben!, royalty: MAX, fee: 2n ** 63n },
        { kind: "journey.completed", actor: ada!, amount: MAX, code: codeOf("big") },
        { kind: "journey.completed", actor: ada!, amount: MAX, code: codeOf("big") },
      ];
      await insertRows(db, syntheticRows(program, events));
      const stats = await ledgerStats(db, { program });
      expect(stats.points).to.deep.equal({
        issued: 2n * MAX - 1n,
        rewarded: 2n * MAX,
        credited: 0n,
        redeemed: 0n,
        reversed: 0n,
        reversalShortfall: 0n,
        expired: 0n,
        outstanding: MAX,
      });
      expect(stats.series).to.deep.equal([{ seriesId: 7n, minted: 0n, maxSupply: MAX, burned: 0n }]);
      expect(stats.market).to.deep.equal([
        { currency: zeroAddress, trades: 3, volume: 3n * MAX - 6n, royalties: 3n * 2n ** 255n, fees: 3n * (2n ** 64n - 1n) },
      ]);
      expect(stats.swaps).to.deep.equal({ count: 2, fees: 2n ** 64n, royalties: 2n * MAX });
      expect(stats.prices).to.deep.equal([
        { seriesId: 7n, currency: zeroAddress, floor30d: MAX - 3n, last: MAX - 3n, lastTime: stats.asOf - 4 * 12 },
      ]);
      expect(stats.journeys).to.deep.equal([
        { journeyId: codeOf("big"), name: "big", completions: 2, members: 1, points: 2n * MAX },
      ]);
      // ada holds 2^256-1 points; ben's mint was burned.
      expect(stats.members).to.equal(1);
      expect(stats).to.deep.equal(await foldOf(db, programKey(program)));
    });

    it("answers as the TypeScript fold over every row does, on random histories", async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(eventArb, { minLength: 1, maxLength: 60 }),
          fc.array(fc.nat(62), { maxLength: 3 }),
          async (events, cuts) => {
            const program = syntheticProgram(2, `0x${(++run).toString(16).padStart(40, "0")}`);
            const history: SyntheticEvent[] = [
              { kind: "series.created", actor: null, seriesId: 1n, amount: 100n },
              { kind: "series.created", actor: null, seriesId: 2n, amount: MAX, blocks: 0 },
              ...events,
            ];
            // Written in a few batches of whole blocks, as a sync writes them: the running figures after
            // each batch answer as the fold over every row so far.
            const rows = syntheticRows(program, history);
            const ends = [...new Set([...cuts.map((c) => Math.min(c, rows.length)), rows.length])].sort((a, b) => a - b);
            let written = 0;
            for (let end of ends) {
              while (end < rows.length && end > 0 && rows[end]!.block_number === rows[end - 1]!.block_number) end++;
              if (end <= written) continue;
              await insertRows(db, rows.slice(written, end));
              written = end;
              expect(await ledgerStats(db, { program })).to.deep.equal(await foldOf(db, programKey(program)));
            }
          },
        ),
        { numRuns: engine === "sqlite" ? 60 : 25 },
      );
    });
  });
}
