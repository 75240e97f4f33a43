import type { Address } from "viem";
import { getBalance, getBlockNumber } from "viem/actions";
import type { Program } from "../../program.js";
import { healthRoute } from "../../serverApi/routes.js";
import type { OrderBook } from "../orderBook/index.js";
import { routeGroup, serverRoute } from "./route.js";

export interface HealthRoutesOptions {
  program: Program;
  book: OrderBook;
  /** The relayer's keys, whose balance (summed) /health tells; none: no relayer. */
  relayerAddresses?: readonly Address[] | undefined;
  /** Blocks the book may trail the chain's head (past its confirmations) and still be healthy (default 10). */
  maxLagBlocks?: number;
  /** How long one measure is answered again, in ms (default 2,000): a flood of /health costs one measure. */
  cacheMs?: number;
  /** Milliseconds since 1970 (tests; default Date.now). */
  clock?: () => number;
}

/** /health as the wire carries it: integers as decimal strings. */
interface HealthAnswer {
  ok: boolean;
  chainId: number;
  lastBlock?: string;
  openOrders: number;
  chain: "ok" | "unreachable";
  database: "ok" | "unreachable";
  head?: string;
  lag?: string;
  relayerBalance?: string;
  checkedAt: string;
  problems: string[];
}

/** Each check is given this long, in ms: a node or a database that hangs is unreachable, not a hung /health. */
const CHECK_TIMEOUT_MS = 2_000;

function within<T>(promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error("no answer in time")), CHECK_TIMEOUT_MS)),
  );
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** One measure of the server's health: the chain's head, the book's cursor and open orders, the relayer's balance. */
async function measure({ program, book, relayerAddresses = [], maxLagBlocks = 10, clock = Date.now }: HealthRoutesOptions) {
  const [head, last, open, balance] = await Promise.allSettled([
    within(getBlockNumber(book.client, { cacheTime: 0 })),
    within(book.lastBlock()),
    within(book.openCount()),
    relayerAddresses.length > 0
      ? within(
          Promise.all(relayerAddresses.map((address) => getBalance(book.client, { address }))).then((balances) =>
            balances.reduce((sum, b) => sum + b, 0n),
          ),
        )
      : Promise.resolve(undefined),
  ]);
  const problems: string[] = [];
  const chain = head.status === "fulfilled" ? "ok" : "unreachable";
  const database = last.status === "fulfilled" && open.status === "fulfilled" ? "ok" : "unreachable";
  if (chain !== "ok") problems.push("The chain's RPC does not answer.");
  if (database !== "ok") problems.push("The database does not answer.");
  let lag: bigint | undefined;
  if (head.status === "fulfilled" && last.status === "fulfilled" && last.value !== undefined) {
    lag = head.value - book.confirmations - last.value;
    if (lag < 0n) lag = 0n;
    if (lag > BigInt(maxLagBlocks))
      problems.push(
        `The order book trails the chain by ${lag} blocks (more than ${maxLagBlocks}): its answers may be out of date.`,
      );
  }
  const answer: HealthAnswer = {
    ok: problems.length === 0,
    chainId: program.chainId,
    ...(last.status === "fulfilled" && last.value !== undefined ? { lastBlock: last.value.toString() } : {}),
    openOrders: open.status === "fulfilled" ? open.value : 0,
    chain,
    database,
    ...(head.status === "fulfilled" ? { head: head.value.toString() } : {}),
    ...(lag === undefined ? {} : { lag: lag.toString() }),
    ...(balance.status === "fulfilled" && balance.value !== undefined ? { relayerBalance: balance.value.toString() } : {}),
    checkedAt: new Date(clock()).toISOString(),
    problems,
  };
  return answer;
}

/**
 * `GET /health`: whether the server can do its work now: the chain's RPC answers (`head`), the database answers,
 * the book is within `maxLagBlocks` of the head (`lag`, past its confirmations), with the open orders and the
 * relayer's balance. 200 when all is well; 503 with the same body and an `error` naming the problems when not (a
 * load balancer reads the status). Measured at most once per `cacheMs`: no COUNT per request.
 */
export function healthRoutes(options: HealthRoutesOptions) {
  const cacheMs = options.cacheMs ?? 2_000;
  const clock = options.clock ?? Date.now;
  let cached: { at: number; answer: Promise<HealthAnswer> } | undefined;
  return routeGroup().openapi(serverRoute(healthRoute), async (c) => {
    if (!cached || clock() - cached.at >= cacheMs) cached = { at: clock(), answer: measure(options) };
    const answer = await cached.answer;
    if (answer.ok) return c.json(answer, 200);
    return c.json({ ...answer, error: { code: "degraded", message: answer.problems.join(" ") } }, 503);
  });
}
