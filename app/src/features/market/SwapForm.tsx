import { encodeStampId, proposeSwap, type SeriesInfo } from "@punchcard/sdk";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ActionStatus } from "../../components/ActionStatus.js";
import { useAction } from "../../components/useAction.js";
import { FormProblem } from "./FormProblem.js";
import { SeriesPicker } from "./SeriesPicker.js";
import { editionProblem, stampText } from "./text.js";
import { ensureApproval, sponsoredLabel, type TradeContext } from "./tradeContext.js";

type SwapProposal = { makerTokenId: bigint; wantedSeriesId: bigint; wantedTokenId?: bigint };

/** Propose a swap: one of the member's stamps for any stamp of a series, or one edition of it; sign, then post. */
export function SwapForm({
  context,
  series,
  myStamps,
  seriesOf,
}: {
  context: TradeContext;
  series: SeriesInfo[];
  myStamps: Array<{ tokenId: bigint; seriesId: bigint; edition: bigint }>;
  seriesOf: Map<bigint, SeriesInfo>;
}) {
  const { t } = useTranslation();
  const ids = { give: useId(), series: useId(), edition: useId() };
  const [give, setGive] = useState(myStamps[0]?.tokenId.toString() ?? "");
  const [seriesId, setSeriesId] = useState(series[0]?.seriesId.toString() ?? "");
  const [edition, setEdition] = useState("");
  const [problem, setProblem] = useState<string | undefined>();
  // Only the approval can be sponsored: a proposal is a signature, posted to the book.
  const propose = useAction(
    (p: SwapProposal) =>
      sponsoredLabel(
        t("market.proposeLabel", { stamp: stampText(p.makerTokenId, seriesOf) }),
        context.brand,
        context.sponsored && !context.approved,
      ),
    async (p: SwapProposal) => {
      await ensureApproval(context);
      const swap = await proposeSwap(context.writer(), { program: context.program, ...p });
      await context.server.postOrder({ swap });
      return undefined;
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    const wanted = edition.trim();
    const notAnEdition = editionProblem(wanted);
    if (notAnEdition) return setProblem(notAnEdition);
    const sid = BigInt(seriesId);
    propose.run({
      makerTokenId: BigInt(give),
      wantedSeriesId: sid,
      ...(wanted === "" ? {} : { wantedTokenId: encodeStampId(sid, BigInt(wanted)) }),
    });
  };
  return (
    <>
      {myStamps.length === 0 ? (
        <p>{t("market.noSwapStamp")}</p>
      ) : (
        <form className="card form" onSubmit={submit}>
          <p>
            <label htmlFor={ids.give}>{t("market.giveField")}</label>
            <select id={ids.give} value={give} onChange={(e) => setGive(e.target.value)}>
              {myStamps.map((s) => (
                <option key={s.tokenId.toString()} value={s.tokenId.toString()}>
                  {stampText(s.tokenId, seriesOf)}
                </option>
              ))}
            </select>
          </p>
          <SeriesPicker
            id={ids.series}
            label={t("market.wantedSeriesField")}
            series={series}
            value={seriesId}
            onChange={setSeriesId}
          />
          <p>
            <label htmlFor={ids.edition}>{t("market.wantedEditionField")}</label>
            <input id={ids.edition} inputMode="numeric" value={edition} onChange={(e) => setEdition(e.target.value)} />
          </p>
          <button type="submit" disabled={propose.busy}>
            {t("market.postSwap")}
          </button>
          <FormProblem problem={problem} />
        </form>
      )}
      <ActionStatus state={propose.state} />
    </>
  );
}
