import { getAbiItem, isAddressEqual, pad, toEventSelector, type Address, type Log } from "viem";
import { getBlock, getBlockNumber } from "viem/actions";
import { rewardsAbi, stampsAbi } from "../generated/abis.js";
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
  /**
   * Only the entries of this wallet: those whose `actor` or `counterparty` it is. Reads the logs naming it in an
   * indexed topic, not every log of the program, so the time grows with the member's history, not the program's.
   */
  member?: Address;
}

/**
 * Events whose actor or counterparty is not an indexed topic: Stamps' `Paused`/`Unpaused` (the account) and Rewards'
 * `RewardsJourneyCompleted` (the referee). A member read fetches these by selector and keeps the ones naming it.
 */
const unindexedEvents = [
  getAbiItem({ abi: stampsAbi, name: "Paused" }),
  getAbiItem({ abi: stampsAbi, name: "Unpaused" }),
  getAbiItem({ abi: rewardsAbi, name: "RewardsJourneyCompleted" }),
].map((event) => toEventSelector(event));

/** The logs that can name the member: its address at topic 1, 2 or 3, and the few events not indexed by it. */
async function memberLogs(
  client: ReadClient,
  parameters: Omit<FetchLogsParameters, "topics" | "onProgress">,
  member: Address,
): Promise<Log[]> {
  const topic = pad(member.toLowerCase() as Address);
  const reads = await Promise.all([
    ...[
      [null, topic],
      [null, null, topic],
      [null, null, null, topic],
    ].map((topics) => fetchLogs(client, { ...parameters, topics })),
    fetchLogs(client, { ...parameters, topics: [unindexedEvents] }),
  ]);
  const byPlace = new Map<string, Log>();
  for (const log of reads.flat()) byPlace.set(`${log.blockNumber}:${log.logIndex}`, log);
  return [...byPlace.values()];
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
 * The program's history as typed entries in chain order (block, then log index), each with its block time. With
 * `member`, only that wallet's entries (it is their actor or counterparty), read by topic.
 *
 * @example
 * for (const entry of await readLedger(client, { program })) {
 *   console.log(new Date(entry.blockTime * 1000).toISOString(), entry.kind, entry.actor, entry.amount);
 * }
 * // One member's history, without reading the rest of the program:
 * const mine = await readLedger(client, { program, member: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" });
 */
export async function readLedger(client: ReadClient, parameters: ReadLedgerParameters): Promise<ReadLedgerReturnType> {
  const { program, member, ...rest } = parameters;
  const fromBlock = parameters.fromBlock ?? program.deployBlock;
  const toBlock = parameters.toBlock ?? (await retryTransient(() => getBlockNumber(client, { cacheTime: 0 })));
  const contracts = ledgerContracts(program);
  const addresses = [...contracts.keys()] as Address[];
  const logs = member
    ? await memberLogs(client, { ...withoutProgress(rest), addresses, fromBlock, toBlock }, member)
    : await fetchLogs(client, { ...rest, addresses, fromBlock, toBlock });
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
    if (entry && (!member || isAbout(entry, member))) entries.push(entry);
  }
  return entries.sort((a, b) =>
    a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
  );
}

function isAbout(entry: LedgerEntry, member: Address): boolean {
  return [entry.actor, entry.counterparty].some((who) => who !== null && isAddressEqual(who, member));
}

/** A member read runs four reads at once: their progress would interleave, so it reports none. */
function withoutProgress<T extends { onProgress?: unknown }>(parameters: T): Omit<T, "onProgress"> {
  const { onProgress: _onProgress, ...rest } = parameters;
  return rest;
}
