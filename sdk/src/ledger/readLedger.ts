import { getBlock, getBlockNumber } from "viem/actions";
import type { Program, ReadClient } from "../program.js";
import { decodeLedgerEntry, ledgerContracts, type LedgerEntry } from "./entries.js";
import { fetchLogs, retryTransient, type FetchLogsParameters } from "./fetchLogs.js";

export interface ReadLedgerParameters extends Pick<
  FetchLogsParameters,
  "maxRange" | "attempts" | "backoffMs" | "onProgress" | "sleep"
> {
  program: Program;
  /** First block to read (default: the program's deploy block). */
  fromBlock?: bigint;
  /** Last block to read (default: the latest block). */
  toBlock?: bigint;
}

/** Reads many blocks' timestamps, a few at a time. */
async function blockTimes(
  client: ReadClient,
  blockNumbers: bigint[],
  retry: Parameters<typeof retryTransient>[1],
): Promise<Map<bigint, number>> {
  const times = new Map<bigint, number>();
  const queue = [...blockNumbers];
  const worker = async () => {
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
      const blockNumber = n;
      const block = await retryTransient(() => getBlock(client, { blockNumber }), retry);
      times.set(n, Number(block.timestamp));
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, queue.length) }, worker));
  return times;
}

export type ReadLedgerReturnType = LedgerEntry[];

/**
 * The program's history as typed entries in chain order (block, then log index), each with its block time.
 *
 * @example
 * for (const entry of await readLedger(client, { program })) {
 *   console.log(new Date(entry.blockTime * 1000).toISOString(), entry.kind, entry.actor, entry.amount);
 * }
 */
export async function readLedger(client: ReadClient, parameters: ReadLedgerParameters): Promise<ReadLedgerReturnType> {
  const { program, ...rest } = parameters;
  const fromBlock = parameters.fromBlock ?? program.deployBlock;
  const toBlock = parameters.toBlock ?? (await retryTransient(() => getBlockNumber(client, { cacheTime: 0 })));
  const contracts = ledgerContracts(program);
  const logs = await fetchLogs(client, { ...rest, addresses: [...contracts.keys()] as `0x${string}`[], fromBlock, toBlock });
  const chainId = program.chainId;
  const times = await blockTimes(
    client,
    [...new Set(logs.map((log) => log.blockNumber).filter((n): n is bigint => n !== null))],
    {
      ...(rest.attempts ? { attempts: rest.attempts } : {}),
      ...(rest.backoffMs ? { backoffMs: rest.backoffMs } : {}),
      ...(rest.sleep ? { sleep: rest.sleep } : {}),
    },
  );
  const entries: LedgerEntry[] = [];
  for (const log of logs) {
    const entry = decodeLedgerEntry(log, { chainId, contracts, blockTime: times.get(log.blockNumber ?? -1n) ?? 0 });
    if (entry) entries.push(entry);
  }
  return entries.sort((a, b) =>
    a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
  );
}
