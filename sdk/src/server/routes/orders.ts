import {
  bestListingsRoute,
  listingsRoute,
  memberOrdersRoute,
  offersRoute,
  orderRoute,
  postOrderRoute,
  swapsRoute,
} from "../../serverApi/routes.js";
import type { PostOrderBody } from "../../serverApi/schemas.js";
import { ServerRefusal } from "../errors.js";
import { faultOf } from "../../utils/faults.js";
import { answerCache } from "../middleware/answerCache.js";
import { requireJson } from "../middleware/errors.js";
import { refuseLimited, type RateLimiter } from "../middleware/rateLimit.js";
import type { OrderBook } from "../orderBook/index.js";
import { routeGroup, serverRoute } from "./route.js";

export interface OrdersRoutesOptions {
  book: OrderBook;
  /** Orders per minute per member (the order's signer); none: no limit. */
  members?: RateLimiter | undefined;
}

/** The content type `c.json` answers with, for answers whose JSON text is made by the book. */
const JSON_TYPE = { "content-type": "application/json" } as const;

/** A member past their posts per minute: answered 429 with Retry-After by the route. */
class MemberLimited extends Error {
  constructor(
    readonly retryAfter: number,
    message: string,
  ) {
    super(message);
  }
}

/** The order book's routes: post a signed order; find orders by hash, series, stamp, swap wanted and member. */
export function ordersRoutes({ book, members }: OrdersRoutesOptions) {
  const cached = answerCache(book);
  const app = routeGroup();

  app.openapi(serverRoute(postOrderRoute, [requireJson]), async (c) => {
    // The book stores the order as it was posted (the JSON the route's schema just accepted).
    const posted = await c.req.json<PostOrderBody>();
    let charged: string | undefined;
    // A new order counts against its signer once the book knows it is new: a re-post of a stored order (anyone
    // may post a member's public signed order again) is idempotent and charges nobody.
    const charge = async (signer: string) => {
      const taken = await members!.take(signer);
      if (!taken.ok) {
        const message = `${signer} posted ${members!.limit} orders this minute, the most this server takes from one member; wait ${taken.retryAfter} s.`;
        throw new MemberLimited(taken.retryAfter, message);
      }
      charged = signer;
    };
    try {
      const { created, view } = await book.post(posted, members ? charge : undefined);
      return c.json(view, created ? 201 : 200);
    } catch (error) {
      if (error instanceof MemberLimited) return refuseLimited(c, "member_rate_limited", error.retryAfter, error.message);
      // Someone else's post naming this member as signer, with a signature that is not theirs, is not their count;
      // nor is a post the chain or the database could not decide (503: try again).
      if (charged && ((error instanceof ServerRefusal && error.code === "bad_signature") || faultOf(error)))
        await members!.giveBack(charged);
      throw error;
    }
  });

  app.openapi(serverRoute(orderRoute, [cached]), async (c) => c.json(await book.order(c.req.valid("param").hash)));
  // Pages are answered with the text the book spliced from the stored orders (see OrderBook.pageJson).
  app.openapi(serverRoute(listingsRoute, [cached]), async (c) =>
    c.body(await book.pageJson("listings", c.req.valid("query")), 200, JSON_TYPE),
  );
  app.openapi(serverRoute(bestListingsRoute, [cached]), async (c) =>
    c.json({ orders: await book.bestListings(c.req.valid("query")) }),
  );
  app.openapi(serverRoute(offersRoute, [cached]), async (c) =>
    c.body(await book.pageJson("offers", c.req.valid("query")), 200, JSON_TYPE),
  );
  app.openapi(serverRoute(swapsRoute, [cached]), async (c) =>
    c.body(await book.pageJson("swaps", c.req.valid("query")), 200, JSON_TYPE),
  );
  app.openapi(serverRoute(memberOrdersRoute, [cached]), async (c) => {
    const q = { member: c.req.valid("param").address, ...c.req.valid("query") };
    return c.body(await book.pageJson("ordersOf", q), 200, JSON_TYPE);
  });
  return app;
}
