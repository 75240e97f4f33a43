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
import { orderSigner } from "../../types/orders.js";
import { ServerRefusal } from "../errors.js";
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

/** The order book's routes: post a signed order; find orders by hash, series, stamp, swap wanted and member. */
export function ordersRoutes({ book, members }: OrdersRoutesOptions) {
  const cached = answerCache(book);
  const app = routeGroup();

  app.openapi(serverRoute(postOrderRoute, [requireJson]), async (c) => {
    // The book stores the order as it was posted (the JSON the route's schema just accepted).
    const posted = await c.req.json<PostOrderBody>();
    if (!members) {
      const { created, view } = await book.post(posted);
      return c.json(view, created ? 201 : 200);
    }
    const signer = orderSigner(c.req.valid("json"));
    const taken = await members.take(signer);
    if (!taken.ok) {
      const message = `${signer} posted ${members.limit} orders this minute, the most this server takes from one member; wait ${taken.retryAfter} s.`;
      return refuseLimited(c, "member_rate_limited", taken.retryAfter, message);
    }
    try {
      const { created, view } = await book.post(posted);
      return c.json(view, created ? 201 : 200);
    } catch (error) {
      // Someone else's post naming this member as signer, with a signature that is not theirs: not their count.
      if (error instanceof ServerRefusal && error.code === "bad_signature") await members.giveBack(signer);
      throw error;
    }
  });

  app.openapi(serverRoute(orderRoute, [cached]), async (c) => c.json(await book.order(c.req.valid("param").hash)));
  app.openapi(serverRoute(listingsRoute, [cached]), async (c) => c.json(await book.listings(c.req.valid("query"))));
  app.openapi(serverRoute(bestListingsRoute, [cached]), async (c) =>
    c.json({ orders: await book.bestListings(c.req.valid("query")) }),
  );
  app.openapi(serverRoute(offersRoute, [cached]), async (c) => c.json(await book.offers(c.req.valid("query"))));
  app.openapi(serverRoute(swapsRoute, [cached]), async (c) => c.json(await book.swaps(c.req.valid("query"))));
  app.openapi(serverRoute(memberOrdersRoute, [cached]), async (c) =>
    c.json(await book.ordersOf({ member: c.req.valid("param").address, ...c.req.valid("query") })),
  );
  return app;
}
