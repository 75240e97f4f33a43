import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { readContract } from "viem/actions";
import { sdkProgram } from "../../test/helpers/sdkProgram.js";
import {
  EDITIONS_PER_SERIES,
  MAX_MARKET_FEE_BPS,
  MAX_POINTS_SUPPLY,
  MAX_STATUS_POINTS,
  MAX_REWARD_BATCH,
  MAX_ROYALTY_BPS,
  MAX_SERIES_SUPPLY,
  MAX_STAMP_BATCH,
  MAX_PAUSE_SECONDS,
  MAX_POINTS_TERM_DAYS,
  MAX_DATED_LOTS,
  MAX_SWAP_FEE_POINTS,
  ROLES,
  MIN_NOTICE_PERIOD_SECONDS,
  MIN_PAUSE_SECONDS,
  PAUSE_SCOPES,
  MAX_TIERS,
  MAX_VOUCHER_STAMPS,
} from "./constants.js";
import { PURPOSES } from "./types/consent.js";
import { consentRegistryAbi, marketAbi, pointsAbi, rewardsAbi, stampsAbi } from "./generated/abis.js";
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
    expect(await read(program.points, pointsAbi, "MAX_SUPPLY")).to.equal(MAX_POINTS_SUPPLY);
    expect(await read(program.points, pointsAbi, "MAX_STATUS")).to.equal(MAX_STATUS_POINTS);
    expect(await read(program.market, marketAbi, "MAX_FEE_BPS")).to.equal(MAX_MARKET_FEE_BPS);
    expect(await read(program.market, marketAbi, "MAX_SWAP_FEE_POINTS")).to.equal(MAX_SWAP_FEE_POINTS);
    // Roles and purposes, read from the contracts that define them.
    for (const [name, id] of [
      ["MINTER_ROLE", ROLES.minter],
      ["PAUSER_ROLE", ROLES.pauser],
      ["DEFAULT_ADMIN_ROLE", ROLES.admin],
    ] as const) {
      expect(await read(program.stamps, stampsAbi, name)).to.equal(id);
    }
    expect(await readContract(brand, { address: program.consent, abi: consentRegistryAbi, functionName: "BRAND_ROLE" })).to.equal(
      ROLES.brand,
    );
    for (const [name, bit] of [
      ["REWARDS", PURPOSES.rewards],
      ["ANALYTICS", PURPOSES.analytics],
      ["MARKETING", PURPOSES.marketing],
      ["PARTNER_SHARING", PURPOSES.partnerSharing],
    ] as const) {
      expect(await readContract(brand, { address: program.consent, abi: consentRegistryAbi, functionName: name })).to.equal(bit);
    }
    expect(await read(program.stamps, stampsAbi, "MIN_NOTICE_PERIOD")).to.equal(MIN_NOTICE_PERIOD_SECONDS);
    // The program's one pause is Stamps': its bounds and its scopes.
    expect(await read(program.stamps, stampsAbi, "MIN_PAUSE_DURATION")).to.equal(MIN_PAUSE_SECONDS);
    expect(await read(program.stamps, stampsAbi, "MAX_PAUSE_DURATION")).to.equal(MAX_PAUSE_SECONDS);
    for (const [name, bit] of [
      ["PAUSE_STAMPS", PAUSE_SCOPES.stamps],
      ["PAUSE_POINTS", PAUSE_SCOPES.points],
      ["PAUSE_MARKET", PAUSE_SCOPES.market],
      ["PAUSE_ALL", PAUSE_SCOPES.all],
    ] as const) {
      expect(BigInt(await read(program.stamps, stampsAbi, name))).to.equal(bit);
    }
    expect(await read(program.points, pointsAbi, "MAX_TERM_DAYS")).to.equal(BigInt(MAX_POINTS_TERM_DAYS));
    expect(await read(program.points, pointsAbi, "MAX_DATED_LOTS")).to.equal(BigInt(MAX_DATED_LOTS));
    expect(await read(program.rewards, rewardsAbi, "MAX_VOUCHER_STAMPS")).to.equal(BigInt(MAX_VOUCHER_STAMPS));
    expect(await read(program.rewards, rewardsAbi, "MAX_TIERS")).to.equal(BigInt(MAX_TIERS));
    // EDITIONS_PER_SERIES is internal to StampIds: a minted stamp's id shows it.
    const { stamps } = await mintStamps(backend, { program, seriesId: 2n, to: [members[0]!.account.address] });
    expect(stamps[0]!.tokenId)
      .to.equal(encodeStampId(2n, 1n))
      .and.to.equal(2n * EDITIONS_PER_SERIES + 1n);
  });
});
