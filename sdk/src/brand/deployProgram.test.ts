import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress, keccak256, stringToHex } from "viem";
import { configHashOf, deployProgram } from "../deploy.js";
import { getProgramInfo, InvalidArgumentError, parseProgramConfig, pointsAbi } from "../index.js";
import { testConfig, viemActors } from "../../../test/helpers/viem.js";

async function deployed() {
  const actors = await viemActors();
  const steps: string[] = [];
  const config = testConfig(actors.treasury.account.address, actors.backend.account.address);
  const result = await deployProgram(actors.brand, { config, onStep: (s) => steps.push(s) });
  return { ...actors, ...result, steps };
}

describe("sdk: deployProgram", () => {
  it("deploys the program from its config, with roles, royalty and series, reporting each step", async () => {
    const { program, brand, backend, treasury, steps, config, configHash } = await loadFixture(deployed);
    expect(program.chainId).to.equal(31337);
    const info = await getProgramInfo(brand, { program });
    expect(info.stamps).to.deep.include({ name: "Test Stamps", symbol: "TST", transferPolicy: "open" });
    expect(info.points).to.deep.include({
      name: "Test Points",
      symbol: "TPT",
      decimals: 0,
      transferable: true,
      pendingDays: 0,
      expiry: { model: "none", days: 0 },
    });
    expect(info.royalty).to.deep.equal({ treasury: getAddress(treasury.account.address), royaltyBps: 500n });
    expect(info.series.map((s) => [s.name, s.maxSupply, s.soulbound])).to.deep.equal([
      ["Autumn Cup", 3n, false],
      ["First Visit", 1000n, true],
    ]);
    const minterRole = keccak256(stringToHex("MINTER_ROLE"));
    expect(
      await backend.readContract({
        address: program.points,
        abi: pointsAbi,
        functionName: "hasRole",
        args: [minterRole, backend.account.address],
      }),
    ).to.equal(true);
    expect(steps[0]).to.equal("deploying Stamps");
    expect(steps).to.include('creating series "First Visit" (1000 editions, soulbound)');
    expect(configHash).to.equal(configHashOf(config));
  });

  it("rejects an invalid config naming the field, and deploys nothing", async () => {
    const { brand, treasury } = await viemActors();
    const before = await brand.getTransactionCount({ address: brand.account.address });
    const config = { ...testConfig(treasury.account.address, treasury.account.address), royaltyBps: 1500 };
    try {
      await deployProgram(brand, { config });
      expect.fail("should have thrown");
    } catch (error) {
      expect(error).to.be.instanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).to.equal("config.royaltyBps");
      expect((error as Error).message).to.contain("royalty 15 % is above the 10 % maximum");
    }
    expect(await brand.getTransactionCount({ address: brand.account.address })).to.equal(before);
  });

  it("names every bad field of a config", () => {
    expect(() => parseProgramConfig({ brand: "", treasury: "0x12", stamps: {}, points: {} })).to.throw(
      InvalidArgumentError,
      /brand/,
    );
    try {
      parseProgramConfig({
        brand: "B",
        treasury: "0x12",
        stamps: { name: "S", symbol: "S" },
        points: { name: "P", symbol: "P" },
        colour: 1,
      });
    } catch (error) {
      expect((error as InvalidArgumentError).hint)
        .to.match(/treasury: must be a 0x address/)
        .and.to.match(/colour/);
    }
  });

  it("refuses a perk paid with a stamp of a series the config does not have", () => {
    const base = testConfig("0x0000000000000000000000000000000000000001", "0x0000000000000000000000000000000000000002");
    const perks = [{ id: "mug", name: "Mug", claim: { stampOfSeries: 3 } }];
    expect(() => parseProgramConfig({ ...base, perks })).to.throw(InvalidArgumentError, /perks\.0\.claim\.stampOfSeries/);
    const ok = parseProgramConfig({ ...base, perks: [{ ...perks[0]!, claim: { stampOfSeries: 2 } }] });
    expect(ok.perks[0]!.claim.stampOfSeries).to.equal(2);
  });

  it("gives the same hash to the same config, and another to a changed one", () => {
    const a = parseProgramConfig(
      testConfig("0x0000000000000000000000000000000000000001", "0x0000000000000000000000000000000000000002"),
    );
    const b = parseProgramConfig({
      ...testConfig("0x0000000000000000000000000000000000000001", "0x0000000000000000000000000000000000000002"),
    });
    expect(configHashOf(a)).to.equal(configHashOf(b));
    expect(configHashOf({ ...a, royaltyBps: 501 })).not.to.equal(configHashOf(a));
  });
});
