import { getBlockNumber } from "viem/actions";
import type { Program, ReadClient } from "../program.js";
import type { LedgerEntry } from "./entries.js";
import { readLedger } from "./readLedger.js";

export interface WatchLedgerParameters {
  program: Program;
  /** First block to deliver (default: the next block after the current head). */
  fromBlock?: bigint;
  /** Blocks to wait behind the head before delivering, so a reorg cannot retract a delivered entry (default 0). */
  confirmations?: bigint;
  /** How often to look for new blocks, in ms (default 1,000). */
  pollingInterval?: number;
  /** Receives each new batch of entries in chain order, and the last block it covers. */
  onEntries: (entries: LedgerEntry[], toBlock: bigint) => void | Promise<void>;
  /** Receives a failure; watching goes on at the next poll. */
  onError?: (error: unknown) => void;
}

export type WatchLedgerReturnType = () => void;

/**
 * Follows the chain live: every `pollingInterval`, reads the entries of the blocks that became
 * final (head minus `confirmations`) since the last call. Returns a function that stops watching.
 *
 * @example
 * const stop = watchLedger(client, { program, onEntries: (entries) => entries.forEach((e) => console.log(e.kind)) });
 * // later: stop();
 */
export function watchLedger(client: ReadClient, parameters: WatchLedgerParameters): WatchLedgerReturnType {
  const { program, confirmations = 0n, pollingInterval = 1_000, onEntries, onError = () => {} } = parameters;
  let next = parameters.fromBlock;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const poll = async () => {
    try {
      const head = (await getBlockNumber(client, { cacheTime: 0 })) - confirmations;
      if (next === undefined) next = head + 1n;
      if (head >= next) {
        const entries = await readLedger(client, { program, fromBlock: next, toBlock: head });
        if (stopped) return;
        // Advance only once the batch is delivered: a handler that throws gets the same blocks again.
        await onEntries(entries, head);
        next = head + 1n;
      }
    } catch (error) {
      onError(error);
    }
    if (!stopped) timer = setTimeout(poll, pollingInterval);
  };
  void poll();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
