import { expect } from "chai";
import { InvalidArgumentError } from "../errors.js";
import { closestKey, keysAt } from "./configIssues.js";
import { parseProgramConfig, programConfigSchema } from "./programConfig.js";

const base = {
  brand: "Northwind Coffee",
  treasury: "0x0000000000000000000000000000000000000001",
  stamps: { name: "Northwind Stamps", symbol: "NWS" },
  points: { name: "Beans", symbol: "BEANS" },
};

/** The error a config gets, as the person reads it. */
function refusal(config: unknown): InvalidArgumentError {
  try {
    parseProgramConfig(config);
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error("the config was accepted");
}

describe("sdk/config: config errors in the user's terms", () => {
  it("says a royalty above the maximum in percent, and accepts the maximum itself", () => {
    const error = refusal({ ...base, royaltyBps: 1001 });
    expect(error.message).to.contain("config.royaltyBps is invalid: royalty 10.01 % is above the 10 % maximum");
    expect(error.message).to.contain("(royaltyBps 1001; 100 = 1 %)").and.not.contain("<=");
    expect(parseProgramConfig({ ...base, royaltyBps: 1000 }).royaltyBps).to.equal(1000);
    expect(refusal({ ...base, market: { feeBps: 501 } }).message).to.contain("market fee 5.01 % is above the 5 % maximum");
  });

  it("names an unknown key, where it is, and the closest valid key", () => {
    expect(refusal({ ...base, royalty: 500 }).message).to.contain(
      'config has an unknown key at its top level: "royalty" (did you mean "royaltyBps"?).',
    );
    expect(refusal({ ...base, points: { ...base.points, decimal: 2 } }).message).to.contain(
      'config.points has an unknown key: "decimal" (did you mean "decimals"?).',
    );
    const series = refusal({ ...base, series: [{ name: "Autumn Cup", maxSupply: 100, soulBound: true }] });
    expect(series.message).to.contain('config.series.0 has an unknown key: "soulBound" (did you mean "soulbound"?).');
    expect(series.message).not.to.contain("Unrecognized");
  });

  it("lists the valid keys when no key is close, and every problem when there are several", () => {
    const error = refusal({ ...base, colour: "blue", market: { feeBps: 501 } });
    expect(error.hint).to.contain('(top level): has an unknown key at its top level: "colour". The keys there are: brand,');
    expect(error.hint).to.contain("market.feeBps: market fee 5.01 %");
  });

  it("finds the keys of nested, defaulted and array schemas, and only close matches", () => {
    expect(keysAt(programConfigSchema, ["points", "expiry"])).to.deep.equal(["model", "days"]);
    expect(keysAt(programConfigSchema, ["series", 0])).to.include("soulbound");
    expect(keysAt(programConfigSchema, ["brand"])).to.deep.equal([]);
    expect(closestKey("royalty", ["treasury", "royaltyBps"])).to.equal("royaltyBps");
    expect(closestKey("tresury", ["treasury", "royaltyBps"])).to.equal("treasury");
    expect(closestKey("colour", ["treasury", "royaltyBps"])).to.equal(undefined);
  });
});
