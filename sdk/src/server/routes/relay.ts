import type { MiddlewareHandler } from "hono";
import { relayRoutes } from "../../serverApi/routes.js";
import { relaySchemas, type RelayAction } from "../../serverApi/schemas.js";
import { ServerRefusal } from "../errors.js";
import { refuse, requireJson } from "../middleware/errors.js";
import type { Relayer } from "../relayer.js";
import { routeGroup, serverRoute } from "./route.js";

/**
 * `POST /relay/<action>`, one route per relayed action: the brand's relayer submits what the member signed. Without
 * a relayer every action answers 503; an action this server does not know, 404.
 */
export function relayRoutesOf({ relayer }: { relayer: Relayer | undefined }) {
  const app = routeGroup();
  const relayOn: MiddlewareHandler = async (_c, next) => {
    if (!relayer)
      throw new ServerRefusal(503, "relay_off", "This server has no relayer key: members send their own transactions.");
    await next();
  };
  for (const action of Object.keys(relayRoutes) as RelayAction[]) {
    // relayOn has refused the request already when there is no relayer.
    app.openapi(serverRoute(relayRoutes[action], [relayOn, requireJson]), async (c) =>
      c.json(await relayer!.relay(action, c.req.valid("json"))),
    );
  }
  app.post("/relay/:action", (c) =>
    refuse(
      c,
      404,
      "unknown_action",
      `No relayed action "${c.req.param("action")}"; this server relays ${Object.keys(relaySchemas).join(", ")}.`,
    ),
  );
  return app;
}
