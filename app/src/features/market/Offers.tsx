import { decodeStampId, quoteSale, type QuoteSaleReturnType, type SeriesInfo } from "@punchcard/sdk";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { isAddressEqual } from "viem";
import { ActionStatus } from "../../components/ActionStatus.js";
import { LocalTime, WithTime } from "../../components/LocalTime.js";
import { useAction } from "../../components/useAction.js";
import { errorSentence } from "../../errors.js";
import { sendOrRelay } from "../../sendOrRelay.js";
import { OfferForm } from "./OfferForm.js";
import type { OfferEntry } from "./queries.js";
import { QuoteFacts } from "./QuoteFacts.js";
import { SponsorNote } from "./SponsorNote.js";
import { stampText } from "./text.js";
import { ensureApproval, senderOf, sponsoredLabel, thenBook, type TradeContext } from "./tradeContext.js";

type Acceptance = { offer: OfferEntry; tokenId: bigint };

/**
 * Offers the member can accept with a stamp they hold (each with when it expires; accepting shows how the price splits
 * and waits for a confirm), and the form to make one.
 */
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
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<(Acceptance & { quote: QuoteSaleReturnType }) | undefined>();
  const [quoteError, setQuoteError] = useState<string | undefined>();
  // An offer backed by the buyer's permit is accepted through the relayer, which submits the permit with the trade.
  const relays = (offer: OfferEntry) => context.sponsored || offer.permit !== undefined;
  const accept = useAction(
    (a: Acceptance) =>
      sponsoredLabel(
        t("market.acceptLabel", { price: format(a.offer.signed.order.price), stamp: stampText(a.tokenId, seriesOf) }),
        context.brand,
        relays(a.offer),
      ),
    thenBook(context, async ({ offer, tokenId }: Acceptance) => {
      await ensureApproval(context);
      return sendOrRelay("acceptOffer", senderOf(context, relays(offer)), { offer: offer.signed, tokenId });
    }),
  );
  const review = async (a: Acceptance) => {
    setQuoteError(undefined);
    setChosen(undefined);
    accept.reset();
    try {
      const { price, currency } = a.offer.signed.order;
      setChosen({
        ...a,
        quote: await quoteSale(context.client, { program: context.program, tokenId: a.tokenId, price, currency }),
      });
    } catch (error) {
      setQuoteError(errorSentence(error));
    }
  };
  const forMe = offers.flatMap((o) => {
    if (isAddressEqual(o.signed.order.buyer, context.member)) return [];
    const fits = myStamps.filter((t) =>
      o.signed.order.tokenId === 0n ? decodeStampId(t).seriesId === o.signed.order.seriesId : t === o.signed.order.tokenId,
    );
    return fits.length ? [{ offer: o, tokenId: fits[0]! }] : [];
  });
  return (
    <section aria-labelledby="offers-title">
      <h2 id="offers-title">{t("market.offersTitle")}</h2>
      {forMe.length > 0 && (
        <ul className="orders">
          {forMe.map(({ offer, tokenId }) => (
            <li key={offer.signed.orderHash} data-testid="offer-for-me" data-token={tokenId.toString()}>
              <span>
                <WithTime
                  sentence={(when) =>
                    t("market.offeredFor", { price: format(offer.signed.order.price), stamp: stampText(tokenId, seriesOf), when })
                  }
                  time={<LocalTime seconds={offer.signed.order.expiry} />}
                />
              </span>
              <button
                type="button"
                disabled={accept.busy}
                onClick={() => void review({ offer, tokenId })}
                aria-label={t("market.acceptAria", {
                  price: format(offer.signed.order.price),
                  stamp: stampText(tokenId, seriesOf),
                })}
              >
                {t("market.accept")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {quoteError && (
        <p role="alert" className="message failed">
          {t("market.cannotAccept", { reason: quoteError })}
        </p>
      )}
      {chosen && (
        <div role="group" aria-label={t("market.confirmAccept")} className="confirm card">
          <p>
            {t("market.sellQuestion", {
              stamp: stampText(chosen.tokenId, seriesOf),
              price: format(chosen.offer.signed.order.price),
            })}
          </p>
          <QuoteFacts
            quote={chosen.quote}
            price={chosen.offer.signed.order.price}
            format={format}
            brand={context.brand}
            seller="you"
          />
          <SponsorNote context={{ ...context, sponsored: relays(chosen.offer) }} />
          <button
            type="button"
            className="primary"
            disabled={accept.busy}
            onClick={() => accept.run(chosen, { onSettled: () => setChosen(undefined) })}
          >
            {t("market.confirmSell")}
          </button>
          <button type="button" disabled={accept.busy} onClick={() => setChosen(undefined)}>
            {t("market.cancel")}
          </button>
        </div>
      )}
      <ActionStatus state={accept.state} />
      <OfferForm context={context} series={series} seriesOf={seriesOf} format={format} />
    </section>
  );
}
