import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { createClient, type Address, type Hex } from "viem";
import { entryPoint08Abi, entryPoint08Address, toPackedUserOperation } from "viem/account-abstraction";
import { hardhat } from "viem/chains";
import { deployAccountFixture } from "../../../test/account/fixture.js";
import { stampId } from "../../../test/fixtures/tokens.js";
import { inProcessTransport } from "../cli/inProcess.js";
import {
  acceptOfferCalls,
  approveMarketCalls,
  approveOfferCalls,
  buyStampCalls,
  cancelAllOrdersCalls,
  cancelOrderCalls,
  createProgramServerClient,
  listStamp,
  marketDomain,
  offerTypes,
  prepareSponsoredUserOperation,
  redeemVoucherCalls,
  type MemberAccountCall,
  type Offer,
  type Program,
  type WriteClient,
} from "../index.js";
import { openDatabase } from "../node/database.js";
import { createProgramServer } from "../server/app.js";
import type { OrderBookTables } from "../server/orderBook/schema.js";

// A member's actions from a passkey account, each as one batch of calls (memberAccountCalls.ts), sponsored by the
// program server under its relay policy and run through the real EntryPoint v0.8 and the BrandPaymaster. The member
// holds no coin from the first UserOp to the last.

async function fixture() {
  const f = await deployAccountFixture();
  const program: Program = {
    chainId: 31337,
    deployBlock: 0n,
    stamps: (await f.stamps.getAddress()) as Address,
    points: (await f.points.getAddress()) as Address,
    market: (await f.market.getAddress()) as Address,
    consent: (await f.consent.getAddress()) as Address,
    rewards: (await f.rewards.getAddress()) as Address,
  };
  return { ...f, program };
}

/** The fixture's chain, a fresh program server (its budget and pending sponsorships start empty), the member signed up. */
async function setup() {
  const f = await loadFixture(fixture);
  const { program } = f;
  const server = createProgramServer({
    program,
    client: f.client,
    db: openDatabase<OrderBookTables>(":memory:"),
    userOps: { sponsor: f.sponsorKey, paymaster: f.paymasterAddress, factory: (await f.factory.getAddress()) as Address },
  });
  await server.book.init();
  const api = createProgramServerClient("http://server.test", {
    fetch: async (input, init) => server.app.request(input as string, init),
  });
  /** One sponsored UserOp of the member running `calls`, mined. */
  const run = async (calls: MemberAccountCall[]) => {
    const userOperation = await prepareSponsoredUserOperation(f.client, {
      account: f.member,
      calls,
      sponsor: (op) => api.sponsorUserOperation(op),
    });
    const hash = await f.client.writeContract({
      address: entryPoint08Address,
      abi: entryPoint08Abi,
      functionName: "handleOps",
      args: [[toPackedUserOperation(userOperation)], f.bundler.address as Address],
    });
    const receipt = await f.client.waitForTransactionReceipt({ hash });
    expect(receipt.status).to.equal("success");
    const [event] = receipt.logs.filter(
      (l) => l.topics[0] === ethers.id("UserOperationEvent(bytes32,address,address,uint256,bool,uint256,uint256)"),
    );
    // UserOperationEvent's `success`: the batch ran (the EntryPoint does not revert when the calls do).
    expect(BigInt(`0x${event!.data.slice(2 + 64 * 1, 2 + 64 * 2)}`)).to.equal(1n);
    return receipt;
  };
  // The member's first UserOp: the welcome voucher (a Coffee Club stamp, 100 points) deploys the account; a
  // fresh account is sponsored for it because the brand signed the voucher.
  const { voucher, signature } = await f.welcomeVoucher(f.member.address);
  await run(redeemVoucherCalls({ program, voucher: { order: voucher, signature: signature as Hex, orderHash: "0x" } }));
  // A holder now: the policy sponsors more than vouchers (a fresh account batching anything else is refused).
  await run(approveMarketCalls({ program }));
  /** The existing SDK actions, run with the passkey account as the client's account (signatures go ERC-1271). */
  const memberClient = createClient({
    account: f.member,
    chain: hardhat,
    transport: inProcessTransport(),
  }) as unknown as WriteClient;
  const welcomeStamp = stampId(f.series.coffeeClub, 5n);
  return { ...f, server, api, run, memberClient, welcomeStamp };
}

describe("sdk: member actions as sponsored UserOps (memberAccountCalls)", () => {
  it("redeem a voucher: the first UserOp deploys the account and mints the stamp and points; no coin", async () => {
    const f = await setup();
    expect(await f.stamps.ownerOf(f.welcomeStamp)).to.equal(f.member.address);
    expect(await f.points.balanceOf(f.member.address)).to.equal(100n);
    expect(await ethers.provider.getBalance(f.member.address)).to.equal(0n);
  });

  it("list (ERC-1271 through the existing listStamp), then cancel the listing in a UserOp; cancel all moves the nonce", async () => {
    const f = await setup();
    const listing = await listStamp(f.memberClient, {
      program: f.program,
      tokenId: f.welcomeStamp,
      price: 40n,
      currency: f.program.points,
    });
    expect(await f.market.orderStatus(listing.orderHash)).to.equal(0n);
    await f.run(cancelOrderCalls({ program: f.program, order: { kind: "listing", order: listing.order } }));
    expect(await f.market.orderStatus(listing.orderHash)).to.equal(2n);
    await f.run(cancelAllOrdersCalls({ program: f.program }));
    expect(await f.market.nonces(f.member.address)).to.equal(1n);
    expect(await ethers.provider.getBalance(f.member.address)).to.equal(0n);
  });

  it("buy: approve + buy in one UserOp; the seller is paid and the approval is spent", async () => {
    const f = await setup();
    const alice = createClient({
      account: f.alice.address as Address,
      chain: hardhat,
      transport: inProcessTransport(),
    }) as unknown as WriteClient;
    const listing = await listStamp(alice, {
      program: f.program,
      tokenId: f.tokens.aliceCoffee,
      price: 30n,
      currency: f.program.points,
    });
    await f.run(buyStampCalls({ program: f.program, listing }));
    expect(await f.stamps.ownerOf(f.tokens.aliceCoffee)).to.equal(f.member.address);
    expect(await f.points.balanceOf(f.member.address)).to.equal(70n);
    expect(await f.points.allowance(f.member.address, f.program.market)).to.equal(0n);
  });

  it("offer: signed by the passkey (ERC-1271), backed in a UserOp, accepted by a seller; and sell to an offer from the account", async () => {
    const f = await setup();
    const order: Offer = {
      buyer: f.member.address,
      seriesId: BigInt(f.series.coffeeClub),
      tokenId: 0n,
      price: 25n,
      maxFees: 25n,
      currency: f.program.points,
      expiry: BigInt((await ethers.provider.getBlock("latest"))!.timestamp + 3_600),
      nonce: 0n,
      salt: ethers.ZeroHash as Hex,
    };
    const signature = await f.member.signTypedData({
      domain: marketDomain(f.program),
      types: offerTypes,
      primaryType: "Offer",
      message: order,
    });
    await f.run(approveOfferCalls({ program: f.program, currency: f.program.points, amount: order.price }));
    await f.market.connect(f.bob).acceptOffer(order, signature, f.tokens.bobCoffee);
    expect(await f.stamps.ownerOf(f.tokens.bobCoffee)).to.equal(f.member.address);
    expect(await f.points.balanceOf(f.member.address)).to.equal(75n);
    // The account sells its welcome stamp to Carol's offer, approving the Market in the same batch.
    const carolOffer: Offer = { ...order, buyer: f.carol.address as Address };
    const carolSignature = (await f.carol.signTypedData(
      { ...marketDomain(f.program), chainId: 31337 },
      { Offer: [...offerTypes.Offer] },
      carolOffer,
    )) as Hex;
    await f.run(
      acceptOfferCalls({
        program: f.program,
        offer: { order: carolOffer, signature: carolSignature, orderHash: "0x" },
        tokenId: f.welcomeStamp,
        approveMarket: true,
      }),
    );
    expect(await f.stamps.ownerOf(f.welcomeStamp)).to.equal(f.carol.address);
    expect(await ethers.provider.getBalance(f.member.address)).to.equal(0n);
  });
});
