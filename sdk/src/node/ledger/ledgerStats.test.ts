import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Kysely } from "kysely";
import { zeroAddress } from "viem";
import {
  acceptExchange,
  acceptOffer,
  convertPoints,
  buyStamp,
  configureMarket,
  creditPurchase,
  expirePoints,
  fillSwap,
  getPointsLifecycle,
  getProgramInfo,
  listStamp,
  makeOffer,
  mintStamps,
  pointsAbi,
  proposeExchange,
  proposeSwap,
  receiptIdOf,
  redeemPoints,
  reversePurchase,
  rewardPoints,
  stampsAbi,
} from "../../index.js";
import { deployPartnerExchange, deployProgram } from "../../deploy.js";
import { testConfig, viemActors } from "../../../../test/helpers/viem.js";
import { MIN_POINTS_ROYALTY, marketProgram, sdkProgram, stampIds } from "../../../../test/helpers/sdkProgram.js";

const { CUP, cup } = stampIds;
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { openDatabase } from "../database.js";
import { foldLedgerStats } from "./foldLedgerStats.js";
import { ledgerStats } from "./ledgerStats.js";
import type { LedgerTables } from "./schema.js";
import { programKey, syncLedger } from "./syncLedger.js";

/** Five members: 0-2 rewarded 40 days ago; 0 and 1 come back recently; 3 buys points; 4 only gets a stamp. */
async function history() {
  const f = await sdkProgram();
  const [m0, m1, m2, m3, m4] = f.members.map((m) => m.account.address);
  await rewardPoints(f.backend, {
    program: f.program,
    reason: "welcome",
    rewards: [m0!, m1!, m2!].map((member) => ({ member, amount: 100n })),
  });
  await mintStamps(f.backend, { program: f.program, seriesId: 1n, to: [m0!, m1!] });
  await time.increase(40 * 86_400);
  await redeemPoints(f.members[0]!, { program: f.program, amount: 60n, rewardId: "mug" });
  await time.increase(20 * 86_400);
  await f.members[1]!.writeContract({
    address: f.program.stamps,
    abi: stampsAbi,
    functionName: "transferFrom",
    args: [m1!, m3!, 1_000_000_002n],
  });
  await creditPurchase(f.backend, { program: f.program, member: m3!, amount: 250n, receiptId: receiptIdOf("r1", "s") });
  await mintStamps(f.backend, { program: f.program, seriesId: 2n, to: [m4!] });
  await f.members[2]!.writeContract({ address: f.program.points, abi: pointsAbi, functionName: "transfer", args: [m3!, 100n] });
  return f;
}

for (const engine of databaseEngines()) {
  describe(`sdk/node: ledgerStats on ${engine}`, () => {
    let db: Kysely<LedgerTables>;
    afterEach(async () => db?.destroy());

    it("matches the figures read independently from the chain", async () => {
      const { program, brand, members } = await loadFixture(history);
      db = openDatabase<LedgerTables>(await freshDatabase(engine));
      await syncLedger(brand, { program, db });
      const stats = await ledgerStats(db, { program });

      // Independently: balances and supplies straight from the contracts.
      const info = await getProgramInfo(brand, { program });
      expect(stats.points.outstanding).to.equal(info.points.totalSupply);
      expect(stats.points).to.deep.include({ issued: 550n, rewarded: 300n, credited: 250n, redeemed: 60n, outstanding: 490n });
      expect(stats.series.map((s) => [s.seriesId, s.minted, s.maxSupply])).to.deep.equal(
        info.series.map((s) => [s.seriesId, s.minted, s.maxSupply]),
      );
      let holders = 0;
      for (const m of members) {
        const [p, s] = await Promise.all([
          brand.readContract({ address: program.points, abi: pointsAbi, functionName: "balanceOf", args: [m.account.address] }),
          brand.readContract({ address: program.stamps, abi: stampsAbi, functionName: "balanceOf", args: [m.account.address] }),
        ]);
        if (p > 0n || s > 0n) holders++;
      }
      // m2 gave all its points away and never held a stamp: 4 holders.
      expect(stats.members).to.equal(holders).and.to.equal(4);

      // m1 -> m3 stamp, m3 credit, m4 mint, m2 -> m3 points in the last 7 days: m1, m2, m3, m4.
      expect(stats.activeWallets.days7).to.equal(4);
      // Plus m0's redemption 20 days before.
      expect(stats.activeWallets.days30).to.equal(5);
      // Rewarded first: m0, m1, m2 (welcome) then m4 (stamp); m0, m1, m2 came back later, m4 not yet.
      expect(stats.retention).to.deep.equal({ rewarded: 4, returned: 3, rate: 0.75 });
    });
  });
}

describe("sdk/node: ledgerStats of the market", () => {
  let db: Kysely<LedgerTables>;
  afterEach(async () => db?.destroy());

  it("sums sales per currency, royalties to the wei, swaps, floor and last price", async () => {
    const { program, brand, ada, ben, cleo, treasury } = await loadFixture(marketProgram);
    const treasuryBefore = await brand.getBalance({ address: treasury.account.address });
    const sales = [
      (
        await buyStamp(ben, {
          program,
          listing: await listStamp(ada, { program, tokenId: cup(1n), price: 3_000_000_000_000_000_007n }),
        })
      ).sale,
      (
        await buyStamp(ada, {
          program,
          listing: await listStamp(ben, { program, tokenId: cup(1n), price: 1_000_000_000_000_000_000n }),
        })
      ).sale,
      (
        await acceptOffer(cleo, {
          program,
          offer: await makeOffer(ben, { program, seriesId: CUP, price: 300n, currency: program.points }),
          tokenId: cup(3n),
        })
      ).sale,
    ];
    await configureMarket(brand, { program, swapFee: 7n });
    await fillSwap(ben, {
      program,
      swap: await proposeSwap(ada, { program, makerTokenId: cup(1n), wantedSeriesId: CUP }),
      takerTokenId: cup(3n),
    });

    db = openDatabase<LedgerTables>(await freshDatabase("sqlite"));
    await syncLedger(brand, { program, db });
    const stats = await ledgerStats(db, { program });

    const native = stats.market.find((m) => m.currency === zeroAddress)!;
    const nativeRoyalties = sales[0]!.royaltyAmount + sales[1]!.royaltyAmount;
    expect(native).to.deep.include({ trades: 2, volume: 4_000_000_000_000_000_007n, royalties: nativeRoyalties });
    // Independently: what the treasury actually received in the native coin.
    expect((await brand.getBalance({ address: treasury.account.address })) - treasuryBefore).to.equal(nativeRoyalties);
    const inPoints = stats.market.find((m) => m.currency === program.points.toLowerCase())!;
    expect(inPoints).to.deep.include({ trades: 1, volume: 300n, royalties: 15n });
    expect(stats.swaps).to.deep.equal({ count: 1, fees: 7n, royalties: MIN_POINTS_ROYALTY });
    const nativePrices = stats.prices.find((p) => p.currency === zeroAddress)!;
    expect([nativePrices.floor30d, nativePrices.last]).to.deep.equal([1_000_000_000_000_000_000n, 1_000_000_000_000_000_000n]);

    // 40 days later, a new sale: the floor of the last 30 days is that sale alone, not the older, cheaper ones.
    await time.increase(40 * 86_400);
    await buyStamp(cleo, {
      program,
      listing: await listStamp(ada, { program, tokenId: cup(3n), price: 5_000_000_000_000_000_000n }),
    });
    await syncLedger(brand, { program, db });
    const later = (await ledgerStats(db, { program })).prices.find((p) => p.currency === zeroAddress)!;
    expect([later.floor30d, later.last]).to.deep.equal([5_000_000_000_000_000_000n, 5_000_000_000_000_000_000n]);
  });
});

describe("sdk/node: ledgerStats of the points lifecycle", () => {
  let db: Kysely<LedgerTables>;
  afterEach(async () => db?.destroy());

  /** Purchases pending 14 days, points expiring after 60 days of inactivity. */
  async function lifecycleHistory() {
    const actors = await viemActors();
    const base = testConfig(actors.treasury.account.address, actors.backend.account.address);
    const config = { ...base, points: { ...base.points, pendingDays: 14, expiry: { model: "inactivity" as const, days: 60 } } };
    const { program } = await deployProgram(actors.brand, { config });
    const [m0, m1, m2] = actors.members.map((m) => m.account.address);
    // m0 is rewarded, then idle 70 days: expired (and burned by a keeper); m1 idle 40 days: expiring within 30 days;
    // m2 buys twice, one purchase reversed while pending, the other after m2 spent part of it. Last, m3 sends m1
    // nothing: a move of zero, which is no activity (m1 still expires within 30 days).
    await rewardPoints(actors.backend, { program, reason: "welcome", rewards: [{ member: m0!, amount: 80n }] });
    await time.increase(30 * 86_400);
    await rewardPoints(actors.backend, { program, reason: "welcome", rewards: [{ member: m1!, amount: 45n }] });
    await creditPurchase(actors.backend, { program, member: m2!, amount: 100n, receiptId: receiptIdOf("p1", "s") });
    await creditPurchase(actors.backend, { program, member: m2!, amount: 30n, receiptId: receiptIdOf("p2", "s") });
    await reversePurchase(actors.backend, { program, receiptId: receiptIdOf("p2", "s") });
    await time.increase(40 * 86_400);
    await redeemPoints(actors.members[2]!, { program, amount: 70n, rewardId: "mug" });
    await reversePurchase(actors.backend, { program, receiptId: receiptIdOf("p1", "s") });
    await expirePoints(actors.members[3]!, { program, member: m0! });
    await actors.members[3]!.writeContract({
      address: program.points,
      abi: pointsAbi,
      functionName: "transfer",
      args: [m1!, 0n],
    });
    return { ...actors, program };
  }

  it("counts reversals with their shortfall, expiries, and points expiring in the next 30 days", async () => {
    const { program, brand, members } = await loadFixture(lifecycleHistory);
    db = openDatabase<LedgerTables>(await freshDatabase("sqlite"));
    await syncLedger(brand, { program, db });
    const stats = await ledgerStats(db, { program });
    expect(stats.points).to.deep.include({ reversed: 60n, reversalShortfall: 70n, expired: 80n, outstanding: 45n });
    expect(stats.expiry).to.deep.equal({
      model: "inactivity",
      days: 60,
      pendingDays: 14,
      expiredUnburned: 0n,
      expiring30d: 45n,
      membersExpiring30d: 1,
    });
    // The same figure the contract gives the member's app.
    const { expiring } = await getPointsLifecycle(brand, { program, member: members[1]!.account.address, withinDays: 30 });
    expect(expiring).to.equal(45n);
  });
});

describe("sdk/node: ledgerStats of dated lots", () => {
  let db: Kysely<LedgerTables>;
  afterEach(async () => db?.destroy());

  /** Purchases pending 14 days, earns expiring in dated lots 64 days on (lots of 2 days). */
  async function datedHistory() {
    const actors = await viemActors();
    const base = testConfig(actors.treasury.account.address, actors.backend.account.address);
    const config = { ...base, points: { ...base.points, pendingDays: 14, expiry: { model: "dated" as const, days: 64 } } };
    const { program } = await deployProgram(actors.brand, { config });
    const [m0, m1, m2, m3] = actors.members.map((m) => m.account.address);
    const reward = (member: `0x${string}`, amount: bigint) =>
      rewardPoints(actors.backend, { program, reason: "visit", rewards: [{ member, amount }] });
    // m0: a lot expired and burned, a second expired and not burned, a third expiring within 30 days, a fourth later.
    // m1: spends the oldest first and sends some to m3 (a new lot dated then); m2: a credit reversed while pending
    // (its newest lot), another after pending (as a spend).
    await reward(m0!, 10n);
    await reward(m1!, 50n);
    await time.increase(10 * 86_400);
    await reward(m0!, 20n);
    await creditPurchase(actors.backend, { program, member: m2!, amount: 100n, receiptId: receiptIdOf("d1", "s") });
    await reward(m2!, 7n);
    await creditPurchase(actors.backend, { program, member: m2!, amount: 30n, receiptId: receiptIdOf("d2", "s") });
    await reversePurchase(actors.backend, { program, receiptId: receiptIdOf("d2", "s") });
    await time.increase(20 * 86_400);
    await reward(m0!, 40n);
    await reward(m1!, 25n);
    await redeemPoints(actors.members[1]!, { program, amount: 30n, rewardId: "mug" });
    await actors.members[1]!.writeContract({
      address: program.points,
      abi: pointsAbi,
      functionName: "transfer",
      args: [m3!, 25n],
    });
    await reversePurchase(actors.backend, { program, receiptId: receiptIdOf("d1", "s") });
    await time.increase(30 * 86_400);
    await reward(m0!, 5n);
    await time.increase(10 * 86_400);
    await expirePoints(actors.members[4]!, { program, member: m0! });
    await time.increase(5 * 86_400);
    await reward(m3!, 1n); // a last block: asOf
    return { ...actors, program };
  }

  for (const engine of databaseEngines()) {
    it(`replays the lots: expired and unburned, and expiring within 30 days, as the contract reads them (${engine})`, async () => {
      const { program, brand, members } = await loadFixture(datedHistory);
      db = openDatabase<LedgerTables>(await freshDatabase(engine));
      await syncLedger(brand, { program, db });
      const stats = await ledgerStats(db, { program });
      const asOf = BigInt(stats.asOf);
      // The truth, member by member, from the contract's own lots.
      let expired = 0n;
      let soon = 0n;
      let membersSoon = 0;
      for (const member of members.slice(0, 5)) {
        const args = (at: bigint) => [member.account.address, at] as const;
        const [now] = await brand.readContract({
          address: program.points,
          abi: pointsAbi,
          functionName: "expiringBy",
          args: args(asOf),
        });
        const [by30] = await brand.readContract({
          address: program.points,
          abi: pointsAbi,
          functionName: "expiringBy",
          args: args(asOf + 30n * 86_400n),
        });
        expired += now;
        soon += by30 - now;
        if (by30 > now) membersSoon += 1;
      }
      expect(soon > 0n && expired > 0n).to.equal(true);
      expect(stats.expiry).to.deep.equal({
        model: "dated",
        days: 64,
        pendingDays: 14,
        expiredUnburned: expired,
        expiring30d: soon,
        membersExpiring30d: membersSoon,
      });
      expect(stats.points.expired).to.equal(10n);
      // The reference fold replays the same rows to the same figures.
      const rows = await db
        .selectFrom("ledger_entries")
        .selectAll()
        .where("program", "=", programKey(program))
        .orderBy("block_number")
        .orderBy("log_index")
        .execute();
      expect(foldLedgerStats(rows).expiry).to.deep.equal(stats.expiry);
    });
  }
});

describe("sdk/node: ledgerStats of partner exchanges", () => {
  let db: Kysely<LedgerTables>;
  afterEach(async () => db?.destroy());

  async function converted() {
    const actors = await viemActors();
    const ours = await deployProgram(actors.brand, {
      config: testConfig(actors.treasury.account.address, actors.backend.account.address),
    });
    const partnerAdmin = actors.members[4]!;
    const theirs = await deployProgram(partnerAdmin, {
      config: testConfig(actors.treasury.account.address, partnerAdmin.account.address),
    });
    const { exchange } = await deployPartnerExchange(actors.brand, {});
    const [alice, bob] = [actors.members[0]!, actors.members[1]!];
    await rewardPoints(actors.backend, {
      program: ours.program,
      reason: "welcome",
      rewards: [alice, bob].map((m) => ({ member: m.account.address, amount: 1000n })),
    });
    const { id } = await proposeExchange(actors.brand, {
      exchange,
      program: ours.program,
      terms: {
        pointsA: ours.program.points,
        pointsB: theirs.program.points,
        rateA: 5n,
        rateB: 2n,
        memberCap: 1000n,
        periodCap: 10_000n,
        periodSeconds: 86_400n,
        endsAt: BigInt(await time.latest()) + 86_400n * 30n,
      },
    });
    await acceptExchange(partnerAdmin, { exchange, id, program: theirs.program });
    await convertPoints(alice, { exchange, id, amount: 100n });
    await convertPoints(bob, { exchange, id, amount: 55n });
    return { ...actors, program: ours.program, partner: theirs.program, exchange };
  }

  it("sums the points converted out of the program per agreement", async () => {
    const { program, brand, exchange } = await loadFixture(converted);
    db = openDatabase<LedgerTables>(await freshDatabase("sqlite"));
    await syncLedger(brand, { program, db });
    const stats = await ledgerStats(db, { program, exchange });
    // The partner's ledger is not in this database: its side is unknown.
    expect(stats.exchanges).to.deep.equal([
      { agreementId: 1n, from: programKey(program), to: null, conversions: 2, converted: 155n, received: null },
    ]);
    expect(stats.points.redeemed).to.equal(155n);
    expect((await ledgerStats(db, { program })).exchanges).to.deep.equal([]);
  });

  for (const engine of databaseEngines()) {
    it(`shows each agreement from both programs' sides when both ledgers are in the database (${engine})`, async () => {
      const { program, partner, brand, exchange } = await loadFixture(converted);
      db = openDatabase<LedgerTables>(await freshDatabase(engine));
      await syncLedger(brand, { program, db });
      await syncLedger(brand, { program: partner, db });
      // A rate of 5 of ours for 2 of theirs: 100 -> 40 and 55 -> 22.
      const pair = {
        agreementId: 1n,
        from: programKey(program),
        to: programKey(partner),
        conversions: 2,
        converted: 155n,
        received: 62n,
      };
      expect((await ledgerStats(db, { program, exchange })).exchanges).to.deep.equal([pair]);
      const theirs = await ledgerStats(db, { program: partner, exchange });
      expect(theirs.exchanges).to.deep.equal([pair]);
      expect(theirs.points.credited).to.equal(62n);
      // Another exchange address sees no conversion on either side.
      expect((await ledgerStats(db, { program: partner, exchange: program.points })).exchanges).to.deep.equal([]);
    });
  }
});
