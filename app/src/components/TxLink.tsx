import { useAppConfig } from "../context.js";

/** A link to a transaction: the configured explorer, else the app's own transaction page. */
export function TxLink({ hash }: { hash: `0x${string}` }) {
  const { explorer } = useAppConfig();
  const short = `${hash.slice(0, 10)}…${hash.slice(-4)}`;
  const href = explorer ? `${explorer.replace(/\/$/, "")}/tx/${hash}` : `#/tx/${hash}`;
  return (
    <a href={href} title={`Transaction ${hash}`}>
      {short}
    </a>
  );
}
