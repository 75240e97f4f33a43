import {
  AbiDecodingZeroDataError,
  ContractFunctionZeroDataError,
  HttpRequestError,
  InternalRpcError,
  LimitExceededRpcError,
  ResourceUnavailableRpcError,
  SocketClosedError,
  TimeoutError,
  WebSocketRequestError,
} from "viem";

/**
 * A failure of what a request stands on, not a verdict on it: the chain's RPC did not answer (or answered "internal
 * error" with no revert data), or the database could not be reached. A retry later may succeed: the program server
 * answers 503 with Retry-After and never turns an order stale or refused for it, and a read such as
 * `getOrderStatus` throws it rather than answer a state. Browser-safe: read from the error's shape alone.
 */
export interface Fault {
  source: "chain" | "database";
  /** What failed, in a sentence with no URL in it (an RPC URL may carry a provider key). */
  message: string;
}

/** Node's codes for a connection that failed or dropped (from the socket, DNS or fetch). */
const connectionCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * Postgres SQLSTATEs a retry may get past: connection exceptions (class 08), the server shutting down or starting
 * (57P01-57P03), too many connections or out of resources (53), a serialization failure or deadlock (40001, 40P01).
 * SQLite's busy and locked are the same kind of thing.
 */
const databaseCode = (code: string): boolean =>
  /^(08|53)/.test(code) || ["57P01", "57P02", "57P03", "40001", "40P01", "SQLITE_BUSY", "SQLITE_LOCKED"].includes(code);

/** The error and its causes, outermost first (viem and kysely both chain through `cause`). */
export function chainOf(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 16; e = (e as { cause?: unknown }).cause) {
    chain.push(e);
    if (typeof e !== "object") break;
  }
  return chain;
}

/** Revert data anywhere on the error: the chain executed the call and refused it (a verdict, even with code -32603). */
function carriesRevert(e: unknown): boolean {
  if (e instanceof ContractFunctionZeroDataError || e instanceof AbiDecodingZeroDataError) return true;
  const { code, data } = e as { code?: unknown; data?: unknown };
  if (code === 3) return true;
  const raw = typeof data === "object" && data !== null ? (data as { data?: unknown }).data : data;
  return typeof raw === "string" && raw.startsWith("0x");
}

const isChainFault = (e: unknown): boolean =>
  e instanceof HttpRequestError ||
  e instanceof TimeoutError ||
  e instanceof WebSocketRequestError ||
  e instanceof SocketClosedError ||
  e instanceof LimitExceededRpcError ||
  e instanceof ResourceUnavailableRpcError ||
  // A node that is down or overloaded answers -32603 with no revert data; a revert carries its data.
  e instanceof InternalRpcError ||
  (e as { code?: unknown }).code === InternalRpcError.code ||
  // fetch() itself failed (connection refused, DNS): undici's TypeError "fetch failed".
  (e instanceof TypeError && e.message === "fetch failed");

function isDatabaseFault(e: unknown): boolean {
  const { code, message } = e as { code?: unknown; message?: unknown };
  if (typeof code === "string" && databaseCode(code)) return true;
  // pg's own errors when the server goes away carry no code.
  return (
    typeof message === "string" &&
    /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/.test(message)
  );
}

/**
 * Whether the chain executed the call and refused it: revert data (or a decoded custom error's) anywhere on the error
 * or its causes, whether or not any ABI names it. The program server answers such a refusal `would_revert`.
 */
export function carriesRevertData(error: unknown): boolean {
  return chainOf(error).some(carriesRevert);
}

/**
 * Whether an error is a {@link Fault} (the chain or the database did not answer), read from its shape: viem's
 * transport errors (`HttpRequestError`, `TimeoutError`, a socket's, -32603 with no revert data, -32002, -32005),
 * fetch failures, Node's connection codes, and the database's connection and retry-me codes. Anything carrying
 * revert data is the chain's verdict, never a fault. Undefined: not a fault (a verdict, or a bug).
 *
 * @example
 * const fault = faultOf(error);
 * if (fault) return c.json({ error: { code: `${fault.source}_unavailable`, message: fault.message } }, 503);
 */
export function faultOf(error: unknown): Fault | undefined {
  const chain = chainOf(error);
  if (chain.some(carriesRevert)) return undefined;
  if (chain.some(isChainFault)) return { source: "chain", message: "The chain's RPC did not answer." };
  if (chain.some(isDatabaseFault)) return { source: "database", message: "The database did not answer." };
  const code = chain.map((e) => (e as { code?: unknown }).code).find((c) => typeof c === "string" && connectionCodes.has(c));
  // A connection code with no other sign: the database's driver (pg) and fetch both raise them; a viem call wraps
  // its own in the classes above, so a bare one is the database's.
  if (code !== undefined) return { source: "database", message: "The database did not answer." };
  return undefined;
}
