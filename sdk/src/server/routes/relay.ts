import type { MiddlewareHandler } from "hono";
import { relayPolicyRoute, relayRoutes } from "../../serverApi/routes.js";
import { relaySchemas, type RelayAction } from "../../serverApi/schemas.js";
import { ServerRefusal } from "../errors.js";
import { refuse, requireJson } from "../middleware/errors.js";
import { createRateLimiter, rateLimitPerClient } from "../middleware/rateLimit.js";
import type { Relayer } from "../relayer.js";
import { routeGroup, serverRoute } from "./route.js";

/**
 * `POST /relay/<action>`, one route per relayed action: the brand's relayer submits what the member signed, within
 * the policy's per-address limit of requests per minute (on unless the policy sets 0). `GET /relay/policy` shows
 * what is sponsored and what is left today. Without a relayer every route answers 503; an unknown action, 404.
 */
export function relayRoutesOf({
  relayer,
  clock = Date.now,
  trustedProxies = new Set<string>(),
}: {
  relayer: Relayer | undefined;
  clock?: () => number;
  /** Reverse proxies whose X-Forwarded-For names the client, as for the server's own rate limit. */
  trustedProxies?: ReadonlySet<string>;
}) {
  const app = routeGroup();
  const relayOn: MiddlewareHandler = async (_c, next) => {
    if (!relayer)
      throw new ServerRefusal(503, "relay_off", "This server has no relayer key: members send their own transactions.");
    await next();
  };
  const perMinute = relayer?.policy.perIpPerMinute ?? 0;
  const limited: MiddlewareHandler[] =
    perMinute > 0 ? [rateLimitPerClient(createRateLimiter({ limit: perMinute, clock }), { trustedProxies })] : [];

  // relayOn has refused the request already when there is no relayer.
  app.openapi(serverRoute(relayPolicyRoute, [relayOn]), async (c) => {
    const { member } = c.req.valid("query");
    const r = relayer!;
    const p = r.policy;
    const [paused, spent] = await Promise.all([r.paused(), r.spent(member)]);
    const caps = (k: typeof p.member) => ({
      actionsPerDay: k.actionsPerDay,
      gasPerDay: k.gasPerDay.toString(),
      coinPerDay: k.coinPerDay.toString(),
    });
    const usage = (u: { actions: number; gas: bigint; coin: bigint }) => ({
      actions: u.actions,
      gas: u.gas.toString(),
      coin: u.coin.toString(),
    });
    return c.json({
      sponsoring: paused === undefined,
      ...(paused === undefined ? {} : { reason: paused }),
      relayers: r.senders.senders.map((s) => s.address),
      actions: p.actions,
      eligibility: { ...p.eligibility, allowlist: p.eligibility.allowlist.length },
      ...(p.startsAt ? { startsAt: p.startsAt.toISOString() } : {}),
      ...(p.endsAt ? { endsAt: p.endsAt.toISOString() } : {}),
      member: caps(p.member),
      program: caps(p.program),
      minRelayerBalance: p.minRelayerBalance.toString(),
      maxGasPrice: p.maxGasPrice.toString(),
      selfPayBalance: p.selfPayBalance.toString(),
      perIpPerMinute: p.perIpPerMinute,
      today: {
        day: spent.day,
        program: usage(spent.program),
        ...(spent.member ? { member: usage(spent.member) } : {}),
      },
    });
  });
  for (const action of Object.keys(relayRoutes) as RelayAction[]) {
    app.openapi(serverRoute(relayRoutes[action], [relayOn, ...limited, requireJson]), async (c) =>
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
