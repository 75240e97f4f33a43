import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import { isAddressEqual, type Address } from "viem";
import { QueryError } from "../components/QueryError.js";
import { useAppConfig } from "../context.js";

/**
 * One transaction as the chain holds it (where no explorer is configured): whether it went through, when, and who
 * sent it in words; the addresses, the gas and the hash under "details".
 */
export function Transaction({ hash, member }: { hash: `0x${string}`; member: Address | undefined }) {
  const app = useAppConfig();
  const client = usePublicClient();
  const query = useQuery({
    queryKey: ["tx", hash],
    enabled: Boolean(client),
    queryFn: () => client!.getTransactionReceipt({ hash }),
  });
  return (
    <>
      <h1>Transaction</h1>
      {query.isPending && <p role="status">Reading the transaction…</p>}
      {query.isError && <QueryError what="the transaction" error={query.error} retry={() => void query.refetch()} />}
      {query.data && (
        <>
          <dl className="facts">
            <dt>Status</dt>
            <dd>{query.data.status === "success" ? "Succeeded" : "Reverted: nothing changed"}</dd>
            <dt>Block</dt>
            <dd>{query.data.blockNumber.toString()}</dd>
            <dt>Sent by</dt>
            <dd>
              {member && isAddressEqual(query.data.from, member)
                ? "You: you paid its fee"
                : `${app.testAccounts?.find((a) => isAddressEqual(a.address, query.data.from))?.name ?? "Someone else"}, who paid its fee`}
            </dd>
          </dl>
          <details>
            <summary>Details</summary>
            <dl className="facts">
              <dt>Transaction</dt>
              <dd className="hash">{hash}</dd>
              <dt>From</dt>
              <dd className="hash">{query.data.from}</dd>
              <dt>To</dt>
              <dd className="hash">{query.data.to ?? "(contract creation)"}</dd>
              <dt>Gas used</dt>
              <dd>{query.data.gasUsed.toString()}</dd>
              <dt>Events</dt>
              <dd>{query.data.logs.length}</dd>
            </dl>
          </details>
        </>
      )}
      <p>
        <a href="#/history">Back to your history</a>
      </p>
    </>
  );
}
