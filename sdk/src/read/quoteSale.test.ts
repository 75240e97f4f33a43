import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { marketAbi, quoteSale } from "@punchcard/sdk";
import { ZERO_COIN_FEE_BPS, zeroCoinProgram } from "../../../test/helpers/sdkProgram.js";

describe("quoteSale", () => {
  it("splits a price as the Market does: the three parts add up to it, the fee at the configured rate", async () => {
    const { program, dan, danCup } = await loadFixture(zeroCoinProgram);
    const quote = await quoteSale(dan, { program, tokenId: danCup, price: 200n, currency: program.points });
    const [sellerAmount, royaltyAmount, fee] = await dan.readContract({
      address: program.market,
      abi: marketAbi,
      functionName: "quoteSale",
      args: [danCup, program.points, 200n],
    });
    expect(quote).to.deep.equal({ sellerAmount, royaltyAmount, fee });
    expect(quote.fee).to.equal((200n * ZERO_COIN_FEE_BPS) / 10_000n);
    expect(quote.royaltyAmount).to.be.greaterThan(0n);
    expect(quote.sellerAmount + quote.royaltyAmount + quote.fee).to.equal(200n);
  });
});
