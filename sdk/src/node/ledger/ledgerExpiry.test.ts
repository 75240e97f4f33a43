import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Kysely } from "kysely";
import type { Address } from "viem";
import { getBlock, readContract } from "viem/actions";
import {
  announceProgramEnd,
  creditPurchase,
  pointsAbi,
  receiptIdOf,
  redeemPoints,
  reversePurchase,
  rewardPoints,
  type Program,
  type ReadClient,
} from "../../index.js";
import { deployProgram } from "../../deploy.js";
import { testConfig, viemActors } from "../../../../test/helpers/viem.js";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { openDatabase } from "../database.js";
import { expiryWindow, inactivityClocks, programEndOf, type ExpiryRow } from "./expiryFigures.js";
import { foldLedgerStats } from "./foldLedgerStats.js";
import { ledgerStats } from "./ledgerStats.js";
import type { LedgerTables } from "./schema.js";
import { programKey, syncLedger } from "./syncLedger.js";

const DAY = 86_400;

/** The contract's own expiry figures at `asOf`, member by member: the truth the ledger must match. */
async function contractExpiry(client: ReadClient, program: Program, members: readonly Address[], asOf: bigint) {
  const truth = { expiredUnburned: 0n, expiring30d: 0n, membersExpiring30d: 0 };
  for (const member of members) {
    const read = (at: bigint) =>
      readContract(client, { address: program.points, abi: pointsAbi, functionName: "expiringBy", args: [member, at] });
    const [[now], [by30]] = await Promise.all([read(asOf), read(asOf + 30n * BigInt(DAY))]);
    truth.expiredUnburned += now;
    truth.expiring30d += by30 - now;
    if (by30 > now) truth.membersExpiring30d += 1;
  }
  return truth;
}

/** Syncs, reads the ledger's expiry figures, checks the reference fold gives the same, and returns them. */
async function expiryFigures(db: Kysely<LedgerTables>, client: ReadClient, program: Program) {
  await syncLedger(client, { program, db });
  const stats = await ledgerStats(db, { program });
  const rows = await db
    .selectFrom("ledger_entries")
    .selectAll()
    .where("program", "=", programKey(program))
    .orderBy("block_number")
    .orderBy("log_index")
    .execute();
  expect(foldLedgerStats(rows).expiry).to.deep.equal(stats.expiry);
  const { expiredUnburned, expiring30d, membersExpiring30d } = stats.expiry;
  return { asOf: BigInt(stats.asOf), figures: { expiredUnburned, expiring30d, membersExpiring30d } };
}

/** A program with the given expiry, 14 pending days, Ada's first 100 points earned at `t0`. */
async function programWithExpiry(expiry: { model: "inactivity" | "dated"; days: number }) {
  const actors = await viemActors();
  const base = testConfig(actors.treasury.account.address, actors.backend.account.address);
  const config = { ...base, points: { ...base.points, pendingDays: 14, expiry } };
  const { program } = await deployProgram(actors.brand, { config });
  const wallets = actors.members.map((m) => m.account.address);
  const reward = (member: Address, amount: bigint) =>
    rewardPoints(actors.backend, { program, reason: "visit", rewards: [{ member, amount }] });
  await reward(wallets[0]!, 100n);
  const t0 = await time.latest();
  /** Announces the program's end on `day` after `t0` (credits are refused from then on). */
  const endOn = (day: number) => announceProgramEnd(actors.brand, { program, endsAt: BigInt(t0 + day * DAY) });
  /** A row at `day` for the ledger's asOf (admin settings still work after the end). */
  const tick = async (day: number) => {
    await time.increaseTo(t0 + day * DAY);
    await actors.brand.writeContract({ address: program.points, abi: pointsAbi, functionName: "setTransferable", args: [true] });
  };
  /** Syncs at `day` and returns the ledger's expiry figures, checked against the contract's. */
  const figuresAt = async (db: Kysely<LedgerTables>, day: number) => {
    await tick(day);
    const { asOf, figures } = await expiryFigures(db, actors.brand, program);
    expect(figures).to.deep.equal(await contractExpiry(actors.brand, program, wallets, asOf));
    return figures;
  };
  return { ...actors, program, wallets, reward, t0, endOn, figuresAt };
}

describe("sdk/node: ledger expiry figures (#25 items 4-6)", () => {
  let db: Kysely<LedgerTables>;
  afterEach(async () => db?.destroy());

  it("programEndOf, expiryWindow and inactivityClocks follow the contract's rules", () => {
    const row = (kind: string, amount: string, block_time: number, actor: string | null, counterparty: string | null = null) =>
      ({ kind, amount, block_time: String(block_time), actor, counterparty }) as ExpiryRow;
    expect(programEndOf([row("program.end.announced", "500", 1, null)])).to.equal(500);
    expect(programEndOf([row("program.end.announced", "500", 1, null), row("program.end.cancelled", "500", 2, null)])).to.equal(
      null,
    );
    expect(expiryWindow(100, null)).to.deep.equal({ expiredBy: 100, expiringBy: 100 + 30 * DAY });
    expect(expiryWindow(100, 200)).to.deep.equal({ expiredBy: 100, expiringBy: 200 });
    expect(expiryWindow(300, 200)).to.deep.equal({ expiredBy: 200, expiringBy: 200 });
    // Ada earns at 0; Bo drips her a point every 7 days; Cy never acted and is given points twice; Bo's own transfers
    // out are his acts; a move of zero is nothing.
    const clocks = inactivityClocks(
      [
        row("points.minted", "80", 0, "0xAda"),
        row("points.minted", "10", 0, "0xbo"),
        row("points.transferred", "1", 3 * DAY, "0xcy", "0xbo"),
        row("points.transferred", "1", 7 * DAY, "0xada", "0xbo"),
        row("points.transferred", "1", 14 * DAY, "0xada", "0xbo"),
        row("points.transferred", "1", 20 * DAY, "0xcy", "0xbo"),
        row("points.transferred", "1", 21 * DAY, "0xada", "0xbo"),
        row("points.transferred", "1", 28 * DAY, "0xada", "0xbo"),
        row("points.transferred", "0", 40 * DAY, "0xbo", "0xdee"),
      ],
      30,
    );
    expect(Object.fromEntries(clocks)).to.deep.equal({ "0xada": 0, "0xbo": 28 * DAY, "0xcy": 3 * DAY });
    // After Ada's clock ran out, a receipt starts it again (the contract burned the expired points first).
    const after = inactivityClocks(
      [row("points.minted", "80", 0, "0xada"), row("points.transferred", "1", 31 * DAY, "0xada", "0xbo")],
      30,
    );
    expect(after.get("0xada")).to.equal(31 * DAY);
  });

  /** Ada (m0) earns 100 on day 0; Bo (m1) drips her a point every 14 days; Cy (m2) redeems on day 50; Dee (m3) and
   * Eve (m4) are rewarded on days 25 and 35. Points expire after 60 idle days; the program ends on day 91. */
  async function inactivityHistory() {
    const p = await programWithExpiry({ model: "inactivity", days: 60 });
    const [m0, m1, m2, m3, m4] = p.wallets as [Address, Address, Address, Address, Address];
    await p.endOn(91);
    await p.reward(m1, 10n);
    await p.reward(m2, 30n);
    const at = (day: number) => time.increaseTo(p.t0 + day * DAY);
    for (const day of [14, 28, 42, 56]) {
      await at(day);
      if (day === 28) await p.reward(m3, 7n); // day 28: expires on day 88, before the end
      if (day === 42) await p.reward(m4, 9n); // day 42: would expire on day 102, after the end
      await p.members[1]!.writeContract({ address: p.program.points, abi: pointsAbi, functionName: "transfer", args: [m0, 1n] });
    }
    await redeemPoints(p.members[2]!, { program: p.program, amount: 1n, rewardId: "mug" }); // day 56: to day 116
    return p;
  }

  /** Ada earns 100 on day 0 (lot A), buys 60 on day 10 (lot P), earns 40 on day 14 (lot B); the purchase is reversed
   * on day 16, still pending; then the program's end is announced for day 108. Bo earns 5 on day 60 (lot C). Lots
   * live 64 days (periods of 2). */
  async function datedHistory() {
    const p = await programWithExpiry({ model: "dated", days: 64 });
    const [m0, m1] = p.wallets as [Address, Address];
    const receiptId = receiptIdOf("expiry-d1", "s");
    await time.increaseTo(p.t0 + 10 * DAY);
    await creditPurchase(p.backend, { program: p.program, member: m0, amount: 60n, receiptId });
    await time.increaseTo(p.t0 + 14 * DAY);
    await p.reward(m0, 40n);
    await time.increaseTo(p.t0 + 16 * DAY);
    await reversePurchase(p.backend, { program: p.program, receiptId });
    await p.endOn(108);
    await time.increaseTo(p.t0 + 60 * DAY);
    await p.reward(m1, 5n);
    return p;
  }

  for (const engine of databaseEngines()) {
    it(`inactivity: a stranger's drip keeps nothing alive, and the clock stops at the end (${engine})`, async () => {
      const { figuresAt } = await loadFixture(inactivityHistory);
      db = openDatabase<LedgerTables>(await freshDatabase(engine));
      // Day 70: Ada's points expired on day 60, drips and all; Dee's expire on day 88; Eve's on day 102, after the
      // end, so never.
      expect(await figuresAt(db, 70)).to.deep.equal({ expiredUnburned: 104n, expiring30d: 7n, membersExpiring30d: 1 });
      // Day 130, past the end: only what expired by day 91 (Ada's, Dee's); Cy's (day 116) and Bo's (day 116) never do.
      expect(await figuresAt(db, 130)).to.deep.equal({ expiredUnburned: 111n, expiring30d: 0n, membersExpiring30d: 0 });
    });

    it(`dated at the chain's clock (now), not the last event: quiet days still expire points (${engine})`, async () => {
      const actors = await loadFixture(inactivityHistory);
      const { program, wallets, t0 } = actors;
      db = openDatabase<LedgerTables>(await freshDatabase(engine));
      await syncLedger(actors.brand, { program, db });
      // Day 70 with no event since day 56: dated at the last event, Ada's points (expired on day 60) do not show.
      await time.increaseTo(t0 + 70 * DAY);
      const now = Number((await getBlock(actors.brand, { blockTag: "latest" })).timestamp);
      expect((await ledgerStats(db, { program })).expiry.expiredUnburned).to.equal(0n);
      const stats = await ledgerStats(db, { program, now });
      expect(stats.asOf).to.equal(now);
      const { expiredUnburned, expiring30d, membersExpiring30d } = stats.expiry;
      expect({ expiredUnburned, expiring30d, membersExpiring30d }).to.deep.equal(
        await contractExpiry(actors.brand, program, wallets, BigInt(now)),
      );
      expect(expiredUnburned).to.equal(104n);
      const rows = await db
        .selectFrom("ledger_entries")
        .selectAll()
        .where("program", "=", programKey(program))
        .orderBy("block_number")
        .orderBy("log_index")
        .execute();
      expect(foldLedgerStats(rows, { program: programKey(program), now })).to.deep.equal(stats);
      // A clock behind the newest event never dates the figures before it.
      expect((await ledgerStats(db, { program, now: 1 })).asOf).to.be.greaterThan(1);
    });

    it(`dated lots: a reversal took its own lot, so the lot earned after keeps its date; the clock stops at the end (${engine})`, async () => {
      const { figuresAt } = await loadFixture(datedHistory);
      db = openDatabase<LedgerTables>(await freshDatabase(engine));
      // Day 75.5: lot A (day ~64) expired; lot B (day ~78) expires within 30 days, before the end.
      expect(await figuresAt(db, 75.5)).to.deep.equal({ expiredUnburned: 100n, expiring30d: 40n, membersExpiring30d: 1 });
      // Day 130, past the end (day 108): A and B expired; C (day ~124) never does.
      expect(await figuresAt(db, 130)).to.deep.equal({ expiredUnburned: 140n, expiring30d: 0n, membersExpiring30d: 0 });
    });
  }
});
