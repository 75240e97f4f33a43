import type { Offer, SeriesInfo } from "@punchcard/sdk";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Hex } from "viem";
import { ActionStatus } from "../../components/ActionStatus.js";
import { useAction } from "../../components/useAction.js";
import { useAppConfig } from "../../context.js";
import { sendOrRelay } from "../../sendOrRelay.js";
import { forgetOffers, rememberOffers } from "./postedOffers.js";
import { endedOffersQueryOptions, type EndedOffer } from "./queries.js";
import { formatCount } from "../../i18n/format.js";
import { offerText } from "./text.js";
import { senderOf, type TradeContext } from "./tradeContext.js";

/**
 * The member's offers that ended because another of their offers was accepted: offers made without coin are each
 * backed by a permit to spend the member's points, and every such permit carries the same number (the member's
 * permit nonce), so the first acceptance uses it and the others can no longer be paid. The page says which ended and
 * why, and renews them all in one step (one permit for their total), or lets the member set them aside.
 */
export function EndedOffers({
  context,
  open,
  seriesOf,
  format,
}: {
  context: TradeContext;
  open: Hex[];
  seriesOf: Map<bigint, SeriesInfo>;
  format: (n: bigint) => string;
}) {
  const { serverUrl } = useAppConfig();
  const { t } = useTranslation();
  const { program, member, server, client } = context;
  const ended = useQuery(endedOffersQueryOptions(server, { serverUrl, client, program, member, open }));
  const all = ended.data ?? [];
  const lost = all.filter((e) => e.why === "permit-used");
  const accepted = all.filter((e) => e.why === "accepted");
  const gone = all.map((e) => e.signed.orderHash);
  const renew = useAction(
    (offers: Offer[]) => t("market.renewLabel", { count: offers.length, formatted: formatCount(offers.length) }),
    async (offers: Offer[]) => {
      const renewed = await sendOrRelay("renewOffers", senderOf(context), { offers });
      for (const r of renewed) {
        await server.postOrder(r);
        rememberOffers(program, member, [r.offer.orderHash]);
      }
      forgetOffers(program, member, gone);
      return undefined;
    },
  );
  if (lost.length === 0) return renew.state.status === "idle" ? null : <ActionStatus state={renew.state} />;
  const describe = (e: EndedOffer) => offerText(e.signed.order, seriesOf, format);
  return (
    <section aria-labelledby="ended-title" className="card" data-testid="ended-offers">
      <h3 id="ended-title">{t("market.endedTitle")}</h3>
      <p>
        {accepted.length > 0
          ? t("market.endedWhen", { offers: accepted.map(describe).join(t("market.endedAnd")) })
          : t("market.endedOther")}
      </p>
      <ul>
        {lost.map((e) => (
          <li key={e.signed.orderHash} data-testid="ended-offer">
            {describe(e)}
          </li>
        ))}
      </ul>
      <p>{t("market.endedWhy", { total: format(lost.reduce((sum, e) => sum + e.signed.order.price, 0n)) })}</p>
      <button type="button" className="primary" disabled={renew.busy} onClick={() => renew.run(lost.map((e) => e.signed.order))}>
        {lost.length === 1 ? t("market.renewOne") : t("market.renewMany", { formatted: formatCount(lost.length) })}
      </button>{" "}
      <button
        type="button"
        disabled={renew.busy}
        onClick={() => {
          forgetOffers(program, member, gone);
          void ended.refetch();
        }}
      >
        {t("market.letGo")}
      </button>
      <ActionStatus state={renew.state} />
    </section>
  );
}
