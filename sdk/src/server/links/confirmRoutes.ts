import { getAddress } from "viem";
import { LinkNotOnChainError, WalletNotLinkedError, type LinkStore } from "../../node/linkStore/linkStore.js";
import { confirmLinkRoute } from "../../serverApi/routes.js";
import { ServerRefusal } from "../errors.js";
import { requireJson } from "../middleware/errors.js";
import { routeGroup, serverRoute } from "../routes/route.js";

/**
 * `POST /links/confirm`: a wallet linked itself from the brand's link request (its own transaction, or a passkey
 * card's sponsored UserOp), and the brand's link store marks its record linked once the chain shows the link with
 * the commitment the store prepared (`LinkStore.confirmLink`, the store's one way of learning a link is done). The
 * request carries only the wallet: nothing in it is believed, so anyone may send it. The chain is read first, so a
 * wallet the registry does not link learns nothing of the brand's records.
 */
export function confirmLinkRoutes({ linkStore }: { linkStore: LinkStore | undefined }) {
  return routeGroup().openapi(serverRoute(confirmLinkRoute, [requireJson]), async (c) => {
    if (!linkStore)
      throw new ServerRefusal(
        503,
        "link_store_off",
        "This server keeps no link store: the brand learns of your link through its own systems.",
      );
    const wallet = getAddress(c.req.valid("json").wallet);
    try {
      const { linkedAt } = await linkStore.confirmLink({ wallet });
      return c.json({ wallet, status: "linked" as const, linkedAt }, 200);
    } catch (error) {
      if (error instanceof LinkNotOnChainError)
        throw new ServerRefusal(
          409,
          error.reason === "not_linked" ? "not_linked_on_chain" : "other_commitment",
          error.shortMessage,
        );
      if (error instanceof WalletNotLinkedError)
        throw new ServerRefusal(
          404,
          "no_link_request",
          `The brand prepared no link for wallet ${wallet}: ask the brand for a new link request.`,
        );
      throw error;
    }
  });
}
