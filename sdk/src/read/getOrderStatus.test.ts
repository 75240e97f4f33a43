import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  createPublicClient,
  custom,
  decodeFunctionData,
  encodeFunctionData,
  erc20Abi,
  HttpRequestError,
  multicall3Abi,
  toFunctionSelector,
  type Address,
  type EIP1193RequestFn,
  type Hex,
} from "viem";
import { hardhat } from "viem/chains";
import { inProcessTransport } from "../cli/inProcess.js";
import { faultOf } from "../utils/faults.js";
import {
  acceptOffer,
  buyStamp,
  cancelAllOrders,
  cancelOrder,
  hashOrder,
  InvalidArgumentError,
  listStamp,
  makeOffer,
  marketDomain,
  offerTypes,
  proposeSwap,
  randomSalt,
  type Offer,
} from "../index.js";
import { installMulticall3, MULTICALL3 } from "../../../test/helpers/multicall3.js";
import { marketProgram, stampIds } from "../../../test/helpers/sdkProgram.js";
import { getOrderStatus } from "./getOrderStatus.js";

const { CUP, cup } = stampIds;

/** An offer by a contract wallet (ERC-1271) Cleo owns, funded and approved, signed by Cleo; `sign` signs it as another. */
async function contractWalletOffer() {
  const { program, ada, cleo } = await loadFixture(marketProgram);
  const wallet = (await (await ethers.deployContract("MockERC1271Wallet", [cleo.account.address])).getAddress()) as Address;
  await cleo.writeContract({ address: program.points, abi: erc20Abi, functionName: "transfer", args: [wallet, 300n] });
  const approve = encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [program.market, 300n] });
  const walletAbi = [
    {
      type: "function",
      name: "execute",
      stateMutability: "nonpayable",
      inputs: [
        { name: "target", type: "address" },
        { name: "value", type: "uint256" },
        { name: "data", type: "bytes" },
      ],
      outputs: [{ name: "", type: "bytes" }],
    },
  ] as const;
  await cleo.writeContract({ address: wallet, abi: walletAbi, functionName: "execute", args: [program.points, 0n, approve] });
  const order: Offer = {
    buyer: wallet,
    seriesId: CUP,
    tokenId: 0n,
    price: 300n,
    maxFees: 300n,
    currency: program.points,
    expiry: BigInt(await time.latest()) + 3_600n,
    nonce: 0n,
    salt: randomSalt(),
  };
  const sign = (signer: typeof cleo) =>
    signer.signTypedData({ domain: marketDomain(program), types: offerTypes, primaryType: "Offer", message: order });
  const byOwner = { order, signature: await sign(cleo), orderHash: "0x" as const };
  return { program, ada, byOwner, sign };
}

/**
 * A read client over the test chain whose RPC does not answer the eth_calls `fails` picks (a flaky node, a load
 * balancer dropping some requests): they fail as a fetch that failed does.
 */
function flakyCalls(fails: (call: { to?: string; data?: string }) => boolean) {
  const inner = inProcessTransport()({ chain: hardhat, retryCount: 0 });
  const request = (async (args: { method: string; params?: unknown }) => {
    const call = args.method === "eth_call" ? (args.params as [{ to?: string; data?: string }])[0] : undefined;
    if (call && fails(call)) throw new HttpRequestError({ url: "http://127.0.0.1:8545", body: args, details: "fetch failed" });
    return inner.request(args as Parameters<typeof inner.request>[0]);
  }) as EIP1193RequestFn;
  return createPublicClient({ chain: hardhat, transport: custom({ request }, { retryCount: 0 }) });
}

/** A read client folding reads into Multicall3 (as `punchcard serve` makes it on a public chain), its eth_calls kept. */
function multicallClient() {
  const inner = inProcessTransport()({ chain: hardhat, retryCount: 0 });
  const calls: { to?: string; data?: string }[] = [];
  const request = (async (args: { method: string; params?: unknown }) => {
    if (args.method === "eth_call") calls.push((args.params as [{ to?: string; data?: string }])[0]);
    return inner.request(args as Parameters<typeof inner.request>[0]);
  }) as EIP1193RequestFn;
  const client = createPublicClient({
    chain: { ...hardhat, contracts: { multicall3: { address: MULTICALL3 } } },
    transport: custom({ request }, { retryCount: 0 }),
    batch: { multicall: true },
  });
  return { client, calls };
}

/** The fault a promise rejected with (see faultOf), or undefined when it answered or failed otherwise. */
const faultIn = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => faultOf(error),
  );

describe("sdk: getOrderStatus", () => {
  it("follows a listing: open, then stale once the stamp is sold; a tampered copy is invalid", async () => {
    const { program, ada, ben } = await loadFixture(marketProgram);
    const listing = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
    const open = await getOrderStatus(ben, { program, order: { listing } });
    expect(open).to.deep.equal({ state: "open", orderHash: listing.orderHash });

    const tampered = { ...listing, order: { ...listing.order, price: 1n } };
    const invalid = await getOrderStatus(ben, { program, order: { listing: tampered } });
    expect(invalid.state).to.equal("invalid");
    expect(invalid.reason).to.contain(`is not ${listing.order.seller}'s over this order`);

    await buyStamp(ben, { program, listing });
    const sold = await getOrderStatus(ben, { program, order: { listing } });
    expect(sold.state).to.equal("stale");
    expect(sold.reason).to.contain(`Stamp ${cup(1n)} is no longer`);
  });

  it("tells a cancelled order, an expired one and one killed by a nonce bump apart", async () => {
    const { program, ada, ben } = await loadFixture(marketProgram);
    const cancelled = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
    await cancelOrder(ada, { program, order: { listing: cancelled } });
    expect((await getOrderStatus(ben, { program, order: { listing: cancelled } })).state).to.equal("cancelled");

    const shortLived = await listStamp(ada, {
      program,
      tokenId: cup(1n),
      price: 200n,
      currency: program.points,
      expiry: BigInt(await time.latest()) + 60n,
    });
    await time.increase(61);
    const expired = await getOrderStatus(ben, { program, order: { listing: shortLived } });
    expect(expired.state).to.equal("expired");
    expect(expired.reason).to.match(/^It expired at \d{4}-/);

    const swap = await proposeSwap(ada, { program, makerTokenId: cup(1n), wantedTokenId: cup(2n) });
    expect((await getOrderStatus(ben, { program, order: { swap } })).state).to.equal("open");
    await cancelAllOrders(ada, { program });
    const bumped = await getOrderStatus(ben, { program, order: { swap } });
    expect(bumped).to.deep.include({
      state: "stale",
      reason: `${ada.account.address} cancelled all their orders since signing it.`,
    });
  });

  it("follows an offer: open while funded, unfunded when the allowance is gone, filled once accepted", async () => {
    const { program, ada, cleo } = await loadFixture(marketProgram);
    const offer = await makeOffer(cleo, { program, seriesId: CUP, price: 300n, currency: program.points });
    expect((await getOrderStatus(ada, { program, order: { offer } })).state).to.equal("open");

    await cleo.writeContract({ address: program.points, abi: erc20Abi, functionName: "approve", args: [program.market, 0n] });
    const unfunded = await getOrderStatus(ada, { program, order: { offer } });
    expect(unfunded.state).to.equal("unfunded");
    expect(unfunded.reason).to.contain("lets the Market spend 0");

    await cleo.writeContract({ address: program.points, abi: erc20Abi, functionName: "approve", args: [program.market, 300n] });
    await acceptOffer(ada, { program, offer, tokenId: cup(1n) });
    expect(await getOrderStatus(ada, { program, order: { offer } })).to.deep.include({ state: "filled" });
  });

  it("through Multicall3, the chain's ecrecover recovers an EOA's signature in the order's one eth_call: the seller's is open; a tampered copy, another's signature, a flipped v are invalid", async () => {
    const { program, ada, ben } = await loadFixture(marketProgram);
    await installMulticall3(ada);
    const listing = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
    const { client, calls } = multicallClient();
    expect(await getOrderStatus(client, { program, order: { listing } })).to.deep.equal({
      state: "open",
      orderHash: listing.orderHash,
    });
    // One eth_call, to Multicall3, one of whose calls is to the ecrecover precompile (address 0x…01).
    expect(calls.map((c) => c.to?.toLowerCase())).to.deep.equal([MULTICALL3.toLowerCase()]);
    const { args } = decodeFunctionData({ abi: multicall3Abi, data: calls[0]!.data as Hex });
    const targets = (args[0] as readonly { target: Address }[]).map((c) => c.target.toLowerCase());
    expect(targets).to.include("0x0000000000000000000000000000000000000001");
    const byBen = await listStamp(ben, { program, tokenId: cup(2n), price: 200n, currency: program.points });
    const v = listing.signature.slice(-2);
    const copies = {
      tampered: { ...listing, order: { ...listing.order, price: 1n } },
      another: { ...listing, signature: byBen.signature },
      flipped: { ...listing, signature: `${listing.signature.slice(0, -2)}${v === "1b" ? "1c" : "1b"}` as Hex },
    };
    for (const [what, copy] of Object.entries(copies)) {
      const status = await getOrderStatus(client, { program, order: { listing: copy } });
      expect(status.state, what).to.equal("invalid");
      expect(status.reason, what).to.contain(`is not ${listing.order.seller}'s over this order`);
    }
  });

  it("takes the order's hash when the caller has it (the same answer, no hashing again); a hash that is not the order's is rejected, never used to pass a signature", async () => {
    const { program, ada } = await loadFixture(marketProgram);
    await installMulticall3(ada);
    const listing = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
    const { client } = multicallClient();
    const orderHash = hashOrder(program, { kind: "listing", order: listing.order });
    expect(await getOrderStatus(client, { program, order: { listing }, orderHash })).to.deep.equal({
      state: "open",
      orderHash: listing.orderHash,
    });
    // A cheaper copy, given the hash Ada signed: her signature recovers over that hash, yet the copy is not hers.
    const tampered = { ...listing, order: { ...listing.order, price: 1n } };
    const tamperedHash = hashOrder(program, { kind: "listing", order: tampered.order });
    const refused = await getOrderStatus(client, { program, order: { listing: tampered }, orderHash }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).to.be.instanceOf(InvalidArgumentError);
    expect((refused as InvalidArgumentError).shortMessage).to.equal(
      `orderHash ${orderHash} is not the hash of this order (${tamperedHash}).`,
    );
    // Its own hash: answered as without one.
    const own = await getOrderStatus(client, { program, order: { listing: tampered }, orderHash: tamperedHash });
    expect(own.state).to.equal("invalid");
  });

  it("through Multicall3, an offer signed for a contract wallet (ERC-1271) is still asked of the wallet: accepted, and refused when its owner did not sign", async () => {
    const { program, ada, byOwner, sign } = await contractWalletOffer();
    await installMulticall3(ada);
    const { client } = multicallClient();
    expect((await getOrderStatus(client, { program, order: { offer: byOwner } })).state).to.equal("open");
    const byStranger = { ...byOwner, signature: await sign(ada) };
    expect((await getOrderStatus(client, { program, order: { offer: byStranger } })).state).to.equal("invalid");
  });

  it("accepts an offer signed for a contract wallet (ERC-1271) and refuses one its owner did not sign", async () => {
    const { program, ada, byOwner, sign } = await contractWalletOffer();
    expect((await getOrderStatus(ada, { program, order: { offer: byOwner } })).state).to.equal("open");
    const byStranger = { ...byOwner, signature: await sign(ada) };
    expect((await getOrderStatus(ada, { program, order: { offer: byStranger } })).state).to.equal("invalid");
  });

  it("throws when the chain does not answer a read, never a verdict: not `stale` for a stamp's holder, not `invalid` for a wallet's signature", async () => {
    const chainDown = { source: "chain", message: "The chain's RPC did not answer." };
    const { program, ada } = await loadFixture(marketProgram);
    const listing = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
    const ownerOf = toFunctionSelector("ownerOf(uint256)");
    const noHolder = flakyCalls((call) => call.data?.startsWith(ownerOf) ?? false);
    expect(await faultIn(getOrderStatus(noHolder, { program, order: { listing } }))).to.deep.equal(chainDown);
    // The same reads answered: open.
    expect(
      (
        await getOrderStatus(
          flakyCalls(() => false),
          { program, order: { listing } },
        )
      ).state,
    ).to.equal("open");

    const wallet = await contractWalletOffer();
    const order = { offer: wallet.byOwner };
    // The wallet's signature is checked by a call with no address (a validator deployed for the call).
    const unverified = flakyCalls((call) => call.to === undefined);
    expect(await faultIn(getOrderStatus(unverified, { program: wallet.program, order }))).to.deep.equal(chainDown);
    expect(
      (
        await getOrderStatus(
          flakyCalls(() => false),
          { program: wallet.program, order },
        )
      ).state,
    ).to.equal("open");
  });
});
