import type { ExecuteResult, Program, ProgramServerClient, WriteClient } from "@punchcard/sdk";
import type { Address, PublicClient } from "viem";
import { bookCaughtUp } from "../../programServer.js";
import { say } from "../../i18n/i18n.js";
import type { PasskeySender } from "../../passkey/userOps.js";
import { sendOrRelay, type Sender } from "../../sendOrRelay.js";

/** What every part of the Market page acts with: the member, the program server, and who pays the gas. */
export interface TradeContext {
  program: Program;
  member: Address;
  server: ProgramServerClient;
  /** Through the brand's relayer (the member only signs), or sent by the member. */
  sponsored: boolean;
  brand: string;
  /** Whether the Market may move the member's stamps (needed to list or accept). */
  approved: boolean;
  client: PublicClient;
  writer: () => WriteClient;
  /** A passkey member: every action is a UserOp from their account (sendOrRelay), sponsored by the brand. */
  passkey?: PasskeySender | undefined;
}

/**
 * Who sends an action: the member's wallet, with the brand's relayer when `sponsored` (the member's choice by
 * default; an offer the buyer backed with a permit is always accepted through the relayer).
 */
export function senderOf(context: TradeContext, sponsored = context.sponsored): Sender {
  return {
    program: context.program,
    client: context.client,
    writer: context.writer(),
    relayer: sponsored ? context.server : undefined,
    passkey: context.passkey,
  };
}

/** An action's label, with "(sponsored by <brand>)" when the brand's relayer sends it. */
export function sponsoredLabel(label: string, brand: string, sponsored: boolean): string {
  return sponsored ? say("action.sponsored", { label, brand }) : label;
}

/**
 * An action's run function, followed by a wait until the program server has applied the transaction's block, so the
 * book the page reads again afterwards already shows the action. A failed action waits for the server to reach the
 * chain's head instead: the order may have just gone stale (its stamp moved a block ago), and the book read again
 * must already show that, not offer the same dead order a second time.
 */
export function thenBook<Input>(context: TradeContext, run: (input: Input) => Promise<ExecuteResult | undefined>) {
  return async (input: Input) => {
    let result: ExecuteResult | undefined;
    try {
      result = await run(input);
    } catch (error) {
      const head = await context.client.getBlockNumber({ cacheTime: 0 }).catch(() => undefined);
      if (head !== undefined) await bookCaughtUp(context.server, head);
      throw error;
    }
    if (result) await bookCaughtUp(context.server, result.receipt.blockNumber);
    return result;
  };
}

/** Lets the Market move the member's stamps, if it may not yet: a signature for the relayer, or a transaction. */
export async function ensureApproval(context: TradeContext): Promise<void> {
  if (context.approved) return;
  await sendOrRelay("marketApproval", senderOf(context), {});
}
