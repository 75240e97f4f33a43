import { ContractRevertError, toPunchcardError } from "../errors.js";
import type { RevertRefusal } from "../serverApi/schemas.js";

/** The statuses a refusal answers with. */
export type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503;

/**
 * The one error of the program server: a refusal it answers with a 4xx (or 503) and `{ error: { code, message } }`,
 * `code` for programs and `message` for people. Whatever refuses (a route, the order book, the relayer) throws it;
 * the error middleware answers it. Nothing is stored for a refused request.
 *
 * @example
 * throw new ServerRefusal(404, "not_found", `No order ${orderHash} in this book.`);
 * throw new ServerRefusal(429, "quota_exceeded", "Used all of today's relays.", { retryAfter: 3_600 });
 */
export class ServerRefusal extends Error {
  override name = "ServerRefusal";
  /** Seconds until asking again may succeed: answered as the Retry-After header. Every 429 has one. */
  readonly retryAfter: number | undefined;
  /** The contract's error a `would_revert` would have met, when the program's ABIs name it: answered as `revert`. */
  readonly revert: RevertRefusal | undefined;
  readonly status: RefusalStatus;
  // A 429 without the time to wait does not compile.
  constructor(status: 429, code: string, message: string, options: { retryAfter: number });
  constructor(
    status: Exclude<RefusalStatus, 429>,
    code: string,
    message: string,
    options?: { retryAfter?: number; revert?: RevertRefusal },
  );
  constructor(
    status: RefusalStatus,
    readonly code: string,
    message: string,
    options: { retryAfter?: number; revert?: RevertRefusal } = {},
  ) {
    super(message);
    this.status = status;
    this.retryAfter = options.retryAfter;
    this.revert = options.revert;
  }
}

/** A custom error's argument as the wire carries it: integers in decimal, addresses and bytes in hex, tuples as JSON. */
const argText = (arg: unknown): string =>
  typeof arg === "object" && arg !== null
    ? JSON.stringify(arg, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value))
    : String(arg);

/**
 * The refusal of an action whose simulation reverted (the relayer's and the UserOp sponsor's one answer): 422
 * `would_revert`, its sentence the SDK's (`prefix` before it), and `revert` naming the custom error and its
 * arguments when the program's ABIs decode the revert data (the SDK's `toPunchcardError`). Revert data they do not
 * decode (another contract's error, a forged or cut payload) is still `would_revert`, without a name.
 *
 * @example
 * // 422 { error: { code: "would_revert", message: "...sold out...", revert: { errorName: "StampsSeriesSoldOut", args: ["1", "3"] } } }
 * throw wouldRevert(error);
 */
export function wouldRevert(error: unknown, prefix = ""): ServerRefusal {
  const refusal = toPunchcardError(error);
  const revert =
    refusal instanceof ContractRevertError ? { errorName: refusal.errorName, args: refusal.args.map(argText) } : undefined;
  return new ServerRefusal(422, "would_revert", `${prefix}${refusal.shortMessage}`, revert ? { revert } : {});
}

// The order book's name for the server's refusal, kept: `@punchcard/sdk/server` exported it first.
export { ServerRefusal as BookRefusal };
