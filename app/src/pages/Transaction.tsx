import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { usePublicClient } from "wagmi";
import { isAddressEqual, type Address } from "viem";
import { LocalTime } from "../components/LocalTime.js";
import { QueryError } from "../components/QueryError.js";
import { useAppConfig } from "../context.js";
import { formatCount } from "../i18n/format.js";

/**
 * One transaction as the chain holds it (where no explorer is configured): whether it went through, when (with the
 * time zone), and who sent it in words; the hash, the addresses, the block and the gas under "details".
 */
export function Transaction({ hash, member }: { hash: `0x${string}`; member: Address | undefined }) {
  const app = useAppConfig();
  const { t } = useTranslation();
  const client = usePublicClient();
  const query = useQuery({
    queryKey: ["tx", hash],
    enabled: Boolean(client),
    queryFn: async () => {
      const receipt = await client!.getTransactionReceipt({ hash });
      const block = await client!.getBlock({ blockNumber: receipt.blockNumber });
      return { receipt, time: block.timestamp };
    },
  });
  const sender = (from: Address) => {
    if (member && isAddressEqual(from, member)) return t("tx.you");
    const name = app.testAccounts?.find((a) => isAddressEqual(a.address, from))?.name;
    return name ? t("tx.other", { name }) : t("tx.someone");
  };
  return (
    <>
      <h1>{t("tx.title")}</h1>
      {query.isPending && <p role="status">{t("tx.reading")}</p>}
      {query.isError && <QueryError what={t("tx.subject")} error={query.error} retry={() => void query.refetch()} />}
      {query.data && (
        <>
          <dl className="facts">
            <dt>{t("tx.status")}</dt>
            <dd>{query.data.receipt.status === "success" ? t("tx.succeeded") : t("tx.reverted")}</dd>
            <dt>{t("tx.when")}</dt>
            <dd>
              <LocalTime seconds={query.data.time} />
            </dd>
            <dt>{t("tx.sentBy")}</dt>
            <dd>{sender(query.data.receipt.from)}</dd>
          </dl>
          <details>
            <summary>{t("details")}</summary>
            <dl className="facts">
              <dt>{t("tx.hash")}</dt>
              <dd className="hash">{hash}</dd>
              <dt>{t("tx.block")}</dt>
              <dd>{formatCount(query.data.receipt.blockNumber)}</dd>
              <dt>{t("tx.from")}</dt>
              <dd className="hash">{query.data.receipt.from}</dd>
              <dt>{t("tx.to")}</dt>
              <dd className="hash">{query.data.receipt.to ?? t("tx.creation")}</dd>
              <dt>{t("tx.gas")}</dt>
              <dd>{formatCount(query.data.receipt.gasUsed)}</dd>
              <dt>{t("tx.events")}</dt>
              <dd>{formatCount(query.data.receipt.logs.length)}</dd>
            </dl>
          </details>
        </>
      )}
      <p>
        <a href="#/history">{t("tx.back")}</a>
      </p>
    </>
  );
}
