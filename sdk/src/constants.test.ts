import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { readContract } from "viem/actions";
import { sdkProgram } from "../../test/helpers/sdkProgram.js";
import {
  EDITIONS_PER_SERIES,
  MAX_MARKET_FEE_BPS,
  MAX_REWARD_BATCH,
  MAX_ROYALTY_BPS,
  MAX_SERIES_SUPPLY,
  MAX_STAMP_BATCH,
  MAX_SWAP_FEE_POINTS,
  MAX_TIERS,
  MAX_VOUCHER_STAMPS,
} from "./constants.js";
import { marketAbi, pointsAbi, rewardsAbi, stampsAbi } from "./generated/abis.js";
import { mintStamps } from "./brand/mintStamps.js";
import { encodeStampId } from "./utils/stampId.js";

describe("sdk: protocol constants", () => {
  it("equal the deployed contracts' own constants", async () => {
    const { brand, backend, members, program } = await loadFixture(sdkProgram);
    const read = <A extends typeof stampsAbi | typeof pointsAbi | typeof marketAbi | typeof rewardsAbi>(
      address: `0x${string}`,
      abi: A,
      functionName: string,
    ) => readContract(brand, { address, abi, functionName } as never) as Promise<bigint>;
    expect(await read(program.stamps, stampsAbi, "MAX_BATCH")).to.equal(BigInt(MAX_STAMP_BATCH));
    expect(await read(program.stamps, stampsAbi, "MAX_SERIES_SUPPLY")).to.equal(MAX_SERIES_SUPPLY);
    expect(await read(program.stamps, stampsAbi, "MAX_ROYALTY_BPS")).to.equal(MAX_ROYALTY_BPS);
    expect(await read(program.points, pointsAbi, "MAX_BATCH")).to.equal(BigInt(MAX_REWARD_BATCH));
    expect(await read(program.market, marketAbi, "MAX_FEE_BPS")).to.equal(MAX_MARKET_FEE_BPS);
    expect(await read(program.market, marketAbi, "MAX_SWAP_FEE_POINTS")).to.equal(MAX_SWAP_FEE_POINTS);
    expect(await read(program.rewards, rewardsAbi, "MAX_VOUCHER_STAMPS")).to.equal(BigInt(MAX_VOUCHER_STAMPS));
    expect(await read(program.rewards, rewardsAbi, "MAX_TIERS")).to.equal(BigInt(MAX_TIERS));
    // EDITIONS_PER_SERIES is internal to StampIds: a minted stamp's id shows it.
    const { stamps } = await mintStamps(backend, { program, seriesId: 2n, to: [members[0]!.account.address] });
    expect(stamps[0]!.tokenId)
      .to.equal(encodeStampId(2n, 1n))
      .and.to.equal(2n * EDITIONS_PER_SERIES + 1n);
  });
});
