import { readLedger } from "@punchcard/sdk";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { usePublicClient } from "wagmi";
import { QueryError } from "../components/QueryError.js";
import { TxLink } from "../components/TxLink.js";
import { useAppConfig } from "../context.js";
import { entryAmount, entryLabel, isAbout } from "../ledgerText.js";

/** The member's ledger entries, newest first: time, what, stamp, amount in human units, transaction. */
export function History({ member }: { member: Address }) {
  const app = useAppConfig();
  const client = usePublicClient();
  const query = useQuery({
    queryKey: ["history", app.program.stamps, member],
    enabled: Boolean(client),
    queryFn: async () => (await readLedger(client!, { program: app.program })).filter((e) => isAbout(e, member)).reverse(),
  });
  if (query.isPending) return <p role="status">Reading your history from the chain…</p>;
  if (query.isError) return <QueryError what="your history" error={query.error} retry={() => void query.refetch()} />;
  const entries = query.data;
  return (
    <>
      <h1>Your history</h1>
      <p>Every entry the program&apos;s contracts recorded about your wallet, newest first.</p>
      {entries.length === 0 ? (
        <p>Nothing yet.</p>
      ) : (
        <div className="table-wrap" role="region" aria-labelledby="history-caption" tabIndex={0}>
          <table>
            <caption id="history-caption">{entries.length} ledger entries</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">What</th>
                <th scope="col">Stamp</th>
                <th scope="col">Amount</th>
                <th scope="col">Transaction</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={`${e.txHash}-${e.logIndex}`} data-testid="entry">
                  <td>
                    <time dateTime={new Date(e.blockTime * 1000).toISOString()}>
                      {new Date(e.blockTime * 1000).toLocaleString()}
                    </time>
                  </td>
                  <td>{entryLabel(e)}</td>
                  <td>{e.tokenId !== null ? e.tokenId.toString() : ""}</td>
                  <td>{entryAmount(e, app)}</td>
                  <td>
                    <TxLink hash={e.txHash} />
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
