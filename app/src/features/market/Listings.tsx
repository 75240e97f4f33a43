import { quoteSale, type QuoteSaleReturnType, type SeriesInfo } from "@punchcard/sdk";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { isAddressEqual, type Address } from "viem";
import { ActionStatus } from "../../components/ActionStatus.js";
import { useAction } from "../../components/useAction.js";
import { errorSentence } from "../../errors.js";
import type { ListingEntry } from "./queries.js";
import { QuoteFacts } from "./QuoteFacts.js";
import { sendOrRelay } from "../../sendOrRelay.js";
import { SponsorNote } from "./SponsorNote.js";
import { editionText, seriesName } from "./text.js";
import { senderOf, sponsoredLabel, thenBook, type TradeContext } from "./tradeContext.js";

/** The open listings of each tradable series; Buy shows the Market's quote, and the purchase waits for a confirm. */
export function Listings({
  context,
  series,
  listings,
  format,
  nameOf,
}: {
  context: TradeContext;
  series: SeriesInfo[];
  listings: ListingEntry[];
  format: (n: bigint) => string;
  nameOf: (a: Address) => string;
}) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<{ listing: ListingEntry; quote: QuoteSaleReturnType } | undefined>();
  const [quoteError, setQuoteError] = useState<string | undefined>();
  const seriesOf = (l: ListingEntry) => series.find((s) => s.seriesId === l.seriesId);
  const stampOf = (l: ListingEntry) =>
    t("stamp.named", { name: seriesName(l.seriesId, seriesOf(l)), edition: editionText(l.edition, seriesOf(l)) });
  const label = (l: ListingEntry) =>
    sponsoredLabel(t("market.buyLabel", { stamp: stampOf(l) }), context.brand, context.sponsored);
  const buy = useAction(
    label,
    thenBook(context, (l: ListingEntry) => sendOrRelay("buy", senderOf(context), { listing: l.signed })),
  );
  const review = async (listing: ListingEntry) => {
    setQuoteError(undefined);
    buy.reset();
    try {
      const { tokenId, price, currency } = listing.signed.order;
      setChosen({ listing, quote: await quoteSale(context.client, { program: context.program, tokenId, price, currency }) });
    } catch (error) {
      setChosen(undefined);
      setQuoteError(errorSentence(error));
    }
  };
  return (
    <section aria-labelledby="listings-title">
      <h2 id="listings-title">{t("market.forSale")}</h2>
      {series.map((s) => {
        const open = listings.filter((l) => l.seriesId === s.seriesId);
        return (
          <section key={s.seriesId.toString()} aria-labelledby={`series-${s.seriesId}`} className="card">
            <h3 id={`series-${s.seriesId}`}>{s.name}</h3>
            {open.length === 0 ? (
              <p>{t("market.nothingListed")}</p>
            ) : (
              <ul className="orders">
                {open.map((l) => {
                  const mine = isAddressEqual(l.signed.order.seller, context.member);
                  return (
                    <li key={l.signed.orderHash} data-testid="listing" data-token={l.signed.order.tokenId.toString()}>
                      <span>
                        {t("market.listingLine", {
                          edition: editionText(l.edition, s),
                          price: format(l.signed.order.price),
                          seller: mine ? t("market.you") : nameOf(l.signed.order.seller),
                        })}
                      </span>
                      {!mine && (
                        <button
                          type="button"
                          disabled={buy.busy}
                          onClick={() => void review(l)}
                          aria-label={t("market.buyAria", { stamp: stampOf(l), price: format(l.signed.order.price) })}
                        >
                          {t("market.buy")}
                        </button>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        );
      })}
      {quoteError && (
        <p role="alert" className="message failed">
          {t("market.cannotBuy", { reason: quoteError })}
        </p>
      )}
      {chosen && (
        <div role="group" aria-label={t("market.confirmPurchase")} className="confirm card">
          <p>{t("market.buyQuestion", { stamp: stampOf(chosen.listing), price: format(chosen.listing.signed.order.price) })}</p>
          <QuoteFacts quote={chosen.quote} price={chosen.listing.signed.order.price} format={format} brand={context.brand} />
          <SponsorNote context={context} />
          <button
            type="button"
            className="primary"
            disabled={buy.busy}
            onClick={() => buy.run(chosen.listing, { onSettled: () => setChosen(undefined) })}
          >
            {t("market.confirmBuy")}
          </button>
          <button type="button" disabled={buy.busy} onClick={() => setChosen(undefined)}>
            {t("market.cancel")}
          </button>
        </div>
      )}
      <ActionStatus state={buy.state} />
    </section>
  );
}
