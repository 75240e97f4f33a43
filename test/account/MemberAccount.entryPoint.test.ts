import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { encodeFunctionData, type Address } from "viem";
import { rewardsAbi } from "@punchcard/sdk";
import { deployAccountFixture } from "./fixture";
import { handleOps, sponsoredUserOp } from "./userOps";

describe("MemberAccount through the EntryPoint v0.8 (real WebAuthn P-256 signatures, sponsored by BrandPaymaster)", () => {
  it("smoke: the first UserOp deploys the account and redeems the welcome voucher", async () => {
    const f = await loadFixture(deployAccountFixture);
    const { voucher, signature } = await f.welcomeVoucher(f.member.address);
    const data = encodeFunctionData({ abi: rewardsAbi, functionName: "redeem", args: [voucher, signature as `0x${string}`] });
    const userOp = await sponsoredUserOp(f.member, [{ to: (await f.rewards.getAddress()) as Address, data }], {
      sponsor: f.sponsorKey,
      paymaster: f.paymasterAddress,
    });
    const tx = await handleOps(f.bundler, [userOp]);
    const receipt = await tx.wait();
    console.log("gas", receipt?.gasUsed);
    expect(await f.points.balanceOf(f.member.address)).to.equal(100n);
    expect(await ethers.provider.getBalance(f.member.address)).to.equal(0n);
  });
});
