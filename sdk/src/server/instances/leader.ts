import pg from "pg";
import { advisoryLockKey } from "./lockKey.js";
import { BOOK_CHANGED_CHANNEL } from "./schema.js";

/**
 * The advisory lock key of a book's leader: a signed 64-bit integer (Postgres' `bigint`) from the keccak-256 of
 * the book's key (`chainId:market`), so instances of one program contend for one lock and instances of two
 * programs on one database do not.
 *
 * @example
 * leaderLockKey("31337:0x5fbdb2315678afecb367f032d93f642f64180aa3"); // "-2614274016919241111"
 */
export function leaderLockKey(bookKey: string): string {
  return advisoryLockKey(`punchcard order book leader ${bookKey.toLowerCase()}`);
}

export interface LeaderElectionOptions {
  /** postgres:// URL: the election holds a connection of its own, outside the pool that serves requests. */
  connectionString: string;
  /** The book's key, `chainId:market` (OrderBook.key). */
  bookKey: string;
  /** Starts following the chain: called once the lock is held. If it throws, the lock is let go and tried again. */
  lead: () => Promise<void>;
  /** Stops following and waits for the batch under way: called when the lock is lost or let go. */
  stepDown: () => Promise<void>;
  /** Another instance wrote to the book, or notifications may have been missed: cached answers are old. */
  bookChanged: () => void;
  /** Called on every round while this instance does not lead (e.g. to move the book's clock on). */
  standby?: () => Promise<void>;
  /** Milliseconds between rounds: a standby tries the lock, a leader checks its connection (default 1,000). */
  retryMs?: number;
  /** What happened, for the log (default: nothing). Never given the connection string. */
  log?: (message: string) => void;
}

const sleep = (ms: number, wake: { timer?: NodeJS.Timeout; resolve?: () => void }) =>
  new Promise<void>((resolve) => {
    wake.resolve = resolve;
    wake.timer = setTimeout(resolve, ms);
  });

/**
 * Exactly one instance of a program's server follows the chain; every instance serves reads and posts. The leader
 * is the instance that holds a Postgres advisory lock (`pg_try_advisory_lock`, key {@link leaderLockKey}) on a
 * connection of its own, kept for as long as it leads. Postgres lets a session's advisory locks go when the session
 * ends, so a leader whose process dies, or whose connection drops, frees the lock with it; the standbys try it
 * every `retryMs` and one takes over within a round or two. A leader checks its connection each round (a
 * `SELECT 1` with a time limit): a connection that fails or hangs is a lost lock, and the instance stops following
 * at once. An instance whose connection failed waits three rounds before contending again, so a standby whose
 * connection stood takes over rather than the instance that just failed.
 *
 * The same connection LISTENs on {@link BOOK_CHANGED_CHANNEL}, which the order book's migration 0005 notifies after
 * every committed write to the book: each instance drops what it cached from before. While the connection is down,
 * and once it is back, every round counts as a change (notifications may have been missed).
 *
 * @example
 * const election = new LeaderElection({ connectionString, bookKey: book.key, lead: () => book.follow(), stepDown: () => book.stop(), bookChanged: () => book.version++ });
 * await election.start();
 * election.leading; // true on one instance
 * await election.close();
 */
export class LeaderElection {
  /** True while this instance holds the lock and follows the chain. */
  leading = false;
  /** The Postgres backend process id of the election's connection, while connected (for operators and tests). */
  backendPid: number | undefined;
  private connection: pg.Client | undefined;
  private closed = false;
  private backoff = 0;
  private readonly key: string;
  private readonly retryMs: number;
  private readonly wake: { timer?: NodeJS.Timeout; resolve?: () => void } = {};
  private queue: Promise<void> = Promise.resolve();
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly options: LeaderElectionOptions) {
    this.key = leaderLockKey(options.bookKey);
    this.retryMs = options.retryMs ?? 1_000;
  }

  /** Runs the first round (so `leading` is known when it resolves), then one every `retryMs` until {@link close}. */
  async start(): Promise<void> {
    await this.serially(() => this.round());
    this.loop = (async () => {
      while (!this.closed) {
        await sleep(this.retryMs, this.wake);
        if (!this.closed) await this.serially(() => this.round());
      }
    })();
  }

  /** Stops following if leading (waiting for the batch under way), then lets the lock go and closes the connection. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.wake.timer);
    this.wake.resolve?.();
    await this.loop;
    await this.serially(async () => {
      await this.resign();
      const connection = this.connection;
      this.connection = undefined;
      this.backendPid = undefined;
      // Ending the session lets its advisory lock go, as pg_advisory_unlock would, and stops the LISTEN.
      if (connection) await Promise.race([connection.end().catch(() => {}), new Promise((r) => setTimeout(r, 1_000).unref())]);
    });
  }

  /** One state change at a time: a round, a lost connection and close never interleave. */
  private serially(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(step).catch((error: unknown) => this.options.log?.(`leader election: ${describe(error)}`));
    return this.queue;
  }

  private async round(): Promise<void> {
    if (this.closed) return;
    if (!this.connection) {
      if (this.backoff > 0) {
        this.backoff--;
        this.options.bookChanged();
        return;
      }
      await this.connect();
      if (!this.connection) return;
    }
    const connection = this.connection;
    if (this.leading) {
      // A leader's only duty here: make sure its session, and so its lock, still stands.
      await connection.query("SELECT 1").catch(() => this.lost(connection));
      return;
    }
    await this.options.standby?.().catch(() => {});
    const got = await connection
      .query<{ got: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS got", [this.key])
      .then((r) => r.rows[0]?.got === true)
      .catch(() => this.lost(connection).then(() => false));
    if (!got || this.closed) return;
    this.leading = true;
    this.options.log?.("leader election: this instance leads; following the chain");
    try {
      await this.options.lead();
    } catch (error) {
      this.options.log?.(`leader election: following failed to start (${describe(error)}); letting the lock go`);
      this.leading = false;
      await connection.query("SELECT pg_advisory_unlock($1::bigint)", [this.key]).catch(() => this.lost(connection));
    }
  }

  private async connect(): Promise<void> {
    const connection = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: "punchcard leader election",
      keepAlive: true,
      // A round's query that hangs (a half-open connection) fails in time, and the lock counts as lost.
      query_timeout: Math.max(2 * this.retryMs, 2_000),
      connectionTimeoutMillis: Math.max(2 * this.retryMs, 2_000),
    });
    // Whatever ends the session (a restart, pg_terminate_backend, the network) ends the lock: step down at once,
    // not at the next round.
    const onLost = () => void this.serially(() => this.lost(connection));
    connection.on("error", onLost);
    connection.on("end", onLost);
    connection.on("notification", (message) => {
      if (message.channel === BOOK_CHANGED_CHANNEL) this.options.bookChanged();
    });
    try {
      await connection.connect();
      await connection.query(`LISTEN ${BOOK_CHANGED_CHANNEL}`);
      const pid = await connection.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      this.connection = connection;
      this.backendPid = pid.rows[0]?.pid;
      // Writes while there was no connection went unheard.
      this.options.bookChanged();
    } catch (error) {
      connection.removeListener("end", onLost);
      await connection.end().catch(() => {});
      // Unheard writes may be under way: answers cached now are not to be trusted past this round.
      this.options.bookChanged();
      this.options.log?.(`leader election: cannot reach the database (${describe(error)}); trying again`);
    }
  }

  /** The connection is gone (or failing): so is the lock. Stop following now; reconnect after a pause. */
  private async lost(connection: pg.Client): Promise<void> {
    if (connection !== this.connection) return;
    this.connection = undefined;
    this.backendPid = undefined;
    this.backoff = 3;
    void connection.end().catch(() => {});
    this.options.bookChanged();
    if (this.leading) this.options.log?.("leader election: the lock's connection was lost; stopping following");
    await this.resign();
  }

  private async resign(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    await this.options.stepDown();
  }
}

/** An error for the log: its message only (a driver's error may carry the connection's details). */
function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
