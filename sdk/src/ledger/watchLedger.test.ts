import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
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
});
