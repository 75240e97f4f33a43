import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, mine } from "@nomicfoundation/hardhat-network-helpers";
import type { Kysely } from "kysely";
import { getLogs } from "viem/actions";
import { mintStamps, programAddresses, rewardPoints } from "../../index.js";
import { sdkProgram } from "../../../../test/helpers/sdkProgram.js";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { openDatabase } from "../database.js";
import type { LedgerTables } from "./schema.js";
import { readCheckpoint, syncLedger } from "./syncLedger.js";

async function history() {
  const f = await sdkProgram();
  for (let i = 0; i < 8; i++) {
    await mintStamps(f.backend, { program: f.program, seriesId: 2n, to: [f.members[i % 5]!.account.address] });
    await rewardPoints(f.backend, {
      program: f.program,
      reason: "visit",
      rewards: [{ member: f.members[i % 5]!.account.address, amount: BigInt(10 + i) }],
    });
  }
  return f;
}

async function rowKeys(db: Kysely<LedgerTables>) {
  const rows = await db
    .selectFrom("ledger_entries")
    .select(["tx_hash", "log_index"])
    .orderBy("block_number")
    .orderBy("log_index")
    .execute();
  return rows.map((r) => `${r.tx_hash}:${r.log_index}`);
}

for (const engine of databaseEngines()) {
  describe(`sdk/node: syncLedger on ${engine}`, () => {
    let db: Kysely<LedgerTables>;
    afterEach(async () => db?.destroy());

    it("writes one row per event, and a second run writes nothing new", async () => {
      const { program, brand } = await loadFixture(history);
      db = openDatabase<LedgerTables>(await freshDatabase(engine));
      const progress: bigint[] = [];
      const first = await syncLedger(brand, { program, db, stepBlocks: 5n, onProgress: (p) => progress.push(p.doneBlocks) });
      const logs = await getLogs(brand, { address: programAddresses(program), fromBlock: program.deployBlock });
      expect(first.entries).to.equal(logs.length);
      expect(first.inserted).to.equal(logs.length);
      expect(await rowKeys(db)).to.deep.equal(logs.map((l) => `${l.transactionHash}:${l.logIndex}`));
      expect(progress.at(-1)).to.equal(first.toBlock - first.fromBlock + 1n);
      expect(await readCheckpoint(db, program)).to.equal(await brand.getBlockNumber());

      const second = await syncLedger(brand, { program, db });
      expect(second.entries).to.equal(0);
      expect((await rowKeys(db)).length).to.equal(logs.length);
    });

    it("resumes a sync killed midway without duplicating a row", async () => {
      const { program, brand } = await loadFixture(history);
      db = openDatabase<LedgerTables>(await freshDatabase(engine));
      const head = await brand.getBlockNumber();
      // A run that stopped halfway through, then one whose checkpoint write was lost after its rows landed.
      await syncLedger(brand, { program, db, toBlock: program.deployBlock + 10n, stepBlocks: 4n });
      await db
        .updateTable("sync_checkpoints")
        .set({ last_block: (program.deployBlock + 3n).toString() })
        .execute();
      const resumed = await syncLedger(brand, { program, db, stepBlocks: 4n });
      expect(resumed.inserted).to.be.lessThan(resumed.entries);
      const logs = await getLogs(brand, { address: programAddresses(program), fromBlock: program.deployBlock, toBlock: head });
      expect(await rowKeys(db)).to.deep.equal(logs.map((l) => `${l.transactionHash}:${l.logIndex}`));
    });

    it("leaves unconfirmed blocks unwritten, so a reorg leaves no wrong row", async () => {
      const { program, brand, backend, members } = await loadFixture(history);
      db = openDatabase<LedgerTables>(await freshDatabase(engine));
      const forkPoint = await brand.getBlockNumber();
      const snapshot = await hre.network.provider.request({ method: "evm_snapshot" });

      // Branch A: a reward to member 0, then 2 more blocks. With 3 confirmations the reward is not final.
      const a = await rewardPoints(backend, {
        program,
        reason: "branch-a",
        rewards: [{ member: members[0]!.account.address, amount: 111n }],
      });
      await mine(2);
      await syncLedger(brand, { program, db, confirmations: 3n });
      expect(await readCheckpoint(db, program)).to.equal(forkPoint);

      // The chain reorganises: branch A vanishes, branch B rewards member 1 instead, and becomes final.
      await hre.network.provider.request({ method: "evm_revert", params: [snapshot] });
      const b = await rewardPoints(backend, {
        program,
        reason: "branch-b",
        rewards: [{ member: members[1]!.account.address, amount: 222n }],
      });
      await mine(3);
      await syncLedger(brand, { program, db, confirmations: 3n });

      const txs = (await db.selectFrom("ledger_entries").select("tx_hash").distinct().execute()).map((r) => r.tx_hash);
      expect(txs).to.include(b.hash.toLowerCase());
      expect(txs).not.to.include(a.hash.toLowerCase());
      const amounts = await db.selectFrom("ledger_entries").select("amount").where("kind", "=", "points.rewarded").execute();
      expect(amounts.map((r) => r.amount))
        .to.include("222")
        .and.not.to.include("111");
    });
  });
}

describe("sdk/node: openDatabase", () => {
  it("refuses a file that is not an SQLite database, naming it", async () => {
    const fs = await import("node:fs");
    const file = (await freshDatabase("sqlite")).replace("test.sqlite", "corrupt.sqlite");
    fs.writeFileSync(file, "this is not a database, just text that is long enough to be read as a header........");
    expect(() => openDatabase(file)).to.throw(/corrupt\.sqlite is not a usable SQLite database/);
  });
});
