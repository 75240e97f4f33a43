import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, mine } from "@nomicfoundation/hardhat-network-helpers";
import type { Kysely } from "kysely";
import { createPublicClient, custom, type EIP1193Parameters } from "viem";
import { getLogs } from "viem/actions";
import { hardhat } from "viem/chains";
import { mintStamps, programAddresses, rewardPoints } from "../../index.js";
import { sdkProgram } from "../../../../test/helpers/sdkProgram.js";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { openDatabase } from "../database.js";
import type { LedgerTables } from "./schema.js";
import { readCheckpoint, syncLedger } from "./syncLedger.js";
import { nextStepBlocks, readStep } from "./syncStep.js";

/** A client on the test chain that tells `onRequest` each request, and `onAnswer` each answer before it returns it. */
function watchedClient(
  onRequest: (method: string, params: unknown) => void,
  onAnswer: (method: string, params: unknown) => Promise<void> = async () => {},
) {
  return createPublicClient({
    chain: hardhat,
    transport: custom({
      async request(args: EIP1193Parameters) {
        onRequest(args.method, args.params);
        const answer: unknown = await hre.network.provider.request(args as { method: string; params?: unknown[] });
        await onAnswer(args.method, args.params);
        return answer;
      },
    }),
  });
}

const fromBlockOf = (params: unknown) => BigInt((params as [{ fromBlock: string }])[0].fromBlock);

describe("sdk/node: the sync's step size", () => {
  it("shrinks a step that brought more rows than the aim, in proportion", () => {
    expect(nextStepBlocks({ blocks: 100n, rows: 40_000, entries: 10_000, max: 2_000n })).to.equal(25n);
    expect(nextStepBlocks({ blocks: 1n, rows: 40_000, entries: 10_000, max: 2_000n })).to.equal(1n);
  });

  it("doubles after a sparse step, never past the most blocks, and keeps a step near the aim", () => {
    expect(nextStepBlocks({ blocks: 100n, rows: 0, entries: 10_000, max: 2_000n })).to.equal(200n);
    expect(nextStepBlocks({ blocks: 1_500n, rows: 3, entries: 10_000, max: 2_000n })).to.equal(2_000n);
    expect(nextStepBlocks({ blocks: 100n, rows: 5_000, entries: 10_000, max: 2_000n })).to.equal(100n);
  });

  it("ends a step that turns dense after the piece that reached the aim, with that piece's hashes", async () => {
    const { program, brand } = await loadFixture(history);
    const head = await brand.getBlockNumber();
    const whole = await readStep(brand, { program, start: program.deployBlock, end: head, near: head + 1n, entries: 1_000 });
    const early = await readStep(brand, { program, start: program.deployBlock, end: head, near: head + 1n, entries: 1 });
    expect(whole!.end).to.equal(head);
    expect(early!.end).to.be.lessThan(head);
    expect(early!.rows.length).to.be.greaterThan(0);
    // Exactly the rows of the blocks it covers, and the hash of its own last block.
    expect(early!.rows).to.deep.equal(whole!.rows.filter((r) => BigInt(r.block_number) <= early!.end));
    expect(early!.blocks).to.deep.equal([early!.end]);
    expect(early!.hashes).to.deep.equal([(await brand.getBlock({ blockNumber: early!.end })).hash]);
  });
});

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

    it("writes a dense history in steps of about stepEntries rows, reading the next step while one is written", async () => {
      const { program } = await loadFixture(history);
      db = openDatabase<LedgerTables>(await freshDatabase(engine));
      // Each request's block (a block's hash and time, or the first block of a logs range), and each step written.
      const order: Array<{ asked: bigint } | { written: bigint }> = [];
      const client = watchedClient((method, params) => {
        if (method === "eth_getLogs") order.push({ asked: fromBlockOf(params) });
        if (method === "eth_getBlockByNumber") order.push({ asked: BigInt((params as [string])[0]) });
      });
      const steps: bigint[] = [];
      const result = await syncLedger(client, {
        program,
        db,
        // The first step is a sixteenth of stepBlocks: 2 blocks, then about 3 rows a step.
        stepBlocks: 32n,
        stepEntries: 3,
        onProgress: (p) => {
          steps.push(p.doneBlocks);
          order.push({ written: p.fromBlock + p.doneBlocks - 1n });
        },
      });
      // One step of 32 blocks would take the whole history: 3 rows a step takes many.
      expect(steps.length).to.be.greaterThan(5);
      const logs = await getLogs(client, { address: programAddresses(program), fromBlock: program.deployBlock });
      expect(await rowKeys(db)).to.deep.equal(logs.map((l) => `${l.transactionHash}:${l.logIndex}`));
      expect(result.inserted).to.equal(logs.length);
      // The second step's blocks were asked for before the first step's rows were committed.
      const firstWritten = order.findIndex((line) => "written" in line);
      const firstEnd = (order[firstWritten] as { written: bigint }).written;
      expect(order.slice(0, firstWritten).some((line) => "asked" in line && line.asked > firstEnd)).to.equal(true);
    });

    it("refuses a step of no block or no row, which would never advance", async () => {
      const { program, brand } = await loadFixture(history);
      db = openDatabase<LedgerTables>(await freshDatabase(engine));
      for (const bad of [{ stepBlocks: 0n }, { stepEntries: 0 }, { stepEntries: 0.5 }]) {
        await expect(syncLedger(brand, { program, db, ...bad })).to.be.rejectedWith(/needs at least 1 block and 1 row/);
      }
    });

    it("finds a reorg that lands while the next step is read ahead, and writes only the new branch", async () => {
      const { program, brand, backend, members } = await loadFixture(history);
      db = openDatabase<LedgerTables>(await freshDatabase(engine));
      const forkPoint = await brand.getBlockNumber();
      const snapshot = await hre.network.provider.request({ method: "evm_snapshot" });
      // Branch A: 6 blocks with a reward each, the sync's target.
      const branchA: string[] = [];
      for (let i = 0; i < 6; i++) {
        const tx = await rewardPoints(backend, {
          program,
          reason: `a${i}`,
          rewards: [{ member: members[0]!.account.address, amount: 111n }],
        });
        branchA.push(tx.hash.toLowerCase());
      }
      let reorged = false;
      // When the step after forkPoint + 2 has been read ahead, branch A is replaced by branch B (longer, other rewards).
      const client = watchedClient(
        () => {},
        async (method, params) => {
          if (reorged || method !== "eth_getLogs" || fromBlockOf(params) <= forkPoint + 2n) return;
          reorged = true;
          await hre.network.provider.request({ method: "evm_revert", params: [snapshot] });
          for (let i = 0; i < 8; i++) {
            await rewardPoints(backend, {
              program,
              reason: `b${i}`,
              rewards: [{ member: members[1]!.account.address, amount: 222n }],
            });
          }
        },
      );
      const head = forkPoint + 6n;
      const result = await syncLedger(client, { program, db, stepBlocks: 2n, stepEntries: 1, toBlock: head });
      expect(reorged).to.equal(true);
      const logs = await getLogs(client, { address: programAddresses(program), fromBlock: program.deployBlock, toBlock: head });
      expect(await rowKeys(db)).to.deep.equal(logs.map((l) => `${l.transactionHash}:${l.logIndex}`));
      const txs = (await db.selectFrom("ledger_entries").select("tx_hash").distinct().execute()).map((r) => r.tx_hash);
      for (const hash of branchA) expect(txs).not.to.include(hash);
      expect(result.rolledBack).to.be.greaterThan(0);
      expect(await readCheckpoint(db, program)).to.equal(head);
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
