import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Address } from "viem";
import { usePublicClient } from "wagmi";
import { QueryError } from "../components/QueryError.js";
import { useProgramServer } from "../components/useProgramServer.js";
import { useAppConfig } from "../context.js";
import { EndedOffers } from "../features/market/EndedOffers.js";
import { GasChoice } from "../features/market/GasChoice.js";
import { Listings } from "../features/market/Listings.js";
import { MyOrders } from "../features/market/MyOrders.js";
import { Offers } from "../features/market/Offers.js";
import { marketBookQueryOptions, marketChainQueryOptions } from "../features/market/queries.js";
import { SellForm } from "../features/market/SellForm.js";
import { Swaps } from "../features/market/Swaps.js";
import type { TradeContext } from "../features/market/tradeContext.js";
import { formatAmountIn } from "../i18n/format.js";
import { useMemberWriter } from "../passkey/useMemberWriter.js";
import { personName } from "../words.js";

/**
 * The market: open listings per series from the program server's order book (buy one), offers (make one, accept
 * one on a stamp you hold), list a stamp (sign, post), and your open orders (cancel one or all). Before a purchase
 * or a listing is confirmed it shows how the price splits, from the Market's own quote (the SDK's quoteSale).
 *
 * Who pays the gas is chosen automatically: a member with no native coin acts through the brand's relayer
 * (they only sign, and the page says "Sponsored by <brand>"); a member with coin sends their own transactions,
 * and may tick "Let <brand> send it" to use the relayer instead. Each action's two forms are in
 * app/src/sendOrRelay.ts (one table for the whole wallet: the guardian panel uses it too).
 */
export function Market({ member }: { member: Address }) {
  const app = useAppConfig();
  const { program, units } = app;
  const client = usePublicClient();
  const wallet = useMemberWriter();
  const server = useProgramServer();
  const [preferRelay, setPreferRelay] = useState(false);
  const { t } = useTranslation();

  const chain = useQuery(marketChainQueryOptions(client, { program, member }));
  const tradable = useMemo(() => chain.data?.info.series.filter((s) => !s.soulbound) ?? [], [chain.data]);
  const book = useQuery(
    marketBookQueryOptions(server, { serverUrl: app.serverUrl, program, member, tradable, enabled: Boolean(chain.data) }),
  );

  if (!server)
    return (
      <>
        <h1>{t("market.title")}</h1>
        <p role="alert" className="message failed">
          {t("market.noServer", { brand: app.brand })}
        </p>
      </>
    );
  if (chain.isPending) return <p role="status">{t("market.reading")}</p>;
  if (chain.isError) return <QueryError what={t("market.subject")} error={chain.error} retry={() => void chain.refetch()} />;
  const { info, stamps, native, approved } = chain.data;
  const seriesOf = new Map(info.series.map((s) => [s.seriesId, s]));
  const tradableStamps = stamps.filter((s) => seriesOf.get(s.seriesId)?.soulbound === false);
  const noCoin = native === 0n;
  const price = (amount: bigint) => formatAmountIn(amount, units.pointsDecimals, units.pointsSymbol);
  const context: TradeContext = {
    program,
    member,
    server,
    // A passkey member's every action is a UserOp the brand sponsors.
    sponsored: Boolean(wallet.passkey) || noCoin || preferRelay,
    passkey: wallet.passkey,
    brand: app.brand,
    approved,
    client: client!,
    writer: () => {
      if (!wallet.writer) throw new Error(t("errors.notReady"));
      return wallet.writer;
    },
  };

  return (
    <>
      <h1>{t("market.title")}</h1>
      <GasChoice
        brand={app.brand}
        nativeSymbol={units.nativeSymbol}
        noCoin={noCoin}
        preferRelay={preferRelay}
        onPreferRelay={setPreferRelay}
      />
      {book.isPending ? (
        <p role="status">{t("market.readingBook")}</p>
      ) : book.isError ? (
        <QueryError what={t("market.bookSubject")} error={book.error} retry={() => void book.refetch()} />
      ) : (
        <>
          <Listings
            context={context}
            series={tradable}
            listings={book.data.listings}
            format={price}
            nameOf={(a) => personName(app.testAccounts, a)}
          />
          <SellForm context={context} stamps={tradableStamps} seriesOf={seriesOf} format={price} />
          <Offers
            context={context}
            series={tradable}
            offers={book.data.offers}
            myStamps={tradableStamps.map((s) => s.tokenId)}
            seriesOf={seriesOf}
            format={price}
          />
          <Swaps
            context={context}
            series={tradable}
            swaps={book.data.swaps}
            myStamps={tradableStamps}
            seriesOf={seriesOf}
            format={price}
          />
          <MyOrders context={context} orders={book.data.mine} seriesOf={seriesOf} format={price} />
          <EndedOffers
            context={context}
            open={book.data.mine.map((o) => o.signed.orderHash)}
            seriesOf={seriesOf}
            format={price}
          />
        </>
      )}
    </>
  );
}
