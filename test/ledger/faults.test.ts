import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, mine } from "@nomicfoundation/hardhat-network-helpers";
import type { Kysely } from "kysely";
import { createPublicClient, http, type Log } from "viem";
import { mintStamps, rewardPoints } from "@punchcard/sdk";
import { openDatabase, syncLedger, type LedgerTables } from "@punchcard/sdk/node";
import { sdkProgram } from "../helpers/sdkProgram";
import { databaseEngines, freshDatabase } from "../helpers/databases";
import { serveInProcessChain } from "../helpers/rpcServer";
import { startPrivatePostgres } from "../helpers/privatePostgres";
import { startFaultyRpc, type Fault } from "../helpers/faultyRpc";
import {
  chainRows,
  countUpTo,
  expectLedgerEqualsChain,
  manyMembers,
  spawnSync,
  startReader,
  writeRecord,
} from "../helpers/ledgerFaults";

/**
 * `npm test` runs each case once on a short history; `npm run bench:ledger -- --faults` sets these for
 * long histories, longer stalls and 3 runs of each case.
 */
const RUNS = Number(process.env.LEDGER_FAULTS_RUNS ?? 1);
const TXS = Number(process.env.LEDGER_FAULTS_TXS ?? 24);
const STALL_MS = Number(process.env.LEDGER_FAULTS_STALL_MS ?? 1_500);
const runs = Array.from({ length: RUNS }, (_, i) => (RUNS > 1 ? ` [run ${i + 1}/${RUNS}]` : ""));

/**
 * Per case: 5 minutes on the short fixture, and as much more as the history is longer. Under "bursts of 429" (60 % of
 * reads refused) a history of 200 transactions takes over 5 minutes on a loaded machine: mocha stopped those runs.
 */
const FAULT_TIMEOUT_MS = 300_000 * Math.max(1, Math.ceil(TXS / 24));

/** The reorg cases' rewards: amounts the history (10 + i) never gives, however long it is. */
const BRANCH_A = 1_000_000_111n;
const BRANCH_B = 1_000_000_222n;

/** Many blocks with a few events each: a sync with small steps runs for a while. */
async function longHistory() {
  const f = await sdkProgram();
  for (let i = 0; i < TXS; i++) {
    const member = f.members[i % 5]!.account.address;
    if (i % 3 === 0) await mintStamps(f.backend, { program: f.program, seriesId: 2n, to: [member] });
    await rewardPoints(f.backend, { program: f.program, reason: `visit-${i}`, rewards: [{ member, amount: BigInt(10 + i) }] });
  }
  return f;
}

for (const engine of databaseEngines()) {
  describe(`ledger under faults on ${engine}`, function () {
    this.timeout(FAULT_TIMEOUT_MS);
    let db: Kysely<LedgerTables> | undefined;
    let closers: Array<() => Promise<void>> = [];
    afterEach(async () => {
      await db?.destroy();
      db = undefined;
      for (const close of closers.reverse()) await close();
      closers = [];
    });

    for (const run of runs)
      it(`SIGKILL of \`punchcard ledger sync\` in the middle of a batch, then a restart: no gap, no duplicate, no half batch seen${run}`, async () => {
        const f = await loadFixture(longHistory);
        const rpc = await serveInProcessChain();
        closers.push(rpc.close);
        const location = await freshDatabase(engine);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-kill-"));
        const record = writeRecord(dir, f.program, f.brand.account.address);
        const chain = await chainRows(f.brand, f.program);
        const reader = startReader(location, f.program, countUpTo(chain));
        const args = ["--program", record, "--db", location, "--rpc", rpc.url, "--step", "2"];
        // Killed twice at a random moment after its first committed step, then left to finish.
        const kills: string[] = [];
        for (let kill = 0; kill < 2; kill++) {
          const run = spawnSync(args);
          await run.progressed;
          await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 150)));
          if (run.child.exitCode === null) {
            run.child.kill("SIGKILL");
            kills.push(`killed after: ${run.output().trim().split("\n").at(-1)}`);
          }
          await run.exited;
        }
        const last = spawnSync(args);
        expect(await last.exited, last.output()).to.equal(0);
        const seen = await reader.stop();
        expect(seen.violations).to.deep.equal([]);
        expect(seen.reads).to.be.greaterThan(0);
        expect(kills.length, "the sync finished before it could be killed").to.be.greaterThan(0);
        db = openDatabase<LedgerTables>(location);
        expect(await expectLedgerEqualsChain(db, f.brand, f.program)).to.equal(chain.length);
      });

    for (const depth of [1, 5, 9])
      for (const run of runs) {
        it(`a reorg of ${depth} block(s) while syncing at the head: found by block hash, rolled back, the new branch written${run}`, async () => {
          const f = await loadFixture(longHistory);
          db = openDatabase<LedgerTables>(await freshDatabase(engine));
          await syncLedger(f.brand, { program: f.program, db });
          const snapshot = await hre.network.provider.request({ method: "evm_snapshot" });
          // Branch A: `depth` blocks of rewards to member 0, synced at the head.
          for (let i = 0; i < depth; i++) {
            await rewardPoints(f.backend, {
              program: f.program,
              reason: "branch-a",
              rewards: [{ member: f.members[0]!.account.address, amount: BRANCH_A }],
            });
          }
          await syncLedger(f.brand, { program: f.program, db });
          await expectLedgerEqualsChain(db, f.brand, f.program);
          // Branch B replaces them: as many blocks, other rewards (and one block more on odd depths).
          await hre.network.provider.request({ method: "evm_revert", params: [snapshot] });
          for (let i = 0; i < depth; i++) {
            await rewardPoints(f.backend, {
              program: f.program,
              reason: "branch-b",
              rewards: [{ member: f.members[1]!.account.address, amount: BRANCH_B }],
            });
          }
          if (depth % 2 === 1) await mine(1);
          const result = await syncLedger(f.brand, { program: f.program, db });
          expect(result.rolledBack).to.equal(2 * depth); // a reward is a Transfer and a PointsRewarded
          await expectLedgerEqualsChain(db, f.brand, f.program);
          const amounts = await db.selectFrom("ledger_entries").select("amount").where("kind", "=", "points.rewarded").execute();
          expect(amounts.map((r) => r.amount))
            .to.include(BRANCH_B.toString())
            .and.not.to.include(BRANCH_A.toString());
        });
      }

    const patterns: Array<[string, (method: string, n: number) => Fault]> = [
      ["every third request answered 429", (_m, n) => (n % 3 === 1 ? { kind: "429" } : { kind: "pass" })],
      [
        "bursts of 429 on eth_getLogs and eth_getBlockByNumber",
        (m, n) => (/getLogs|getBlockBy/.test(m) && n % 5 < 3 ? { kind: "429" } : { kind: "pass" }),
      ],
      [
        `stalls of ${STALL_MS / 1000} s and 429s`,
        (_m, n) => (n % 9 === 4 ? { kind: "stall", ms: STALL_MS } : n % 4 === 2 ? { kind: "429" } : { kind: "pass" }),
      ],
    ];
    for (const [name, fault] of patterns)
      for (const run of runs) {
        it(`the RPC answering 429 and stalling (${name}): the sync backs off, retries and finishes${run}`, async () => {
          const f = await loadFixture(longHistory);
          const rpc = await serveInProcessChain();
          closers.push(rpc.close);
          const proxy = await startFaultyRpc({ upstream: rpc.url, fault });
          closers.push(proxy.close);
          const location = await freshDatabase(engine);
          const chain = await chainRows(f.brand, f.program);
          const reader = startReader(location, f.program, countUpTo(chain));
          db = openDatabase<LedgerTables>(location);
          const client = createPublicClient({ transport: http(proxy.url, { retryCount: 0 }) });
          await syncLedger(client, { program: f.program, db, stepBlocks: 3n });
          const seen = await reader.stop();
          expect(seen.violations).to.deep.equal([]);
          expect(proxy.counts.rejected).to.be.greaterThan(0);
          await expectLedgerEqualsChain(db, f.brand, f.program);
        });
      }

    for (const run of runs)
      it(`odd but legal values: log indexes up to 0xffffffe2, an amount of 2^256-1, a block of 1,000 events${run}`, async () => {
        const f = await loadFixture(longHistory);
        // One transaction rewarding 500 members: 1,000 events in one block.
        await rewardPoints(f.backend, {
          program: f.program,
          reason: "crowd",
          rewards: manyMembers(500).map((member) => ({ member, amount: 3n })),
        });
        const rpc = await serveInProcessChain();
        closers.push(rpc.close);
        const MAX_LOG_INDEX = 0xffffffe2;
        // The first points mint the proxy serves (the same one on every read) carries 2^256-1.
        let bigMint: string | undefined;
        const TRANSFER = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
        const proxy = await startFaultyRpc({
          upstream: rpc.url,
          rewrite: (method, result) => {
            if (method !== "eth_getLogs" || !Array.isArray(result)) return result;
            const logs = result as Array<Log & { logIndex: string; blockNumber: string }>;
            const perBlock = new Map<string, number>();
            for (const log of logs) perBlock.set(log.blockNumber, (perBlock.get(log.blockNumber) ?? 0) + 1);
            const seen = new Map<string, number>();
            return logs.map((log) => {
              // Each block's logs end at index 0xffffffe2, in the same order.
              const i = seen.get(log.blockNumber) ?? 0;
              seen.set(log.blockNumber, i + 1);
              const logIndex = `0x${(MAX_LOG_INDEX - (perBlock.get(log.blockNumber)! - 1) + i).toString(16)}`;
              // The first points mint (an ERC-20 Transfer from zero: 3 topics) carries 2^256-1.
              const mint =
                log.topics[0] === TRANSFER &&
                log.topics.length === 3 &&
                /^0x0+$/.test(log.topics[1]!) &&
                log.address.toLowerCase() === f.program.points.toLowerCase();
              if (mint && (bigMint ?? log.transactionHash) === log.transactionHash) {
                bigMint = log.transactionHash!;
                return { ...log, logIndex, data: `0x${"f".repeat(64)}` };
              }
              return { ...log, logIndex };
            });
          },
        });
        closers.push(proxy.close);
        db = openDatabase<LedgerTables>(await freshDatabase(engine));
        const client = createPublicClient({ transport: http(proxy.url, { retryCount: 0 }) });
        await syncLedger(client, { program: f.program, db, stepBlocks: 4n });
        expect(bigMint).to.not.equal(undefined);
        // The figures the RPC's chain implies, folded from its own events.
        const count = await expectLedgerEqualsChain(db, client, f.program);
        expect(count).to.be.greaterThan(1_000);
        const top = await db
          .selectFrom("ledger_entries")
          .select(["log_index", "amount"])
          .orderBy("log_index", "desc")
          .limit(1)
          .executeTakeFirstOrThrow();
        expect(Number(top.log_index)).to.equal(MAX_LOG_INDEX);
        const amounts = await db.selectFrom("ledger_entries").select("amount").where("kind", "=", "points.minted").execute();
        expect(amounts.map((r) => r.amount)).to.include((2n ** 256n - 1n).toString());
        const [big] = await db
          .selectFrom("ledger_entries")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .groupBy("block_number")
          .orderBy("n", "desc")
          .limit(1)
          .execute();
        expect(Number(big!.n)).to.equal(1_000);
      });
  });
}

describe("ledger under faults: the Postgres server restarted in the middle of a backfill", function () {
  this.timeout(FAULT_TIMEOUT_MS);
  for (const run of runs) {
    it(`a sync cut off by the restart fails, the next one finishes: no gap, no duplicate, no half batch seen${run}`, async function () {
      const pg = await startPrivatePostgres();
      if ("skipped" in pg) {
        console.log(`    (Postgres restart skipped: ${pg.skipped})`);
        this.skip();
      }
      const f = await loadFixture(longHistory);
      const chain = await chainRows(f.brand, f.program);
      const reader = startReader(pg.url, f.program, countUpTo(chain));
      const db = openDatabase<LedgerTables>(pg.url);
      try {
        let restarted = false;
        const first = await syncLedger(f.brand, {
          program: f.program,
          db,
          stepBlocks: 2n,
          onProgress: (p) => {
            // Mid-backfill: after a few committed steps, while the next one is being read and written.
            if (!restarted && p.doneBlocks >= 6n) {
              restarted = true;
              setTimeout(() => pg.restart(), 5);
            }
          },
        }).then(
          () => "finished",
          (error: Error) => `failed: ${error.message}`,
        );
        expect(restarted).to.equal(true);
        // Whether the restart cut the run or came between steps, the next run completes the ledger.
        await syncLedger(f.brand, { program: f.program, db });
        const seen = await reader.stop();
        expect(seen.violations, first).to.deep.equal([]);
        await expectLedgerEqualsChain(db, f.brand, f.program);
      } finally {
        await db.destroy();
        pg.stop();
      }
    });
  }
});
