import type { Program } from "../../program.js";
import { healthRoute } from "../../serverApi/routes.js";
import type { OrderBook } from "../orderBook/index.js";
import { routeGroup, serverRoute } from "./route.js";

/** `GET /health`: up, the chain, the last block the book applied and how many orders are open. */
export function healthRoutes({ program, book }: { program: Program; book: OrderBook }) {
  return routeGroup().openapi(serverRoute(healthRoute), async (c) => {
    const last = await book.lastBlock();
    return c.json({
      ok: true,
      chainId: program.chainId,
      ...(last === undefined ? {} : { lastBlock: last.toString() }),
      openOrders: await book.openCount(),
    });
  });
}
