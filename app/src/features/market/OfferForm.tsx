import { DEFAULT_ORDER_LIFETIME_SECONDS, encodeStampId, type SeriesInfo } from "@punchcard/sdk";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ActionStatus } from "../../components/ActionStatus.js";
import { useAction } from "../../components/useAction.js";
import { useAppConfig } from "../../context.js";
import { FormProblem } from "./FormProblem.js";
import { SeriesPicker } from "./SeriesPicker.js";
import { sendOrRelay } from "../../sendOrRelay.js";
import { rememberOffers } from "./postedOffers.js";
import { formatCount } from "../../i18n/format.js";
import { editionProblem, offerTarget, parsePrice } from "./text.js";
import { senderOf, type TradeContext } from "./tradeContext.js";

/** How long an offer stays open, in days. */
const LIFETIME_DAYS = DEFAULT_ORDER_LIFETIME_SECONDS / 86_400n;

type OfferInput = { seriesId: bigint; tokenId?: bigint; price: bigint };

/** Make an offer on a series, or on one edition of it: sign it (and, sponsored, a permit for its price), then post. */
export function OfferForm({
  context,
  series,
  seriesOf,
  format,
}: {
  context: TradeContext;
  series: SeriesInfo[];
  seriesOf: Map<bigint, SeriesInfo>;
  format: (n: bigint) => string;
}) {
  const { units } = useAppConfig();
  const { t } = useTranslation();
  const ids = { series: useId(), edition: useId(), price: useId() };
  const [seriesId, setSeriesId] = useState(series[0]?.seriesId.toString() ?? "");
  const [editionText, setEditionText] = useState("");
  const [priceText, setPriceText] = useState("");
  const [problem, setProblem] = useState<string | undefined>();
  const make = useAction(
    (o: OfferInput) =>
      t("market.offerLabel", {
        price: format(o.price),
        target: offerTarget({ seriesId: o.seriesId, tokenId: o.tokenId ?? 0n }, seriesOf),
      }),
    async (o: OfferInput) => {
      const signed = await sendOrRelay("makeOffer", senderOf(context), o);
      await context.server.postOrder(signed);
      rememberOffers(context.program, context.member, [signed.offer.orderHash]);
      return undefined;
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    const price = parsePrice(priceText, units.pointsDecimals, units.pointsSymbol);
    if (typeof price === "string") return setProblem(price);
    const edition = editionText.trim();
    const notAnEdition = editionProblem(edition);
    if (notAnEdition) return setProblem(notAnEdition);
    const sid = BigInt(seriesId);
    make.run({ seriesId: sid, price, ...(edition === "" ? {} : { tokenId: encodeStampId(sid, BigInt(edition)) }) });
  };
  return (
    <>
      <form className="card form" onSubmit={submit} aria-labelledby="offer-form-title">
        <h3 id="offer-form-title">{t("market.offerForm")}</h3>
        <SeriesPicker id={ids.series} label={t("market.seriesField")} series={series} value={seriesId} onChange={setSeriesId} />
        <p>
          <label htmlFor={ids.edition}>{t("market.editionField")}</label>
          <input id={ids.edition} inputMode="numeric" value={editionText} onChange={(e) => setEditionText(e.target.value)} />
        </p>
        <p>
          <label htmlFor={ids.price}>{t("market.offerField", { unit: units.pointsSymbol })}</label>
          <input id={ids.price} inputMode="decimal" value={priceText} onChange={(e) => setPriceText(e.target.value)} />
        </p>
        <p>{t("market.offerLasts", { count: Number(LIFETIME_DAYS), formatted: formatCount(LIFETIME_DAYS) })}</p>
        {context.sponsored && <p className="sponsor">{t("market.offerSponsored", { brand: context.brand })}</p>}
        <button type="submit" disabled={make.busy}>
          {t("market.makeOffer")}
        </button>
        <FormProblem problem={problem} />
      </form>
      <ActionStatus state={make.state} />
    </>
  );
}
