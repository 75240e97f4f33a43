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
import { flakyChain } from "../../../../test/helpers/flakyChain.js";
import { migrateOrderBook } from "../orderBook/schema.js";

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

  it("takes the chain's nonce when someone else used the key meanwhile, and sends with no nonce error", async () => {
    const fixture = await loadFixture(senderFixture);
    const [key] = fixture.keys;
    const { request, server } = await serverWith(fixture, [key!]);
    const [first, second] = await cancels(fixture, request, 2);
    expect((await request("POST", "/relay/cancel", first)).status).to.equal(200);
    // The same key sends by hand: the sender's next nonce is now taken.
    const byHand = await key!.sendTransaction({ to: fixture.ada.account.address, value: 1n });
    const after = await request("POST", "/relay/cancel", second);
    expect(after.status, JSON.stringify(after.json)).to.equal(200);
    // The chain's pending count, read before each send, is past the sender's own: it is taken, nothing is refused.
    expect((await key!.getTransaction({ hash: after.json.hash })).nonce).to.equal(
      (await key!.getTransaction({ hash: byHand })).nonce + 1,
    );
    expect(server.relayer!.senders.nonceRetries).to.equal(0);
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

  describe("a nonce gap (a transaction the node dropped, or one never sent) does not block every later relay", () => {
    /** A hot key over the flaky chain's transport (and the chain's switch), and a send through a sender of it that pays no heed to cost. */
    async function gapKey(name: string) {
      const { transport, chain } = flakyChain();
      const key = createWalletClient({
        account: privateKeyToAccount(keccak256(stringToHex(`punchcard gap ${name}`))),
        chain: hardhat,
        transport,
        pollingInterval: 10,
      }).extend(publicActions);
      await network.provider.send("hardhat_setBalance", [key.account.address, toHex(parseEther("10"))]);
      return { key, chain };
    }
    type GapKey = Awaited<ReturnType<typeof gapKey>>["key"];
    const through = (sender: RelaySender) => sender.clientFor(() => Promise.resolve(() => undefined)) as unknown as GapKey;
    const mined = (key: GapKey, hash: Hex) =>
      key.getTransactionReceipt({ hash }).then(
        (r) => r.status,
        () => "not mined",
      );

    it("a transaction of its own the node dropped is sent again as it was, then the next: both mined, the gap logged", async () => {
      const { ada } = await loadFixture(senderFixture);
      const { key } = await gapKey("dropped");
      const logs: string[] = [];
      const sender = new RelaySender({ client: key, stuckAfterMs: 0, log: (m) => logs.push(m) });
      const start = await key.getTransactionCount({ address: key.account.address });
      await network.provider.send("evm_setAutomine", [false]);
      let first: Hex;
      try {
        first = await through(sender).sendTransaction({ to: ada.account.address, value: 1n });
        // The node loses it (a restart, an eviction): the chain's pending count goes back.
        await network.provider.send("hardhat_dropTransaction", [first]);
      } finally {
        await network.provider.send("evm_setAutomine", [true]);
      }
      expect(await key.getTransactionCount({ address: key.account.address, blockTag: "pending" })).to.equal(start);
      const second = await through(sender).sendTransaction({ to: ada.account.address, value: 2n });
      expect(await mined(key, first)).to.equal("success");
      expect(await mined(key, second)).to.equal("success");
      expect((await key.getTransaction({ hash: second })).nonce).to.equal(start + 1);
      expect(logs).to.deep.equal([
        `relayer ${key.account.address}: the chain's pending nonce is ${start} but this key would send at ${start + 1}: nonces ${start} to ${start} were dropped by the node or never sent, a gap every later transaction would wait behind; sent its transactions ${start} to ${start} again as they were, and sending from ${start + 1}.`,
      ]);
      // No gap, no word.
      await through(sender).sendTransaction({ to: ada.account.address, value: 3n });
      expect(logs).to.have.length(1);
      sender.stop();
    });

    it("a nonce another instance took through the database and never got mined is taken again: the next relay is mined", async () => {
      const { ada } = await loadFixture(senderFixture);
      const { key } = await gapKey("shared");
      const db = openDatabase<OrderBookTables>(":memory:");
      await migrateOrderBook(db);
      const logs: string[] = [];
      // gapAfterMs 0: the count that stays put is a gap at once (a count that lags has its own test below).
      const [gone, here] = [0, 1].map(
        () => new RelaySender({ client: key, db, stuckAfterMs: 0, gapAfterMs: 0, log: (m) => logs.push(m) }),
      );
      try {
        const start = await key.getTransactionCount({ address: key.account.address });
        await network.provider.send("evm_setAutomine", [false]);
        try {
          const lost = await through(gone!).sendTransaction({ to: ada.account.address, value: 1n });
          await network.provider.send("hardhat_dropTransaction", [lost]);
        } finally {
          await network.provider.send("evm_setAutomine", [true]);
        }
        // The instance that sent it is gone; the database says the next nonce is start + 1.
        expect(Number((await db.selectFrom("relay_nonce").select("next_nonce").executeTakeFirstOrThrow()).next_nonce)).to.equal(
          start + 1,
        );
        const next = await through(here!).sendTransaction({ to: ada.account.address, value: 2n });
        expect(await mined(key, next)).to.equal("success");
        expect((await key.getTransaction({ hash: next })).nonce).to.equal(start);
        expect(logs).to.deep.equal([
          `relayer ${key.account.address}: the chain's pending nonce is ${start} but this key would send at ${start + 1}: nonces ${start} to ${start} were dropped by the node or never sent, a gap every later transaction would wait behind; sending from ${start}.`,
        ]);
      } finally {
        gone!.stop();
        here!.stop();
        await db.destroy();
      }
    });

    it("a send that fails as the chain goes down takes no nonce: once it is back, the next is mined at that nonce", async () => {
      const { ada } = await loadFixture(senderFixture);
      const { key, chain } = await gapKey("outage");
      const logs: string[] = [];
      const sender = new RelaySender({ client: key, stuckAfterMs: 0, log: (m) => logs.push(m) });
      const start = await key.getTransactionCount({ address: key.account.address });
      await through(sender).sendTransaction({ to: ada.account.address, value: 1n });
      // The node goes away between the preparation and the broadcast.
      const prepared = await key.prepareTransactionRequest({ to: ada.account.address, value: 2n });
      chain.down = true;
      try {
        await through(sender)
          .sendTransaction(prepared)
          .then(
            () => expect.fail("sent while the chain was down"),
            (error: Error) => expect(error.message).to.match(/HTTP request failed/),
          );
      } finally {
        chain.down = false;
      }
      const next = await through(sender).sendTransaction({ to: ada.account.address, value: 3n });
      expect(await mined(key, next)).to.equal("success");
      expect((await key.getTransaction({ hash: next })).nonce).to.equal(start + 1);
      expect(logs, "no gap to close").to.deep.equal([]);
      sender.stop();
    });

    describe("a pending count that lags behind the sends (a provider not yet caught up) is not a gap", () => {
      const sends = (chain: { calls: Map<string, number> }) => chain.calls.get("eth_sendRawTransaction") ?? 0;

      it("lagging by one while the last send waits in the pool: the next takes the nonce after it, nothing sent twice", async () => {
        const { ada } = await loadFixture(senderFixture);
        const { key, chain } = await gapKey("lag one");
        const logs: string[] = [];
        const sender = new RelaySender({ client: key, stuckAfterMs: 0, log: (m) => logs.push(m) });
        const start = await key.getTransactionCount({ address: key.account.address });
        await network.provider.send("evm_setAutomine", [false]);
        let first: Hex;
        let second: Hex;
        try {
          first = await through(sender).sendTransaction({ to: ada.account.address, value: 1n });
          chain.pendingLag = 1;
          const before = sends(chain);
          second = await through(sender).sendTransaction({ to: ada.account.address, value: 2n });
          expect(sends(chain) - before, "one send: the first is not sent again").to.equal(1);
        } finally {
          chain.pendingLag = 0;
          await network.provider.send("evm_setAutomine", [true]);
        }
        await network.provider.send("evm_mine", []);
        expect(await mined(key, first)).to.equal("success");
        expect(await mined(key, second)).to.equal("success");
        expect((await key.getTransaction({ hash: second })).nonce).to.equal(start + 1);
        expect(logs, "no gap told").to.deep.equal([]);
        sender.stop();
      });

      it("lagging by two behind mined sends: no send again, no nonce skipped, no gap told, nothing refused", async () => {
        const { ada } = await loadFixture(senderFixture);
        const { key, chain } = await gapKey("lag two");
        const logs: string[] = [];
        const sender = new RelaySender({ client: key, stuckAfterMs: 0, log: (m) => logs.push(m) });
        const start = await key.getTransactionCount({ address: key.account.address });
        const hashes = [
          await through(sender).sendTransaction({ to: ada.account.address, value: 1n }),
          await through(sender).sendTransaction({ to: ada.account.address, value: 2n }),
        ];
        chain.pendingLag = 2;
        const before = sends(chain);
        try {
          hashes.push(await through(sender).sendTransaction({ to: ada.account.address, value: 3n }));
          hashes.push(await through(sender).sendTransaction({ to: ada.account.address, value: 4n }));
        } finally {
          chain.pendingLag = 0;
        }
        expect(sends(chain) - before).to.equal(2);
        const nonces = await Promise.all(hashes.map(async (hash) => (await key.getTransaction({ hash })).nonce));
        expect(nonces).to.deep.equal([start, start + 1, start + 2, start + 3]);
        expect(await Promise.all(hashes.map((h) => mined(key, h)))).to.deep.equal(Array(4).fill("success"));
        expect(logs).to.deep.equal([]);
        expect(sender.nonceRetries).to.equal(0);
        sender.stop();
      });

      it("another instance's send not yet seen by the provider: its nonce is not taken again, both are mined", async () => {
        const { ada } = await loadFixture(senderFixture);
        const { key, chain } = await gapKey("lag shared");
        const db = openDatabase<OrderBookTables>(":memory:");
        await migrateOrderBook(db);
        const logs: string[] = [];
        const [one, two] = [0, 1].map(() => new RelaySender({ client: key, db, stuckAfterMs: 0, log: (m) => logs.push(m) }));
        try {
          const start = await key.getTransactionCount({ address: key.account.address });
          await network.provider.send("evm_setAutomine", [false]);
          let first: Hex;
          let second: Hex;
          try {
            first = await through(one!).sendTransaction({ to: ada.account.address, value: 1n });
            chain.pendingLag = 1;
            second = await through(two!).sendTransaction({ to: ada.account.address, value: 2n });
          } finally {
            chain.pendingLag = 0;
            await network.provider.send("evm_setAutomine", [true]);
          }
          await network.provider.send("evm_mine", []);
          expect(await mined(key, first)).to.equal("success");
          expect(await mined(key, second)).to.equal("success");
          expect((await key.getTransaction({ hash: second })).nonce).to.equal(start + 1);
          expect(logs).to.deep.equal([]);
          expect(one!.nonceRetries + two!.nonceRetries).to.equal(0);
        } finally {
          one!.stop();
          two!.stop();
          await db.destroy();
        }
      });
    });
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
