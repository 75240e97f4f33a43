import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Kysely } from "kysely";
import { creditPurchase, getProgramInfo, mintStamps, pointsAbi, receiptIdOf, redeemPoints, rewardPoints, stampsAbi } from "../..";
import { sdkProgram } from "../../../../test/helpers/sdkProgram";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases";
import { openDatabase } from "../database";
import { ledgerStats } from "./ledgerStats";
import type { LedgerTables } from "./schema";
import { syncLedger } from "./syncLedger";

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
  await f.members[1]!.writeContract({ address: f.program.stamps, abi: stampsAbi, functionName: "transferFrom", args: [m1!, m3!, 1_000_000_002n] });
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
