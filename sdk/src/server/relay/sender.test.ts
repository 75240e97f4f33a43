import { expect } from "chai";
import { network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { createWalletClient, keccak256, parseEther, publicActions, stringToHex, toHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import {
  listStamp,
  relayMarketApproval,
  signCancel,
  signMarketApproval,
  toWire,
  type Listing,
  type Signed,
} from "../../index.js";
import { inProcessTransport } from "../../cli/inProcess.js";
import { openDatabase } from "../../node/database.js";
import type { WriteClient } from "../../program.js";
import type { OrderBookTables } from "../orderBook/schema.js";
import { freshDatabase } from "../../../../test/helpers/databases.js";
import { zeroCoinProgram } from "../../../../test/helpers/sdkProgram.js";
import { createProgramServer } from "../app.js";
import { defaultRelayPolicy } from "./policy.js";
import { RelaySender } from "./sender.js";

/** A relayer key that signs locally (as `punchcard serve` runs it), funded with 100 of the coin. */
async function hotKey(name: string) {
  const client = createWalletClient({
    account: privateKeyToAccount(keccak256(stringToHex(`punchcard sender ${name}`))),
    chain: hardhat,
    transport: inProcessTransport(),
    pollingInterval: 10,
  }).extend(publicActions);
  await network.provider.send("hardhat_setBalance", [client.account.address, toHex(parseEther("100"))]);
  return client;
}

/** zeroCoinProgram with Dan and Eve's approvals in place and two hot keys. */
async function senderFixture() {
  const base = await zeroCoinProgram();
  const { program, dan, eve, relayer } = base;
  for (const m of [dan, eve]) await relayMarketApproval(relayer, { program, approval: await signMarketApproval(m, { program }) });
  return { ...base, keys: [await hotKey("one"), await hotKey("two")] };
}

const policy = {
  ...defaultRelayPolicy,
  perIpPerMinute: 0,
  member: { ...defaultRelayPolicy.member, actionsPerDay: 1_000 },
};

/** A server over `db` relaying from `keys`, and `n` posted listings of Dan's and Eve's stamps with their signed cancels. */
async function serverWith(
  fixture: Awaited<ReturnType<typeof senderFixture>>,
  keys: WriteClient[],
  db = openDatabase<OrderBookTables>(":memory:"),
) {
  const server = createProgramServer({
    program: fixture.program,
    client: fixture.brand,
    db,
    relayer: keys,
    relayPolicy: policy,
    relayStuckAfterMs: 0,
    // The sender's runs post 100 listings of one member's stamp: the book's caps are not what this measures.
    maxOpenOrdersPerStamp: 1_000,
  });
  await server.book.init();
  const request = async (method: string, path: string, body?: unknown) => {
    const response = await server.app.request(path, {
      method,
      ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(toWire(body)) }),
    });
    return { status: response.status, json: (await response.json()) as { hash: Hex; error?: { code: string; message: string } } };
  };
  return { server, request, db };
}

async function cancels(
  fixture: Awaited<ReturnType<typeof senderFixture>>,
  request: Awaited<ReturnType<typeof serverWith>>["request"],
  n: number,
  from = 100n,
) {
  const { program, dan, eve, danCup, eveCup } = fixture;
  const bodies = [];
  for (let i = 0; i < n; i++) {
    const [member, tokenId] = i % 2 === 0 ? [dan, danCup] : [eve, eveCup];
    const listing: Signed<Listing> = await listStamp(member, {
      program,
      tokenId,
      price: from + BigInt(i),
      currency: program.points,
    });
    const posted = await request("POST", "/orders", { kind: "listing", order: listing.order, signature: listing.signature });
    expect(posted.status, JSON.stringify(posted.json)).to.equal(201);
    bodies.push({ cancellation: await signCancel(member, { program, order: { kind: "listing", ...listing } }) });
  }
  return bodies;
}

describe("relayer: a sender that never races itself", () => {
  it("100 concurrent valid relays from one key all succeed, in 100 consecutive nonces, with no nonce error", async () => {
    const fixture = await loadFixture(senderFixture);
    const [key] = fixture.keys;
    const { request, server } = await serverWith(fixture, [key!]);
    const bodies = await cancels(fixture, request, 100);
    const before = await key!.getTransactionCount({ address: key!.account.address });
    const answers = await Promise.all(bodies.map((b) => request("POST", "/relay/cancel", b)));
    const failed = answers.filter((a) => a.status !== 200).map((a) => a.json.error?.message);
    expect(failed).to.deep.equal([]);
    expect(await key!.getTransactionCount({ address: key!.account.address })).to.equal(before + 100);
    const nonces = await Promise.all(answers.map(async (a) => (await key!.getTransaction({ hash: a.json.hash })).nonce));
    expect([...nonces].sort((x, y) => x - y)).to.deep.equal(Array.from({ length: 100 }, (_, i) => before + i));
    expect(server.relayer!.senders.nonceRetries).to.equal(0);
  });

  it("spreads concurrent relays over several keys (least busy first)", async () => {
    const fixture = await loadFixture(senderFixture);
    const { request } = await serverWith(fixture, fixture.keys);
    const bodies = await cancels(fixture, request, 10);
    const answers = await Promise.all(bodies.map((b) => request("POST", "/relay/cancel", b)));
    expect(answers.map((a) => a.status)).to.deep.equal(Array(10).fill(200));
    const from = await Promise.all(answers.map(async (a) => (await fixture.dan.getTransaction({ hash: a.json.hash })).from));
    for (const key of fixture.keys) expect(from.filter((f) => f === key.account.address.toLowerCase())).to.have.length(5);
  });

  it("takes the nonce again when someone else used the key meanwhile (a node's 'nonce too low'), and sends", async () => {
    const fixture = await loadFixture(senderFixture);
    const [key] = fixture.keys;
    const { request, server } = await serverWith(fixture, [key!]);
    const [first, second] = await cancels(fixture, request, 2);
    expect((await request("POST", "/relay/cancel", first)).status).to.equal(200);
    // The same key sends by hand: the sender's next nonce is now taken.
    await key!.sendTransaction({ to: fixture.ada.account.address, value: 1n });
    const after = await request("POST", "/relay/cancel", second);
    expect(after.status, JSON.stringify(after.json)).to.equal(200);
    expect(server.relayer!.senders.nonceRetries).to.equal(1);
  });

  it("sends a transaction stuck in the pool again with the same nonce at a higher fee; the replacement is mined", async () => {
    const fixture = await loadFixture(senderFixture);
    const [key] = fixture.keys;
    const sender = new RelaySender({ client: key!, stuckAfterMs: 0 });
    await network.provider.send("evm_setAutomine", [false]);
    try {
      // The relayer's client as the SDK's write actions use it (viem calls a client's own sendTransaction).
      const client = sender.clientFor(() => Promise.resolve(() => undefined)) as unknown as typeof key;
      const hash = await client!.sendTransaction({ to: fixture.ada.account.address, value: 1n });
      const old = await key!.getTransaction({ hash });
      expect(await sender.replaceStuck(Date.now() + 1)).to.equal(1);
      const replacement = sender.current(hash);
      expect(replacement).to.not.equal(hash);
      const next = await key!.getTransaction({ hash: replacement });
      expect(next.nonce).to.equal(old.nonce);
      expect(next.maxFeePerGas).to.equal((old.maxFeePerGas! * 5n) / 4n + 1n);
      await network.provider.send("evm_mine", []);
      expect((await key!.getTransactionReceipt({ hash: replacement })).status).to.equal("success");
      expect(await sender.replaceStuck(Date.now() + 1), "mined: nothing left to replace").to.equal(0);
    } finally {
      await network.provider.send("evm_setAutomine", [true]);
      sender.stop();
    }
  });

  if (process.env.PUNCHCARD_PG_URL) {
    it("postgres: two servers sharing one key through one database send 40 concurrent relays with no nonce error", async () => {
      const fixture = await loadFixture(senderFixture);
      const [key] = fixture.keys;
      const location = await freshDatabase("postgres");
      const [a, b] = [openDatabase<OrderBookTables>(location), openDatabase<OrderBookTables>(location)];
      try {
        const one = await serverWith(fixture, [key!], a);
        const two = await serverWith(fixture, [key!], b);
        const bodies = await cancels(fixture, one.request, 40);
        const before = await key!.getTransactionCount({ address: key!.account.address });
        const answers = await Promise.all(
          bodies.map((body, i) => (i % 2 === 0 ? one : two).request("POST", "/relay/cancel", body)),
        );
        expect(answers.filter((x) => x.status !== 200).map((x) => x.json.error?.message)).to.deep.equal([]);
        expect(await key!.getTransactionCount({ address: key!.account.address })).to.equal(before + 40);
        expect(one.server.relayer!.senders.nonceRetries + two.server.relayer!.senders.nonceRetries).to.equal(0);
      } finally {
        await a.destroy();
        await b.destroy();
      }
    });
  }
});
