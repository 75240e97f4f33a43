import { chainOf } from "../utils/faults.js";

/** Seconds a client is told to wait after a fault (Retry-After). */
export const FAULT_RETRY_AFTER = 5;

/**
 * A text with every URL cut to its scheme and host: no credentials (`user:pass@`), no path or query, where RPC
 * providers put their keys. For anything written to the log.
 *
 * @example
 * redactUrls("URL: https://eth.example.com/v2/s3cr3t") // "URL: https://eth.example.com/…"
 */
export function redactUrls(text: string): string {
  return text.replace(
    /\b([a-z][a-z0-9+.-]*):\/\/(?:[^\s/@"'<>]*@)?([^\s/?#"'<>]+)[^\s"'<>]*/gi,
    (_, scheme, host) => `${scheme}://${host}/…`,
  );
}

/** An error as one line for the log: its message (viem's short one where it has one) and its causes', redacted. */
export function describeForLog(error: unknown): string {
  const parts = chainOf(error).map((e) =>
    e instanceof Error ? ((e as { shortMessage?: string }).shortMessage ?? e.message).split("\n")[0]! : String(e),
  );
  return redactUrls([...new Set(parts)].join(" <- "));
}
