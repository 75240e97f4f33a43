import type { SeriesInfo, Signed, SwapOrder } from "@punchcard/sdk";
import { useTranslation } from "react-i18next";
import { isAddressEqual } from "viem";
import { ActionStatus } from "../../components/ActionStatus.js";
import { useAction } from "../../components/useAction.js";
import { sendOrRelay } from "../../sendOrRelay.js";
import { SwapForm } from "./SwapForm.js";
import { stampText } from "./text.js";
import { ensureApproval, senderOf, sponsoredLabel, thenBook, type TradeContext } from "./tradeContext.js";

type SwapFill = { swap: Signed<SwapOrder>; takerTokenId: bigint };

/** Swaps the member can accept with a stamp they hold, and the form to propose one. */
export function Swaps({
  context,
  series,
  swaps,
  myStamps,
  seriesOf,
  format,
}: {
  context: TradeContext;
  series: SeriesInfo[];
  swaps: Array<Signed<SwapOrder>>;
  myStamps: Array<{ tokenId: bigint; seriesId: bigint; edition: bigint }>;
  seriesOf: Map<bigint, SeriesInfo>;
  format: (n: bigint) => string;
}) {
  const { t } = useTranslation();
  const accept = useAction(
    (a: SwapFill) =>
      sponsoredLabel(
        t("market.swapLabel", {
          yours: stampText(a.takerTokenId, seriesOf),
          theirs: stampText(a.swap.order.makerTokenId, seriesOf),
        }),
        context.brand,
        context.sponsored,
      ),
    thenBook(context, async (fill: SwapFill) => {
      await ensureApproval(context);
      return sendOrRelay("fillSwap", senderOf(context), fill);
    }),
  );
  const forMe = swaps.flatMap((swap) => {
    if (isAddressEqual(swap.order.maker, context.member)) return [];
    const fits = myStamps.filter((s) =>
      swap.order.wantedTokenId === 0n ? s.seriesId === swap.order.wantedSeriesId : s.tokenId === swap.order.wantedTokenId,
    );
    return fits.length ? [{ swap, takerTokenId: fits[0]!.tokenId }] : [];
  });
  return (
    <section aria-labelledby="swaps-title">
      <h2 id="swaps-title">{t("market.swapsTitle")}</h2>
      {forMe.length > 0 && (
        <ul className="orders">
          {forMe.map(({ swap, takerTokenId }) => (
            <li key={swap.orderHash} data-testid="swap-for-me">
              <span>
                {t("market.swapForMe", {
                  theirs: stampText(swap.order.makerTokenId, seriesOf),
                  yours: stampText(takerTokenId, seriesOf),
                  fees: format(swap.order.maxFees),
                  brand: context.brand,
                })}
              </span>
              <button type="button" disabled={accept.busy} onClick={() => accept.run({ swap, takerTokenId })}>
                {t("market.acceptSwap")}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ActionStatus state={accept.state} />
      <SwapForm context={context} series={series} myStamps={myStamps} seriesOf={seriesOf} />
    </section>
  );
}
