import { listStamp, quoteSale, type QuoteSaleReturnType, type SeriesInfo } from "@punchcard/sdk";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ActionStatus } from "../../components/ActionStatus.js";
import { useAction } from "../../components/useAction.js";
import { useAppConfig } from "../../context.js";
import { errorSentence } from "../../errors.js";
import { FormProblem } from "./FormProblem.js";
import { QuoteFacts } from "./QuoteFacts.js";
import { SponsorNote } from "./SponsorNote.js";
import { parsePrice, stampText } from "./text.js";
import { ensureApproval, type TradeContext } from "./tradeContext.js";

/** List one of the member's tradable stamps: pick it and a price, review the Market's quote, then sign and post. */
export function SellForm({
  context,
  stamps,
  seriesOf,
  format,
}: {
  context: TradeContext;
  stamps: Array<{ tokenId: bigint; seriesId: bigint; edition: bigint }>;
  seriesOf: Map<bigint, SeriesInfo>;
  format: (n: bigint) => string;
}) {
  const { units } = useAppConfig();
  const { t } = useTranslation();
  const { program } = context;
  const ids = { stamp: useId(), price: useId() };
  const [tokenId, setTokenId] = useState(stamps[0]?.tokenId.toString() ?? "");
  const [priceText, setPriceText] = useState("");
  const [review, setReview] = useState<{ tokenId: bigint; price: bigint; quote: QuoteSaleReturnType } | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const list = useAction(
    (r: { tokenId: bigint; price: bigint }) =>
      t("market.listLabel", { stamp: stampText(r.tokenId, seriesOf), price: format(r.price) }),
    async ({ tokenId, price }: { tokenId: bigint; price: bigint }) => {
      // The approval first (a standing permission, not an order), then the signature, then the post: if the
      // signature is refused nothing is posted, and if the server refuses, the signed listing is dropped here.
      await ensureApproval(context);
      const listing = await listStamp(context.writer(), { program, tokenId, price, currency: program.points });
      await context.server.postOrder({ listing });
      return undefined;
    },
  );
  if (stamps.length === 0)
    return (
      <section aria-labelledby="sell-title">
        <h2 id="sell-title">{t("market.sellTitle")}</h2>
        <p>{t("market.noTradable")}</p>
      </section>
    );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    // A new price voids the confirmation of the old one: nothing stays signable that the member did not just review.
    setReview(undefined);
    list.reset();
    const price = parsePrice(priceText, units.pointsDecimals, units.pointsSymbol);
    if (typeof price === "string") return setProblem(price);
    const id = BigInt(tokenId);
    try {
      setReview({
        tokenId: id,
        price,
        quote: await quoteSale(context.client, { program, tokenId: id, price, currency: program.points }),
      });
    } catch (error) {
      setProblem(errorSentence(error));
    }
  };
  return (
    <section aria-labelledby="sell-title">
      <h2 id="sell-title">{t("market.sellTitle")}</h2>
      <form className="card form" onSubmit={(e) => void submit(e)}>
        <p>
          <label htmlFor={ids.stamp}>{t("market.stampField")}</label>
          <select id={ids.stamp} value={tokenId} onChange={(e) => setTokenId(e.target.value)}>
            {stamps.map((s) => (
              <option key={s.tokenId.toString()} value={s.tokenId.toString()}>
                {stampText(s.tokenId, seriesOf)}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label htmlFor={ids.price}>{t("market.priceField", { unit: units.pointsSymbol })}</label>
          <input id={ids.price} inputMode="decimal" value={priceText} onChange={(e) => setPriceText(e.target.value)} />
        </p>
        <button type="submit" disabled={list.busy}>
          {t("market.review")}
        </button>
        <FormProblem problem={problem} />
      </form>
      {review && (
        <div role="group" aria-label={t("market.confirmListing")} className="confirm card">
          <p>{t("market.listQuestion", { stamp: stampText(review.tokenId, seriesOf), price: format(review.price) })}</p>
          <QuoteFacts quote={review.quote} price={review.price} format={format} brand={context.brand} />
          {!context.approved && <SponsorNote context={context} />}
          <button
            type="button"
            className="primary"
            disabled={list.busy}
            onClick={() => list.run(review, { onSettled: () => setReview(undefined) })}
          >
            {t("market.signListing")}
          </button>
          <button type="button" disabled={list.busy} onClick={() => setReview(undefined)}>
            {t("market.cancel")}
          </button>
        </div>
      )}
      <ActionStatus state={list.state} />
    </section>
  );
}
