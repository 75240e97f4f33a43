import type { Context, ErrorHandler, MiddlewareHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { z } from "zod";
import { problemOf, type ErrorBody, type RevertRefusal } from "../../serverApi/schemas.js";
import { ServerRefusal, type RefusalStatus } from "../errors.js";
import { faultOf } from "../../utils/faults.js";
import { FAULT_RETRY_AFTER, redactUrls } from "../faults.js";

/** Answers a refusal: the status, and `{ error: { code, message } }` (and `revert` when a contract's error is named). */
export const refuse = (c: Context, status: RefusalStatus, code: string, message: string, revert?: RevertRefusal) =>
  c.json({ error: { code, message, ...(revert ? { revert } : {}) } } satisfies ErrorBody, status);

const SEND_JSON = "Send the body as JSON with Content-Type: application/json.";

/**
 * Every refusal thrown on the way (a route, the order book, the relayer) answered as such; a fault of the chain or
 * the database (see {@link faultOf}) is never the client's: 503 `chain_unavailable` or `database_unavailable` with
 * Retry-After, nothing stored; anything else is a 500, logged (with any URL redacted). The route library's own 4xx
 * (its media-type gate answers 415 to a content type it does not read as JSON, such as `application/json-seq`) is
 * the client's mistake, not the server's: a 400 saying how to send the body.
 */
export const onError: ErrorHandler = (error, c) => {
  if (error instanceof ServerRefusal) {
    if (error.retryAfter !== undefined) c.header("Retry-After", String(error.retryAfter));
    return refuse(c, error.status, error.code, error.message, error.revert);
  }
  if (error instanceof HTTPException && error.status < 500)
    return refuse(c, 400, "invalid_request", error.status === 415 ? SEND_JSON : error.message);
  const fault = faultOf(error);
  if (fault) {
    c.header("Retry-After", String(FAULT_RETRY_AFTER));
    return refuse(
      c,
      503,
      `${fault.source}_unavailable`,
      `${fault.message} Nothing was decided; try again in ${FAULT_RETRY_AFTER} s.`,
    );
  }
  console.error("program server:", redactUrls(error instanceof Error ? (error.stack ?? error.message) : String(error)));
  return c.json(
    { error: { code: "internal", message: "The server failed on this request; it is logged." } } satisfies ErrorBody,
    500,
  );
};

export const notFound: NotFoundHandler = (c) =>
  refuse(c, 404, "not_found", `No route ${c.req.method} ${c.req.path}; see /openapi.json.`);

/** What a route's schemas found wrong (the validation hook of every route): 400 naming the field. */
export function refuseInvalid(result: { success: true } | { success: false; error: z.ZodError }): void {
  if (!result.success) throw new ServerRefusal(400, "invalid_request", problemOf(result.error));
}

/** A JSON body, or a refusal that says what is wrong with it: before the route's schema reads it. */
export const requireJson: MiddlewareHandler = async (c, next) => {
  if (!/^application\/json\b/i.test(c.req.header("content-type") ?? ""))
    throw new ServerRefusal(400, "invalid_request", SEND_JSON);
  try {
    await c.req.json();
  } catch {
    throw new ServerRefusal(400, "invalid_json", "The body is not valid JSON.");
  }
  await next();
};
