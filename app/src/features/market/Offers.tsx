import { decodeStampId, type SeriesInfo } from "@punchcard/sdk";
import { isAddressEqual } from "viem";
import { ActionStatus } from "../../components/ActionStatus.js";
import { useAction } from "../../components/useAction.js";
import { OfferForm } from "./OfferForm.js";
import type { OfferEntry } from "./queries.js";
import { sendOrRelay } from "../../sendOrRelay.js";
import { ensureApproval, senderOf, sponsoredBy, thenBook, type TradeContext } from "./tradeContext.js";

/** Offers the member can accept with a stamp they hold, and the form to make one. */
export function Offers({
  context,
  series,
  offers,
  myStamps,
  seriesOf,
  format,
}: {
  context: TradeContext;
  series: SeriesInfo[];
  offers: OfferEntry[];
  myStamps: bigint[];
  seriesOf: Map<bigint, SeriesInfo>;
  format: (n: bigint) => string;
}) {
  // An offer backed by the buyer's permit is accepted through the relayer, which submits the permit with the trade.
  const relays = (offer: OfferEntry) => context.sponsored || offer.permit !== undefined;
  const accept = useAction(
    (a: { offer: OfferEntry; tokenId: bigint }) =>
      `Accept ${format(a.offer.signed.order.price)} for stamp ${a.tokenId}${sponsoredBy(context.brand, relays(a.offer))}`,
    thenBook(context, async ({ offer, tokenId }: { offer: OfferEntry; tokenId: bigint }) => {
      await ensureApproval(context);
      return sendOrRelay("acceptOffer", senderOf(context, relays(offer)), { offer: offer.signed, tokenId });
    }),
  );
  const forMe = offers.flatMap((o) => {
    if (isAddressEqual(o.signed.order.buyer, context.member)) return [];
    const fits = myStamps.filter((t) =>
      o.signed.order.tokenId === 0n ? decodeStampId(t).seriesId === o.signed.order.seriesId : t === o.signed.order.tokenId,
    );
    return fits.length ? [{ offer: o, tokenId: fits[0]! }] : [];
  });
  return (
    <section aria-labelledby="offers-title">
      <h2 id="offers-title">Offers</h2>
      {forMe.length > 0 && (
        <ul className="orders">
          {forMe.map(({ offer, tokenId }) => (
            <li key={offer.signed.orderHash} data-testid="offer-for-me">
              <span>
                {format(offer.signed.order.price)} offered for stamp {tokenId.toString()}
              </span>
              <button type="button" disabled={accept.busy} onClick={() => accept.run({ offer, tokenId })}>
                Accept
              </button>
            </li>
          ))}
        </ul>
      )}
      <ActionStatus state={accept.state} />
      <OfferForm context={context} series={series} seriesOf={seriesOf} format={format} />
    </section>
  );
}
