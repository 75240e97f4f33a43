/**
 * Before the demo plays on a node it was pointed at (--rpc): the expiry chapter moves that node's clock more than a
 * year forward, and no node can move it back. On a node someone else uses (a shared development node, a fork with
 * history) that would date every later block of theirs a year ahead, so the demo refuses there unless told to.
 */
import { PunchcardError } from "../../errors.js";
import { exampleProgramConfig } from "../../config/exampleProgram.js";
import type { DemoClient } from "./context.js";

/** Days the expiry chapter moves the chain's clock: to 20 days before the points expire, then 30 days on. */
export const DEMO_CLOCK_DAYS = exampleProgramConfig.points.expiry.days + 10;

/**
 * The demo refused to move the clock of a node that is not fresh: `history` says what it found.
 *
 * @example
 * if (error instanceof DemoClockRefusedError) console.log(error.history);
 */
export class DemoClockRefusedError extends PunchcardError {
  override name = "DemoClockRefusedError";
  constructor(
    readonly rpc: string,
    readonly history: string,
  ) {
    super(
      `The node at ${rpc} is not fresh (${history}): the demo would move its clock ${DEMO_CLOCK_DAYS} days forward, for good, and every later block on it would carry that date.`,
      {
        hint: "Run the demo on a fresh node (npx hardhat node), or pass --move-clock to move this node's clock anyway.",
      },
    );
  }
}

/**
 * What shows a node is not fresh: blocks beyond genesis, or one of the demo's accounts having sent a transaction;
 * undefined for a fresh node.
 *
 * @example
 * const history = await nodeHistory(accounts); // "42 blocks beyond genesis"
 */
export async function nodeHistory(accounts: readonly DemoClient[]): Promise<string | undefined> {
  const [first] = accounts;
  if (!first) return undefined;
  const blocks = await first.getBlockNumber();
  if (blocks > 0n) return `${blocks} block${blocks === 1n ? "" : "s"} beyond genesis`;
  const nonces = await Promise.all(accounts.map((a) => a.getTransactionCount({ address: a.account.address })));
  const used = accounts.findIndex((_, i) => nonces[i]! > 0);
  return used < 0 ? undefined : `account ${accounts[used]!.account.address} has sent ${nonces[used]} transactions`;
}

/**
 * Refuses a node that is not fresh unless `moveClock`; otherwise says, before anything is sent, that the node's
 * clock will move.
 *
 * @example
 * await guardNodeClock(accounts, { rpc, moveClock: false, say: console.log });
 */
export async function guardNodeClock(
  accounts: readonly DemoClient[],
  { rpc, moveClock, say }: { rpc: string; moveClock: boolean; say: (line: string) => void },
): Promise<void> {
  const history = await nodeHistory(accounts);
  if (history !== undefined && !moveClock) throw new DemoClockRefusedError(rpc, history);
  say(
    `Note: the demo moves the clock of the node at ${rpc} ${DEMO_CLOCK_DAYS} days forward (chapter expiry), for good: every later block on it is dated that far ahead.`,
  );
}
