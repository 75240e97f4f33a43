import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployTokens } from "./fixtures/tokens";

/** EIP-7825 (Fusaka): the most gas one transaction may use on Ethereum. */
const TX_GAS_CAP = 16_777_216n;

function fresh(count: number, offset: number): string[] {
  return Array.from({ length: count }, (_, i) => ethers.zeroPadValue(ethers.toBeHex(0x200000 + offset + i), 20));
}

describe("batch bounds fit in one transaction", () => {
  it("a full Stamps.mintBatch to fresh members stays under the EIP-7825 transaction gas cap", async () => {
    const { stamps, admin, minter } = await loadFixture(deployTokens);
    await stamps.connect(admin).createSeries("Big", 100_000, false, "", "");
    const max = Number(await stamps.MAX_BATCH());
    const receipt = await (await stamps.connect(minter).mintBatch(fresh(max, 0), 1n)).wait();
    expect(receipt!.gasUsed).to.be.lessThan(TX_GAS_CAP);
    if (process.env.REPORT_GAS === "true")
      console.log(`    | a full Stamps.mintBatch (${max} fresh members) | ${receipt!.gasUsed.toLocaleString("en-US")} |`);
  });

  it("a full Points.rewardBatch to fresh members stays under the EIP-7825 transaction gas cap", async () => {
    const { points, minter } = await loadFixture(deployTokens);
    const max = Number(await points.MAX_BATCH());
    const members = fresh(max, 10_000);
    const receipt = await (
      await points.connect(minter).rewardBatch(
        members,
        members.map(() => 1_000_000n),
        ethers.ZeroHash,
      )
    ).wait();
    expect(receipt!.gasUsed).to.be.lessThan(TX_GAS_CAP);
    if (process.env.REPORT_GAS === "true")
      console.log(`    | a full Points.rewardBatch (${max} fresh members) | ${receipt!.gasUsed.toLocaleString("en-US")} |`);
  });
});
