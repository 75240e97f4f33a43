import { serve, type ServerType } from "@hono/node-server";
import type { Kysely } from "kysely";
import { getBlock } from "viem/actions";
import { engineOf, openDatabase } from "../node/database.js";
import type { OrderBookTables } from "./orderBook/schema.js";
import { createProgramServer, type ProgramServer, type ProgramServerOptions } from "./app.js";
import { LeaderElection } from "./instances/leader.js";

export interface StartProgramServerParameters extends Omit<ProgramServerOptions, "db"> {
  /** An SQLite file path (default) or a postgres:// URL; or an open kysely database. */
  db: string | Kysely<OrderBookTables>;
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Blocks behind the head before an event is applied (default 0). */
  confirmations?: bigint;
  /** How often to look for new blocks, in ms (default 1,000). */
  pollingInterval?: number;
  /**
   * Several instances on one Postgres: the postgres:// URL the leader election connects to, when `db` is an open
   * kysely database (when `db` is a postgres:// URL, that URL; on SQLite there is no election: the one process
   * follows). Only the instance holding the lock follows the chain; see {@link LeaderElection}.
   */
  electionUrl?: string;
  /** Milliseconds between the election's rounds (default 1,000): how soon a standby takes over. */
  electionRetryMs?: number;
  /**
   * Postgres connections the server's pool holds, when `db` is a postgres:// URL (default 12). With 4 (the
   * library's default), 50 clients reading at once waited for a connection longer than their query took.
   */
  databaseConnections?: number;
}

export interface StartProgramServerReturnType extends ProgramServer {
  url: string;
  /** On Postgres, the election of the instance that follows the chain (`election.leading`); on SQLite, none. */
  election: LeaderElection | undefined;
  /**
   * Stops accepting requests (and closes open connections), stops following the chain (waiting for the batch under
   * way), lets the leader lock go, closes the database.
   */
  close(): Promise<void>;
}

/**
 * Starts the program server on a port: migrates the database, follows the chain, answers HTTP. Node only.
 *
 * On Postgres several instances may serve one program from one database: every instance answers reads and posts,
 * and exactly one, elected by an advisory lock, follows the chain; when it stops or dies another takes over within
 * a few seconds. Each instance drops its cached answers when another writes to the book.
 *
 * @example
 * const server = await startProgramServer({ program, client, db: "server.sqlite", port: 8787 });
 * console.log(server.url);
 * await server.close();
 */
export async function startProgramServer(parameters: StartProgramServerParameters): Promise<StartProgramServerReturnType> {
  const {
    port = 8787,
    host = "127.0.0.1",
    confirmations = 0n,
    pollingInterval = 1_000,
    electionUrl,
    electionRetryMs,
    databaseConnections = 12,
    ...rest
  } = parameters;
  const db =
    typeof parameters.db === "string"
      ? openDatabase<OrderBookTables>(parameters.db, { connections: databaseConnections })
      : parameters.db;
  const server = createProgramServer({ ...rest, db });
  const { book } = server;
  try {
    await book.init();
  } catch (error) {
    await db.destroy();
    throw error;
  }
  // The UserOps the last run sponsored: each settled to what the EntryPoint charged (or to the action alone once its
  // window passed unused). A chain that does not answer now only delays it to the member's next sponsorship.
  await server.userOpSponsor
    ?.settle()
    .catch((error: unknown) => console.error(`program server: sponsorships not settled at start: ${String(error)}`));
  const follow = () => book.follow({ confirmations, pollingInterval });
  const connectionString =
    electionUrl ?? (typeof parameters.db === "string" && engineOf(parameters.db) === "postgres" ? parameters.db : undefined);
  const election = connectionString
    ? new LeaderElection({
        connectionString,
        bookKey: book.key,
        lead: follow,
        stepDown: () => book.stop(),
        bookChanged: () => book.version++,
        // A standby's book is not moved on by a follower: its clock is, so expired orders leave its answers.
        standby: async () => {
          const { timestamp } = await getBlock(rest.client, { blockTag: "latest" });
          if (timestamp !== book.chainTime) [book.chainTime, book.version] = [timestamp, book.version + 1];
        },
        ...(electionRetryMs === undefined ? {} : { retryMs: electionRetryMs }),
        log: (message) => console.error(`program server: ${message}`),
      })
    : undefined;
  try {
    if (election) await election.start();
    else await follow();
  } catch (error) {
    await election?.close();
    await db.destroy();
    throw error;
  }
  server.payments?.outbox.start();
  const listening = await new Promise<{ http: ServerType; port: number }>((resolve, reject) => {
    const http = serve({ fetch: server.app.fetch, port, hostname: host }, (info) => resolve({ http, port: info.port }));
    http.once("error", reject);
  });
  let closed: Promise<void> | undefined;
  return {
    ...server,
    election,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${listening.port}`,
    close: () =>
      (closed ??= (async () => {
        await new Promise<void>((resolve) => {
          listening.http.close(() => resolve());
          (listening.http as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        // Following stops before the lock is let go: a standby never starts on a cursor this instance's last
        // batch is about to move.
        if (election) await election.close();
        else await book.stop();
        server.relayer?.stop();
        await server.payments?.outbox.stop();
        await db.destroy();
      })()),
  };
}
