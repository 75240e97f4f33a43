import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress } from "viem";
import {
  ContractRevertError,
  type InvalidArgumentError,
  getProgramInfo,
  mintStamps,
  setRoyalty,
  setTransferPolicy,
  stampsAbi,
} from "../index.js";
import { sdkProgram } from "../../../test/helpers/sdkProgram.js";

describe("sdk: setRoyalty and setTransferPolicy", () => {
  it("changes the royalty; refuses a rate above the cap before sending", async () => {
    const { program, brand, members } = await loadFixture(sdkProgram);
    const newTreasury = members[4]!.account.address;
    await setRoyalty(brand, { program, treasury: newTreasury, royaltyBps: 250n });
    expect((await getProgramInfo(brand, { program })).royalty).to.deep.equal({
      treasury: getAddress(newTreasury),
      royaltyBps: 250n,
    });
    try {
      await setRoyalty(brand, { program, treasury: newTreasury, royaltyBps: 1001n });
      expect.fail("should throw");
    } catch (error) {
      expect((error as InvalidArgumentError).argument).to.equal("royaltyBps");
    }
  });

  it("makes the program market-only: a direct transfer then fails with a sentence naming the Market", async () => {
    const { program, brand, backend, members } = await loadFixture(sdkProgram);
    const [alice, bob] = members;
    await mintStamps(backend, { program, seriesId: 1n, to: [alice!.account.address] });
    await setTransferPolicy(brand, { program, policy: "market-only", giftsAllowed: false });
    const info = await getProgramInfo(brand, { program });
    expect(info.stamps.transferPolicy).to.equal("market-only");
    expect(info.stamps.giftsAllowed).to.equal(false);
    try {
      await alice!.writeContract({
        address: program.stamps,
        abi: stampsAbi,
        functionName: "transferFrom",
        args: [alice!.account.address, bob!.account.address, 1_000_000_001n],
      });
      expect.fail("should revert");
    } catch (error) {
      const { toPunchcardError } = await import("../index.js");
      const decoded = toPunchcardError(error);
      expect(decoded).to.be.instanceOf(ContractRevertError);
      expect((decoded as ContractRevertError).errorName).to.equal("StampsTransferNotAllowed");
      expect(decoded.shortMessage).to.contain("Trade it through the program's Market");
    }
    try {
      await setTransferPolicy(brand, { program, policy: "closed" as never });
      expect.fail("should throw");
    } catch (error) {
      expect((error as InvalidArgumentError).argument).to.equal("policy");
    }
  });
});
