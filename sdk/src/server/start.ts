import { serve, type ServerType } from "@hono/node-server";
import type { Kysely } from "kysely";
import { openDatabase } from "../node/database.js";
import type { OrderBookTables } from "./orderBook/schema.js";
import { createProgramServer, type ProgramServer, type ProgramServerOptions } from "./app.js";

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
}

export interface StartProgramServerReturnType extends ProgramServer {
  url: string;
  /** Stops accepting requests, stops following the chain, closes the database. */
  close(): Promise<void>;
}

/**
 * Starts the program server on a port: migrates the database, follows the chain, answers HTTP. Node only.
 *
 * @example
 * const server = await startProgramServer({ program, client, db: "server.sqlite", port: 8787 });
 * console.log(server.url);
 * await server.close();
 */
export async function startProgramServer(parameters: StartProgramServerParameters): Promise<StartProgramServerReturnType> {
  const { port = 8787, host = "127.0.0.1", confirmations = 0n, pollingInterval = 1_000, ...rest } = parameters;
  const db = typeof parameters.db === "string" ? openDatabase<OrderBookTables>(parameters.db) : parameters.db;
  const server = createProgramServer({ ...rest, db });
  try {
    await server.book.init();
  } catch (error) {
    await db.destroy();
    throw error;
  }
  await server.book.follow({ confirmations, pollingInterval });
  const listening = await new Promise<{ http: ServerType; port: number }>((resolve, reject) => {
    const http = serve({ fetch: server.app.fetch, port, hostname: host }, (info) => resolve({ http, port: info.port }));
    http.once("error", reject);
  });
  let closed: Promise<void> | undefined;
  return {
    ...server,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${listening.port}`,
    close: () =>
      (closed ??= (async () => {
        await new Promise<void>((resolve) => {
          listening.http.close(() => resolve());
          (listening.http as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        await server.book.stop();
        server.relayer?.stop();
        await db.destroy();
      })()),
  };
}
