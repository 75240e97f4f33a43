import { readContract } from "viem/actions";
import { stampsAbi } from "../../generated/abis.js";
import { paymentCheckoutRoute, paymentPackagesRoute } from "../../serverApi/routes.js";
import { programKey } from "../../node/ledger/syncLedger.js";
import type { ReadClient } from "../../program.js";
import { ServerRefusal } from "../errors.js";
import { describeForLog } from "../faults.js";
import { requireJson } from "../middleware/errors.js";
import { routeGroup, serverRoute } from "../routes/route.js";
import type { PaymentsContext } from "./config.js";
import { walletProblem } from "./wallets.js";

/**
 * `GET /payments/packages` (the price list, cheapest first, in upper-case currency codes) and
 * `POST /payments/checkout` (a package and a wallet checked, then the provider's checkout URL from the brand's
 * builder). A refused checkout is a 422 saying why; a chain or provider that does not answer is a 503, nothing
 * started. Nothing is stored: the payment's webhook is what credits, and it checks the price and the wallet again.
 */
export function checkoutRoutes({
  context,
  chain,
  log = (m) => console.error(m),
}: {
  context: PaymentsContext;
  /** Reads the chain: whether a wallet is a contract. */
  chain: ReadClient;
  log?: (message: string) => void;
}) {
  const app = routeGroup();
  const packages = Object.entries(context.priceList)
    .map(([id, pack]) => ({ id, ...pack, currency: pack.currency.toUpperCase() }))
    .sort((a, b) => (a.amount === b.amount ? (a.points < b.points ? -1 : 1) : a.amount < b.amount ? -1 : 1));

  app.openapi(serverRoute(paymentPackagesRoute), (c) =>
    c.json(
      {
        brand: context.brandName ?? "Punchcard",
        checkout: context.checkout !== undefined,
        packages: packages.map((p) => ({ ...p, points: p.points.toString(), amount: p.amount.toString() })),
      },
      200,
    ),
  );

  app.openapi(serverRoute(paymentCheckoutRoute, [requireJson]), async (c) => {
    const { package: packageId, wallet } = c.req.valid("json");
    const checkout = context.checkout;
    if (!checkout) throw new ServerRefusal(404, "not_found", "This server has no checkout: points are not sold here.");
    const pack = Object.hasOwn(context.priceList, packageId) ? context.priceList[packageId] : undefined;
    if (!pack)
      throw new ServerRefusal(
        422,
        "unknown_package",
        `No points package ${JSON.stringify(packageId)}: choose one of ${packages.map((p) => p.id).join(", ")}.`,
      );
    const problem = await walletProblem(context, wallet, chain);
    if (problem) throw new ServerRefusal(422, "unknown_wallet", problem);
    // Points cannot be credited once the end is announced: a payment taken now would never reach the wallet.
    const endsAt = await readContract(chain, { address: context.program.stamps, abi: stampsAbi, functionName: "endsAt" });
    if (endsAt !== 0n)
      throw new ServerRefusal(422, "program_ending", "The program's end is announced: no points are sold any more.");
    const request = {
      packageId,
      points: pack.points,
      amount: pack.amount,
      currency: pack.currency.toLowerCase(),
      wallet,
      program: programKey(context.program),
    };
    let url: string;
    try {
      url = await checkout(request);
    } catch (error) {
      log(`payments: the checkout of package ${packageId} failed: ${describeForLog(error)}`);
      throw new ServerRefusal(
        503,
        "checkout_unavailable",
        "The payment provider did not answer: nothing was started. Try again.",
      );
    }
    return c.json(
      {
        url,
        package: packageId,
        points: pack.points.toString(),
        amount: pack.amount.toString(),
        currency: request.currency.toUpperCase(),
        wallet,
      },
      200,
    );
  });
  return app;
}
