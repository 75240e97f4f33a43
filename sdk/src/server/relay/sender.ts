import { PostgresAdapter, type Kysely } from "kysely";
import type { Address, Hash, SendTransactionParameters } from "viem";
import { getTransaction, getTransactionCount, prepareTransactionRequest, sendTransaction } from "viem/actions";
import type { WriteClient } from "../../program.js";
import type { OrderBookTables } from "../orderBook/schema.js";

/** What a transaction about to be sent will cost at most: its gas limit and the most it pays per gas. */
export interface SendCost {
  gas: bigint;
  feePerGas: bigint;
}

/**
 * Called once the transaction is prepared and before it takes a nonce: may refuse (throw), and nothing is sent.
 * What it answers is called after, with the hash, or undefined when the transaction could not be sent.
 */
export type BeforeSend = (cost: SendCost) => Promise<(hash: Hash | undefined) => void>;

export interface RelaySenderOptions {
  /** A client with the relayer key's account. */
  client: WriteClient;
  /**
   * Take each nonce through this database (a row per key, locked while the transaction is signed and sent), for
   * several instances sharing the key. Default: no database, the nonce is this process's.
   */
  db?: Kysely<OrderBookTables>;
  /** A transaction not mined after this many milliseconds is sent again at a higher fee (default 30 s; 0: never). */
  stuckAfterMs?: number;
  /** The most a replacement may pay per gas, in wei (default: no ceiling). */
  maxFeePerGas?: bigint;
  /** Where a nonce gap found and closed is told (default: the process's standard error). */
  log?: (message: string) => void;
  /**
   * How long the chain's pending count must stay put below the nonce this key would take before a nonce this
   * sender holds no transaction for is taken again (default 10 s; 0: at once). A provider's count may lag behind
   * transactions just sent (another node behind a load balancer, another instance's send not yet seen): within
   * this time the count is taken to lag, not to show a gap.
   */
  gapAfterMs?: number;
}

type Prepared = Awaited<ReturnType<typeof prepareTransactionRequest>> & { nonce?: number };

interface InFlight {
  request: Prepared;
  hash: Hash;
  sentAt: number;
}

// What a node answers when the nonce was taken already (Hardhat, geth, Nethermind, Erigon, Anvil), or when it
// holds the very transaction sent again ("already known", Hardhat's "Known transaction").
const NONCE_TAKEN =
  /nonce (too low|lower than|has already been used)|NonceTooLow|replacement transaction underpriced|already known|known transaction/i;

const isNonceTaken = (error: unknown): boolean => {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const text = `${(e as { message?: string }).message ?? ""} ${(e as { details?: string }).details ?? ""}`;
    if (NONCE_TAKEN.test(text)) return true;
  }
  return false;
};

/** A fee raised by a quarter (nodes take a replacement from 10 % up), under the ceiling. */
const bump = (fee: bigint | undefined, ceiling: bigint | undefined) => {
  if (fee === undefined) return undefined;
  const raised = (fee * 5n) / 4n + 1n;
  return ceiling !== undefined && raised > ceiling ? ceiling : raised;
};

/**
 * One relayer key's sender: every transaction takes its nonce here, one at a time, so concurrent relays never race
 * for the same nonce. The SDK's write actions run unchanged on {@link RelaySender.clientFor}'s client: they simulate
 * and estimate in parallel, and only the nonce, the signature and the broadcast go through the queue. A node's
 * "nonce too low" reads the nonce again from the chain and sends again; a transaction stuck longer than
 * `stuckAfterMs` is sent again with the same nonce at a higher fee. With `db`, the nonce is taken under a row lock
 * in the database, so instances sharing the key take turns.
 *
 * Before each send the chain's pending count of the key is read. Below the nonce the queue (or the database) would
 * take, either the count lags (a provider that has not seen the latest sends yet) or a transaction was dropped by
 * the node or never reached it, and every later one would wait behind the gap for good. Each of its own
 * transactions at those nonces the node does not know is sent again as it was; one the node knows is left alone
 * (the count lags). A nonce the sender holds nothing for (another instance's) is taken again only once the count
 * has stayed put for `gapAfterMs`: a count that lags moves on, a gap does not. A gap closed is logged.
 */
export class RelaySender {
  readonly address: Address;
  private tail: Promise<unknown> = Promise.resolve();
  private next: number | undefined;
  private busy = 0;
  private readonly inFlight = new Map<number, InFlight>();
  private readonly replacements = new Map<Hash, Hash>();
  private timer: ReturnType<typeof setInterval> | undefined;
  /** The chain's pending count last seen below the nonce this key would take, and since when it has stayed there. */
  private behind: { pending: number; since: number } | undefined;
  /** How often a node refused a nonce and it was taken again (0 when nothing raced). */
  nonceRetries = 0;

  constructor(private readonly options: RelaySenderOptions) {
    this.address = options.client.account.address;
  }

  /** Relays in progress on this key: the pool sends the next one from the least busy key. */
  get load(): number {
    return this.busy;
  }

  /** The client the relayer's write actions run on: reads as the key's client does, sends through this queue. */
  clientFor(beforeSend: BeforeSend): WriteClient {
    // viem's write actions call a client's own sendTransaction when it has one (getAction).
    const sendTransaction = (parameters: unknown) => this.send(parameters as SendTransactionParameters, beforeSend);
    return this.options.client.extend(() => ({ sendTransaction })) as unknown as WriteClient;
  }

  /** Counts a relay on this key while `work` runs. */
  async using<T>(work: () => Promise<T>): Promise<T> {
    this.busy++;
    try {
      return await work();
    } finally {
      this.busy--;
    }
  }

  /** The hash now carrying a transaction sent as `hash` (another when it was replaced at a higher fee). */
  current(hash: Hash): Hash {
    let h = hash;
    for (let next = this.replacements.get(h); next; next = this.replacements.get(h)) h = next;
    return h;
  }

  /** Stops looking for stuck transactions. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async send(parameters: SendTransactionParameters, beforeSend: BeforeSend): Promise<Hash> {
    const { client } = this.options;
    const request = (await prepareTransactionRequest(client, {
      ...parameters,
      account: client.account,
      chain: client.chain,
      parameters: ["chainId", "fees", "gas", "type"],
    } as Parameters<typeof prepareTransactionRequest>[1])) as Prepared;
    const feePerGas = request.maxFeePerGas ?? request.gasPrice ?? 0n;
    const after = await beforeSend({ gas: request.gas ?? 0n, feePerGas });
    try {
      const hash = await this.serial(() => this.sendWithNonce(request));
      after(hash);
      return hash;
    } catch (error) {
      after(undefined);
      throw error;
    }
  }

  /** Runs `work` after every earlier one on this key has finished. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async chainNonce(): Promise<number> {
    return getTransactionCount(this.options.client, { address: this.address, blockTag: "pending" });
  }

  /**
   * The nonce to send at: `ours` (the one the queue or the database would take next), or the chain's pending count
   * when that is higher (another sender used the key). When it is lower, this key's own transactions at those
   * nonces that the node does not know are sent again as they were (their relays are waiting for them); the count
   * lags while the node knows them. The first nonce with nothing of ours is taken again once the count has stayed
   * there for `gapAfterMs` (a gap), and until then `ours` is (a count that lags).
   */
  private async nonceFrom(ours: number | undefined): Promise<number> {
    const pending = await this.chainNonce();
    if (ours === undefined || pending >= ours) {
      this.behind = undefined;
      return pending;
    }
    const now = Date.now();
    if (this.behind?.pending !== pending) this.behind = { pending, since: now };
    const stayed = now - this.behind.since >= (this.options.gapAfterMs ?? 10_000);
    const resent: number[] = [];
    let gap: number | undefined;
    for (let nonce = pending; nonce < ours; nonce++) {
      const own = this.inFlight.get(nonce);
      if (own === undefined) {
        if (stayed) gap = nonce;
        break;
      }
      if (await this.known(own.hash)) continue;
      try {
        await this.broadcast(own.request, nonce);
      } catch (error) {
        // The node holds it after all: nothing was sent twice.
        if (!isNonceTaken(error)) throw error;
      }
      resent.push(nonce);
    }
    if (gap === undefined && resent.length === 0) return ours;
    const again = resent.length > 0 ? ` sent its transactions ${resent[0]} to ${resent.at(-1)} again as they were, and` : "";
    (this.options.log ?? console.error)(
      `relayer ${this.address}: the chain's pending nonce is ${pending} but this key would send at ${ours}: nonces ${pending} to ${ours - 1} were dropped by the node or never sent, a gap every later transaction would wait behind;${again} sending from ${gap ?? ours}.`,
    );
    return gap ?? ours;
  }

  /** Whether the node holds a transaction this key sent (or its replacement), pending or mined. */
  private known(hash: Hash): Promise<boolean> {
    return getTransaction(this.options.client, { hash: this.current(hash) }).then(
      () => true,
      () => false,
    );
  }

  private async sendWithNonce(request: Prepared): Promise<Hash> {
    for (let attempt = 0; ; attempt++) {
      try {
        const hash = this.options.db ? await this.sendShared(request) : await this.sendLocal(request);
        return hash;
      } catch (error) {
        if (!isNonceTaken(error) || attempt >= 4) throw error;
        // Someone else took it (another instance, a hand-sent transaction): read the chain's count again.
        this.nonceRetries++;
        this.next = undefined;
      }
    }
  }

  private async broadcast(request: Prepared, nonce: number): Promise<Hash> {
    const { client } = this.options;
    const sent = { ...request, nonce };
    const hash = await sendTransaction(client, sent as unknown as SendTransactionParameters);
    this.inFlight.set(nonce, { request: sent, hash, sentAt: Date.now() });
    this.watch();
    return hash;
  }

  private async sendLocal(request: Prepared): Promise<Hash> {
    const nonce = await this.nonceFrom(this.next);
    const hash = await this.broadcast(request, nonce);
    this.next = nonce + 1;
    return hash;
  }

  private get sharedKey() {
    return `${this.options.client.chain?.id ?? 0}:${this.address.toLowerCase()}`;
  }

  // The row's UPDATE takes the lock (a row lock on Postgres, the write lock on SQLite) until the transaction ends,
  // after the broadcast: an instance waiting for it then reads the nonce after this one.
  private async sendShared(request: Prepared): Promise<Hash> {
    const db = this.options.db!;
    const sender = this.sharedKey;
    await db
      .insertInto("relay_nonce")
      .values({ sender, next_nonce: 0, updated_at: new Date().toISOString() })
      .onConflict((c) => c.column("sender").doNothing())
      .execute();
    return db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable("relay_nonce")
        .set({ updated_at: new Date().toISOString() })
        .where("sender", "=", sender)
        .returning("next_nonce")
        .executeTakeFirstOrThrow();
      const nonce = await this.nonceFrom(Number(row.next_nonce));
      const hash = await this.broadcast(request, nonce);
      await trx
        .updateTable("relay_nonce")
        .set({ next_nonce: nonce + 1 })
        .where("sender", "=", sender)
        .execute();
      return hash;
    });
  }

  private watch() {
    const every = this.options.stuckAfterMs ?? 30_000;
    if (every <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.replaceStuck().catch(() => undefined), Math.max(every / 2, 50));
    this.timer.unref?.();
  }

  /**
   * Sends again, at a fee a quarter higher, every transaction of this key not mined `stuckAfterMs` after it was
   * sent; forgets those mined. Answers how many it replaced. Runs on a timer while transactions are in flight.
   */
  async replaceStuck(now = Date.now()): Promise<number> {
    const mined = await getTransactionCount(this.options.client, { address: this.address, blockTag: "latest" });
    for (const nonce of this.inFlight.keys()) if (nonce < mined) this.inFlight.delete(nonce);
    if (this.inFlight.size === 0) this.stop();
    const stuckAfter = this.options.stuckAfterMs ?? 30_000;
    let replaced = 0;
    for (const [nonce, sent] of [...this.inFlight]) {
      if (now - sent.sentAt < stuckAfter) continue;
      const ceiling = this.options.maxFeePerGas;
      const request = {
        ...sent.request,
        ...(sent.request.maxFeePerGas === undefined
          ? { gasPrice: bump(sent.request.gasPrice, ceiling) }
          : {
              maxFeePerGas: bump(sent.request.maxFeePerGas, ceiling),
              maxPriorityFeePerGas: bump(sent.request.maxPriorityFeePerGas, ceiling),
            }),
      } as Prepared;
      try {
        const hash = await this.serial(() => this.broadcast(request, nonce));
        this.replacements.set(sent.hash, hash);
        replaced++;
      } catch (error) {
        // Mined meanwhile: nothing to replace. Anything else is tried again on the next round.
        if (isNonceTaken(error)) this.inFlight.delete(nonce);
      }
    }
    return replaced;
  }
}

/**
 * The relayer's keys: each relay goes out from the least busy one (the first on a tie), so more keys send more
 * relays at once without sharing a nonce.
 */
export class RelaySenderPool {
  constructor(readonly senders: readonly RelaySender[]) {
    if (senders.length === 0) throw new Error("A relayer needs at least one key.");
  }

  /** The least busy key. */
  pick(): RelaySender {
    return this.senders.reduce((best, s) => (s.load < best.load ? s : best));
  }

  /** How often a node refused a nonce, over every key. */
  get nonceRetries(): number {
    return this.senders.reduce((n, s) => n + s.nonceRetries, 0);
  }

  stop(): void {
    for (const s of this.senders) s.stop();
  }
}

/** Whether the database is Postgres (where instances share it), to take nonces through it by default. */
export const isPostgres = (db: Kysely<OrderBookTables>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;
