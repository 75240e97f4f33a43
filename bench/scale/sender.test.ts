// The scale run's sender (not part of `npm test`: `npx hardhat test bench/scale/sender.test.ts`): its writes are the
// contracts' real calls, mined many to a block, their gas from the receipts, and a reverted write stops the run.
import { expect } from "chai";
import hre from "hardhat";
import { encodeFunctionData, parseEventLogs, stringToHex, zeroAddress, type TransactionReceipt } from "viem";
import { pointsAbi, stampsAbi } from "@punchcard/sdk";
import { deployScaleProgram, type ScaleProgram } from "./grow";
import { BlockSender } from "./sender";

describe("bench/scale: BlockSender", function () {
  this.timeout(300_000);
  let scale: ScaleProgram;

  before(async () => {
    scale = await deployScaleProgram("sender-test");
  });

  it("mines many writes to a block, counts the nonces, hands each its receipt, and turns automine back on", async () => {
    const { program, brand } = scale;
    const receipts: TransactionReceipt[] = [];
    const before = await brand.getBlockNumber();
    const sender = await BlockSender.open(brand);
    for (let k = 0; k < 6; k++) {
      const to = [scale.member(k * 2).address, scale.member(k * 2 + 1).address];
      const data = encodeFunctionData({ abi: stampsAbi, functionName: "mintBatch", args: [to, 1n] });
      await sender.send(brand.account, "mint:2", { to: program.stamps, data }, (r) => receipts.push(r));
    }
    await sender.close();
    expect(receipts).to.have.length(6);
    // The first write's estimate mined nothing; the six writes share one block.
    expect(new Set(receipts.map((r) => r.blockNumber)).size).to.equal(1);
    expect(receipts[0]!.blockNumber).to.equal(before + 1n);
    for (const r of receipts) {
      const onChain = await brand.getTransactionReceipt({ hash: r.transactionHash });
      expect(r.gasUsed).to.equal(onChain.gasUsed);
      expect(parseEventLogs({ abi: stampsAbi, eventName: "Transfer", logs: r.logs })).to.have.length(2);
    }
    expect(
      await brand.readContract({
        address: program.stamps,
        abi: stampsAbi,
        functionName: "balanceOf",
        args: [scale.member(11).address],
      }),
    ).to.equal(1n);
    // Automine is on again: a plain write is mined at once.
    await brand.sendTransaction({ to: scale.member(0).address, value: 1n });
    expect(await brand.getBlockNumber()).to.equal(before + 2n);
  });

  it("a write that reverts stops the run, even when the ones beside it succeed", async () => {
    const { program, brand } = scale;
    const sender = await BlockSender.open(brand);
    try {
      const reward = encodeFunctionData({
        abi: pointsAbi,
        functionName: "reward",
        args: [scale.member(1).address, 5n, stringToHex("sender-test", { size: 32 })],
      });
      await sender.send(brand.account, "reward", { to: program.points, data: reward });
      // Its gas is estimated on a good call, then the same kind of write is sent to a member it cannot reach.
      const bad = encodeFunctionData({
        abi: pointsAbi,
        functionName: "reward",
        args: [zeroAddress, 5n, stringToHex("x", { size: 32 })],
      });
      await sender.send(brand.account, "reward", { to: program.points, data: bad });
      let caught: unknown;
      await sender.flush().catch((error: unknown) => (caught = error));
      expect(String(caught)).to.match(/A reward write reverted/);
    } finally {
      await hre.network.provider.request({ method: "evm_setAutomine", params: [true] });
    }
  });
});
