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
  readonly status: RefusalStatus;
  // A 429 without the time to wait does not compile.
  constructor(status: 429, code: string, message: string, options: { retryAfter: number });
  constructor(status: Exclude<RefusalStatus, 429>, code: string, message: string, options?: { retryAfter?: number });
  constructor(
    status: RefusalStatus,
    readonly code: string,
    message: string,
    options: { retryAfter?: number } = {},
  ) {
    super(message);
    this.status = status;
    this.retryAfter = options.retryAfter;
  }
}

// The order book's name for the server's refusal, kept: `@punchcard/sdk/server` exported it first.
export { ServerRefusal as BookRefusal };
