import { DEFAULT_ORDER_LIFETIME_SECONDS, encodeStampId, type SeriesInfo } from "@punchcard/sdk";
import { useId, useState, type FormEvent } from "react";
import { ActionStatus } from "../../components/ActionStatus.js";
import { useAction } from "../../components/useAction.js";
import { useAppConfig } from "../../context.js";
import { FormProblem } from "./FormProblem.js";
import { SeriesPicker } from "./SeriesPicker.js";
import { sendOrRelay } from "../../sendOrRelay.js";
import { rememberOffers } from "./postedOffers.js";
import { editionProblem, parsePrice, stampText } from "./text.js";
import { senderOf, type TradeContext } from "./tradeContext.js";

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
  const ids = { series: useId(), edition: useId(), price: useId() };
  const [seriesId, setSeriesId] = useState(series[0]?.seriesId.toString() ?? "");
  const [editionText, setEditionText] = useState("");
  const [priceText, setPriceText] = useState("");
  const [problem, setProblem] = useState<string | undefined>();
  const make = useAction(
    (o: OfferInput) =>
      `Offer ${format(o.price)} on ${o.tokenId === undefined ? `any ${seriesOf.get(o.seriesId)?.name ?? "stamp of the series"}` : stampText(o.tokenId, seriesOf)}`,
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
        <h3 id="offer-form-title">Make an offer</h3>
        <SeriesPicker id={ids.series} label="Series" series={series} value={seriesId} onChange={setSeriesId} />
        <p>
          <label htmlFor={ids.edition}>Edition (empty: any stamp of the series)</label>
          <input id={ids.edition} inputMode="numeric" value={editionText} onChange={(e) => setEditionText(e.target.value)} />
        </p>
        <p>
          <label htmlFor={ids.price}>Your offer ({units.pointsSymbol})</label>
          <input id={ids.price} inputMode="decimal" value={priceText} onChange={(e) => setPriceText(e.target.value)} />
        </p>
        <p>An offer lasts {(DEFAULT_ORDER_LIFETIME_SECONDS / 86_400n).toString()} days; you can cancel it before then.</p>
        {context.sponsored && (
          <p className="sponsor">
            Sponsored by {context.brand}: you sign the offer and a permit for its price; when it is accepted, its relayer sends
            both and pays the gas.
          </p>
        )}
        <button type="submit" disabled={make.busy}>
          Make the offer
        </button>
        <FormProblem problem={problem} />
      </form>
      <ActionStatus state={make.state} />
    </>
  );
}
