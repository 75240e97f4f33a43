import http from "node:http";
import type { AddressInfo } from "node:net";

/** What the proxy does to one JSON-RPC request. */
export type Fault = { kind: "pass" } | { kind: "429" } | { kind: "stall"; ms: number };

export interface FaultyRpcOptions {
  /** Upstream JSON-RPC URL (a Hardhat node). */
  upstream: string;
  /** Decides each request's fault from its method and its number (0-based). */
  fault?: (method: string, n: number) => Fault;
  /** Rewrites an upstream result (e.g. the logs of eth_getLogs) before it reaches the client. */
  rewrite?: (method: string, result: unknown) => unknown;
}

/**
 * A loopback HTTP proxy in front of a JSON-RPC node that injects faults: "429 Too Many Requests"
 * answers, stalls of some seconds, and rewritten results (odd but legal values). Counts what it did.
 */
export async function startFaultyRpc(options: FaultyRpcOptions) {
  const counts = { requests: 0, rejected: 0, stalled: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString();
      const parsed = JSON.parse(body) as { method?: string } | Array<{ method?: string }>;
      const method = Array.isArray(parsed) ? (parsed[0]?.method ?? "batch") : (parsed.method ?? "");
      const fault = options.fault?.(method, counts.requests++) ?? { kind: "pass" };
      if (fault.kind === "429") {
        counts.rejected++;
        res.writeHead(429, { "content-type": "text/plain", "retry-after": "0" });
        res.end("Too Many Requests");
        return;
      }
      if (fault.kind === "stall") {
        counts.stalled++;
        await new Promise((r) => setTimeout(r, fault.ms));
      }
      try {
        const upstream = await fetch(options.upstream, { method: "POST", headers: { "content-type": "application/json" }, body });
        let text = await upstream.text();
        if (options.rewrite) {
          const answer = JSON.parse(text) as { result?: unknown } | Array<{ result?: unknown }>;
          const one = (a: { result?: unknown }, m: string) =>
            "result" in a ? { ...a, result: options.rewrite!(m, a.result) } : a;
          text = JSON.stringify(
            Array.isArray(answer)
              ? answer.map((a, i) => one(a, (parsed as Array<{ method?: string }>)[i]?.method ?? ""))
              : one(answer, method),
          );
        }
        if (!res.destroyed) {
          res.writeHead(upstream.status, { "content-type": "application/json" });
          res.end(text);
        }
      } catch {
        if (!res.destroyed) {
          res.writeHead(502);
          res.end("upstream failed");
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
