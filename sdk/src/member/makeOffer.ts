import { ensureAllowance } from "../internal/allowance.js";
import { signOfferOrder, type SignOfferParameters } from "../internal/signOffer.js";
import type { WriteClient } from "../program.js";
import type { Offer, Signed } from "../types/orders.js";

export interface MakeOfferParameters extends SignOfferParameters {
  /**
   * Raise the Market's allowance for the price now, a transaction (default: true). Pass false for a member without
   * native coin: they sign a permit instead ({@link signPointsPermit}) and the relayer submits both ({@link relayMatch}).
   */
  approve?: boolean;
}

export type MakeOfferReturnType = Signed<Offer>;

/**
 * Makes an offer on a stamp, or on any stamp of a series, by signing it off-chain. The Market is approved
 * for the price now, so the holder who accepts ({@link acceptOffer}) is paid at once: the allowance is raised by
 * exactly the price, on top of what backs the member's other open orders, never to an unlimited amount, and only
 * once the offer is signed (a refused signature leaves the allowance as it was).
 *
 * @example
 * const offer = await makeOffer(cleo, { program, seriesId: 1n, price: 150n, currency: program.points });
 */
export async function makeOffer(client: WriteClient, parameters: MakeOfferParameters): Promise<MakeOfferReturnType> {
  const offer = await signOfferOrder(client, parameters);
  if (parameters.approve === false) return offer;
  await ensureAllowance(client, offer.order.currency, parameters.program.market, offer.order.price);
  return offer;
}
