import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import { QueryError } from "../components/QueryError.js";

/** One transaction as the chain holds it: status, block, sender, contract, gas (where no explorer is configured). */
export function Transaction({ hash }: { hash: `0x${string}` }) {
  const client = usePublicClient();
  const query = useQuery({
    queryKey: ["tx", hash],
    enabled: Boolean(client),
    queryFn: () => client!.getTransactionReceipt({ hash }),
  });
  return (
    <>
      <h1>Transaction</h1>
      <p className="hash">{hash}</p>
      {query.isPending && <p role="status">Reading the transaction…</p>}
      {query.isError && <QueryError what="the transaction" error={query.error} retry={() => void query.refetch()} />}
      {query.data && (
        <dl className="facts">
          <dt>Status</dt>
          <dd>{query.data.status === "success" ? "Succeeded" : "Reverted"}</dd>
          <dt>Block</dt>
          <dd>{query.data.blockNumber.toString()}</dd>
          <dt>From</dt>
          <dd className="hash">{query.data.from}</dd>
          <dt>To</dt>
          <dd className="hash">{query.data.to ?? "(contract creation)"}</dd>
          <dt>Gas used</dt>
          <dd>{query.data.gasUsed.toString()}</dd>
          <dt>Events</dt>
          <dd>{query.data.logs.length}</dd>
        </dl>
      )}
      <p>
        <a href="#/history">Back to your history</a>
      </p>
    </>
  );
}
