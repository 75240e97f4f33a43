import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { decodeStampId, decodeTokenURI, encodeStampId, getBalances, getMemberStamps, mintStamps, stampsAbi } from "../index.js";
import { sdkProgram } from "../../../test/helpers/sdkProgram.js";

describe("sdk: reading a member's stamps and balances", () => {
  it("lists exactly the stamps a member holds now, with decoded metadata", async () => {
    const { program, backend, members } = await loadFixture(sdkProgram);
    const [alice, bob] = members;
    await mintStamps(backend, { program, seriesId: 1n, to: [alice!.account.address, alice!.account.address] });
    await mintStamps(backend, { program, seriesId: 2n, to: [alice!.account.address] });
    // Alice gives edition 1 away and burns her soulbound stamp: neither is hers any more.
    await alice!.writeContract({
      address: program.stamps,
      abi: stampsAbi,
      functionName: "transferFrom",
      args: [alice!.account.address, bob!.account.address, encodeStampId(1n, 1n)],
    });
    await alice!.writeContract({ address: program.stamps, abi: stampsAbi, functionName: "burn", args: [encodeStampId(2n, 1n)] });

    const held = await getMemberStamps(alice!, { program, member: alice!.account.address });
    expect(held.map((s) => s.tokenId)).to.deep.equal([encodeStampId(1n, 2n)]);
    expect(held[0]!.metadata).to.deep.equal({
      name: "Autumn Cup #2 of 3",
      image: "ipfs://autumn.png",
      attributes: [
        { trait_type: "Series", value: "Autumn Cup" },
        { trait_type: "Edition", display_type: "number", value: 2, max_value: 3 },
        { trait_type: "Soulbound", value: "false" },
      ],
    });
    expect((await getMemberStamps(bob!, { program, member: bob!.account.address })).map((s) => s.edition)).to.deep.equal([1n]);

    const balances = await getBalances(alice!, { program, member: alice!.account.address });
    expect(balances.stamps).to.equal(1n);
    expect(balances.points).to.equal(0n);
    expect(balances.native > 0n).to.equal(true);
  });

  it("encodes and decodes stamp ids like the contract", () => {
    expect(encodeStampId(3n, 12n)).to.equal(3_000_000_012n);
    expect(decodeStampId(3_000_000_012n)).to.deep.equal({ seriesId: 3n, edition: 12n });
    expect(decodeTokenURI("https://cdn.example/1")).to.equal(undefined);
  });
});
