import { BlockNotFoundError, type Hash } from "viem";
import { getBlock, getBlockNumber } from "viem/actions";
import type { Program, ReadClient } from "../program.js";
import type { LedgerEntry } from "./entries.js";
import { readLedger } from "./readLedger.js";

/** What a reorganisation of the chain took back: every entry delivered from `fromBlock` on. */
export interface LedgerReorg {
  /**
   * First block whose delivered entries may have left the chain: forget every entry of this block and later.
   * It may be earlier than the real fork (hashes are kept per delivered batch, not per block); the entries
   * of the chain that won are delivered again from this block on, through `onEntries`.
   */
  fromBlock: bigint;
  /** The last block delivered before the reorg. */
  toBlock: bigint;
  /**
   * False when the chain forked below the oldest block whose hash was kept (`reorgDepth`): `fromBlock` is then
   * that oldest block, and entries delivered before it could not be checked.
   */
  withinDepth: boolean;
}

export interface WatchLedgerParameters {
  program: Program;
  /** First block to deliver (default: the next block after the current head). */
  fromBlock?: bigint;
  /** Blocks to wait behind the head before delivering, so a reorg cannot retract a delivered entry (default 0). */
  confirmations?: bigint;
  /** How often to look for new blocks, in ms (default 1,000). */
  pollingInterval?: number;
  /**
   * Receives each new batch of entries in chain order, with the blocks it covers (`fromBlock`..`toBlock`).
   * After a reorg, `fromBlock` is the reorg's `fromBlock`: the batch replaces what was delivered from there on.
   */
  onEntries: (entries: LedgerEntry[], toBlock: bigint, fromBlock: bigint) => void | Promise<void>;
  /**
   * Called when blocks already delivered left the chain, before the winning chain's entries are delivered
   * from `reorg.fromBlock` on: undo what the entries of those blocks did. A handler that throws gets the
   * same reorg again at the next poll. Without it, the winning entries are still delivered again.
   */
  onReorg?: (reorg: LedgerReorg) => void | Promise<void>;
  /** Receives a failure; watching goes on at the next poll. */
  onError?: (error: unknown) => void;
  /** Blocks behind the newest delivered one whose hashes are kept to find where a reorg forked (default 64). */
  reorgDepth?: bigint;
}

export type WatchLedgerReturnType = () => void;

/**
 * Follows the chain live: every `pollingInterval`, reads the entries of the blocks that became
 * final (head minus `confirmations`) since the last call. It keeps the hash of the last block of each
 * batch it delivered (and of the block before the first): when one of them is no longer on the chain,
 * it calls `onReorg` with the first block to forget, then delivers the winning chain's entries from
 * there. A batch read while the chain moved under it is not delivered (the next poll reads it again).
 * Returns a function that stops watching.
 *
 * @example
 * const stop = watchLedger(client, {
 *   program,
 *   onEntries: (entries) => entries.forEach((e) => console.log(e.kind)),
 *   onReorg: ({ fromBlock }) => console.log(`forget everything from block ${fromBlock}`),
 * });
 * // later: stop();
 */
export function watchLedger(client: ReadClient, parameters: WatchLedgerParameters): WatchLedgerReturnType {
  const { program, confirmations = 0n, pollingInterval = 1_000, onEntries, onReorg, reorgDepth = 64n } = parameters;
  const onError = parameters.onError ?? (() => {});
  let next = parameters.fromBlock;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Hashes of delivered batches' last blocks (and of the block before the first), oldest first. */
  let kept: Array<{ number: bigint; hash: Hash }> = [];

  const hashOf = async (blockNumber: bigint): Promise<Hash | undefined> => {
    try {
      return (await getBlock(client, { blockNumber })).hash ?? undefined;
    } catch (error) {
      // Above the head of a chain that got shorter: that block is not on the chain any more.
      if (error instanceof BlockNotFoundError) return undefined;
      throw error;
    }
  };

  /** Rolls back to the newest kept block still on the chain, telling onReorg first. */
  const checkReorg = async (): Promise<void> => {
    const newest = kept.at(-1);
    if (!newest || (await hashOf(newest.number)) === newest.hash) return;
    let i = kept.length - 2;
    while (i >= 0 && (await hashOf(kept[i]!.number)) !== kept[i]!.hash) i--;
    const withinDepth = i >= 0;
    const fromBlock = withinDepth ? kept[i]!.number + 1n : kept[0]!.number;
    const delivered = next! - 1n;
    // Stopped while the hashes were read: the caller may already have closed what onReorg writes to.
    if (stopped) return;
    // Only what was delivered can be taken back: the anchor alone (nothing delivered yet) needs no call.
    if (onReorg && delivered >= fromBlock) await onReorg({ fromBlock, toBlock: delivered, withinDepth });
    kept = withinDepth ? kept.slice(0, i + 1) : [];
    if (fromBlock < next!) next = fromBlock;
  };

  const poll = async () => {
    try {
      const head = (await getBlockNumber(client, { cacheTime: 0 })) - confirmations;
      if (next === undefined) next = head + 1n;
      if (kept.length === 0 && next > 0n) {
        // The anchor: the block before the first delivered one, so a reorg reaching below it is seen too.
        const hash = await hashOf(next - 1n);
        if (hash) kept.push({ number: next - 1n, hash });
      }
      // The head's hash before the checks and the read, and again after: unchanged, the batch is all of one chain,
      // and that chain holds the blocks kept (checked in between).
      const before = head >= next ? await hashOf(head) : undefined;
      await checkReorg();
      if (!stopped && before !== undefined && head >= next) {
        const from = next;
        const entries = await readLedger(client, { program, fromBlock: from, toBlock: head });
        if (stopped) return;
        const after = await hashOf(head);
        // Stopped while the head was read again: no call after stop, whose caller may have closed its database.
        if (stopped) return;
        if (after === before) {
          // Advance only once the batch is delivered: a handler that throws gets the same blocks again.
          await onEntries(entries, head, from);
          next = head + 1n;
          kept.push({ number: head, hash: before });
          while (kept.length > 1 && kept[0]!.number < head - reorgDepth) kept.shift();
        }
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
