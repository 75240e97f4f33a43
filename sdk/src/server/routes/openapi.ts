import { OpenAPIHono } from "@hono/zod-openapi";
import { apiRoutes } from "../../serverApi/routes.js";

/** What /openapi.json says of itself; its paths and schemas come from the route definitions. */
export const openApiConfig = {
  openapi: "3.0.3",
  info: {
    title: "Punchcard program server",
    version: "1",
    description:
      "The order book of a Punchcard program and its relayer. Integers are decimal strings; refusals are 4xx with { error: { code, message } }.",
  },
};

/**
 * The program server's OpenAPI 3.0 document, generated from the route definitions (serverApi/routes.ts): what
 * `GET /openapi.json` answers.
 *
 * @example
 * const doc = openApiDocument();
 */
export function openApiDocument(): ReturnType<OpenAPIHono["getOpenAPIDocument"]> {
  const routes = new OpenAPIHono();
  for (const route of apiRoutes) routes.openAPIRegistry.registerPath(route);
  return routes.getOpenAPIDocument(openApiConfig);
}
