import { decodeStampId, type BookEntry, type SeriesInfo } from "@punchcard/sdk";
import { ActionStatus } from "../../components/ActionStatus.js";
import { LocalTime } from "../../components/LocalTime.js";
import { useAction } from "../../components/useAction.js";
import { sendOrRelay } from "../../sendOrRelay.js";
import { editionText, offerText, stampText } from "./text.js";
import { senderOf, sponsoredBy, thenBook, type TradeContext } from "./tradeContext.js";

/** The member's own open orders, each with Cancel, and Cancel all. */
export function MyOrders({
  context,
  orders,
  seriesOf,
  format,
}: {
  context: TradeContext;
  orders: BookEntry[];
  seriesOf: Map<bigint, SeriesInfo>;
  format: (n: bigint) => string;
}) {
  const describe = (o: BookEntry) => {
    if (o.kind === "listing") {
      const { seriesId, edition } = decodeStampId(o.signed.order.tokenId);
      return `Listing of ${seriesOf.get(seriesId)?.name ?? "a stamp"} ${editionText(edition, seriesOf.get(seriesId))} for ${format(o.signed.order.price)}`;
    }
    if (o.kind === "offer") {
      const text = offerText(o.signed.order, seriesOf, format);
      return `${text[0]!.toUpperCase()}${text.slice(1)}`;
    }
    return `Swap of your ${stampText(o.signed.order.makerTokenId, seriesOf)}`;
  };
  const cancel = useAction(
    (o: BookEntry) => `Cancel: ${describe(o)}${sponsoredBy(context.brand, context.sponsored)}`,
    thenBook(context, (o: BookEntry) => sendOrRelay("cancel", senderOf(context), { order: o })),
  );
  const cancelAll = useAction(
    () => `Cancel all your orders${sponsoredBy(context.brand, context.sponsored)}`,
    thenBook(context, () => sendOrRelay("cancelAll", senderOf(context), {})),
  );
  const busy = cancel.busy || cancelAll.busy;
  return (
    <section aria-labelledby="mine-title">
      <h2 id="mine-title">Your open orders</h2>
      {orders.length === 0 ? (
        <p data-testid="no-orders">You have no open orders.</p>
      ) : (
        <>
          <ul className="orders">
            {orders.map((o) => (
              <li key={o.signed.orderHash} data-testid="my-order">
                <span>
                  {describe(o)}; expires <LocalTime seconds={o.signed.order.expiry} />
                </span>
                <button type="button" disabled={busy} onClick={() => cancel.run(o)}>
                  Cancel
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="danger" disabled={busy} onClick={() => cancelAll.run(undefined)}>
            Cancel all my orders
          </button>
        </>
      )}
      <ActionStatus state={cancel.state} />
      <ActionStatus state={cancelAll.state} />
    </section>
  );
}
