import { createRoute, OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { refuseInvalid } from "../middleware/errors.js";

/**
 * A route definition of serverApi/routes.ts as @hono/zod-openapi takes it, with the middleware that runs before
 * its schemas read the request. The handlers answer in the wire form (the schemas' input side: decimal strings),
 * while the library would type answers by the decoded side (bigints): so the answers are typed loosely here, and
 * the OpenAPI document and the typed client read them from the definition.
 */
export function serverRoute<Route extends RouteConfig>(route: Route, middleware: MiddlewareHandler[] = []) {
  return createRoute({ ...route, responses: route.responses as RouteConfig["responses"], middleware });
}

/** A group of routes whose schemas refuse what they do not match with 400 `invalid_request`, naming the field. */
export const routeGroup = () => new OpenAPIHono({ defaultHook: refuseInvalid });
