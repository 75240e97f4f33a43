import type { Context, ErrorHandler, MiddlewareHandler, NotFoundHandler } from "hono";
import type { z } from "zod";
import { problemOf, type ErrorBody } from "../../serverApi/schemas.js";
import { ServerRefusal, type RefusalStatus } from "../errors.js";

/** Answers a refusal: the status, and `{ error: { code, message } }`. */
export const refuse = (c: Context, status: RefusalStatus, code: string, message: string) =>
  c.json({ error: { code, message } } satisfies ErrorBody, status);

/** Every refusal thrown on the way (a route, the order book, the relayer) answered as such; anything else is a 500, logged. */
export const onError: ErrorHandler = (error, c) => {
  if (error instanceof ServerRefusal) return refuse(c, error.status, error.code, error.message);
  console.error("program server:", error);
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
    throw new ServerRefusal(400, "invalid_request", "Send the body as JSON with Content-Type: application/json.");
  try {
    await c.req.json();
  } catch {
    throw new ServerRefusal(400, "invalid_json", "The body is not valid JSON.");
  }
  await next();
};
