import { createClient, custom, erc20Abi, getAbiItem, getAddress, type Address, type EIP1193RequestFn } from "viem";
import { getBlock, getBlockNumber, getLogs } from "viem/actions";
import type { LedgerEntry } from "../../ledger/entries.js";
import { watchLedger } from "../../ledger/watchLedger.js";
import type { Program, ReadClient } from "../../program.js";
import type { PostOrderBody } from "../../serverApi/schemas.js";
import { evaluateOrder, type Evaluation } from "../evaluate.js";
import { bookOrderOf } from "../../serverApi/schemas.js";
import { effectsOf, recheckOf, type BookChange } from "./effects.js";
import { describeForLog } from "../faults.js";
import { rowTime, type BookOrderStatus } from "./schema.js";
import type { BookStore, StoredOrder } from "./store.js";

const transferEvent = getAbiItem({ abi: erc20Abi, name: "Transfer" });
const approvalEvent = getAbiItem({ abi: erc20Abi, name: "Approval" });

/** What following the chain needs: the program, a client to read it, the store, and the book's clock to move. */
export interface FollowerContext {
  program: Program;
  client: ReadClient;
  store: BookStore;
  /** The chain's clock as last read: the follower moves it on with each batch. */
  clock: { chainTime: bigint };
  /** Orders checked against the chain at once (default {@link RECHECK_CONCURRENCY}). */
  concurrency?: number;
  /**
   * The book's lifecycle: once `stopping`, a batch under way gives up between two groups of checks (or before its
   * transaction), writing nothing; `writing` is its transaction while one runs, which a stop waits for.
   */
  lifecycle?: { stopping: boolean; writing?: Promise<unknown> | undefined };
}

/** Orders a batch checks against the chain at once, by default: the reads of one group go out together. */
export const RECHECK_CONCURRENCY = 32;

export interface FollowOptions {
  confirmations?: bigint;
  pollingInterval?: number;
  onError?: (error: unknown) => void;
}

/**
 * A batch given up because the book is stopping: nothing of it was written; the next start applies its blocks.
 */
export class FollowerStopped extends Error {
  override name = "FollowerStopped";
  constructor() {
    super("The order book stopped during a batch; it is applied again at the next start.");
  }
}

/**
 * Starts watchLedger from the block after the last one applied, handing each batch and each reorg to the book;
 * returns the function that stops it. A new book starts at the head: every order it will take is checked against
 * the chain from there on. Its start is remembered at once, so a restart before the next block goes on from there.
 * A batch that fails (the chain or the database did not answer) is delivered again at the next poll; the default
 * log line names the failure with any URL cut to its host (an RPC URL may carry a provider key).
 */
export async function followChain(
  { program, client, store }: FollowerContext,
  options: FollowOptions,
  book: { apply: (entries: LedgerEntry[], toBlock: bigint) => Promise<void>; rollBack: (fromBlock: bigint) => Promise<void> },
): Promise<() => void> {
  const confirmations = options.confirmations ?? 0n;
  let last = await store.lastBlock();
  if (last === undefined) {
    last = (await getBlockNumber(client, { cacheTime: 0 })) - confirmations;
    await store.saveCursor(last);
  }
  const onError =
    options.onError ?? ((error) => console.error(`order book: following the chain failed: ${describeForLog(error)}`));
  return watchLedger(client, {
    program,
    fromBlock: last + 1n,
    confirmations,
    pollingInterval: options.pollingInterval ?? 1_000,
    onEntries: (entries, toBlock) => book.apply(entries, toBlock),
    onReorg: (reorg) => book.rollBack(reorg.fromBlock),
    onError: (error) => {
      if (!(error instanceof FollowerStopped)) onError(error);
    },
  });
}

/**
 * A client for one batch's checks: the same transport, chain and batching as `client`, with each distinct request
 * sent once (the latest block, a signer's nonce, a stamp's holder: 1,600 listings of one stamp ask the same). The
 * batch reads the chain as of one moment anyway. A failed request is not kept.
 */
export function batchReader(client: ReadClient): ReadClient {
  const answers = new Map<string, Promise<unknown>>();
  const request = ((args: { method: string; params?: unknown }) => {
    const key = JSON.stringify(args);
    let answer = answers.get(key);
    if (!answer) {
      answer = client.request(args as Parameters<ReadClient["request"]>[0]);
      answers.set(key, answer);
      answer.catch(() => answers.delete(key));
    }
    return answer;
  }) as EIP1193RequestFn;
  return createClient({
    chain: client.chain,
    ...(client.batch ? { batch: client.batch } : {}),
    transport: custom({ request }, { retryCount: 0 }),
  });
}

/** A stored order checked against the chain as it is now (with its stored permit, if any). */
function evaluateStored({ program }: FollowerContext, client: ReadClient, row: StoredOrder): Promise<Evaluation> {
  return evaluateOrder(
    client,
    program,
    bookOrderOf({
      kind: row.kind,
      order: JSON.parse(row.order_json),
      signature: row.signature,
      ...(row.permit_json === null ? {} : { permit: JSON.parse(row.permit_json) }),
    } as PostOrderBody),
  );
}

/**
 * Stored orders checked against the chain, {@link RECHECK_CONCURRENCY} at a time through one {@link batchReader}.
 * Rejects, with nothing decided, when the chain does not answer (the batch is applied again at the next poll), and
 * with {@link FollowerStopped} when the book stops between two groups.
 */
async function evaluateAll(context: FollowerContext, rows: readonly StoredOrder[]): Promise<Map<string, Evaluation>> {
  const reader = batchReader(context.client);
  const size = context.concurrency ?? RECHECK_CONCURRENCY;
  const evaluations = new Map<string, Evaluation>();
  for (let i = 0; i < rows.length; i += size) {
    if (context.lifecycle?.stopping) throw new FollowerStopped();
    const group = rows.slice(i, i + size);
    const results = await Promise.all(group.map((row) => evaluateStored(context, reader, row)));
    group.forEach((row, j) => evaluations.set(row.order_hash, results[j]!));
  }
  if (context.lifecycle?.stopping) throw new FollowerStopped();
  return evaluations;
}

/**
 * What the checks do to the orders as the book holds them now ({@link recheckOf}), made in one go: reopened, or
 * taken out with each one's reason.
 */
async function applyChecks(store: BookStore, evaluations: Map<string, Evaluation>, at: string): Promise<void> {
  const reopen: string[] = [];
  const takeOut = new Map<string, { hashes: string[]; status: BookOrderStatus; code: string; reason: string }>();
  for (const row of await store.rows([...evaluations.keys()])) {
    const outcome = recheckOf(row, evaluations.get(row.order_hash)!);
    if (outcome.action === "reopen") reopen.push(row.order_hash);
    else if (outcome.action === "takeOut") {
      const key = JSON.stringify([outcome.status, outcome.code, outcome.reason]);
      const group = takeOut.get(key) ?? { hashes: [], status: outcome.status, code: outcome.code, reason: outcome.reason };
      group.hashes.push(row.order_hash);
      takeOut.set(key, group);
    }
  }
  if (reopen.length > 0) await store.reopen(reopen, at);
  for (const { hashes, status, code, reason } of takeOut.values()) await store.takeOut(hashes, status, code, reason, at);
}

/** A batch's writes in one transaction, unless the book is stopping; the stop waits for one under way. */
async function writeBatch(context: FollowerContext, write: (store: BookStore) => Promise<void>): Promise<void> {
  const { lifecycle } = context;
  if (lifecycle?.stopping) throw new FollowerStopped();
  const writing = context.store.transaction(write);
  if (lifecycle) lifecycle.writing = writing;
  try {
    await writing;
  } finally {
    if (lifecycle) lifecycle.writing = undefined;
  }
}

/**
 * Undoes what blocks from `fromBlock` on did to the book, after they left the chain: every order the book took out
 * (filled, cancelled, stale) is checked again against the chain as it is now, and reopened if it is open there;
 * the cursor goes back to the block before. The winning chain's events, delivered next, then take out again what
 * they fill or cancel, with their own reasons. The book does not record which block changed an order, so all
 * taken-out orders are checked: a reorg is rare and this keeps the rule simple. Expired orders stay expired. The
 * checks come first; the reopening and the cursor are written in one transaction.
 */
export async function rollBackBook(context: FollowerContext, fromBlock: bigint): Promise<void> {
  const evaluations = await evaluateAll(context, await context.store.takenOut());
  const at = rowTime();
  const reopen = [...evaluations].filter(([, e]) => e.open).map(([hash]) => hash);
  await writeBatch(context, async (store) => {
    if (reopen.length > 0) await store.reopen(reopen, at);
    await store.saveCursor(fromBlock - 1n);
  });
}

/** Makes one change an event names: a fill, a cancel, a matched listing, a nonce bump. */
async function makeChange(store: BookStore, change: BookChange, at: string): Promise<void> {
  switch (change.type) {
    case "filled":
      return store.takeOut([change.orderHash], "filled", "filled", change.reason, at);
    case "cancelled":
      return store.takeOut([change.orderHash], "cancelled", "cancelled", change.reason, at);
    case "listingMatched": {
      const listings = await store.openListingsLike(change);
      if (listings.length === 1) await store.takeOut(listings, "filled", "filled", change.reason, at);
      return;
    }
    case "nonceBumped": {
      const orders = await store.liveOrdersOf(change.signer);
      const stale = orders.filter((o) => o.nonce < change.nonce).map((o) => o.orderHash);
      return store.takeOut(stale, "stale", "nonce_bumped", change.reason, at);
    }
  }
}

/**
 * Buyers of offers in another ERC-20 than the program's Points whose balance or allowance moved in these blocks:
 * that token's transfers and approvals are not program events, so they are read here, for the buyers the book
 * holds offers of.
 */
async function fundersOutsidePoints(context: FollowerContext, toBlock: bigint): Promise<Address[]> {
  const { program, client, store } = context;
  const fromBlock = ((await store.lastBlock()) ?? toBlock) + 1n;
  const others = await store.offerFundingOutside(program.points);
  if (others.length === 0 || fromBlock > toBlock) return [];
  const buyers = new Set(others.map((o) => getAddress(o.signer)));
  const logs = await getLogs(client, {
    address: [...new Set(others.map((o) => getAddress(o.currency)))],
    events: [transferEvent, approvalEvent],
    fromBlock,
    toBlock,
  });
  const funders: Address[] = [];
  for (const log of logs) {
    const holder = log.eventName === "Transfer" ? log.args.from : log.args.owner;
    if (holder && buyers.has(getAddress(holder))) funders.push(getAddress(holder));
    // A buyer who receives tokens may be funded again.
    if (log.eventName === "Transfer" && log.args.to && buyers.has(getAddress(log.args.to))) funders.push(getAddress(log.args.to));
  }
  return funders;
}

/**
 * Applies one batch of the program's events (blocks up to toBlock) to the book. First the reads: which orders the
 * events may have touched, each checked against the chain ({@link evaluateAll}, a bounded parallel batch), and the
 * clock. Then the writes, in one transaction: the changes the events name ({@link effectsOf}), what the checks found
 * ({@link recheckOf}), what has expired by the newest block, and the block remembered. A fault of the chain or the
 * database anywhere writes nothing, and watchLedger delivers the same blocks again at the next poll.
 */
export async function applyToBook(context: FollowerContext, entries: LedgerEntry[], toBlock: bigint): Promise<void> {
  const { client, store, clock } = context;
  const effects = effectsOf(entries);
  const recheck = new Set<string>();
  if (effects.stamps.size > 0) for (const hash of await store.openOrdersOfStamps([...effects.stamps])) recheck.add(hash);
  const funders = new Set(effects.funders);
  for (const funder of await fundersOutsidePoints(context, toBlock)) funders.add(funder);
  if (funders.size > 0) for (const hash of await store.fundableOffersOf([...funders])) recheck.add(hash);
  if (effects.settingsChanged) for (const hash of await store.settingsSensitive()) recheck.add(hash);
  const evaluations = await evaluateAll(context, await store.rows([...recheck]));
  const chainTime = (await getBlock(client, { blockTag: "latest" })).timestamp;
  const at = rowTime();
  await writeBatch(context, async (batch) => {
    for (const change of effects.changes) await makeChange(batch, change, at);
    await applyChecks(batch, evaluations, at);
    // The clock: what has expired by the newest block is expired, with the time it ran out.
    for (const { orderHash, expiry } of await batch.expiredBy(chainTime))
      await batch.expire(orderHash, `It expired at ${new Date(Number(expiry) * 1000).toISOString()}.`, at);
    await batch.saveCursor(toBlock);
  });
  clock.chainTime = chainTime;
}
