import { erc20Abi, getAbiItem, getAddress, type Address } from "viem";
import { getBlock, getBlockNumber, getLogs } from "viem/actions";
import type { LedgerEntry } from "../../ledger/entries.js";
import { watchLedger } from "../../ledger/watchLedger.js";
import type { Program, ReadClient } from "../../program.js";
import type { PostOrderBody } from "../../serverApi/schemas.js";
import { evaluateOrder, type Evaluation } from "../evaluate.js";
import { bookOrderOf } from "../../serverApi/schemas.js";
import { effectsOf, recheckOf, type BookChange } from "./effects.js";
import { rowTime } from "./schema.js";
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
}

export interface FollowOptions {
  confirmations?: bigint;
  pollingInterval?: number;
  onError?: (error: unknown) => void;
}

/**
 * Starts watchLedger from the block after the last one applied, handing each batch and each reorg to the book;
 * returns the function that stops it. A new book starts at the head: every order it will take is checked against
 * the chain from there on. Its start is remembered at once, so a restart before the next block goes on from there.
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
  return watchLedger(client, {
    program,
    fromBlock: last + 1n,
    confirmations,
    pollingInterval: options.pollingInterval ?? 1_000,
    onEntries: (entries, toBlock) => book.apply(entries, toBlock),
    onReorg: (reorg) => book.rollBack(reorg.fromBlock),
    onError: options.onError ?? ((error) => console.error("order book: following the chain failed", error)),
  });
}

/** A stored order checked against the chain as it is now (with its stored permit, if any). */
function evaluateStored({ program, client }: FollowerContext, row: StoredOrder): Promise<Evaluation> {
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
 * Undoes what blocks from `fromBlock` on did to the book, after they left the chain: every order the book took out
 * (filled, cancelled, stale) is checked again against the chain as it is now, and reopened if it is open there;
 * the cursor goes back to the block before. The winning chain's events, delivered next, then take out again what
 * they fill or cancel, with their own reasons. The book does not record which block changed an order, so all
 * taken-out orders are checked: a reorg is rare and this keeps the rule simple. Expired orders stay expired.
 */
export async function rollBackBook(context: FollowerContext, fromBlock: bigint): Promise<void> {
  const { store } = context;
  const at = rowTime();
  for (const row of await store.takenOut())
    if (recheckOf(row, await evaluateStored(context, row)).action === "reopen") await store.reopen(row.order_hash, at);
  await store.saveCursor(fromBlock - 1n);
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
 * Applies one batch of the program's events (blocks up to toBlock) to the book: the changes the events name
 * ({@link effectsOf}), then a recheck against the chain of every order they may have touched ({@link recheckOf}),
 * then the clock (what has expired by the newest block is expired), and the block remembered.
 */
export async function applyToBook(context: FollowerContext, entries: LedgerEntry[], toBlock: bigint): Promise<void> {
  const { client, store, clock } = context;
  const at = rowTime();
  const effects = effectsOf(entries);
  for (const change of effects.changes) await makeChange(store, change, at);
  const recheck = new Set<string>();
  if (effects.stamps.size > 0) for (const hash of await store.openOrdersOfStamps([...effects.stamps])) recheck.add(hash);
  const funders = new Set(effects.funders);
  for (const funder of await fundersOutsidePoints(context, toBlock)) funders.add(funder);
  if (funders.size > 0) for (const hash of await store.fundableOffersOf([...funders])) recheck.add(hash);
  if (effects.settingsChanged) for (const hash of await store.settingsSensitive()) recheck.add(hash);
  for (const hash of recheck) {
    const row = (await store.row(hash))!;
    const outcome = recheckOf(row, await evaluateStored(context, row));
    if (outcome.action === "reopen") await store.reopen(hash, at);
    else if (outcome.action === "takeOut") await store.takeOut([hash], outcome.status, outcome.code, outcome.reason, at);
  }
  // The clock: what has expired by the newest block is expired, with the time it ran out.
  clock.chainTime = (await getBlock(client, { blockTag: "latest" })).timestamp;
  for (const { orderHash, expiry } of await store.expiredBy(clock.chainTime))
    await store.expire(orderHash, `It expired at ${new Date(Number(expiry) * 1000).toISOString()}.`, at);
  await store.saveCursor(toBlock);
}
