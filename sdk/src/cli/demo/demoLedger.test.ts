import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Kysely } from "kysely";
import { decodeEventLog, zeroAddress, type Abi } from "viem";
import { getLogs, readContract } from "viem/actions";
import { consentRegistryAbi, marketAbi, pointsAbi, programAddresses, rewardsAbi, stampsAbi } from "@punchcard/sdk";
import { exportEntries, fromCsv, ledgerStats, openDatabase, syncLedger, toCsv, type LedgerTables } from "@punchcard/sdk/node";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { clientFor } from "../../../../test/helpers/viem.js";
import { runDemo } from "./index.js";

/** The demo's chain, built in this process (its output silenced). */
async function demoChain() {
  return runDemo({ log: () => undefined });
}

for (const engine of databaseEngines()) {
  describe(`the ledger of the demo's chain, on ${engine}`, () => {
    let db: Kysely<LedgerTables>;
    afterEach(async () => db?.destroy());

    it("holds every event of the demo exactly once, with figures that match the chain", async () => {
      const { program } = await loadFixture(demoChain);
      const client = clientFor(zeroAddress);
      db = openDatabase<LedgerTables>(await freshDatabase(engine));
      await syncLedger(client, { program, db });
      await syncLedger(client, { program, db }); // twice: still one row per event

      const logs = await getLogs(client, { address: programAddresses(program), fromBlock: program.deployBlock });
      const rows = await exportEntries(db, { program });
      expect(rows.map((r) => `${r.tx_hash}:${r.log_index}`)).to.deep.equal(logs.map((l) => `${l.transactionHash}:${l.logIndex}`));

      // Independently of the ledger code: decode the raw logs here and read balances from the contracts.
      const abiOf = new Map<string, Abi>([
        [program.stamps.toLowerCase(), stampsAbi],
        [program.points.toLowerCase(), pointsAbi],
        [program.market.toLowerCase(), marketAbi],
        [program.consent.toLowerCase(), consentRegistryAbi],
        [program.rewards.toLowerCase(), rewardsAbi],
      ]);
      const events = logs.map(
        (l) =>
          decodeEventLog({ abi: abiOf.get(l.address.toLowerCase())!, data: l.data, topics: l.topics }) as unknown as {
            eventName: string;
            args: Record<string, unknown>;
          },
      );
      const royalties = new Map<string, bigint>();
      let trades = 0;
      for (const e of events.filter((e) => e.eventName === "Sale")) {
        const currency = String(e.args.currency).toLowerCase();
        royalties.set(currency, (royalties.get(currency) ?? 0n) + (e.args.royaltyAmount as bigint));
        trades++;
      }
      const redeemed = events.filter((e) => e.eventName === "PointsRedeemed").reduce((t, e) => t + (e.args.amount as bigint), 0n);
      const totalSupply = await readContract(client, { address: program.points, abi: pointsAbi, functionName: "totalSupply" });

      const stats = await ledgerStats(db, { program });
      expect(stats.points.outstanding).to.equal(totalSupply);
      expect(stats.points.redeemed).to.equal(redeemed);
      expect(stats.market.reduce((t, m) => t + m.trades, 0)).to.equal(trades);
      for (const m of stats.market) expect(m.royalties, m.currency).to.equal(royalties.get(m.currency));
      expect(stats.swaps.count).to.equal(events.filter((e) => e.eventName === "Swapped").length);
      // Journeys: Ada and Ben did five-visits, Ada referred Fay; Ada claimed the free refill, Eli a cake for his cup.
      const completed = events.filter((e) => e.eventName === "RewardsJourneyCompleted");
      expect(stats.journeys.reduce((t, j) => t + j.completions, 0)).to.equal(completed.length);
      expect(stats.journeys.map((j) => [j.name, j.completions, j.members, j.points])).to.deep.equal([
        ["five-visits", 2, 2, 100n],
        ["refer-a-friend", 1, 1, 100n],
      ]);
      expect(stats.perks.map((p) => [p.name, p.claims])).to.deep.equal([
        ["free-refill", 1],
        ["cup-for-a-cake", 1],
      ]);
      // Consent: Ada, Ben, Cleo, Dev still linked (Eli forgotten); rewards for Ada, Ben, Cleo; analytics for Ben only.
      expect(stats.consent.linked).to.equal(4);
      expect(stats.consent.rates).to.deep.equal({ rewards: 0.75, analytics: 0.25, marketing: 0.5, partnerSharing: 0 });

      // Exports parse back to the same rows.
      expect(fromCsv(toCsv(rows))).to.deep.equal(rows);
      expect(JSON.parse(JSON.stringify(rows))).to.deep.equal(rows);
    });
  });
}
