import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ContractRevertError, createSeries, getMemberStamps, mintStamps } from "../index.js";
import { sdkProgram } from "../../../test/helpers/sdkProgram.js";
import { expectRejectedBeforeSending } from "../../../test/helpers/sdkErrors.js";

describe("sdk: createSeries and mintStamps", () => {
  it("creates a series and mints to one member, then to many in one transaction", async () => {
    const { program, brand, backend, members } = await loadFixture(sdkProgram);
    const { seriesId } = await createSeries(brand, { program, name: "Winter Mug", maxSupply: 10n, imageURI: "ipfs://w.png" });
    expect(seriesId).to.equal(3n);

    const one = await mintStamps(backend, { program, seriesId, to: [members[0]!.account.address] });
    expect(one.stamps).to.deep.equal([{ to: members[0]!.account.address, tokenId: 3_000_000_001n, seriesId: 3n, edition: 1n }]);
    const many = await mintStamps(backend, {
      program,
      seriesId,
      to: members.slice(0, 3).map((m) => m.account.address),
    });
    expect(many.stamps.map((s) => s.edition)).to.deep.equal([2n, 3n, 4n]);
    // One transaction for the whole batch.
    expect(new Set(many.stamps.map(() => many.hash)).size).to.equal(1);

    const held = await getMemberStamps(brand, { program, member: members[0]!.account.address });
    expect(held.map((s) => s.metadata?.name)).to.deep.equal(["Winter Mug #1 of 10", "Winter Mug #2 of 10"]);
  });

  it("decodes a sold-out series into a ContractRevertError with a sentence", async () => {
    const { program, backend, members } = await loadFixture(sdkProgram);
    const to = members.slice(0, 4).map((m) => m.account.address);
    try {
      await mintStamps(backend, { program, seriesId: 1n, to });
      expect.fail("should have thrown");
    } catch (error) {
      expect(error).to.be.instanceOf(ContractRevertError);
      const revert = error as ContractRevertError;
      expect(revert.errorName).to.equal("StampsSeriesSoldOut");
      expect(revert.args).to.deep.equal([1n, 3n]);
      expect(revert.shortMessage).to.equal("Series 1 has minted all 3 editions: create another series for more stamps.");
    }
  });

  it("names the missing role when the caller is not the minter", async () => {
    const { program, members } = await loadFixture(sdkProgram);
    const stranger = members[0]!;
    try {
      await mintStamps(stranger, { program, seriesId: 1n, to: [stranger.account.address] });
      expect.fail("should have thrown");
    } catch (error) {
      expect((error as ContractRevertError).errorName).to.equal("AccessControlUnauthorizedAccount");
      expect((error as Error).message).to.contain("(minter)");
    }
  });

  it("rejects bad arguments before sending anything", async () => {
    const { program, brand, backend, members } = await loadFixture(sdkProgram);
    await expectRejectedBeforeSending(backend, [
      [() => mintStamps(backend, { program, seriesId: 1n, to: [] }), "to"],
      [() => mintStamps(backend, { program, seriesId: 1n, to: ["0x1234"] as never }), "to[0]"],
      [() => mintStamps(backend, { program, seriesId: 0n, to: [members[0]!.account.address] }), "seriesId"],
      [() => createSeries(brand, { program, name: "", maxSupply: 1n }), "name"],
      [() => createSeries(brand, { program, name: 'a"b', maxSupply: 1n }), "name"],
      [() => createSeries(brand, { program, name: "ok", maxSupply: 0n }), "maxSupply"],
      [() => createSeries(brand, { program, name: "ok", maxSupply: 1n, imageURI: "x\\y" }), "imageURI"],
    ]);
  });
});
