import type { ReactNode } from "react";
import { useAppConfig } from "../context.js";

/**
 * A link to a transaction: the configured explorer, else the app's own transaction page. Its text is `children` when
 * given (words, where the page is read outside "details"), else the hash shortened.
 */
export function TxLink({ hash, children }: { hash: `0x${string}`; children?: ReactNode }) {
  const { explorer } = useAppConfig();
  const short = `${hash.slice(0, 10)}…${hash.slice(-4)}`;
  const href = explorer ? `${explorer.replace(/\/$/, "")}/tx/${hash}` : `#/tx/${hash}`;
  return (
    <a href={href} title={hash}>
      {children ?? short}
    </a>
  );
}
