/**
 * The program server benchmark's runs: autocannon against `punchcard serve` on loopback, each run's figures and its
 * checks (every request distinct, nothing lost or duplicated, no nonce error).
 */
import autocannon from "autocannon";
import type { Hex } from "viem";
import { assertAccepted } from "./accepted";
import { cpuSeconds, postgresBackends, type Serving } from "./setup";

export interface Row {
  /** What was measured, in words (starts with the method, as bench/report.ts reads it). */
  name: string;
  database: "SQLite" | "Postgres";
  instances: number;
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** Each server process's CPU seconds over the run, and its share of one core (1 = a whole core). */
  cpu?: Array<{ pid: number; seconds: number; shareOfCore: number }>;
  /** The benchmark's own process (the chain and autocannon) over the run, as a share of one core. */
  benchCpuShareOfCore?: number;
  /**
   * On Postgres, the database's backends serving the run (the server's pool and its election connection), as a
   * share of one core: a server waiting on its database shows here, not in its own CPU.
   */
  databaseCpuShareOfCore?: number;
  /** What the run checked after it, and whether it held. */
  checks: Record<string, number | boolean | string>;
}

type Run = autocannon.Options & { requests: autocannon.Request[] };

function cannon(options: Run): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(options, (error, result) => (error ? reject(error) : resolve(result))));
}

/** CPU seconds of each process still running, by pid (a backend that ended is left out). */
function cpuOf(pids: readonly number[]): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const pid of pids) {
    try {
      seconds.set(pid, cpuSeconds(pid));
    } catch {
      // ended meanwhile
    }
  }
  return seconds;
}

/**
 * Runs autocannon on each of `servers` at once, reading each one's CPU time before and after, and on Postgres
 * (`databaseUrl`) that of the database's backends (one that started during the run counts from zero).
 */
async function measure(servers: Serving[], runs: Run[], databaseUrl?: string) {
  const backendsBefore = databaseUrl ? cpuOf(await postgresBackends(databaseUrl)) : undefined;
  const before = servers.map((s) => cpuSeconds(s.pid));
  const ownBefore = process.cpuUsage();
  const started = Date.now();
  const results = await Promise.all(runs.map(cannon));
  const wall = (Date.now() - started) / 1000;
  const own = process.cpuUsage(ownBefore);
  const backendsAfter = databaseUrl ? cpuOf(await postgresBackends(databaseUrl)) : undefined;
  const databaseSeconds = backendsAfter
    ? [...backendsAfter].reduce((n, [pid, seconds]) => n + seconds - (backendsBefore!.get(pid) ?? 0), 0)
    : undefined;
  const benchCpuShareOfCore = Number(((own.user + own.system) / 1e6 / wall).toFixed(2));
  const cpu = servers.map((s, i) => {
    const seconds = cpuSeconds(s.pid) - before[i]!;
    return { pid: s.pid, seconds: Number(seconds.toFixed(2)), shareOfCore: Number((seconds / wall).toFixed(2)) };
  });
  const requests = results.reduce((n, r) => n + r.requests.total, 0);
  return {
    results,
    cpu,
    benchCpuShareOfCore,
    ...(databaseSeconds === undefined ? {} : { databaseCpuShareOfCore: Number((databaseSeconds / wall).toFixed(2)) }),
    requests,
    // Split runs: the sum of their rates; latency: the worse of the parts.
    rps: results.reduce((n, r) => n + r.requests.average, 0),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
  };
}

/**
 * The cursors a walk of the listings, `pageSize` at a time, returns: each one a cursor this server gave out, so
 * reads with them are real pages, and with the page size varied every read's URL is one the cache has not seen.
 */
export async function walkCursors(url: string, pageSize: number): Promise<string[]> {
  const cursors: string[] = [];
  let cursor: string | undefined;
  do {
    const response = await fetch(`${url}/listings?seriesId=1&limit=${pageSize}${cursor ? `&cursor=${cursor}` : ""}`);
    if (!response.ok) throw new Error(`GET /listings answered ${response.status}: ${await response.text()}`);
    cursor = ((await response.json()) as { nextCursor?: string }).nextCursor;
    if (cursor) cursors.push(cursor);
  } while (cursor);
  return cursors;
}

/** Uncached reads: every request a page of listings at a (cursor, page size) no request before it used. */
export async function uncachedReads(
  server: Serving,
  database: Row["database"],
  cursors: string[],
  connections: number,
  seconds: number,
  /** On Postgres, its URL: the run measures the database's CPU too. */
  databaseUrl?: string,
): Promise<Row> {
  // Page sizes 21 to 100: (cursor, size) pairs repeat only after 80 × cursors requests.
  const distinct = cursors.length * 80;
  let next = 0;
  const m = await measure(
    [server],
    [
      {
        url: server.url,
        connections,
        duration: seconds,
        requests: [
          {
            setupRequest: (request) => {
              const i = next++;
              const limit = 21 + (Math.floor(i / cursors.length) % 80);
              return {
                ...request,
                method: "GET",
                path: `/listings?seriesId=1&limit=${limit}&cursor=${cursors[i % cursors.length]}`,
              };
            },
          },
        ],
      },
    ],
    databaseUrl,
  );
  return {
    name: `GET /listings, a new cursor and page size each request (21 to 100 of the seeded book)`,
    database,
    instances: 1,
    connections,
    seconds,
    ...pick(m),
    cpu: m.cpu,
    checks: { distinctUrls: Math.min(next, distinct), everyUrlNew: next <= distinct },
  };
}

/** Posts of distinct valid signed orders, split evenly over `servers`; every 201's order hash is kept. */
export async function posts(
  servers: Serving[],
  database: Row["database"],
  bodies: string[],
  connections: number,
  seconds: number,
): Promise<{ row: Row; created: Hex[] }> {
  let next = 0;
  let repeats = 0;
  const created: Hex[] = [];
  const statuses = new Map<number, number>();
  let firstRefusal: { status: number; body: string } | undefined;
  const runs: Run[] = servers.map((server) => ({
    url: `${server.url}/orders`,
    connections: Math.round(connections / servers.length),
    duration: seconds,
    method: "POST",
    headers: { "content-type": "application/json" },
    requests: [
      {
        setupRequest: (request) => {
          if (next >= bodies.length) repeats++;
          return { ...request, body: bodies[next++ % bodies.length] };
        },
        onResponse: (status, body) => {
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status === 201) created.push((JSON.parse(body) as { orderHash: Hex }).orderHash);
          else if (status >= 300) firstRefusal ??= { status, body };
        },
      },
    ],
  }));
  const m = await measure(servers, runs);
  // A run the book mostly refused measures refusals: it throws here rather than be reported as posts.
  assertAccepted(`POST /orders on ${database}, ${servers.length} instance(s)`, { statuses, firstRefusal });
  return {
    row: {
      name: `POST /orders, a distinct valid signed listing each (checked on chain)${servers.length > 1 ? `, split over ${servers.length} instances` : ""}`,
      database,
      instances: servers.length,
      connections,
      seconds,
      ...pick(m),
      cpu: m.cpu,
      checks: {
        created: created.length,
        statuses: [...statuses].map(([s, n]) => `${s}: ${n}`).join(", "),
        bodiesRepeated: repeats,
      },
    },
    created,
  };
}

/** Sponsored cancellations through `POST /relay/cancel`: each answer's transaction hash, and every refusal's body. */
export async function relays(
  server: Serving,
  bodies: string[],
  connections: number,
  seconds: number,
): Promise<{ row: Row; hashes: Hex[]; refusals: Map<string, { count: number; example: string }> }> {
  let next = 0;
  const hashes: Hex[] = [];
  const refusals = new Map<string, { count: number; example: string }>();
  const m = await measure(
    [server],
    [
      {
        url: `${server.url}/relay/cancel`,
        connections,
        duration: seconds,
        method: "POST",
        headers: { "content-type": "application/json" },
        requests: [
          {
            // Past the last signed cancellation a body is sent again: the chain refuses it, and it shows as a refusal.
            setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }),
            onResponse: (status, body) => {
              if (status === 200) hashes.push((JSON.parse(body) as { hash: Hex }).hash);
              else {
                // Grouped by status and code, with the first refusal's sentence as the example.
                let key = `${status}`;
                let sentence = body.slice(0, 200);
                try {
                  const { error } = JSON.parse(body) as { error: { code: string; message: string } };
                  key = `${status} ${error.code}`;
                  sentence = error.message.slice(0, 200);
                } catch {
                  // Not a refusal the server wrote: the status and the start of the body.
                }
                const seen = refusals.get(key);
                refusals.set(key, { count: (seen?.count ?? 0) + 1, example: seen?.example ?? sentence });
              }
            },
          },
        ],
      },
    ],
  );
  return {
    row: {
      name: "POST /relay/cancel, a distinct signed cancellation each, sponsored (sent and mined)",
      database: "SQLite",
      instances: 1,
      connections,
      seconds,
      ...pick(m),
      cpu: m.cpu,
      checks: { signed: bodies.length, sent: next },
    },
    hashes,
    refusals,
  };
}

function pick(m: Awaited<ReturnType<typeof measure>>) {
  return {
    requests: m.requests,
    rps: m.rps,
    p50: m.p50,
    p99: m.p99,
    non2xx: m.non2xx,
    errors: m.errors,
    benchCpuShareOfCore: m.benchCpuShareOfCore,
    ...(m.databaseCpuShareOfCore === undefined ? {} : { databaseCpuShareOfCore: m.databaseCpuShareOfCore }),
  };
}

/** The same page again and again (the answer cache serves it), as the last report measured reads. */
export async function cachedReads(
  server: Serving,
  database: Row["database"],
  connections: number,
  seconds: number,
  /** On Postgres, its URL: the run measures the database's CPU too. */
  databaseUrl?: string,
): Promise<Row> {
  const m = await measure(
    [server],
    [{ url: `${server.url}/listings?seriesId=1&limit=50`, connections, duration: seconds, requests: [{}] }],
    databaseUrl,
  );
  return {
    name: "GET /listings, the same first page each request (answer cache)",
    database,
    instances: 1,
    connections,
    seconds,
    ...pick(m),
    cpu: m.cpu,
    checks: {},
  };
}
