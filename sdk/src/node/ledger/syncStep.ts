import { BlockNotFoundError, type Hash } from "viem";
import { getBlock } from "viem/actions";
import { retryTransient } from "../../ledger/fetchLogs.js";
import { readLedger } from "../../ledger/readLedger.js";
import type { Program, ReadClient } from "../../program.js";
import type { LedgerEntriesTable } from "./schema.js";
import { toRow } from "./syncRow.js";

/** One step of a sync, read and checked, ready to be written in one transaction. */
export interface ReadStep {
  start: bigint;
  end: bigint;
  /** Blocks whose hashes the step keeps (those a reorg can still reach, and its last), with their hashes. */
  blocks: bigint[];
  hashes: Hash[];
  rows: LedgerEntriesTable[];
}

/**
 * The hash of a block, or undefined when the chain has no such block (above a new, shorter head after a reorg).
 *
 * @example
 * const hash = await hashOf(client, 1_000n);
 */
export async function hashOf(client: ReadClient, blockNumber: bigint): Promise<Hash | undefined> {
  try {
    return (await retryTransient(() => getBlock(client, { blockNumber }))).hash;
  } catch (error) {
    if (error instanceof BlockNotFoundError) return undefined;
    throw error;
  }
}

/**
 * Reads the rows of blocks `start`..`end` and the hashes a reorg check needs. Undefined when the chain moved while the
 * step was read (its last block's hash changed, or a kept block left the chain): the rows could mix two chains, so
 * the caller reads the step again. `near` is the first block a reorg can still reach.
 *
 * @example
 * const step = await readStep(client, { program, start: 100n, end: 199n, near: head - 63n });
 */
export async function readStep(
  client: ReadClient,
  parameters: { program: Program; start: bigint; end: bigint; near: bigint; maxRange?: bigint },
): Promise<ReadStep | undefined> {
  const { program, start, end, near, maxRange } = parameters;
  const blocks: bigint[] = [];
  for (let b = near > start ? near : start; b < end; b++) blocks.push(b);
  blocks.push(end);
  const before = await Promise.all(blocks.map((b) => hashOf(client, b)));
  // readLedger retries each of its requests (logs and block times) on a transient failure.
  const read = await readLedger(client, { program, fromBlock: start, toBlock: end, ...(maxRange ? { maxRange } : {}) });
  // A reorg while the step was read would mix two chains: its last block's hash must not have moved.
  if (before.some((h) => h === undefined) || (await hashOf(client, end)) !== before.at(-1)) return undefined;
  const rows = new Array<LedgerEntriesTable>(read.length);
  for (let i = 0; i < read.length; i++) rows[i] = toRow(program, read[i]!);
  return { start, end, blocks, hashes: before as Hash[], rows };
}

/**
 * The next step's size in blocks, from the last step's: near `entries` rows per step, so that a dense history comes
 * in several steps (the next one is read while this one is written) and a sparse one in fewer (each step costs a
 * transaction and two block reads). It shrinks at once in proportion to a step that was too big, and doubles only
 * after a step under a sixteenth of the aim, never past `max`: a history often turns dense at once (a program's
 * launch), and a step grown over the sparse part would take all of the dense part in one read.
 *
 * @example
 * nextStepBlocks({ blocks: 100n, rows: 40_000, entries: 10_000, max: 2_000n }); // 25n
 */
export function nextStepBlocks({
  blocks,
  rows,
  entries,
  max,
}: {
  blocks: bigint;
  rows: number;
  entries: number;
  max: bigint;
}): bigint {
  let next = blocks;
  if (rows > entries) next = (blocks * BigInt(entries)) / BigInt(rows);
  else if (rows * 16 < entries) next = blocks * 2n;
  if (next < 1n) next = 1n;
  return next > max ? max : next;
}
