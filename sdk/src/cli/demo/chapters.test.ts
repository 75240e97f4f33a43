import { expect } from "chai";
import { encodeStampId } from "@punchcard/sdk";
import { startFaultyRpc } from "../../../../test/helpers/faultyRpc.js";
import { serveInProcessChain } from "../../../../test/helpers/rpcServer.js";
import { accountsOf } from "../clients.js";
import { runCommand } from "../command.js";
import { consentChapter, type ConsentChapterReturnType } from "./consent.js";
import { consentChangesChapter } from "./consentChanges.js";
import { castOf, demoLogger, type DemoContext, type DemoSetup } from "./context.js";
import { deployChapter } from "./deploy.js";
import { expiryChapter } from "./expiry.js";
import { demoChapters, demoCommand, DemoChapterError, playChapter, type DemoChapterName } from "./index.js";
import { journeysChapter } from "./journeys.js";
import { ledgerChapter } from "./ledger.js";
import { marketChapter, type MarketChapterReturnType } from "./market.js";
import { partnerExchangeChapter } from "./partnerExchange.js";
import { programEndChapter } from "./programEnd.js";
import { purchasesChapter } from "./purchases.js";
import { redemptionChapter } from "./redemption.js";
import { relayChapter } from "./relay.js";
import { rewardsChapter } from "./rewards.js";

describe("cli: the demo, chapter by chapter", function () {
  // Each chapter runs on the chain, the link store and the values the chapters before it left, so a later one
  // cannot run once one has failed: stop at the first failure, which names its chapter.
  this.bail(true);
  this.timeout(60_000);

  const lines: string[] = [];
  /** The step titles printed since the last call: "step 3: reward five members…". */
  const stepsPrinted = () => lines.splice(0).flatMap((line) => /step \d+: .*/.exec(line) ?? []);
  let setup: DemoSetup;
  let context: DemoContext;
  let links: ConsentChapterReturnType;
  let traded: MarketChapterReturnType;

  before(async () => {
    setup = { ...castOf(await accountsOf()), ...demoLogger((line) => lines.push(line)) };
  });

  // Typed on every chapter name, so a chapter added to the demo without a test here does not compile.
  const chapterTests: Record<DemoChapterName, () => Promise<void>> = {
    async deploy() {
      const { configHash, ...deployed } = await deployChapter(setup);
      context = { ...setup, ...deployed };
      expect(configHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(context.series.cup).to.deep.equal({ seriesId: 1n, name: context.config.series[0]!.name });
      expect(context.series.journey).to.deep.equal({ seriesId: 2n, name: context.config.series[1]!.name });
      expect(stepsPrinted()).to.deep.equal([
        "step 1: deploy the example program (programs/example.json)",
        "step 2: the config's series, journeys, tiers and perks, set up by the deployment",
      ]);
    },
    async rewards() {
      await rewardsChapter(context);
      expect(stepsPrinted()).to.deep.equal(["step 3: reward five members with stamps and points, in one batch each"]);
    },
    async purchases() {
      await purchasesChapter(context);
      expect(stepsPrinted()).to.deep.equal([
        "step 4: credit points bought with money, once per receipt",
        "step 5: a refunded purchase, reversed while its points are pending",
      ]);
    },
    async journeys() {
      await journeysChapter(context);
      expect(stepsPrinted()).to.deep.equal([
        "step 6: journeys: completions paid by vouchers the brand signs, redeemed by the member or a relayer",
      ]);
    },
    async consent() {
      links = await consentChapter(context);
      // The store is left open for the consentChanges chapter: Cleo's marketing consent, her guardian's approval.
      expect(await links.store.hasConsent({ customerId: "cust-0003", purpose: "marketing" })).to.equal(true);
      expect(stepsPrinted()).to.deep.equal([
        "step 7: members link their wallets with consent, purpose by purpose (Cleo is a minor)",
      ]);
    },
    async market() {
      traded = await marketChapter(context);
      expect(traded.cleoCup).to.equal(encodeStampId(1n, 3n));
      expect(stepsPrinted()).to.deep.equal([
        "step 8: members trade stamps: a sale for points, a sale for the native coin, and a swap",
      ]);
    },
    async relay() {
      await relayChapter(context, traded);
      expect([...context.names.values()]).to.include("Gia");
      expect(stepsPrinted()).to.deep.equal([
        "step 9: a member with no native coin buys a stamp through the program server: she signs, the brand's relayer sends",
      ]);
    },
    async redemption() {
      await redemptionChapter(context);
      expect(stepsPrinted()).to.deep.equal(["step 10: a member redeems points"]);
    },
    async partnerExchange() {
      await partnerExchangeChapter(context);
      expect([...context.names.values()]).to.include("exchange");
      expect(stepsPrinted()).to.deep.equal(["step 11: a partner brand: Northwind Beans convert into Skyline Miles"]);
    },
    async consentChanges() {
      await consentChangesChapter(context, links);
      expect(stepsPrinted()).to.deep.equal([
        "step 12: a guardian withdraws a minor's marketing consent; later the minor comes of age",
        "step 13: a member revokes analytics consent, another is forgotten",
      ]);
    },
    async expiry() {
      await expiryChapter(context);
      expect(stepsPrinted()).to.deep.equal([
        `step 14: points expire after ${context.config.points.expiry.days} days without activity`,
      ]);
    },
    async ledger() {
      const { entries } = await ledgerChapter(context);
      expect(
        entries.filter((e) => e.kind === "orders.matched"),
        "Gia's relayed purchase",
      ).to.have.length(1);
      expect(
        entries.filter((e) => e.kind === "points.expired"),
        "Ben's expired points",
      ).to.have.length(1);
      expect(stepsPrinted()).to.deep.equal([
        "step 15: the transparent ledger: every event, in order, with time",
        "step 16: summary",
      ]);
    },
    async programEnd() {
      await programEndChapter(context);
      expect(stepsPrinted()).to.deep.equal(["step 17: the end of the program announced"]);
    },
  };

  for (const chapter of demoChapters) it(chapter, chapterTests[chapter]);
});

describe("cli: a demo chapter that fails", () => {
  it("throws a DemoChapterError naming the chapter and the step it was in, its cause kept", async () => {
    const cause = new Error("the duplicate credit was accepted");
    let caught: unknown;
    try {
      await playChapter(
        "purchases",
        () => 4,
        () => Promise.reject(cause),
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(DemoChapterError);
    const failure = caught as DemoChapterError;
    expect(failure.message).to.equal("demo chapter 'purchases' failed: the duplicate credit was accepted");
    expect([failure.chapter, failure.step, failure.cause]).to.deep.equal(["purchases", 4, cause]);
  });

  it("makes punchcard demo say the step and the chapter that failed, and exit 1", async function () {
    this.timeout(60_000);
    const chain = await serveInProcessChain();
    // The node refuses every transaction: the first chapter fails at its first step.
    const rpc = await startFaultyRpc({
      upstream: chain.url,
      fault: (method) => (method.startsWith("eth_send") ? { kind: "429" } : { kind: "pass" }),
    });
    let out = "";
    let err = "";
    try {
      // The suite's chain has history by now: the demo moves its clock only when told to.
      const code = await runCommand(demoCommand, ["--rpc", rpc.url, "--move-clock"], {
        out: (t) => void (out += t),
        err: (t) => void (err += t),
      });
      expect(code).to.equal(1);
    } finally {
      await rpc.close();
      await chain.close();
    }
    expect(out).to.contain("step 1: deploy the example program");
    expect(err).to.match(/^\nDemo failed at step 1: demo chapter 'deploy' failed: /);
    expect(rpc.counts.rejected).to.be.greaterThan(0);
  });
});
