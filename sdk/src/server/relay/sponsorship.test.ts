import { expect } from "chai";
import { network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Kysely } from "kysely";
import { createWalletClient, keccak256, parseEther, publicActions, stringToHex, toHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import {
  listStamp,
  relayMarketApproval,
  signCancel,
  signCancelAll,
  signMarketApproval,
  signVoucher,
  toWire,
  type Listing,
  type Signed,
} from "../../index.js";
import { inProcessTransport } from "../../cli/inProcess.js";
import { openDatabase } from "../../node/database.js";
import type { WriteClient } from "../../program.js";
import type { OrderBookTables } from "../orderBook/schema.js";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { flakyChain } from "../../../../test/helpers/flakyChain.js";
import { zeroCoinProgram } from "../../../../test/helpers/sdkProgram.js";
import { createProgramServer } from "../app.js";
import { PROGRAM_SCOPE, RelayBudget } from "./budget.js";
import { defaultRelayPolicy, relayPolicyOf, type RelayPolicy } from "./policy.js";

/** A wallet of its own key on the in-process chain, holding `coin` wei. */
async function wallet(name: string, coin = 0n) {
  const client = createWalletClient({
    account: privateKeyToAccount(keccak256(stringToHex(`punchcard sponsorship ${name}`))),
    chain: hardhat,
    transport: inProcessTransport(),
    pollingInterval: 10,
  }).extend(publicActions);
  await network.provider.send("hardhat_setBalance", [client.account.address, toHex(coin)]);
  return client;
}

/** zeroCoinProgram with Dan and Eve's approvals of the Market relayed, and a relayer key that signs locally. */
async function sponsorFixture() {
  const base = await zeroCoinProgram();
  const { program, dan, eve, relayer } = base;
  for (const m of [dan, eve]) await relayMarketApproval(relayer, { program, approval: await signMarketApproval(m, { program }) });
  const hot = await wallet("hot relayer", parseEther("100"));
  return { ...base, hot };
}

interface Answer {
  hash: Hex;
  member: string;
  remainingToday: number;
  error: { code: string; message: string };
  sponsoring: boolean;
  reason?: string;
  today: { day: string; program: { actions: number; gas: string; coin: string }; member?: { actions: number; gas: string } };
}

async function setup(
  policy: Partial<RelayPolicy> = {},
  options: { db?: Kysely<OrderBookTables>; relayer?: "hot" | "json-rpc" | WriteClient[] } = {},
) {
  const fixture = await loadFixture(sponsorFixture);
  const db = options.db ?? openDatabase<OrderBookTables>(":memory:");
  const relayer =
    options.relayer === "json-rpc" ? fixture.relayer : Array.isArray(options.relayer) ? options.relayer : fixture.hot;
  const server = createProgramServer({
    program: fixture.program,
    client: fixture.brand,
    db,
    relayer,
    relayPolicy: { ...defaultRelayPolicy, ...policy },
    relayStuckAfterMs: 0,
  });
  await server.book.init();
  const request = async (method: string, path: string, body?: unknown) => {
    const response = await server.app.request(path, {
      method,
      ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(toWire(body)) }),
    });
    return { status: response.status, headers: response.headers, json: (await response.json()) as Answer };
  };
  const { program, hot } = fixture;
  const relayerState = async () => ({
    balance: await hot.getBalance({ address: hot.account.address }),
    nonce: await hot.getTransactionCount({ address: hot.account.address }),
  });
  /** `n` listings of the member's stamp at different prices, posted to the book. */
  const posted = async (member: WriteClient, tokenId: bigint, n: number, from = 100n) => {
    const listings: Signed<Listing>[] = [];
    for (let i = 0; i < n; i++) {
      const listing = await listStamp(member, { program, tokenId, price: from + BigInt(i), currency: program.points });
      const answer = await request("POST", "/orders", { kind: "listing", order: listing.order, signature: listing.signature });
      expect(answer.status, JSON.stringify(answer.json)).to.equal(201);
      listings.push(listing);
    }
    return listings;
  };
  const cancelOf = async (member: WriteClient, listing: Signed<Listing>) => ({
    cancellation: await signCancel(member, { program, order: { kind: "listing", ...listing } }),
  });
  return { ...fixture, db, server, request, relayerState, posted, cancelOf };
}

/** A budget refusal's Retry-After: the seconds until the next UTC day, when the budgets start again. */
function expectUntilTomorrow(headers: Headers) {
  const now = new Date();
  const left = Math.ceil((Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime()) / 1000);
  const retryAfter = Number(headers.get("retry-after"));
  // Read after the answer: the server's count is at most a few seconds larger than ours, never smaller.
  expect(retryAfter).to.be.within(left, left + 5);
}

const budgetRows = async (db: Kysely<OrderBookTables>) =>
  (await db.selectFrom("relay_budget").selectAll().execute()).filter((r) => Number(r.actions) !== 0 || Number(r.gas) !== 0);

describe("relayer: sponsorship that cannot be abused", () => {
  it("a flood of 200 relays from 10 fresh wallets holding nothing: nothing sent, nothing paid, each refused with its reason", async () => {
    // The per-address limit is off here: what refuses them is the policy, not the rate.
    const { program, request, relayerState, db } = await setup({ perIpPerMinute: 0 });
    const before = await relayerState();
    const strangers = await Promise.all(Array.from({ length: 10 }, (_, i) => wallet(`stranger ${i}`)));
    const bodies = await Promise.all(
      strangers.flatMap((s) =>
        Array.from({ length: 10 }, async (_, i) => [
          { path: "/relay/cancelAll", body: { cancellation: await signCancelAll(s, { program }) } },
          { path: "/relay/marketApproval", body: { approval: await signMarketApproval(s, { program, approved: i % 2 === 0 }) } },
        ]),
      ),
    );
    const answers = await Promise.all(bodies.flat().map(({ path, body }) => request("POST", path, body)));
    expect(answers).to.have.length(200);
    for (const { status, json } of answers) {
      expect(status).to.equal(422);
      expect(json.error.code).to.equal("not_eligible");
      expect(json.error.message).to.match(/is not sponsored by this program's policy .* send it yourself/);
    }
    expect(await relayerState()).to.deep.equal(before);
    expect(await budgetRows(db)).to.deep.equal([]);
  });

  it("sponsors a wallet the brand's backend lists, a member holding a stamp, and a voucher the brand signed", async () => {
    const listed = await wallet("listed");
    const { program, request, dan, backend, hot } = await setup({
      eligibility: { ...defaultRelayPolicy.eligibility, allowlist: [listed.account.address] },
    });
    const approval = await request("POST", "/relay/marketApproval", { approval: await signMarketApproval(listed, { program }) });
    expect(approval.status, JSON.stringify(approval.json)).to.equal(200);
    expect((await hot.getTransactionReceipt({ hash: approval.json.hash })).from).to.equal(hot.account.address.toLowerCase());
    const all = await request("POST", "/relay/cancelAll", { cancellation: await signCancelAll(dan, { program }) });
    expect(all.json.error.code, "Dan is a member, but has nothing open: see the useless-action test").to.equal("changes_nothing");
    const stranger = await wallet("voucher holder");
    const voucher = await signVoucher(backend, {
      program,
      member: stranger.account.address,
      journeyId: "first-visit",
      points: 1n,
    });
    const redeemed = await request("POST", "/relay/redeemVoucher", {
      voucher: { order: voucher.order, signature: voucher.signature },
    });
    expect(redeemed.status, JSON.stringify(redeemed.json)).to.equal(200);
  });

  it("refuses what changes nothing (a cancel of an order never posted or already cancelled, an approval in place, a cancel-all with nothing open) and sends the same actions when they do", async () => {
    const { program, dan, eve, danCup, request, relayerState, posted, cancelOf } = await setup();
    const before = await relayerState();
    const unposted = await listStamp(dan, { program, tokenId: danCup, price: 999n, currency: program.points });
    const never = await request("POST", "/relay/cancel", await cancelOf(dan, unposted));
    expect(never.status).to.equal(422);
    expect(never.json.error).to.include({ code: "changes_nothing" });
    expect(never.json.error.message).to.contain("never posted to this book");
    const again = await request("POST", "/relay/marketApproval", { approval: await signMarketApproval(dan, { program }) });
    expect(again.json.error.code).to.equal("changes_nothing");
    expect(again.json.error.message).to.contain("in place already");
    const nothingOpen = await request("POST", "/relay/cancelAll", { cancellation: await signCancelAll(eve, { program }) });
    expect(nothingOpen.json.error.code).to.equal("changes_nothing");
    expect(await relayerState(), "nothing sent for the refusals").to.deep.equal(before);

    const [listing] = await posted(dan, danCup, 1);
    const cancelled = await request("POST", "/relay/cancel", await cancelOf(dan, listing!));
    expect(cancelled.status, JSON.stringify(cancelled.json)).to.equal(200);
    const twice = await request("POST", "/relay/cancel", await cancelOf(dan, listing!));
    expect(twice.json.error.code).to.equal("changes_nothing");
    expect(twice.json.error.message).to.contain("cancelled already");
    const off = await request("POST", "/relay/marketApproval", {
      approval: await signMarketApproval(dan, { program, approved: false }),
    });
    expect(off.status, "turning the approval off changes something").to.equal(200);
    expect((await relayerState()).nonce).to.equal(before.nonce + 2);
  });

  it("tells a member holding enough coin to send it themselves, with the amount; sponsors them when the policy never asks", async () => {
    const { program, ada, request, relayerState } = await setup();
    const before = await relayerState();
    const rich = await request("POST", "/relay/cancelAll", { cancellation: await signCancelAll(ada, { program }) });
    expect(rich.status).to.equal(422);
    expect(rich.json.error.code).to.equal("send_it_yourself");
    const balance = await ada.getBalance({ address: ada.account.address });
    expect(rich.json.error.message).to.contain(`(${balance} wei)`);
    expect(await relayerState()).to.deep.equal(before);
  });

  it("stops at the relayer's balance floor, above the gas price cap and outside the policy's dates: 503 with the reason, nothing sent", async () => {
    const floor = await setup({ minRelayerBalance: parseEther("1000") });
    const before = await floor.relayerState();
    const body = async () => floor.cancelOf(floor.dan, (await floor.posted(floor.dan, floor.danCup, 1))[0]!);
    const low = await floor.request("POST", "/relay/cancel", await body());
    expect(low.status).to.equal(503);
    expect(low.json.error.code).to.equal("relayer_low");
    const view = await floor.request("GET", "/relay/policy");
    expect(view.json.sponsoring).to.equal(false);
    expect(view.json.reason).to.contain("below its floor");
    expect(await floor.relayerState()).to.deep.equal(before);

    const pricey = await setup({ maxGasPrice: 1n });
    const high = await pricey.request(
      "POST",
      "/relay/cancel",
      await pricey.cancelOf(pricey.dan, (await pricey.posted(pricey.dan, pricey.danCup, 1))[0]!),
    );
    expect(high.json.error.code).to.equal("gas_price_high");
    const ended = await setup({ endsAt: new Date("2020-01-01T00:00:00Z") });
    const late = await ended.request("POST", "/relay/cancelAll", {
      cancellation: await signCancelAll(ended.dan, { program: ended.program }),
    });
    expect(late.status).to.equal(503);
    expect(late.json.error).to.deep.equal({ code: "sponsorship_off", message: "Sponsorship ended at 2020-01-01T00:00:00.000Z." });
  });

  it("charges the member's gas budget at the estimate before sending: past it, 429 and nothing sent, the action handed back", async () => {
    const { request, dan, danCup, posted, cancelOf, relayerState, server } = await setup({
      member: { ...defaultRelayPolicy.member, gasPerDay: 20_000n },
    });
    const body = await cancelOf(dan, (await posted(dan, danCup, 1))[0]!);
    const before = await relayerState();
    const over = await request("POST", "/relay/cancel", body);
    expect(over.status).to.equal(429);
    expect(over.json.error.code).to.equal("budget_exceeded");
    expectUntilTomorrow(over.headers);
    expect(await relayerState()).to.deep.equal(before);
    expect(await server.relayer!.used(dan.account.address)).to.equal(0);
  });

  it("settles each relay to its receipt, to the wei's gwei: GET /relay/policy shows the limits and what is left today", async () => {
    const { request, dan, danCup, posted, cancelOf, hot } = await setup({
      member: { ...defaultRelayPolicy.member, actionsPerDay: 5 },
    });
    const sent = await request("POST", "/relay/cancel", await cancelOf(dan, (await posted(dan, danCup, 1))[0]!));
    expect(sent.json.remainingToday).to.equal(4);
    const receipt = await hot.getTransactionReceipt({ hash: sent.json.hash });
    const coin = receipt.gasUsed * receipt.effectiveGasPrice;
    const view = await request("GET", `/relay/policy?member=${dan.account.address}`);
    expect(view.status).to.equal(200);
    expect(view.json.sponsoring).to.equal(true);
    expect((view.json as unknown as { member: { actionsPerDay: number } }).member.actionsPerDay).to.equal(5);
    const gwei = ((coin + 999_999_999n) / 1_000_000_000n) * 1_000_000_000n;
    expect(view.json.today.member).to.deep.equal({ actions: 1, gas: receipt.gasUsed.toString(), coin: gwei.toString() });
    expect(view.json.today.program).to.deep.equal(view.json.today.member);
    expect((await request("GET", "/relay/policy?member=nope")).status).to.equal(400);
  });

  it("stops every member when the program's budget for the day is spent: 503 program_budget_spent, the member's action handed back", async () => {
    const { request, dan, eve, danCup, eveCup, posted, cancelOf, server } = await setup({
      program: { ...defaultRelayPolicy.program, actionsPerDay: 1 },
    });
    expect((await request("POST", "/relay/cancel", await cancelOf(dan, (await posted(dan, danCup, 1))[0]!))).status).to.equal(
      200,
    );
    const spent = await request("POST", "/relay/cancel", await cancelOf(eve, (await posted(eve, eveCup, 1))[0]!));
    expect(spent.status).to.equal(503);
    expect(spent.json.error.code).to.equal("program_budget_spent");
    expectUntilTomorrow(spent.headers);
    expect(await server.relayer!.used(eve.account.address)).to.equal(0);
  });

  it("limits relay requests per client address by default", async () => {
    const { request, program, dan } = await setup({ perIpPerMinute: 2 });
    const body = { cancellation: await signCancelAll(dan, { program }) };
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await request("POST", "/relay/cancelAll", body)).status);
    expect(codes).to.deep.equal([422, 422, 429]);
    expect(defaultRelayPolicy.perIpPerMinute).to.be.greaterThan(0);
  });

  it("counts the per-address relay limit on the client a trusted proxy names, and a forged header on its sender", async () => {
    const fixture = await loadFixture(sponsorFixture);
    const server = createProgramServer({
      program: fixture.program,
      client: fixture.brand,
      db: openDatabase<OrderBookTables>(":memory:"),
      relayer: fixture.hot,
      relayPolicy: { ...defaultRelayPolicy, perIpPerMinute: 1 },
      trustedProxies: ["10.0.0.2"],
    });
    await server.book.init();
    const body = JSON.stringify(toWire({ cancellation: await signCancelAll(fixture.dan, { program: fixture.program }) }));
    const relayFrom = async (socket: string, forwarded: string) =>
      (
        await server.app.request(
          "/relay/cancelAll",
          { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": forwarded }, body },
          { incoming: { socket: { remoteAddress: socket } } },
        )
      ).status;
    // Behind the proxy, two clients each have their own allowance (422: Dan has nothing open to cancel).
    expect([await relayFrom("10.0.0.2", "203.0.113.7"), await relayFrom("10.0.0.2", "203.0.113.8")]).to.deep.equal([422, 422]);
    expect(await relayFrom("10.0.0.2", "203.0.113.7")).to.equal(429);
    // Anyone else forging the header is counted on its socket address.
    expect([await relayFrom("198.51.100.9", "203.0.113.50"), await relayFrom("198.51.100.9", "203.0.113.51")]).to.deep.equal([
      422, 429,
    ]);
  });

  it("answers 503 chain_unavailable with Retry-After when the relayer's node does not answer, and charges nothing", async () => {
    const flaky = flakyChain();
    const fixture = await loadFixture(sponsorFixture);
    const hot = createWalletClient({ account: fixture.hot.account, chain: hardhat, transport: flaky.transport }).extend(
      publicActions,
    );
    const { request, server, posted, cancelOf, eve, eveCup, relayerState } = await setup({}, { relayer: [hot] });
    const [listing] = await posted(eve, eveCup, 1);
    const before = await relayerState();
    flaky.chain.down = true;
    const answer = await server.app.request("/relay/cancel", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(toWire(await cancelOf(eve, listing!))),
    });
    expect(answer.status).to.equal(503);
    expect(answer.headers.get("retry-after")).to.equal("5");
    expect(((await answer.json()) as Answer).error.code).to.equal("chain_unavailable");
    expect(await server.relayer!.used(eve.account.address)).to.equal(0);
    expect(await relayerState()).to.deep.equal(before);
    // The node is back: the same cancel is relayed.
    flaky.chain.down = false;
    expect((await request("POST", "/relay/cancel", await cancelOf(eve, listing!))).status).to.equal(200);
  });

  it("reads a policy file: defaults kept, fields replaced, bad values refused naming the field", () => {
    const policy = relayPolicyOf({ member: { actionsPerDay: 5, coinPerDay: "1000" }, startsAt: "2027-01-01T00:00:00Z" });
    expect(policy.member).to.deep.equal({ ...defaultRelayPolicy.member, actionsPerDay: 5, coinPerDay: 1000n });
    expect(policy.startsAt?.toISOString()).to.equal("2027-01-01T00:00:00.000Z");
    expect(() => relayPolicyOf({ member: { gasPerDay: "-1" } })).to.throw(/member.gasPerDay/);
    expect(() => relayPolicyOf({ actions: ["mint"] })).to.throw(/actions.0/);
    expect(() => relayPolicyOf({ quota: 3 })).to.throw(/quota/);
  });

  for (const engine of databaseEngines()) {
    it(`${engine}: concurrent charges never pass a cap (60 at once on a cap of 20, from two connections)`, async () => {
      const location = await freshDatabase(engine);
      const [a, b] = [openDatabase<OrderBookTables>(location), openDatabase<OrderBookTables>(location)];
      try {
        const { migrateOrderBook } = await import("../orderBook/schema.js");
        await migrateOrderBook(a);
        const caps = { actionsPerDay: 20, gasPerDay: 10n ** 12n, coinPerDay: 10n ** 30n };
        const budgets = [new RelayBudget(a, "1:x"), new RelayBudget(b, "1:x")];
        const taken = await Promise.all(
          Array.from({ length: 60 }, (_, i) =>
            budgets[i % 2]!.charge(PROGRAM_SCOPE, "2026-12-07", { actions: 1, gas: 0n, coin: 0n }, caps),
          ),
        );
        expect(taken.filter((t) => t !== undefined)).to.have.length(20);
        expect((await budgets[0]!.used(PROGRAM_SCOPE, "2026-12-07")).actions).to.equal(20);
      } finally {
        await a.destroy();
        await b.destroy();
      }
    });

    it(`${engine}: 8 concurrent valid relays of one member on a quota of 3: exactly 3 sent, 5 refused with 429`, async () => {
      const db = openDatabase<OrderBookTables>(await freshDatabase(engine));
      try {
        const { request, dan, danCup, posted, cancelOf, relayerState } = await setup(
          { member: { ...defaultRelayPolicy.member, actionsPerDay: 3 } },
          { db },
        );
        const bodies = await Promise.all((await posted(dan, danCup, 8)).map((l) => cancelOf(dan, l)));
        const before = await relayerState();
        const answers = await Promise.all(bodies.map((b) => request("POST", "/relay/cancel", b)));
        expect(answers.filter((a) => a.status === 200)).to.have.length(3);
        expect(answers.filter((a) => a.status === 429).map((a) => a.json.error.code)).to.deep.equal(
          Array(5).fill("quota_exceeded"),
        );
        for (const refused of answers.filter((a) => a.status === 429)) expectUntilTomorrow(refused.headers);
        expect((await relayerState()).nonce).to.equal(before.nonce + 3);
      } finally {
        await db.destroy();
      }
    });
  }
});
