import { formatLog, numberToHex, type Address, type Hex, type Log } from "viem";
import { getLogs } from "viem/actions";
import { PunchcardError } from "../errors.js";
import type { ReadClient } from "../program.js";

export interface FetchLogsParameters {
  /** Contracts whose logs to read. */
  addresses: readonly Address[];
  fromBlock: bigint;
  toBlock: bigint;
  /**
   * Topic filter of `eth_getLogs` (position 0 is the event selector; `null` matches anything, an array any of its
   * values). Default: every log of the contracts.
   */
  topics?: readonly (Hex | readonly Hex[] | null)[];
  /** Largest block range asked in one `eth_getLogs` (default 2,000); halved when a provider refuses it. */
  maxRange?: bigint;
  /** Attempts for a transient failure (timeout, 429, reset) before giving up (default 5). */
  attempts?: number;
  /** First backoff delay in ms, doubled after each failed attempt (default 250). */
  backoffMs?: number;
  /** Called after each range is read, with the blocks done so far. */
  onProgress?: (progress: { fromBlock: bigint; toBlock: bigint; doneBlocks: bigint; totalBlocks: bigint; logs: number }) => void;
  /** Waits `ms`; replaceable in tests. */
  sleep?: (ms: number) => Promise<void>;
}

/** Messages providers use when a range or its result is too large (Alchemy, Infura, QuickNode, geth, Ankr, ...). */
const rangeLimit =
  /block range|range (is )?too (large|wide)|too many (blocks|results|logs)|query returned more than|result (set )?(size|window)|limit exceeded|exceed(s|ed) .*(limit|max)|response size|10000 results|max(imum)? .*blocks/i;
/** Messages and codes of failures that may pass if retried. */
// Status numbers only as whole words: viem's messages quote the request (hex addresses, block numbers),
// and "429" inside an address must not read as a rate limit.
const rateLimit = /\b429\b|too many requests|rate limit|requests per second|compute units/i;
const transient =
  /timeout|timed out|ECONNRESET|ECONNREFUSED|EPIPE|socket hang up|fetch failed|network error|\b50[234]\b|temporarily/i;

function describe(error: unknown): string {
  if (error instanceof Error) {
    const details = (error as { details?: string }).details;
    return [error.message, details].filter(Boolean).join(" ");
  }
  return String(error);
}

/**
 * Whether an error says the asked range (or its result) was too large.
 *
 * @example
 * isRangeLimitError(new Error("query returned more than 10000 results")); // true
 */
export function isRangeLimitError(error: unknown): boolean {
  const code = (error as { code?: number }).code;
  const message = describe(error);
  if (rateLimit.test(message)) return false; // "rate limit exceeded" is about time, not range: wait, don't split
  return code === -32005 || rangeLimit.test(message);
}

/**
 * Whether an error is a transient failure worth retrying.
 *
 * @example
 * isTransientError(new Error("429 Too Many Requests")); // true
 */
export function isTransientError(error: unknown): boolean {
  const e = error as { code?: number; status?: number };
  if (e.code === 429 || e.status === 429 || (e.status !== undefined && e.status >= 500)) return true;
  const message = describe(error);
  return rateLimit.test(message) || transient.test(message);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs one RPC request, again after a transient failure, with exponential backoff and jitter (requests
 * that failed together must not retry together, or they meet the same rate limit again). Retry each
 * request, not a whole multi-request read: under a steady 429 rate one of many requests always fails.
 *
 * @example
 * const block = await retryTransient(() => getBlock(client, { blockNumber: 1n }));
 */
export async function retryTransient<T>(
  request: () => Promise<T>,
  {
    attempts = 8,
    backoffMs = 200,
    sleep = defaultSleep,
  }: { attempts?: number; backoffMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      if (attempt >= attempts || !isTransientError(error)) throw error;
      await sleep(Math.min(backoffMs * 2 ** (attempt - 1), 10_000) * (0.5 + Math.random()));
    }
  }
}

export type FetchLogsReturnType = Log[];

/**
 * Reads every log of some contracts in a block range, in bounded sub-ranges, in chain order. A range a
 * provider refuses as too large is split in two and retried; a transient failure is retried with
 * exponential backoff. The same code therefore works against a local node and public providers.
 *
 * @example
 * const logs = await fetchLogs(client, { addresses: programAddresses(program), fromBlock: program.deployBlock, toBlock: 500_000n });
 */
export async function fetchLogs(client: ReadClient, parameters: FetchLogsParameters): Promise<FetchLogsReturnType> {
  const { addresses, fromBlock, toBlock, topics, attempts = 5, backoffMs = 250, onProgress, sleep = defaultSleep } = parameters;
  let maxRange = parameters.maxRange ?? 2_000n;
  if (toBlock < fromBlock) return [];
  const totalBlocks = toBlock - fromBlock + 1n;
  const logs: Log[] = [];

  let start = fromBlock;
  while (start <= toBlock) {
    const end = start + maxRange - 1n < toBlock ? start + maxRange - 1n : toBlock;
    const chunk = await readRange(start, end);
    if (chunk === "split") {
      if (end === start) {
        throw new PunchcardError(`The provider refuses the logs of block ${start} even alone.`, {
          hint: "Use a provider without a result-size limit, or an archive node.",
        });
      }
      // Remember the smaller range: a provider that refused it once will refuse it again.
      maxRange = (end - start + 1n) / 2n;
      continue;
    }
    // One push per log: spreading a dense range's chunk into push() overflows the stack past ~100,000 logs.
    for (const log of chunk) logs.push(log);
    onProgress?.({ fromBlock: start, toBlock: end, doneBlocks: end - fromBlock + 1n, totalBlocks, logs: logs.length });
    start = end + 1n;
  }
  return logs;

  async function readRange(from: bigint, to: bigint): Promise<Log[] | "split"> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (!topics) return await getLogs(client, { address: [...addresses], fromBlock: from, toBlock: to });
        // viem's getLogs filters topics by event only; a topic at any position needs the raw request.
        const raw = await client.request({
          method: "eth_getLogs",
          params: [{ address: [...addresses], fromBlock: numberToHex(from), toBlock: numberToHex(to), topics: [...topics] }],
        });
        return raw.map((log) => formatLog(log));
      } catch (error) {
        if (isRangeLimitError(error)) return "split";
        if (!isTransientError(error) || attempt >= attempts) {
          throw new PunchcardError(
            `Reading logs of blocks ${from}-${to} failed${attempt > 1 ? ` after ${attempt} attempts` : ""}.`,
            {
              details: describe(error),
              hint: "Check the RPC URL and the provider's status.",
              cause: error,
            },
          );
        }
        await sleep(backoffMs * 2 ** (attempt - 1));
      }
    }
  }
}
