import type { BookEntry, SeriesInfo } from "@punchcard/sdk";
import { useTranslation } from "react-i18next";
import { ActionStatus } from "../../components/ActionStatus.js";
import { LocalTime, WithTime } from "../../components/LocalTime.js";
import { useAction } from "../../components/useAction.js";
import { sendOrRelay } from "../../sendOrRelay.js";
import { offerTarget, stampText } from "./text.js";
import { senderOf, sponsoredLabel, thenBook, type TradeContext } from "./tradeContext.js";

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
  const { t } = useTranslation();
  const describe = (o: BookEntry) => {
    if (o.kind === "listing")
      return t("market.listingOf", { stamp: stampText(o.signed.order.tokenId, seriesOf), price: format(o.signed.order.price) });
    if (o.kind === "offer")
      return t("market.offerOnCapital", { price: format(o.signed.order.price), target: offerTarget(o.signed.order, seriesOf) });
    return t("market.swapOf", { stamp: stampText(o.signed.order.makerTokenId, seriesOf) });
  };
  const cancel = useAction(
    (o: BookEntry) => sponsoredLabel(t("market.cancelLabel", { order: describe(o) }), context.brand, context.sponsored),
    thenBook(context, (o: BookEntry) => sendOrRelay("cancel", senderOf(context), { order: o })),
  );
  const cancelAll = useAction(
    () => sponsoredLabel(t("market.cancelAllLabel"), context.brand, context.sponsored),
    thenBook(context, () => sendOrRelay("cancelAll", senderOf(context), {})),
  );
  const busy = cancel.busy || cancelAll.busy;
  return (
    <section aria-labelledby="mine-title">
      <h2 id="mine-title">{t("market.mineTitle")}</h2>
      {orders.length === 0 ? (
        <p data-testid="no-orders">{t("market.noOrders")}</p>
      ) : (
        <>
          <ul className="orders">
            {orders.map((o) => (
              <li key={o.signed.orderHash} data-testid="my-order">
                <span>
                  <WithTime
                    sentence={(when) => t("market.expires", { order: describe(o), when })}
                    time={<LocalTime seconds={o.signed.order.expiry} />}
                  />
                </span>
                <button type="button" disabled={busy} onClick={() => cancel.run(o)}>
                  {t("market.cancel")}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="danger" disabled={busy} onClick={() => cancelAll.run(undefined)}>
            {t("market.cancelAll")}
          </button>
        </>
      )}
      <ActionStatus state={cancel.state} />
      <ActionStatus state={cancelAll.state} />
    </section>
  );
}
