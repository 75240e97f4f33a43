import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { usePublicClient } from "wagmi";
import { isAddressEqual, type Address } from "viem";
import { entryPoint08Address } from "viem/account-abstraction";
import { LocalTime } from "../components/LocalTime.js";
import { QueryError } from "../components/QueryError.js";
import { useProgramServer } from "../components/useProgramServer.js";
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
  const server = useProgramServer();
  const query = useQuery({
    queryKey: ["tx", hash],
    enabled: Boolean(client),
    queryFn: async () => {
      const receipt = await client!.getTransactionReceipt({ hash });
      const block = await client!.getBlock({ blockNumber: receipt.blockNumber });
      // The brand's relayer keys, to say "the brand's server sent it" rather than the key's name; a server that does
      // not answer leaves the transaction readable.
      const relayers = server
        ? await server.relayPolicy().then(
            (p) => p.relayers,
            () => [],
          )
        : [];
      return { receipt, time: block.timestamp, relayers };
    },
  });
  const sender = (from: Address, to: Address | null, relayers: readonly Address[]) => {
    if (member && isAddressEqual(from, member)) return t("tx.you");
    if (relayers.some((relayer) => isAddressEqual(relayer, from))) return t("plain.brandSent", { brand: app.brand });
    // A passkey card's UserOp: a bundler sends it to the EntryPoint, and the brand's paymaster pays its fee.
    if (app.accounts && to && isAddressEqual(to, entryPoint08Address)) return t("plain.cardSent", { brand: app.brand });
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
            <dd>{sender(query.data.receipt.from, query.data.receipt.to, query.data.relayers)}</dd>
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
