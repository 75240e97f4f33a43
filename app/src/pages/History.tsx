import { formatAmount, getProgramInfo, readLedger } from "@punchcard/sdk";
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
  const { program, units } = app;
  const client = usePublicClient();
  const query = useQuery({
    queryKey: ["history", program.stamps, member],
    enabled: Boolean(client),
    queryFn: async () => {
      const [ledger, info] = await Promise.all([readLedger(client!, { program }), getProgramInfo(client!, { program })]);
      return historyOf(ledger, storyWordsOf(app, member, info.series));
    },
  });
  if (query.isPending) return <p role="status">Reading your history from the chain…</p>;
  if (query.isError) return <QueryError what="your history" error={query.error} retry={() => void query.refetch()} />;
  const items = query.data;
  const signed = (n: bigint) =>
    n === 0n ? "" : `${n > 0n ? "+" : "−"}${formatAmount(n > 0n ? n : -n, units.pointsDecimals, units.pointsSymbol)}`;
  return (
    <>
      <h1>Your history</h1>
      <p>What happened to your wallet in this program, newest first.</p>
      {items.length === 0 ? (
        <p>Nothing yet.</p>
      ) : (
        <div className="table-wrap" role="region" aria-labelledby="history-caption" tabIndex={0}>
          <table>
            <caption id="history-caption">{items.length === 1 ? "1 event" : `${items.length} events`}</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What happened</th>
                <th scope="col">Points</th>
                <th scope="col">Details</th>
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
                      <summary>Details</summary>
                      <p>
                        Transaction <TxLink hash={item.txHash} />
                      </p>
                      <p>Recorded as: {item.entries.map((e) => e.kind).join(", ")}</p>
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
