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

/** Pieces a step's range is read in: a step that turns out dense ends after the piece that reached its aim. */
const STEP_PIECES = 8n;

/**
 * Reads the rows of blocks `start`..`end`, in up to 8 pieces, and the hashes a reorg check needs. The step ends early,
 * after the piece whose rows reach `entries`: a history that turns dense inside a step grown over a sparse part is
 * not read (and written) in one go, and the next step is read while this one is written. Undefined when the chain
 * moved while the step was read (its last block's hash changed, or a kept block left the chain): the rows could mix
 * two chains, so the caller reads the step again. `near` is the first block a reorg can still reach.
 *
 * @example
 * const step = await readStep(client, { program, start: 100n, end: 199n, near: head - 63n, entries: 10_000 });
 */
export async function readStep(
  client: ReadClient,
  parameters: { program: Program; start: bigint; end: bigint; near: bigint; entries: number; maxRange?: bigint },
): Promise<ReadStep | undefined> {
  const { program, start, near, entries, maxRange } = parameters;
  const span = parameters.end - start + 1n;
  const piece = (span + STEP_PIECES - 1n) / STEP_PIECES;
  const ends: bigint[] = [];
  for (let e = start + piece - 1n; e < parameters.end; e += piece) ends.push(e);
  ends.push(parameters.end);
  // Hashes first (the blocks a reorg can reach, and each piece's last), so that a reorg during the read shows.
  const hashed = new Set<bigint>(ends);
  for (let b = near > start ? near : start; b < parameters.end; b++) hashed.add(b);
  const numbers = [...hashed].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const known = await Promise.all(numbers.map((b) => hashOf(client, b)));
  const before = new Map(numbers.map((b, i) => [b, known[i]]));
  const rows: LedgerEntriesTable[] = [];
  let from = start;
  let end = start;
  for (const to of ends) {
    // readLedger retries each of its requests (logs and block times) on a transient failure.
    const read = await readLedger(client, { program, fromBlock: from, toBlock: to, ...(maxRange ? { maxRange } : {}) });
    for (const entry of read) rows.push(toRow(program, entry));
    end = to;
    from = to + 1n;
    if (rows.length >= entries) break;
  }
  const blocks = numbers.filter((b) => b === end || (b >= near && b < end));
  const hashes = blocks.map((b) => before.get(b));
  // A reorg while the step was read would mix two chains: its last block's hash must not have moved.
  if (hashes.some((h) => h === undefined) || (await hashOf(client, end)) !== before.get(end)) return undefined;
  return { start, end, blocks, hashes: hashes as Hash[], rows };
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
