import type { Address, Hex } from "viem";
import { PunchcardError } from "../errors.js";
import type { PointsPermit, SignedIntent } from "../types/intents.js";
import type { Listing, Offer, Signed, SwapOrder } from "../types/orders.js";
import {
  errorSchema,
  healthSchema,
  orderPageSchema,
  orderViewSchema,
  relayResultSchema,
  toBookEntry,
  toWire,
  type BookEntry,
  type Health,
  type RelayAction,
  type RelayResult,
  type Wire,
} from "./api.js";
import type { z } from "zod";
import type { relaySchemas } from "./api.js";

/**
 * The program server refused a request (4xx) or failed (5xx): `code` is the server's reason for programs
 * (`bad_signature`, `stamp_moved`, `quota_exceeded`...), the message its sentence for people.
 *
 * @example
 * try { await server.postOrder({ listing }); } catch (e) { if (e instanceof ProgramServerError) console.log(e.code); }
 */
export class ProgramServerError extends PunchcardError {
  override name = "ProgramServerError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A page of orders in the SDK's types, and the cursor of the next page. */
export interface BookPage {
  orders: BookEntry[];
  nextCursor?: string;
}

type PageOptions = { cursor?: string; limit?: number };

/** The relay body of an action, in the SDK's types (bigints), as the member's sign* functions return them. */
export type RelayInput<A extends RelayAction> = z.infer<(typeof relaySchemas)[A]> extends infer W ? UnWire<W> : never;
type UnWire<T> = T extends string ? string | bigint : T extends object ? { [K in keyof T]: UnWire<T[K]> } : T;

/**
 * A typed client of a Punchcard program server (`punchcard serve`): post signed orders, find them, relay a
 * member's signed actions. Uses `fetch` only, so it runs in browsers; bigints travel as decimal strings.
 *
 * @example
 * const server = createProgramServerClient("https://market.example.com");
 * await server.postOrder({ listing: await listStamp(ada, { program, tokenId, price: 200n, currency: program.points }) });
 * const { orders } = await server.listings({ seriesId: 1n, currency: program.points });
 */
export function createProgramServerClient(url: string, options: { fetch?: typeof fetch } = {}) {
  const base = url.replace(/\/+$/, "");
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function call<T>(path: string, parse: (json: unknown) => T, init?: { body: unknown }): Promise<T> {
    const response = await doFetch(`${base}${path}`, {
      method: init ? "POST" : "GET",
      ...(init ? { headers: { "content-type": "application/json" }, body: JSON.stringify(toWire(init.body)) } : {}),
    });
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = errorSchema.safeParse(json);
      throw error.success
        ? new ProgramServerError(response.status, error.data.error.code, error.data.error.message)
        : new ProgramServerError(response.status, "unexpected", `The server answered ${response.status} without a reason.`);
    }
    return parse(json);
  }

  const query = (params: Record<string, string | bigint | number | undefined>) => {
    const entries = Object.entries(params).filter(([, v]) => v !== undefined) as [string, string | bigint | number][];
    return entries.length === 0 ? "" : `?${new URLSearchParams(entries.map(([k, v]) => [k, v.toString()])).toString()}`;
  };
  const toPage = (json: unknown): BookPage => {
    const page = orderPageSchema.parse(json);
    return { orders: page.orders.map(toBookEntry), ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) };
  };
  const toEntry = (json: unknown) => toBookEntry(orderViewSchema.parse(json));

  return {
    /** Whether the server is up, its chain and the last block it applied. */
    health: (): Promise<Health> => call("/health", (j) => healthSchema.parse(j)),
    /**
     * Posts a signed order; answers it as stored (posting it again is harmless). An offer may carry the buyer's
     * permit (signPointsPermit for at least the price, lasting at least as long as the offer): a buyer with no
     * allowance can bid, and the relayer submits the permit when the offer is accepted.
     */
    postOrder: (
      order:
        | { listing: Signed<Listing> }
        | { offer: Signed<Offer>; permit?: SignedIntent<PointsPermit> }
        | { swap: Signed<SwapOrder> },
    ): Promise<BookEntry> => {
      const [kind, signed]: ["listing" | "offer" | "swap", Signed<Listing | Offer | SwapOrder>] =
        "listing" in order ? ["listing", order.listing] : "offer" in order ? ["offer", order.offer] : ["swap", order.swap];
      const permit = "offer" in order ? order.permit : undefined;
      return call("/orders", toEntry, {
        body: { kind, order: signed.order, signature: signed.signature, ...(permit === undefined ? {} : { permit }) },
      });
    },
    /** One order by hash, whatever its status. */
    order: (orderHash: Hex): Promise<BookEntry> => call(`/orders/${orderHash}`, toEntry),
    /** Open listings of a series in a currency (default the native coin), cheapest first. */
    listings: (q: { seriesId: bigint; currency?: Address } & PageOptions): Promise<BookPage> =>
      call(`/listings${query(q)}`, toPage),
    /** The cheapest open listing of each series in a currency. */
    bestListings: (q: { currency?: Address } = {}): Promise<BookEntry[]> =>
      call(`/listings/best${query(q)}`, (j) => toPage(j).orders),
    /** Open offers on a stamp (and its series) or on a series, highest first. */
    offers: (q: ({ tokenId: bigint } | { seriesId: bigint }) & PageOptions): Promise<BookPage> =>
      call(`/offers${query(q)}`, toPage),
    /** Open swaps wanting a stamp of a series. */
    swaps: (q: { wantedSeriesId: bigint } & PageOptions): Promise<BookPage> => call(`/swaps${query(q)}`, toPage),
    /** A member's open orders. */
    ordersOf: (member: Address, q: PageOptions = {}): Promise<BookPage> => call(`/members/${member}/orders${query(q)}`, toPage),
    /** Has the brand's relayer submit what the member signed; answers the transaction hash. */
    relay: <A extends RelayAction>(action: A, body: RelayInput<A> | Wire<RelayInput<A>>): Promise<RelayResult> =>
      call(`/relay/${action}`, (j) => relayResultSchema.parse(j), { body }),
  };
}

export type ProgramServerClient = ReturnType<typeof createProgramServerClient>;
