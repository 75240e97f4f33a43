import type { MiddlewareHandler } from "hono";
import { sponsorUserOperationRoute } from "../../serverApi/routes.js";
import { ServerRefusal } from "../errors.js";
import { requireJson } from "../middleware/errors.js";
import { createRateLimiter, rateLimitPerClient } from "../middleware/rateLimit.js";
import { routeGroup, serverRoute } from "../routes/route.js";
import type { UserOpSponsor } from "./sponsor.js";

/**
 * `POST /userops/sponsor`: the program server's sponsorship of a member's UserOp, after the relay policy allowed it
 * ({@link UserOpSponsor}), within the policy's per-address limit of requests per minute (as `POST /relay/*`).
 * Without a sponsor key the route answers 503.
 */
export function userOpRoutes({
  sponsor,
  clock = Date.now,
  trustedProxies = new Set<string>(),
}: {
  sponsor: UserOpSponsor | undefined;
  clock?: () => number;
  trustedProxies?: ReadonlySet<string>;
}) {
  const app = routeGroup();
  const sponsorOn: MiddlewareHandler = async (_c, next) => {
    if (!sponsor)
      throw new ServerRefusal(
        503,
        "sponsor_off",
        "This server has no paymaster sponsor key: it sponsors no UserOps (see punchcard serve --paymaster).",
      );
    await next();
  };
  const perMinute = sponsor?.policy.perIpPerMinute ?? 0;
  const limited: MiddlewareHandler[] =
    perMinute > 0 ? [rateLimitPerClient(createRateLimiter({ limit: perMinute, clock }), { trustedProxies })] : [];
  // sponsorOn has refused the request already when there is no sponsor.
  app.openapi(serverRoute(sponsorUserOperationRoute, [sponsorOn, ...limited, requireJson]), async (c) =>
    c.json(await sponsor!.sponsor(c.req.valid("json"))),
  );
  return app;
}
