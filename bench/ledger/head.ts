/**
 * The head-latency race: while a writer mines a block with events every ~200 ms, a poller asks an indexer's
 * store for its newest block every 10 ms; a block's latency is the time from its mining to the first answer
 * that includes it.
 */
import type { Fixture } from "./fixture";
import { startWriter } from "./fixture";

export interface HeadLatency {
  blocks: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Races one indexer: `newestBlock` is the reader's query, answered from the indexer's store. */
export async function raceHead(
  fixture: Fixture,
  newestBlock: () => Promise<bigint | null>,
  options: { seconds: number; intervalMs: number },
): Promise<HeadLatency> {
  const writer = startWriter(fixture, options.intervalMs);
  const seen = new Map<bigint, number>();
  const until = performance.now() + options.seconds * 1000;
  let newest = (await newestBlock()) ?? 0n;
  const poll = async () => {
    // A query that fails or times out is an answer without the new block: the wait shows in the latencies.
    const block = await newestBlock().catch(() => null);
    const now = performance.now();
    if (block !== null && block > newest) {
      for (let b = newest + 1n; b <= block; b++) seen.set(b, now);
      newest = block;
    }
  };
  while (performance.now() < until) {
    await poll();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await writer.stop();
  // The last blocks mined: wait (up to 10 s) until the indexer has them too.
  const last = [...writer.mined.keys()].reduce((a, b) => (b > a ? b : a), 0n);
  const deadline = performance.now() + 10_000;
  while (newest < last && performance.now() < deadline) {
    await poll();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const latencies: number[] = [];
  for (const [block, minedAt] of writer.mined) {
    const at = seen.get(block);
    // A block never seen within the wait counts as the whole wait: a miss shows in p95 and max, never vanishes.
    latencies.push(at === undefined ? performance.now() - minedAt : Math.max(0, at - minedAt));
  }
  latencies.sort((a, b) => a - b);
  return {
    blocks: latencies.length,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    maxMs: latencies[latencies.length - 1] ?? NaN,
  };
}
