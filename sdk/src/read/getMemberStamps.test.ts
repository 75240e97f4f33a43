import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { createPublicClient, custom, type EIP1193RequestFn } from "viem";
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

  it("reads every stamp's owner at once, then every held stamp's URI at once: not two calls per stamp in turn", async () => {
    const { program, backend, members } = await loadFixture(sdkProgram);
    const [alice, bob] = members;
    const to = Array.from({ length: 6 }, () => alice!.account.address);
    await mintStamps(backend, { program, seriesId: 1n, to: to.slice(0, 3) });
    await mintStamps(backend, { program, seriesId: 2n, to });
    await alice!.writeContract({
      address: program.stamps,
      abi: stampsAbi,
      functionName: "transferFrom",
      args: [alice!.account.address, bob!.account.address, encodeStampId(1n, 2n)],
    });
    // A transport that counts the calls in flight together (each answered a moment later, like a remote node).
    const request = alice!.request as EIP1193RequestFn;
    const calls: { started: number; inFlight: number; rounds: number } = { started: 0, inFlight: 0, rounds: 0 };
    const counting = createPublicClient({
      chain: alice!.chain,
      transport: custom({
        request: async (args: Parameters<EIP1193RequestFn>[0]) => {
          if (args.method !== "eth_call") return request(args);
          if (calls.inFlight++ === 0) calls.rounds++;
          calls.started++;
          try {
            await new Promise((resolve) => setTimeout(resolve, 20));
            return await request(args);
          } finally {
            calls.inFlight--;
          }
        },
      }),
    });
    const held = await getMemberStamps(counting, { program, member: alice!.account.address });
    expect(held).to.deep.equal(await getMemberStamps(alice!, { program, member: alice!.account.address }));
    expect(held.map((s) => s.tokenId)).to.deep.equal([
      encodeStampId(1n, 1n),
      encodeStampId(1n, 3n),
      ...to.map((_, i) => encodeStampId(2n, BigInt(i + 1))),
    ]);
    // 9 owners and 8 URIs, asked in two rounds (the old read asked them in 17, one after the other).
    expect(calls.started).to.equal(17);
    expect(calls.rounds).to.equal(2);
  });

  it("encodes and decodes stamp ids like the contract", () => {
    expect(encodeStampId(3n, 12n)).to.equal(3_000_000_012n);
    expect(decodeStampId(3_000_000_012n)).to.deep.equal({ seriesId: 3n, edition: 12n });
    expect(decodeTokenURI("https://cdn.example/1")).to.equal(undefined);
  });
});
