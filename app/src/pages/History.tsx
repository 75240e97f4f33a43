import { getProgramInfo, readLedger } from "@punchcard/sdk";
import { useTranslation } from "react-i18next";
import { formatAmountIn, formatCount } from "../i18n/format.js";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { usePublicClient } from "wagmi";
import { LocalTime } from "../components/LocalTime.js";
import { QueryError } from "../components/QueryError.js";
import { TxLink } from "../components/TxLink.js";
import { useAppConfig } from "../context.js";
import { historyOf, storyWordsOf } from "../features/history/story.js";

/**
 * What happened to the member's wallet, newest first: one row per transaction, told in one sentence from their side
 * ("You paid 100 BEANS to Ada for Autumn Cup #6; 5 BEANS went to Northwind Coffee"), with the points in or out; the
 * transaction and its ledger entries under "details".
 */
export function History({ member }: { member: Address }) {
  const app = useAppConfig();
  const { t, i18n } = useTranslation();
  const { program, units } = app;
  const client = usePublicClient();
  const query = useQuery({
    // The sentences are written in the active language: a switch writes them again.
    queryKey: ["history", program.stamps, member, i18n.language],
    enabled: Boolean(client),
    queryFn: async () => {
      const [ledger, info] = await Promise.all([readLedger(client!, { program, member }), getProgramInfo(client!, { program })]);
      return historyOf(ledger, storyWordsOf(app, member, info.series));
    },
  });
  if (query.isPending) return <p role="status">{t("history.reading")}</p>;
  if (query.isError) return <QueryError what={t("history.subject")} error={query.error} retry={() => void query.refetch()} />;
  const items = query.data;
  const signed = (n: bigint) =>
    n === 0n ? "" : `${n > 0n ? "+" : "−"}${formatAmountIn(n > 0n ? n : -n, units.pointsDecimals, units.pointsSymbol)}`;
  return (
    <>
      <h1>{t("history.title")}</h1>
      <p>{t("history.intro")}</p>
      {items.length === 0 ? (
        <p>{t("history.empty")}</p>
      ) : (
        <div className="table-wrap" role="region" aria-labelledby="history-caption" tabIndex={0}>
          <table>
            <caption id="history-caption">
              {t("history.count", { count: items.length, formatted: formatCount(items.length) })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("history.when")}</th>
                <th scope="col">{t("history.what")}</th>
                <th scope="col">{t("history.points")}</th>
                <th scope="col">{t("details")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.txHash} data-testid="entry">
                  <td>
                    <LocalTime seconds={item.blockTime} />
                  </td>
                  <td>{item.sentence}</td>
                  <td data-testid="entry-points">{signed(item.points)}</td>
                  <td>
                    <details>
                      <summary>{t("details")}</summary>
                      <p>
                        {t("history.transaction")} <TxLink hash={item.txHash} />
                      </p>
                      <p>{t("history.recordedAs", { kinds: item.entries.map((e) => e.kind).join(", ") })}</p>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
