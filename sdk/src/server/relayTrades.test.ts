import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { signTypedData } from "viem/actions";
import { erc20Abi, getAddress, parseSignature, type Address, type Hex } from "viem";
import {
  attestLink,
  commitmentOf,
  createProgramServerClient,
  getConsentLink,
  listStamp,
  makeOffer,
  marketAbi,
  pointsAbi,
  ProgramServerError,
  proposeSwap,
  quoteSale,
  permitTypes,
  randomSalt,
  signCancel,
  signCancelAll,
  signConsentChange,
  signConsentLink,
  signMarketApproval,
  signPointsPermit,
  signPurchase,
  signRedeem,
  stampsAbi,
  submitLink,
  tokenDomain,
} from "@punchcard/sdk";
import { MIN_POINTS_ROYALTY, ZERO_COIN_FEE_BPS, stampIds, zeroCoinProgram } from "../../../test/helpers/sdkProgram.js";
import { freshDatabase } from "../../../test/helpers/databases.js";
import { startProgramServer } from "./start.js";

const { CUP } = stampIds;

async function until(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A permit like `permit`, signed properly by its owner but for a nonce `ahead` past the current one. */
async function forged(
  member: Parameters<typeof signPointsPermit>[0],
  permit: Awaited<ReturnType<typeof signPointsPermit>>,
  ahead: bigint,
) {
  const m = permit.message;
  const signature = await signTypedData(member, {
    account: member.account,
    domain: await tokenDomain(member, m.token),
    types: permitTypes,
    primaryType: "Permit",
    message: { owner: m.owner, spender: m.spender, value: m.value, nonce: m.nonce + ahead, deadline: m.deadline },
  });
  return { message: { ...m, nonce: m.nonce + ahead }, signature };
}

async function serve(quota: number) {
  const fixture = await loadFixture(zeroCoinProgram);
  const server = await startProgramServer({
    program: fixture.program,
    client: fixture.brand,
    db: await freshDatabase("sqlite"),
    port: 0,
    relayer: fixture.relayer,
    quota,
    pollingInterval: 20,
  });
  const client = createProgramServerClient(server.url);
  const { relayer } = fixture;
  const points = (who: Address) =>
    relayer.readContract({ address: fixture.program.points, abi: erc20Abi, functionName: "balanceOf", args: [who] });
  const owner = (tokenId: bigint) =>
    relayer.readContract({ address: fixture.program.stamps, abi: stampsAbi, functionName: "ownerOf", args: [tokenId] });
  const sentBy = (who: Address) => relayer.getTransactionCount({ address: who });
  const fromRelayer = async (hash: string) =>
    expect((await relayer.getTransactionReceipt({ hash: hash as Hex })).from.toLowerCase()).to.equal(
      relayer.account.address.toLowerCase(),
    );
  // Dan, Eve, the brand's treasury (royalties) and the fee recipient, whose balances each trade moves.
  const traders = [fixture.dan, fixture.eve, fixture.treasury, fixture.feeRecipient].map((c) =>
    getAddress(c.account.address),
  ) as [Address, Address, Address, Address];
  return { ...fixture, server, client, points, owner, sentBy, fromRelayer, traders };
}

describe("server: members with no native coin trade through the relayer over HTTP", () => {
  it("buy: the seller's approval is relayed and the listing posted; the buyer finds it, signs a purchase and a permit, and the relayer settles it", async () => {
    const { program, dan, eve, danCup, server, client, points, owner, sentBy, fromRelayer, traders } = await serve(10);
    try {
      const [d, e, t, f] = traders;
      // Dan's first trade: no approval transaction, he signs it and the relayer submits it.
      const approved = await client.relay("marketApproval", { approval: await signMarketApproval(dan, { program }) });
      expect(approved).to.deep.include({ member: d, remainingToday: 9 });
      await fromRelayer(approved.hash);
      const listing = await listStamp(dan, { program, tokenId: danCup, price: 200n, currency: program.points });
      expect((await client.postOrder({ listing })).status).to.equal("open");

      // Eve finds it in the book and signs her half.
      const found = (await client.listings({ seriesId: CUP, currency: program.points })).orders.find(
        (o) => o.signed.orderHash === listing.orderHash,
      );
      if (found?.kind !== "listing") throw new Error("the listing is not in the book");
      const purchase = await signPurchase(eve, { program, listing: found.signed });
      const permit = await signPointsPermit(eve, { program, value: found.signed.order.price });
      const { sellerAmount, royaltyAmount, fee } = await quoteSale(eve, {
        program,
        tokenId: danCup,
        price: 200n,
        currency: program.points,
      });
      expect(fee).to.equal((200n * ZERO_COIN_FEE_BPS) / 10_000n);
      expect(royaltyAmount).to.be.greaterThan(0n);
      const before = await Promise.all([d, e, t, f].map(points));
      const bought = await client.relay("buy", { listing: found.signed, purchase, permit });
      expect(bought.member, "the buyer's quota").to.equal(e);
      expect(bought.permitHash, "Eve had no allowance: her permit went first").to.match(/^0x[0-9a-f]{64}$/);
      await fromRelayer(bought.hash);
      await fromRelayer(bought.permitHash!);
      const after = await Promise.all([d, e, t, f].map(points));
      expect(after.map((b, i) => b - before[i]!)).to.deep.equal([sellerAmount, -200n, royaltyAmount, fee]);
      expect(sellerAmount + royaltyAmount + fee).to.equal(200n);
      expect(await owner(danCup)).to.equal(e);

      // The listing leaves the book as filled, by Eve.
      await until(async () => (await client.order(listing.orderHash)).status === "filled", "the book to see the fill");
      expect((await client.order(listing.orderHash)).reason).to.contain(`Bought by ${e}`);
      expect((await client.listings({ seriesId: CUP, currency: program.points })).orders).to.deep.equal([]);

      // Every trade action is a path of the OpenAPI document, with its request body's schema.
      const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
        paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: object }> } } }>;
      };
      for (const action of ["marketApproval", "buy", "acceptOffer", "swap", "cancel", "cancelAll", "redeem"])
        expect(doc.paths[`/relay/${action}`]?.post?.requestBody?.content["application/json"]?.schema, action).to.be.an("object");

      for (const who of [d, e]) {
        expect(await eve.getBalance({ address: who }), `${who} holds no native coin`).to.equal(0n);
        expect(await sentBy(who), `${who} sent no transaction`).to.equal(0);
      }
    } finally {
      await server.close();
    }
  });

  it("bid with no coin and no allowance: an offer posted with its permit is open, accepted through /relay with the stored permit; bad permits are refused by field; a permit used elsewhere leaves the offer unfunded", async () => {
    const { program, dan, eve, eveCup, relayer, server, client, points, owner, sentBy, fromRelayer, traders } = await serve(10);
    try {
      const [d, e, t, f] = traders;
      const allowance = (who: Address) =>
        relayer.readContract({ address: program.points, abi: erc20Abi, functionName: "allowance", args: [who, program.market] });
      expect(await allowance(d), "Dan has never approved the Market").to.equal(0n);

      // Dan bids 150 on any cup: the offer and a permit for exactly 150 that lasts as long as the offer.
      const offer = await makeOffer(dan, { program, seriesId: CUP, price: 150n, currency: program.points, approve: false });
      const deadline = offer.order.expiry;
      const permit = await signPointsPermit(dan, { program, value: 150n, deadline });

      // Without the permit the book refuses the unfunded offer, as before.
      expect(await client.postOrder({ offer }).catch((error: unknown) => error)).to.deep.include({
        status: 422,
        code: "unfunded",
      });
      // Bad permits: refused with the field named, nothing stored.
      const bad: [string, Awaited<ReturnType<typeof signPointsPermit>>][] = [
        ["permit.message.value", await signPointsPermit(dan, { program, value: 149n, deadline })],
        ["permit.message.owner", await signPointsPermit(eve, { program, value: 150n, deadline })],
        ["permit.message.spender", await signPointsPermit(dan, { program, value: 150n, deadline, spender: e })],
        ["permit.message.deadline", await signPointsPermit(dan, { program, value: 150n, deadline: deadline - 1n })],
        ["permit.signature", { message: { ...permit.message, value: 10_000n }, signature: permit.signature }],
        ["permit.message.nonce", await forged(dan, permit, 1n)],
      ];
      for (const [field, badPermit] of bad) {
        const refused = await client.postOrder({ offer, permit: badPermit }).catch((error: unknown) => error);
        expect(refused, field).to.be.instanceOf(ProgramServerError);
        expect(refused, field).to.deep.include({ code: "invalid_permit" });
        expect((refused as ProgramServerError).status, field).to.be.within(400, 499);
        expect((refused as Error).message, field).to.contain(field);
      }
      expect(await client.order(offer.orderHash).catch((error: unknown) => error)).to.deep.include({ status: 404 });

      // With a good permit the offer is open, and the book answers it with its permit.
      const posted = await client.postOrder({ offer, permit });
      expect(posted.status).to.equal("open");
      const found = (await client.offers({ tokenId: eveCup })).orders.find((o) => o.signed.orderHash === offer.orderHash);
      if (found?.kind !== "offer") throw new Error("the offer is not in the book");
      expect(found.permit).to.deep.equal(permit);
      // The OpenAPI document, generated from the same schemas, shows the permit on a posted offer and on an answer.
      const doc = JSON.stringify(await (await fetch(`${server.url}/openapi.json`)).json());
      expect(doc).to.contain("The buyer's permit for the offer's currency");
      expect(doc).to.contain("An ERC-2612 permit as the SDK's signPointsPermit makes it");
      expect(await allowance(d), "the permit is only stored, not submitted").to.equal(0n);

      // Eve accepts it: her approval and her listing at the price, relayed; the relayer submits Dan's stored permit.
      await client.relay("marketApproval", { approval: await signMarketApproval(eve, { program }) });
      const listing = await listStamp(eve, { program, tokenId: eveCup, price: 150n, currency: program.points });
      const { sellerAmount, royaltyAmount, fee } = await quoteSale(eve, {
        program,
        tokenId: eveCup,
        price: 150n,
        currency: program.points,
      });
      const before = await Promise.all([d, e, t, f].map(points));
      const accepted = await client.relay("acceptOffer", { offer: found.signed, listing });
      expect(accepted.member).to.equal(e);
      expect(accepted.permitHash, "Dan's allowance was 0: his stored permit went first").to.match(/^0x[0-9a-f]{64}$/);
      await fromRelayer(accepted.hash);
      await fromRelayer(accepted.permitHash!);
      const after = await Promise.all([d, e, t, f].map(points));
      expect(after.map((b, i) => b - before[i]!)).to.deep.equal([-150n, sellerAmount, royaltyAmount, fee]);
      expect(sellerAmount + royaltyAmount + fee).to.equal(150n);
      expect(await owner(eveCup)).to.equal(d);
      expect(await allowance(d), "the Market spent exactly what the permit allowed").to.equal(0n);
      await until(async () => (await client.order(offer.orderHash)).status === "filled", "the offer filled");

      // Dan bids again with a permit, then uses that nonce elsewhere (a permit to another spender, submitted by
      // someone): the offer's permit can no longer be submitted, so the offer leaves the book as unfunded.
      const second = await makeOffer(dan, { program, seriesId: CUP, price: 100n, currency: program.points, approve: false });
      const secondPermit = await signPointsPermit(dan, { program, value: 100n, deadline: second.order.expiry });
      expect((await client.postOrder({ offer: second, permit: secondPermit })).status).to.equal("open");
      const elsewhere = await signPointsPermit(dan, { program, value: 1n, spender: e });
      expect(elsewhere.message.nonce).to.equal(secondPermit.message.nonce);
      const { v, r, s, yParity } = parseSignature(elsewhere.signature);
      const m = elsewhere.message;
      await relayer.writeContract({
        address: program.points,
        abi: pointsAbi,
        functionName: "permit",
        args: [m.owner, m.spender, m.value, m.deadline, Number(v ?? BigInt(yParity + 27)), r, s],
      });
      await until(async () => (await client.order(second.orderHash)).status === "stale", "the used permit");
      const stale = await client.order(second.orderHash);
      expect(stale.reason).to.contain("used or replaced").and.to.contain(`nonce ${secondPermit.message.nonce}`);
      expect((await client.offers({ seriesId: CUP })).orders.map((o) => o.signed.orderHash)).to.not.include(second.orderHash);

      for (const who of [d, e]) {
        expect(await eve.getBalance({ address: who })).to.equal(0n);
        expect(await sentBy(who)).to.equal(0);
      }
    } finally {
      await server.close();
    }
  });

  it("accept an offer, swap, cancel one, cancel all, redeem and a consent change, each relayed once on the signer's quota", async () => {
    const { program, backend, dan, eve, danCup, eveCup, server, client, points, owner, sentBy, fromRelayer } = await serve(10);
    try {
      const [d, e] = [dan, eve].map((c) => getAddress(c.account.address)) as [Address, Address];
      for (const m of [dan, eve]) await client.relay("marketApproval", { approval: await signMarketApproval(m, { program }) });

      // Dan offers 150 on any cup without a transaction. (The book refuses an offer whose buyer's allowance is 0
      // unless a permit comes with it, tested above; here he hands the offer and permit to Eve directly.) Eve accepts
      // by signing a listing at that price, which she posts too.
      const offer = await makeOffer(dan, { program, seriesId: CUP, price: 150n, currency: program.points, approve: false });
      const refused = await client.postOrder({ offer }).catch((error: unknown) => error);
      expect(refused).to.deep.include({ status: 422 });
      const acceptance = await listStamp(eve, { program, tokenId: eveCup, price: 150n, currency: program.points });
      await client.postOrder({ listing: acceptance });
      const danPermit = await signPointsPermit(dan, { program, value: 150n });
      const [danBefore, eveBefore] = await Promise.all([points(d), points(e)]);
      const accepted = await client.relay("acceptOffer", { offer, listing: acceptance, permit: danPermit });
      expect(accepted.member, "the seller who accepted").to.equal(e);
      await fromRelayer(accepted.hash);
      expect(await owner(eveCup)).to.equal(d);
      expect(await points(d)).to.equal(danBefore - 150n);
      expect((await points(e)) - eveBefore).to.be.greaterThan(0n);
      await until(async () => (await client.order(acceptance.orderHash)).status === "filled", "the acceptance filled");
      expect((await client.order(acceptance.orderHash)).reason).to.contain(`Bought by ${d}`);

      // Dan now holds both cups: Eve buys one back (a relayed buy), then they swap them.
      const eveBuysBack = await listStamp(dan, { program, tokenId: danCup, price: 100n, currency: program.points });
      const purchase = await signPurchase(eve, { program, listing: eveBuysBack });
      await client.relay("buy", {
        listing: eveBuysBack,
        purchase,
        permit: await signPointsPermit(eve, { program, value: 100n }),
      });
      expect(await owner(danCup)).to.equal(e);
      const danSwap = await proposeSwap(dan, { program, makerTokenId: eveCup, wantedTokenId: danCup });
      await client.postOrder({ swap: danSwap });
      const eveSwap = await proposeSwap(eve, { program, makerTokenId: danCup, wantedTokenId: eveCup });
      const swapPermit = await signPointsPermit(eve, { program, value: MIN_POINTS_ROYALTY });
      const eveBeforeSwap = await points(e);
      const swapped = await client.relay("swap", { order: danSwap, counterOrder: eveSwap, permit: swapPermit });
      expect(swapped.member, "the taker").to.equal(e);
      expect([await owner(danCup), await owner(eveCup)]).to.deep.equal([d, e]);
      expect(await points(e)).to.equal(eveBeforeSwap - MIN_POINTS_ROYALTY);
      await until(async () => (await client.order(danSwap.orderHash)).status !== "open", "the swap out of the book");

      // Cancel one listing, then all of Eve's orders.
      const toCancel = await listStamp(dan, { program, tokenId: danCup, price: 300n, currency: program.points });
      await client.postOrder({ listing: toCancel });
      const cancelled = await client.relay("cancel", {
        cancellation: await signCancel(dan, { program, order: { kind: "listing", ...toCancel } }),
      });
      expect(cancelled.member).to.equal(d);
      await until(async () => (await client.order(toCancel.orderHash)).status === "cancelled", "the cancel");
      const eveListing = await listStamp(eve, { program, tokenId: eveCup, price: 300n, currency: program.points });
      await client.postOrder({ listing: eveListing });
      const all = await client.relay("cancelAll", { cancellation: await signCancelAll(eve, { program }) });
      expect(all.member).to.equal(e);
      expect(await eve.readContract({ address: program.market, abi: marketAbi, functionName: "nonces", args: [e] })).to.equal(1n);
      await until(async () => (await client.order(eveListing.orderHash)).status === "stale", "the nonce bump");

      // Redeem 100 points for a coffee.
      const danPoints = await points(d);
      const redeemed = await client.relay("redeem", {
        redemption: await signRedeem(dan, { program, amount: 100n, rewardId: "free-coffee" }),
      });
      expect(redeemed.member).to.equal(d);
      expect(await points(d)).to.equal(danPoints - 100n);

      // A consent change, for real: changePurposes needs no role, so a relayer key without one submits it.
      const commitment = commitmentOf(randomSalt(), "cust-dan");
      const consent = await signConsentLink(dan, { program, commitment, purposes: ["rewards"] });
      await submitLink(backend, { program, consent, attestation: await attestLink(backend, { program, wallet: d, commitment }) });
      const change = await signConsentChange(dan, { program, purposes: ["rewards", "analytics"] });
      const changed = await client.relay("consentChange", { change });
      expect(changed.member).to.equal(d);
      await fromRelayer(changed.hash);
      expect((await getConsentLink(dan, { program, wallet: d }))?.purposes).to.deep.equal(["rewards", "analytics"]);

      for (const who of [d, e]) {
        expect(await eve.getBalance({ address: who })).to.equal(0n);
        expect(await sentBy(who)).to.equal(0);
      }
    } finally {
      await server.close();
    }
  });

  it("refuses a replay with 422 and the SDK's sentence, gives the quota back, stops at the quota with 429, and refuses a role-gated action clearly", async () => {
    const { program, dan, eve, danCup, relayer, server, client, sentBy } = await serve(2);
    try {
      const e = getAddress(eve.account.address);
      const approval = await signMarketApproval(dan, { program });
      expect((await client.relay("marketApproval", { approval })).remainingToday).to.equal(1);
      const listing = await listStamp(dan, { program, tokenId: danCup, price: 200n, currency: program.points });
      const purchase = await signPurchase(eve, { program, listing });
      const permit = await signPointsPermit(eve, { program, value: 200n });
      expect((await client.relay("buy", { listing, purchase, permit })).remainingToday).to.equal(1);

      // The same purchase again: the permit's nonce is spent, the simulation refuses it, nothing is sent.
      const relayerNonce = await sentBy(relayer.account.address);
      const replay = await client.relay("buy", { listing, purchase, permit }).catch((error: unknown) => error);
      expect(replay).to.be.instanceOf(ProgramServerError);
      expect(replay).to.deep.include({ status: 422, code: "would_revert" });
      expect((replay as Error).message).to.match(/signed by|signature/i);
      // Without the permit: refused before simulating, since Eve's allowance is used up.
      const bare = await client.relay("buy", { listing, purchase }).catch((error: unknown) => error);
      expect(bare).to.deep.include({ status: 422, code: "cannot_relay" });
      expect((bare as Error).message).to.contain("short of the 200");
      expect(await sentBy(relayer.account.address)).to.equal(relayerNonce);
      expect(await server.relayer!.used(e), "the refusals gave Eve's quota back").to.equal(1);

      // Eve's second relay of the day is her last.
      const redeem = await client.relay("redeem", {
        redemption: await signRedeem(eve, { program, amount: 10n, rewardId: "free-coffee" }),
      });
      expect(redeem.remainingToday).to.equal(0);
      const over = await client
        .relay("redeem", { redemption: await signRedeem(eve, { program, amount: 10n, rewardId: "free-coffee" }) })
        .catch((error: unknown) => error);
      expect(over).to.deep.include({ status: 429, code: "quota_exceeded" });

      // A guardian change is for the brand's role: a relayer key without it is refused with the contract's reason.
      const zero = "0x" + "00".repeat(65);
      const guardian = await client
        .relay("guardianChange", {
          change: {
            message: {
              wallet: dan.account.address,
              oldGuardian: e,
              newGuardian: relayer.account.address,
              nonce: 0n,
              deadline: 2n ** 40n,
            },
            signature: zero,
          },
          newGuardianSignature: zero,
        })
        .catch((error: unknown) => error);
      expect(guardian).to.deep.include({ status: 422, code: "would_revert" });
      expect((guardian as Error).message).to.match(/role|not allowed|BRAND/i);
    } finally {
      await server.close();
    }
  });
});
