import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { createPublicClient, custom } from "viem";
import { hardhat } from "viem/chains";
import { readLedger, rewardPoints, watchLedger, type LedgerEntry, type LedgerReorg } from "../index.js";
import { sdkProgram } from "../../../test/helpers/sdkProgram.js";

const key = (e: LedgerEntry) => `${e.txHash}:${e.logIndex}`;
const describeEntry = (e: LedgerEntry) => `${e.blockNumber} ${e.kind} ${e.actor} ${e.amount}`;

async function until(condition: () => boolean | Promise<boolean>, what: string) {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A consumer that keeps what watchLedger delivered, forgets what a reorg takes back, and can say whether
 * its view is the chain's own history.
 */
function follower(f: Awaited<ReturnType<typeof sdkProgram>>) {
  const view = new Map<string, LedgerEntry>();
  const reorgs: LedgerReorg[] = [];
  let top = -1n;
  const stop = watchLedger(f.brand, {
    program: f.program,
    fromBlock: f.program.deployBlock,
    pollingInterval: 20,
    onReorg: (reorg) => {
      reorgs.push(reorg);
      top = reorg.fromBlock - 1n;
      for (const [k, e] of view) if (e.blockNumber >= reorg.fromBlock) view.delete(k);
    },
    onEntries: (entries, toBlock) => {
      for (const e of entries) view.set(key(e), e);
      top = toBlock;
    },
    onError: (error) => console.error(error),
  });
  const caughtUp = async () => top === (await f.brand.getBlockNumber({ cacheTime: 0 }));
  const chain = async () => (await readLedger(f.brand, { program: f.program })).map(describeEntry);
  const seen = () =>
    [...view.values()]
      .sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1))
      .map(describeEntry);
  return { reorgs, stop, caughtUp, chain, seen };
}

describe("sdk: watchLedger across reorgs", () => {
  const reward = (f: Awaited<ReturnType<typeof sdkProgram>>, member: number, amount: bigint) =>
    rewardPoints(f.backend, {
      program: f.program,
      reason: `r-${amount}`,
      rewards: [{ member: f.members[member]!.account.address, amount }],
    });

  for (const [depth, winning] of [
    [1, 1],
    [5, 7],
    [9, 3],
  ] as const) {
    it(`takes back the entries of a ${depth}-block fork and delivers the ${winning}-block chain that won`, async () => {
      const f = await loadFixture(sdkProgram);
      const watch = follower(f);
      try {
        await reward(f, 0, 1n);
        await until(watch.caughtUp, "the first reward");
        const snapshot = await hre.network.provider.request({ method: "evm_snapshot" });
        const forkBase = await f.brand.getBlockNumber({ cacheTime: 0 });
        for (let i = 0; i < depth; i++) await reward(f, 1, 1_000n + BigInt(i));
        await until(watch.caughtUp, "the abandoned fork");
        expect(watch.seen().some((line) => line.includes(" points.rewarded ") && line.endsWith(" 1000"))).to.equal(true);

        await hre.network.provider.request({ method: "evm_revert", params: [snapshot] });
        for (let i = 0; i < winning; i++) await reward(f, 2, 2_000n + BigInt(i));
        await until(async () => (await watch.caughtUp()) && watch.reorgs.length > 0, "the winning chain");

        expect(watch.reorgs.length).to.equal(1);
        const [reorg] = watch.reorgs;
        expect(reorg!.withinDepth).to.equal(true);
        expect(reorg!.fromBlock <= forkBase + 1n, `rolled back from ${reorg!.fromBlock}, fork after ${forkBase}`).to.equal(true);
        expect(reorg!.toBlock).to.equal(forkBase + BigInt(depth));
        // Nothing of the abandoned fork stays; every entry of the chain that won is there once.
        expect(watch.seen()).to.deep.equal(await watch.chain());
        const rewards = watch.seen().filter((line) => line.includes(" points.rewarded "));
        expect(rewards.filter((line) => / 1\d\d\d$/.test(line))).to.deep.equal([]);
        expect(rewards.filter((line) => / 2\d\d\d$/.test(line)).length).to.equal(winning);
      } finally {
        watch.stop();
      }
    });
  }

  it("says nothing about blocks it has not delivered yet (confirmations keep a fork out)", async () => {
    const f = await loadFixture(sdkProgram);
    const reorgs: LedgerReorg[] = [];
    const amounts: bigint[] = [];
    const stop = watchLedger(f.brand, {
      program: f.program,
      confirmations: 3n,
      pollingInterval: 20,
      onReorg: (reorg) => void reorgs.push(reorg),
      onEntries: (entries) => void amounts.push(...entries.filter((e) => e.kind === "points.rewarded").map((e) => e.amount!)),
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const snapshot = await hre.network.provider.request({ method: "evm_snapshot" });
      await reward(f, 0, 1_000n);
      await reward(f, 0, 1_001n);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await hre.network.provider.request({ method: "evm_revert", params: [snapshot] });
      for (let i = 0; i < 5; i++) await reward(f, 1, 2_000n + BigInt(i));
      await until(() => amounts.length === 2, "the two confirmed rewards of the winning chain");
      expect(amounts).to.deep.equal([2_000n, 2_001n]);
      expect(reorgs).to.deep.equal([]);
    } finally {
      stop();
    }
  });

  // A caller closes what its handlers write to right after stop() (the order book destroys its database): a poll
  // that was reading the chain when stop() came must not call a handler afterwards.
  for (const path of ["new entries", "a reorg"] as const) {
    it(`calls no handler once stopped, even when stop() comes while a poll reads a block (${path})`, async () => {
      const f = await loadFixture(sdkProgram);
      const gate = gatedClient();
      const calls = { entries: 0, reorgs: 0, errors: [] as unknown[] };
      let top = -1n;
      const stop = watchLedger(gate.client, {
        program: f.program,
        fromBlock: f.program.deployBlock,
        pollingInterval: 20,
        onEntries: (_entries, toBlock) => {
          calls.entries++;
          top = toBlock;
        },
        onReorg: () => void calls.reorgs++,
        onError: (error) => void calls.errors.push(error),
      });
      const caughtUp = async () => top === (await f.brand.getBlockNumber({ cacheTime: 0 }));
      try {
        await reward(f, 0, 1n);
        await until(caughtUp, "the first reward");
        if (path === "new entries") {
          // Held at the batch's logs; then at the second block read after them (the block's time is the first),
          // the head's hash read again before the batch is delivered.
          const logs = gate.hold("eth_getLogs");
          await reward(f, 1, 2n);
          await logs;
          const again = gate.hold("eth_getBlockByNumber", 1);
          gate.release();
          await again;
        } else {
          const snapshot = await hre.network.provider.request({ method: "evm_snapshot" });
          await reward(f, 1, 2n);
          await until(caughtUp, "the fork");
          // A poll held at its start while the fork is replaced by a longer chain; then held at the head's hash,
          // before it checks the kept blocks and finds the fork gone.
          const start = gate.hold("eth_blockNumber");
          await start;
          await hre.network.provider.request({ method: "evm_revert", params: [snapshot] });
          await reward(f, 2, 3n);
          await reward(f, 2, 4n);
          const head = gate.hold("eth_getBlockByNumber");
          gate.release();
          await head;
        }
        const before = { ...calls };
        stop();
        gate.release();
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(calls.entries, "onEntries after stop").to.equal(before.entries);
        expect(calls.reorgs, "onReorg after stop").to.equal(0);
        expect(calls.errors).to.deep.equal([]);
      } finally {
        stop();
        gate.release();
      }
    });
  }
});

/** A client of the in-process chain that can hold one request of a given method until released. */
function gatedClient() {
  let wanted: { method: string; skip: number; reached: () => void } | undefined;
  let held: (() => void) | undefined;
  const client = createPublicClient({
    chain: hardhat,
    transport: custom({
      request: async (args: { method: string; params?: unknown }) => {
        if (wanted?.method === args.method && wanted.skip-- === 0) {
          const { reached } = wanted;
          wanted = undefined;
          await new Promise<void>((release) => {
            held = release;
            reached();
          });
        }
        return hre.network.provider.request(args as Parameters<typeof hre.network.provider.request>[0]);
      },
    }),
  });
  return {
    client,
    /** Resolves once the `skip`+1-th request of `method` from now arrives; it then waits for release(). */
    hold: (method: string, skip = 0) => new Promise<void>((reached) => void (wanted = { method, skip, reached })),
    release: () => {
      const release = held;
      held = undefined;
      release?.();
    },
  };
}
