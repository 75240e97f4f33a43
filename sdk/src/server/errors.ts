/** The statuses a refusal answers with. */
export type RefusalStatus = 400 | 401 | 404 | 409 | 413 | 422 | 429 | 503;

/**
 * The one error of the program server: a refusal it answers with a 4xx (or 503) and `{ error: { code, message } }`,
 * `code` for programs and `message` for people. Whatever refuses (a route, the order book, the relayer) throws it;
 * the error middleware answers it. Nothing is stored for a refused request.
 *
 * @example
 * throw new ServerRefusal(404, "not_found", `No order ${orderHash} in this book.`);
 */
export class ServerRefusal extends Error {
  override name = "ServerRefusal";
  constructor(
    readonly status: RefusalStatus,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// The order book's name for the server's refusal, kept: `@punchcard/sdk/server` exported it first.
export { ServerRefusal as BookRefusal };
