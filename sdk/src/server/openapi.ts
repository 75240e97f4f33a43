import { z } from "zod";
import {
  bestListingsQuerySchema,
  errorSchema,
  healthSchema,
  listingsQuerySchema,
  orderPageSchema,
  orderViewSchema,
  pageQuerySchema,
  postOrderSchema,
  relayResultSchema,
  relaySchemas,
  swapsQuerySchema,
} from "./api.js";

type Json = Record<string, unknown>;

const schema = (s: z.ZodType): Json => z.toJSONSchema(s, { io: "input", unrepresentable: "any", target: "openapi-3.0" }) as Json;

/** Query parameters of a GET, from its zod object: one entry per field. */
function queryParameters(s: z.ZodObject): Json[] {
  return Object.entries(s.shape).map(([name, field]) => ({
    name,
    in: "query",
    required: !(field as z.ZodType).safeParse(undefined).success,
    schema: schema(field as z.ZodType),
  }));
}

const errors = {
  "400": {
    description: "The request is malformed; the message names the field",
    content: { "application/json": { schema: schema(errorSchema) } },
  },
  "422": { description: "Refused: the message says why", content: { "application/json": { schema: schema(errorSchema) } } },
};
const json = (description: string, s: z.ZodType) => ({ description, content: { "application/json": { schema: schema(s) } } });

/**
 * The program server's OpenAPI 3.0 document, generated from the zod schemas that validate its requests.
 *
 * @example
 * const doc = openApiDocument(); // what GET /openapi.json answers
 */
export function openApiDocument(): Json {
  const offersQuery = z.strictObject({
    tokenId: z.string().optional(),
    seriesId: z.string().optional(),
    ...pageQuerySchema.shape,
  });
  const bestPage = z.object({ orders: z.array(orderViewSchema) });
  return {
    openapi: "3.0.3",
    info: {
      title: "Punchcard program server",
      version: "1",
      description:
        "The order book of a Punchcard program and its relayer. Integers are decimal strings; refusals are 4xx with { error: { code, message } }.",
    },
    paths: {
      "/health": {
        get: {
          summary: "Whether the server is up and how far it follows the chain",
          responses: { "200": json("Up", healthSchema) },
        },
      },
      "/orders": {
        post: {
          summary:
            "Post a signed listing, offer (with the buyer's permit, optionally) or swap; it is checked against the chain before it is stored",
          requestBody: { required: true, content: { "application/json": { schema: schema(postOrderSchema) } } },
          responses: {
            "201": json("Stored", orderViewSchema),
            "200": json("Already stored", orderViewSchema),
            ...errors,
            "429": json(
              "Too many requests this minute from the client address, or too many orders this minute signed by the order's signer; see Retry-After",
              errorSchema,
            ),
          },
        },
      },
      "/orders/{hash}": {
        get: {
          summary: "One order by its EIP-712 hash, with its status and why",
          parameters: [{ name: "hash", in: "path", required: true, schema: { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" } }],
          responses: { "200": json("The order", orderViewSchema), "404": json("Unknown", errorSchema) },
        },
      },
      "/listings": {
        get: {
          summary: "Open listings of a series in a currency, cheapest first",
          parameters: queryParameters(listingsQuerySchema),
          responses: { "200": json("A page", orderPageSchema), ...errors },
        },
      },
      "/listings/best": {
        get: {
          summary: "The cheapest open listing of each series, in a currency",
          parameters: queryParameters(bestListingsQuerySchema),
          responses: { "200": json("One per series", bestPage), ...errors },
        },
      },
      "/offers": {
        get: {
          summary: "Open offers on a stamp (tokenId) or a series (seriesId), highest first",
          parameters: queryParameters(offersQuery),
          responses: { "200": json("A page", orderPageSchema), ...errors },
        },
      },
      "/swaps": {
        get: {
          summary: "Open swaps wanting a stamp of a series, oldest first",
          parameters: queryParameters(swapsQuerySchema),
          responses: { "200": json("A page", orderPageSchema), ...errors },
        },
      },
      "/members/{address}/orders": {
        get: {
          summary: "A member's open orders, oldest first",
          parameters: [
            { name: "address", in: "path", required: true, schema: { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" } },
            ...queryParameters(pageQuerySchema),
          ],
          responses: { "200": json("A page", orderPageSchema), ...errors },
        },
      },
      ...Object.fromEntries(
        Object.entries(relaySchemas).map(([action, body]) => [
          `/relay/${action}`,
          {
            post: {
              summary: `Relay ${action}: the brand's relayer submits what the member signed, within the member's daily quota`,
              requestBody: { required: true, content: { "application/json": { schema: schema(body) } } },
              responses: {
                "200": json("Sent", relayResultSchema),
                ...errors,
                "429": json("The member's quota for today is used", errorSchema),
                "503": json("No relayer configured", errorSchema),
              },
            },
          },
        ]),
      ),
    },
  };
}
