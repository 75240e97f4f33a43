/**
 * `punchcard demo`: a whole loyalty program, step by step, on Hardhat's in-process chain (in a Hardhat
 * project) or on any development node with unlocked accounts (--rpc). It plays in chapters, one file each, in
 * this order: deploy (the program, its series, journeys, tiers and perks), rewards (batch rewards), purchases (a
 * purchase credited once, pending 14 days; a refunded one reversed while pending), journeys (a journey paid by a
 * brand-signed voucher, a referral, a tier-up that unlocks a perk and its claim), consent (wallets linked with
 * consent), market (trades with the brand's royalty), relay (a member with no coin buying through the program
 * server), redemption, partnerExchange (points converted into a partner program deployed in the demo),
 * consentChanges (a guardian withdrawing a minor's marketing consent, the minor coming of age, a revocation, an
 * erasure), expiry (points expiring after a year without activity, the chain's clock moved forward), ledger (the
 * ledger and its summary) and programEnd (the end of the program announced with its notice). Every step goes
 * through the SDK's public entry points, as a brand's backend, a member's wallet or an analyst would. Exits
 * non-zero if any step fails, naming the step and its chapter.
 */
import type { Address, Hex } from "viem";
import { PunchcardError } from "../../errors.js";
import type { LedgerEntry, Program, ProgramConfig } from "../../index.js";
import { accountsOf } from "../clients.js";
import { defineCommand } from "../command.js";
import { consentChapter } from "./consent.js";
import { consentChangesChapter } from "./consentChanges.js";
import { guardNodeClock } from "./clockGuard.js";
import { castOf, DEMO_ACCOUNTS, demoLogger, type DemoContext } from "./context.js";
import { deployChapter } from "./deploy.js";
import { expiryChapter } from "./expiry.js";
import { journeysChapter } from "./journeys.js";
import { ledgerChapter } from "./ledger.js";
import { marketChapter } from "./market.js";
import { partnerExchangeChapter } from "./partnerExchange.js";
import { programEndChapter } from "./programEnd.js";
import { purchasesChapter } from "./purchases.js";
import { writeDemoRecord, type DemoRecordOptions } from "./record.js";
import { redemptionChapter } from "./redemption.js";
import { relayChapter } from "./relay.js";
import { rewardsChapter } from "./rewards.js";

/** The demo's chapters, in the order it plays them; each is one file of this folder, named after it. */
export const demoChapters = [
  "deploy",
  "rewards",
  "purchases",
  "journeys",
  "consent",
  "market",
  "relay",
  "redemption",
  "partnerExchange",
  "consentChanges",
  "expiry",
  "ledger",
  "programEnd",
] as const;

export type DemoChapterName = (typeof demoChapters)[number];

/**
 * A chapter of the demo failed: `chapter` names it, `step` is the number of the step it was in, and `cause` is
 * what it threw (a `ContractRevertError`, or the demo's own check of an outcome).
 *
 * @example
 * // DemoChapterError: demo chapter 'market' failed: the duplicate credit was accepted
 */
export class DemoChapterError extends PunchcardError {
  override name = "DemoChapterError";
  readonly chapter: DemoChapterName;
  /** The number of the step that failed (0: before the first step). */
  readonly step: number;

  constructor(chapter: DemoChapterName, step: number, cause: unknown) {
    super(`demo chapter '${chapter}' failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.chapter = chapter;
    this.step = step;
  }
}

/**
 * Plays one chapter; if it throws, throws a `DemoChapterError` naming it and the step it was in.
 *
 * @example
 * const deployed = await playChapter("deploy", logger.stepNumber, () => deployChapter(setup));
 */
export async function playChapter<T>(chapter: DemoChapterName, stepNumber: () => number, play: () => Promise<T>): Promise<T> {
  try {
    return await play();
  } catch (error) {
    throw new DemoChapterError(chapter, stepNumber(), error);
  }
}

export interface DemoResult {
  program: Program;
  /** The deployment record written (with the `record` option). */
  recordPath?: string;
  /** The config deployed (the example program with the demo's treasury and minter), and its hash. */
  config: ProgramConfig;
  configHash: Hex;
  /** The account that deployed the program (the brand's admin). */
  deployer: Address;
  entries: LedgerEntry[];
  /** Who each of the chain's accounts plays, by lower-case address: "brand", "Ada", "Cleo's parent"… */
  names: Map<string, string>;
}

export interface DemoOptions {
  /** A development node with at least 11 unlocked accounts; absent: Hardhat's in-process chain. */
  rpc?: string;
  /**
   * Move the clock of the `rpc` node even when it is not fresh (blocks beyond genesis, or accounts that sent
   * transactions). Without it the demo refuses such a node with a `DemoClockRefusedError`, before sending anything.
   */
  moveClock?: boolean;
  /** Where each line goes (default: standard output). */
  log?: (line: string) => void;
  /**
   * A folder to keep the brand's link store in (`links.sqlite`), left there at the end; absent: a temporary folder,
   * removed when the demo ends.
   */
  linkStoreDir?: string;
  /**
   * Write the program's deployment record, as `punchcard deploy` does, to `<dir>/<network>/demo.json` once it is
   * deployed (the command does with `--rpc`: a node outlives the demo, the in-process chain does not).
   */
  record?: DemoRecordOptions;
}

/**
 * Runs the demo program from deploy to the end announced, chapter by chapter, printing each step. Reaching the
 * chain or finding its accounts fails with the client's error; a chapter that fails throws a `DemoChapterError`
 * naming it.
 *
 * @example
 * const { program, entries } = await runDemo({ rpc: "http://127.0.0.1:8545" });
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const logger = demoLogger(options.log ?? ((line: string) => console.log(line)));
  const accounts = await accountsOf(options.rpc);
  if (options.rpc !== undefined)
    await guardNodeClock(accounts.slice(0, DEMO_ACCOUNTS), {
      rpc: options.rpc,
      moveClock: options.moveClock ?? false,
      say: options.log ?? ((line: string) => console.log(line)),
    });
  const setup = { ...castOf(accounts), ...logger };
  const chapter = <T>(name: DemoChapterName, play: () => Promise<T>) => playChapter(name, logger.stepNumber, play);

  const { configHash, ...deployed } = await chapter("deploy", () => deployChapter(setup));
  const context: DemoContext = { ...setup, ...deployed };
  const where = options.record;
  const recordPath = where && writeDemoRecord(where, { ...deployed, configHash, brand: setup.brand });
  if (recordPath) logger.say(`deployment record written to ${recordPath}, as punchcard deploy writes it`);
  await chapter("rewards", () => rewardsChapter(context));
  await chapter("purchases", () => purchasesChapter(context));
  await chapter("journeys", () => journeysChapter(context));
  const links = await chapter("consent", () => consentChapter(context, options.linkStoreDir));
  const traded = await chapter("market", () => marketChapter(context));
  await chapter("relay", () => relayChapter(context, traded));
  await chapter("redemption", () => redemptionChapter(context));
  await chapter("partnerExchange", () => partnerExchangeChapter(context));
  await chapter("consentChanges", () => consentChangesChapter(context, links));
  await chapter("expiry", () => expiryChapter(context));
  const { entries } = await chapter("ledger", () => ledgerChapter(context));
  await chapter("programEnd", () => programEndChapter(context));
  const { program, config, brand, names } = context;
  return {
    program,
    config,
    configHash,
    deployer: brand.account.address,
    entries,
    names,
    ...(recordPath ? { recordPath } : {}),
  };
}

export const demoCommand = defineCommand({
  name: "demo",
  summary:
    "Run a whole loyalty program, step by step: deploy, reward, link with consent, trade with royalty, redeem, forget, read the ledger.",
  usage: "[--rpc <url> [--move-clock] [--network <name>] [--out <dir>]]",
  options: {
    rpc: {
      type: "string",
      value: "<url>",
      description: "a development node with 11+ unlocked accounts (npx hardhat node); default: Hardhat's in-process chain",
    },
    network: {
      type: "string",
      value: "<name>",
      default: "localhost",
      description: "with --rpc: the network's name, for the record's folder (as punchcard deploy --network)",
    },
    out: {
      type: "string",
      value: "<dir>",
      default: "deployments",
      description: "with --rpc: where the program's deployment record goes: <out>/<network>/demo.json",
    },
    "move-clock": {
      type: "boolean",
      description:
        "with --rpc: move the node's clock a year forward even if the node is not fresh (has blocks or accounts with transactions)",
    },
  },
  notes:
    "The in-process chain needs Hardhat installed and a hardhat.config in the current folder (this repository has both). The expiry chapter moves the chain's clock more than a year forward, for good: on --rpc the demo refuses a node that is not fresh unless --move-clock is given. With --rpc the demo writes its program's deployment record to <out>/<network>/demo.json, as punchcard deploy does, so the ledger commands read it at once.",
  async run({ values, out, err }) {
    const started = Date.now();
    let recordPath: string | undefined;
    try {
      ({ recordPath } = await runDemo({
        ...(values.rpc ? { rpc: values.rpc, record: { dir: values.out, network: values.network } } : {}),
        moveClock: values["move-clock"] === true,
        log: (line) => out(`${line}\n`),
      }));
    } catch (error) {
      const where = error instanceof DemoChapterError && error.step > 0 ? `failed at step ${error.step}` : "could not start";
      err(`\nDemo ${where}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
    out(`\nDemo finished in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
    if (recordPath && values.rpc)
      out(
        `\nIts ledger, for analysts (docs/analytics.md):\n  npx punchcard ledger sync --program ${recordPath} --rpc ${values.rpc}\n  npx punchcard ledger kpis --program ${recordPath} --by month\n`,
      );
    return 0;
  },
});
