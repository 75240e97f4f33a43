import { expect } from "chai";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { serveInProcessChain } from "../../../../test/helpers/rpcServer";
import { runCommand } from "../command.js";
import { createWalletClient, custom, publicActions } from "viem";
import { hardhat } from "viem/chains";
import { accountsOf } from "../clients.js";
import { DEMO_CLOCK_DAYS, nodeHistory } from "./clockGuard.js";
import { demoCommand, runDemo } from "./index.js";

describe("cli: npm run demo", () => {
  it("runs the whole program on the in-process chain in under 60 s and exits 0", function () {
    this.timeout(120_000);
    const started = Date.now();
    const result = spawnSync("npm", ["run", "--silent", "demo"], {
      cwd: path.resolve(__dirname, "..", "..", "..", ".."),
      encoding: "utf8",
      env: { ...process.env, FORCE_COLOR: "0" },
    });
    const seconds = (Date.now() - started) / 1000;
    expect(result.status, result.stderr).to.equal(0);
    expect(seconds).to.be.lessThan(60);
    const out = result.stdout;
    expect(out).to.contain("duplicate credit refused: PointsReceiptAlreadyCredited");
    expect(out).to.contain("bought points stay pending 14 days: Cleo holds 700, 500 pending, 200 spendable");
    expect(out).to.contain("reversePurchase burned 80 of 80 BEANS (shortfall 0)");
    expect(out).to.contain("crediting the refunded receipt again: refused (PointsReceiptReversed)");
    expect(out).to.match(/345 days later the app warns Ben: 75 BEANS expire on \d{4}-\d\d-\d\d/);
    expect(out).to.contain("30 days on, Ben's 75 BEANS have expired: spendable 0");
    expect(out).to.contain("Fay, anyone, sent expirePoints for Ben: 75 BEANS burned with a PointsExpired event");
    expect(out).to.contain("Ada's 354 BEANS are still spendable");
    expect(out).to.match(/points\.purchase\.reversed Dev +80 BEANS/);
    expect(out).to.match(/points\.expired +Ben +75 BEANS/);
    expect(out).to.contain("points reversed for refunds 80 BEANS (credited, then burned), expired 75 BEANS");
    expect(out).to.match(/Skyline Air deployed its own program in this demo: Points 0x[0-9a-f]{40}/);
    expect(out).to.contain("partner-sharing consent required; in effect: false");
    expect(out).to.contain("Skyline Air's admin accepted it on-chain; in effect: true");
    expect(out).to.contain("her conversion is refused (ExchangeConsentRequired)");
    expect(out).to.contain("converted 100 BEANS into 30 MILES in one transaction (quoted 30); he holds 30 MILES at Skyline Air");
    expect(out).to.match(/points\.redeemed +exchange 100 BEANS/);
    expect(out).to.contain("points converted into partner programs 100 BEANS (redeemed by the exchange)");
    expect(out).to.match(/minted #1→Ada, #2→Ben, #3→Cleo, #4→Dev, #5→Eli in one transaction/);
    expect(out).to.match(/points issued 1,930 BEANS, redeemed 230 BEANS, outstanding 1,545 BEANS/);
    expect(out).to.contain('Ada redeemed it: 1 soulbound "Five Visits Journey" stamp and 50 BEANS');
    expect(out).to.contain("redeeming it again: refused (RewardsVoucherAlreadyRedeemed)");
    expect(out).to.contain("Ben's voucher was redeemed by the brand's relayer");
    expect(out).to.contain("tier-up: Ada has 250 status points, tier 1 (Silver)");
    expect(out).to.match(/Eli spent his stamp 1000000005 on cup-for-a-cake: he approved Rewards for that one stamp/);
    expect(out).to.match(/perks Ada unlocked \(isUnlocked, one view call each\): free-refill/);
    expect(out).to.match(/Ada claimed free-refill in claim period \d+ \(one a week\): the shop checks isClaimed = true/);
    expect(out).to.match(/journey\.completed +Ada +five-visits, earned 50 BEANS/);
    expect(out).to.match(/journeys completed 3 \(vouchers redeemed\), perks claimed 2/);
    expect(out).to.match(/consent.changed {4}Ada {6}purposes: rewards\n/);
    expect(out).to.contain("Ben bought it: Ada got 114, the brand's royalty 6, market fee 0 BEANS");
    expect(out).to.contain("royalty 0.005 ETH to the treasury");
    expect(out).to.match(/trades 3, swaps 1/);
    expect(out).to.contain("Ben paid the brand a royalty of 5 BEANS");
    expect(out).to.contain("royalties earned: 16 BEANS");
    // A member with no native coin bought a stamp through the brand's relayer.
    expect(out).to.contain("Gia joined with 150 BEANS and 0 ETH");
    // ... through the program server: Eli posts, Gia finds the listing over HTTP and buys it through /relay/buy.
    expect(out).to.match(/the program server is up at http:\/\/127\.0\.0\.1:\d+: an order book/);
    expect(out).to.contain("Eli posted a listing of stamp 1000000003 for 100 BEANS (POST /orders): open");
    expect(out).to.contain("Gia found it (GET /listings?seriesId=1): stamp 1000000003 for 100 BEANS, 1 open listing(s)");
    expect(out).to.contain(
      "the brand's relayer sent her permit and the match: Eli got 95, the brand's royalty 5, fee 0 BEANS; Gia has 19 relayed actions left today",
    );
    expect(out).to.contain("the server's book now answers Eli's listing as filled: Bought by Gia in 0x");
    expect(out).to.contain("Gia owns stamp 1000000003, still holds 0 ETH and sent 0 transactions; the server stopped");
    expect(out).to.match(/orders\.matched +Gia +stamp 1000000003 price 100 BEANS, royalty 5 BEANS/);
    expect(out).to.contain("Cleo (a minor) asked for marketing: refused without her guardian (ConsentGuardianRequired)");
    expect(out).to.contain(
      "Cleo's parent withdrew her marketing consent (signed; the brand relayed it): hasConsent(marketing) = false",
    );
    expect(out).to.contain(
      "Cleo came of age (the brand attested it, she signed): minor = false, guardian removed, purposes kept: rewards",
    );
    expect(out).to.contain("Cleo granted marketing again on her own signature alone: hasConsent(marketing) = true");
    expect(out).to.match(/consent\.guardian\.withdrew +Cleo +purposes: marketing\n/);
    expect(out).to.match(/consent\.cameOfAge +Cleo/);
    expect(out).to.contain("Ada withdrew analytics (kept rewards): hasConsent(analytics) = false");
    expect(out).to.contain("Eli asked to be forgotten: unlinked on-chain (true)");
    expect(out).to.match(/consent: 5 links, 2 full revocations, 1 unlinks/);
    // The ledger printed every event with its time.
    expect(out).to.match(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z #\d+\.\d+ consent\.linked/);
    // It ends with the end announced, with its notice period and date.
    expect(out).to.match(
      /step \d+: the end of the program announced\n {2}notice period 90 days: the program is ending and ends at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z\n/,
    );
    expect(out).to.contain("no points are sold: PointsSalesClosed");
    expect(out).to.match(/Demo finished in \d+\.\d s\./);
  });
});

describe("cli: punchcard demo --rpc", () => {
  it("runs the same program on a node reached over JSON-RPC, with the node's unlocked accounts", async function () {
    this.timeout(120_000);
    const rpc = await serveInProcessChain();
    const lines: string[] = [];
    try {
      // The test chain has history (earlier tests): the demo moves its clock only when told to, and says it will.
      const { entries } = await runDemo({ rpc: rpc.url, moveClock: true, log: (line) => lines.push(line) });
      expect(lines[0]).to.equal(
        `Note: the demo moves the clock of the node at ${rpc.url} ${DEMO_CLOCK_DAYS} days forward (chapter expiry), for good: every later block on it is dated that far ahead.`,
      );
      expect(entries.filter((e) => e.kind === "order.filled")).to.have.length(2);
      expect(
        entries.filter((e) => e.kind === "orders.matched"),
        "Gia's relayed purchase",
      ).to.have.length(1);
    } finally {
      await rpc.close();
    }
    expect(lines.join("\n")).to.match(/points issued 1,930 BEANS, redeemed 230 BEANS, outstanding 1,545 BEANS/);
  });

  it("refuses to move the clock of a node that is not fresh without --move-clock, before sending anything", async () => {
    const rpc = await serveInProcessChain();
    try {
      const [brand] = await accountsOf(rpc.url);
      await brand!.sendTransaction({ to: brand!.account.address, value: 0n }); // the node has history, whatever ran before
      const [block, nonce, clock] = [
        await brand!.getBlockNumber(),
        await brand!.getTransactionCount({ address: brand!.account.address }),
        (await brand!.getBlock()).timestamp,
      ];
      let out = "";
      let err = "";
      const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t) };
      expect(await runCommand(demoCommand, ["--rpc", rpc.url], io)).to.equal(1);
      expect(err).to.contain(`Demo could not start: The node at ${rpc.url} is not fresh (${block} blocks beyond genesis)`);
      expect(err).to.contain(`the demo would move its clock ${DEMO_CLOCK_DAYS} days forward`);
      expect(err).to.contain("pass --move-clock to move this node's clock anyway");
      expect(out).to.equal("");
      expect(await brand!.getBlockNumber()).to.equal(block);
      expect(await brand!.getTransactionCount({ address: brand!.account.address })).to.equal(nonce);
      expect((await brand!.getBlock()).timestamp).to.equal(clock);
      const help = await runCommand(demoCommand, ["--help"], { out: (t) => void (out += t), err: () => undefined });
      expect(help).to.equal(0);
      expect(out).to.contain("--move-clock");
    } finally {
      await rpc.close();
    }
  });

  it("tells a fresh node (genesis only, no account used) from one with blocks or with a used account", async () => {
    const accounts = (["0x00000000000000000000000000000000000000a1", "0x00000000000000000000000000000000000000a2"] as const).map(
      (account) => (blocks: string, nonces: Record<string, string>) =>
        createWalletClient({
          account,
          chain: hardhat,
          transport: custom({
            request: ({ method, params }: { method: string; params?: unknown[] }) =>
              Promise.resolve(
                method === "eth_blockNumber"
                  ? blocks
                  : method === "eth_getTransactionCount"
                    ? (nonces[String(params?.[0])] ?? "0x0")
                    : null,
              ),
          }),
        }).extend(publicActions),
    );
    const node = (blocks: string, nonces: Record<string, string> = {}) => accounts.map((make) => make(blocks, nonces));
    expect(await nodeHistory(node("0x0"))).to.equal(undefined);
    expect(await nodeHistory(node("0x2a"))).to.equal("42 blocks beyond genesis");
    expect(await nodeHistory(node("0x0", { "0x00000000000000000000000000000000000000a2": "0x3" }))).to.equal(
      "account 0x00000000000000000000000000000000000000a2 has sent 3 transactions",
    );
  });

  it("says it could not start when the node is unreachable, and exits 1", async () => {
    let err = "";
    const code = await runCommand(demoCommand, ["--rpc", "http://127.0.0.1:9"], {
      out: () => undefined,
      err: (t) => void (err += t),
    });
    expect(code).to.equal(1);
    expect(err).to.contain("Demo could not start: Cannot reach the node at http://127.0.0.1:9.");
  });
});
