import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { erc20Abi, getAddress, type Address } from "viem";
import {
  listStamp,
  makeOffer,
  marketAbi,
  proposeSwap,
  readLedger,
  relayCancel,
  relayMarketApproval,
  relayMatch,
  relayRedeem,
  relaySwap,
  signCancel,
  signCancelAll,
  signMarketApproval,
  signPointsPermit,
  signPurchase,
  signRedeem,
  stampsAbi,
} from "@punchcard/sdk";
import { expectRevert } from "../../../test/helpers/sdkErrors.js";
import { MIN_POINTS_ROYALTY, ZERO_COIN_FEE_BPS, stampIds, zeroCoinProgram } from "../../../test/helpers/sdkProgram.js";

describe("sdk: members pay no gas (relayed intents)", () => {
  it("list, buy with Points, accept an offer, swap, cancel and redeem, all sent by the relayer", async () => {
    const { program, dan, eve, relayer, feeRecipient, treasury, danCup, eveCup } = await loadFixture(zeroCoinProgram);
    const points = { address: program.points, abi: erc20Abi } as const;
    const balance = (who: Address) => relayer.readContract({ ...points, functionName: "balanceOf", args: [who] });
    const owner = (tokenId: bigint) =>
      relayer.readContract({ address: program.stamps, abi: stampsAbi, functionName: "ownerOf", args: [tokenId] });
    const sent = (who: Address) => relayer.getTransactionCount({ address: who });
    const [d, e, t, f] = [dan, eve, treasury, feeRecipient].map((c) => getAddress(c.account.address)) as [
      Address,
      Address,
      Address,
      Address,
    ];
    expect(await relayer.getBalance({ address: d })).to.equal(0n);
    expect(await relayer.getBalance({ address: e })).to.equal(0n);

    // First trade without an approval transaction: both members sign the Market's approval.
    for (const member of [dan, eve]) {
      await relayMarketApproval(relayer, { program, approval: await signMarketApproval(member, { program }) });
    }

    // Dan lists his cup for 200 points; Eve buys it by signing an offer built from the listing and a permit.
    const listing = await listStamp(dan, { program, tokenId: danCup, price: 200n, currency: program.points });
    const purchase = await signPurchase(eve, { program, listing });
    expect(purchase.order.tokenId).to.equal(danCup);
    expect(purchase.order.price).to.equal(200n);
    const permit = await signPointsPermit(eve, { program, value: 200n });
    const [sellerAmount, royaltyAmount, fee] = await relayer.readContract({
      address: program.market,
      abi: marketAbi,
      functionName: "quoteSale",
      args: [danCup, program.points, 200n],
    });
    expect(fee).to.equal((200n * ZERO_COIN_FEE_BPS) / 10_000n);
    const before = await Promise.all([d, e, t, f].map(balance));
    const bought = await relayMatch(relayer, { program, listing, offer: purchase, permit });
    expect(bought.permit, "Eve had no allowance: the permit went first").to.not.equal(undefined);
    expect(bought.receipt.from.toLowerCase()).to.equal(relayer.account.address.toLowerCase());
    expect(bought.sale).to.include({ seller: d, buyer: e, price: 200n, sellerAmount, royaltyAmount, fee });
    const after = await Promise.all([d, e, t, f].map(balance));
    expect(after.map((b, i) => b - before[i]!)).to.deep.equal([sellerAmount, -200n, royaltyAmount, fee]);
    expect(await owner(danCup)).to.equal(e);

    // Replayed: Eve's allowance is used up and her permit spent, so the permit's simulation refuses it, and the
    // relayer sends nothing; without the permit it refuses before simulating.
    const relayerNonce = await sent(relayer.account.address);
    await expectRevert(relayMatch(relayer, { program, listing, offer: purchase, permit }), "ERC2612InvalidSigner");
    const bare = await relayMatch(relayer, { program, listing, offer: purchase }).catch((error: unknown) => error);
    expect(String(bare)).to.match(/short of the 200/);
    expect(await sent(relayer.account.address)).to.equal(relayerNonce);

    // Dan offers 150 points on any cup without a transaction; Eve accepts by signing a listing at that price.
    const offer = await makeOffer(dan, {
      program,
      seriesId: stampIds.CUP,
      price: 150n,
      currency: program.points,
      approve: false,
    });
    const danPermit = await signPointsPermit(dan, { program, value: 150n });
    const acceptance = await listStamp(eve, { program, tokenId: danCup, price: 150n, currency: program.points });
    const accepted = await relayMatch(relayer, { program, listing: acceptance, offer, permit: danPermit });
    expect(accepted.sale).to.include({ seller: e, buyer: d, price: 150n });
    expect(await owner(danCup)).to.equal(d);

    // Swap: Dan's cup for Eve's; Eve (the counter-order) pays the swap royalty in Points through a permit.
    const danSwap = await proposeSwap(dan, { program, makerTokenId: danCup, wantedTokenId: eveCup });
    const eveSwap = await proposeSwap(eve, { program, makerTokenId: eveCup, wantedTokenId: danCup });
    const swapPermit = await signPointsPermit(eve, { program, value: MIN_POINTS_ROYALTY });
    const [eveBefore, treasuryBefore] = await Promise.all([balance(e), balance(t)]);
    const swapped = await relaySwap(relayer, { program, order: danSwap, counterOrder: eveSwap, permit: swapPermit });
    expect(swapped.royaltyAmount + swapped.swapFee).to.equal(MIN_POINTS_ROYALTY);
    expect(await balance(e)).to.equal(eveBefore - MIN_POINTS_ROYALTY);
    expect(await balance(t)).to.equal(treasuryBefore + MIN_POINTS_ROYALTY);
    expect([await owner(danCup), await owner(eveCup)]).to.deep.equal([e, d]);

    // Cancel one listing, then all of Eve's orders, by signature.
    const toCancel = await listStamp(dan, { program, tokenId: eveCup, price: 300n, currency: program.points });
    const cancellation = await signCancel(dan, { program, order: { kind: "listing", ...toCancel } });
    await relayCancel(relayer, { program, cancellation });
    const market = { address: program.market, abi: marketAbi } as const;
    expect(await relayer.readContract({ ...market, functionName: "orderStatus", args: [toCancel.orderHash] })).to.equal(2);
    // Replayed: refused in simulation with the contract's error as a sentence; nothing sent.
    const beforeReplay = await sent(relayer.account.address);
    const replayed = await expectRevert(relayCancel(relayer, { program, cancellation }), "MarketOrderCancelled");
    expect(replayed.message).to.match(/was cancelled by its signer/);
    expect(await sent(relayer.account.address)).to.equal(beforeReplay);
    await relayCancel(relayer, { program, cancellation: await signCancelAll(eve, { program }) });
    expect(await relayer.readContract({ ...market, functionName: "nonces", args: [e] })).to.equal(1n);

    // Redeem 100 points for a coffee.
    const danPoints = await balance(d);
    await relayRedeem(relayer, {
      program,
      redemption: await signRedeem(dan, { program, amount: 100n, rewardId: "free-coffee" }),
    });
    expect(await balance(d)).to.equal(danPoints - 100n);

    // Neither member ever paid or sent anything.
    for (const who of [d, e]) {
      expect(await relayer.getBalance({ address: who })).to.equal(0n);
      expect(await sent(who)).to.equal(0);
    }

    // The ledger reads the relayed sales with the right buyer and seller.
    const entries = await readLedger(relayer, { program });
    const matched = entries.filter((entry) => entry.kind === "orders.matched");
    expect(matched.map((m) => [m.actor, m.counterparty, m.amount])).to.deep.equal([
      [e, d, 200n],
      [d, e, 150n],
    ]);
    expect(matched[0]!.royalty).to.equal(royaltyAmount);
    expect(matched[0]!.fee).to.equal(fee);
  });

  it("refuses a match whose buyer's allowance is short and who signed no permit, sending nothing", async () => {
    const { program, dan, eve, relayer, danCup } = await loadFixture(zeroCoinProgram);
    await relayMarketApproval(relayer, { program, approval: await signMarketApproval(dan, { program }) });
    const listing = await listStamp(dan, { program, tokenId: danCup, price: 200n, currency: program.points });
    const purchase = await signPurchase(eve, { program, listing });
    const nonce = await relayer.getTransactionCount({ address: relayer.account.address });
    const error = await relayMatch(relayer, { program, listing, offer: purchase }).catch((e: unknown) => e);
    expect(String(error)).to.match(/short of the 200/);
    expect(await relayer.getTransactionCount({ address: relayer.account.address })).to.equal(nonce);
    // A replayed approval is refused by the contract's error, decoded.
    const approval = await signMarketApproval(eve, { program });
    await relayMarketApproval(relayer, { program, approval });
    await expectRevert(relayMarketApproval(relayer, { program, approval }), "StampsInvalidSignature");
  });
});
