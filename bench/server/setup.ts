/**
 * What the program server benchmark stands on: `punchcard serve` in a process of its own, the program deployed on
 * the in-process chain, a book seeded straight into the database (SQLite or Postgres), signed orders to post and
 * signed cancellations to relay, and each process's CPU time read from /proc.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { zeroAddress, type Address, type Hex } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import {
  cancelOrderTypes,
  encodeStampId,
  hashOrder,
  listingTypes,
  marketDomain,
  randomSalt,
  recordFromProgram,
  toWire,
  type Listing,
  type Program,
} from "@punchcard/sdk";
import { openDatabase } from "@punchcard/sdk/node";
import { migrateOrderBook, type OrderBookTables } from "@punchcard/sdk/server";
import pg from "pg";

const repo = path.resolve(__dirname, "..", "..");

export interface Serving {
  child: ChildProcess;
  url: string;
  pid: number;
  /** What the process printed so far (the leader election says there which instance leads). */
  output: () => string;
}

/** `punchcard serve` with these arguments, in a node process of its own (its pid is the server's). */
export function startServe(args: string[], extraEnv: Record<string, string> = {}): Promise<Serving> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith("TS_NODE") && k !== "NODE_OPTIONS" && k !== "PUNCHCARD_RELAYER_KEY",
    ),
  );
  const child = spawn(
    process.execPath,
    [
      // BENCH_SERVE_NODE_ARGS: node flags for the server processes, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
      ...(process.env.BENCH_SERVE_NODE_ARGS ?? "").split(" ").filter(Boolean),
      path.join(repo, "node_modules", "ts-node", "dist", "bin.js"),
      "--transpile-only",
      "sdk/src/cli/bin.ts",
      "serve",
      ...args,
    ],
    { cwd: repo, env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /at (http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve({ child, url, pid: child.pid!, output: () => output });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
}

/** Stops a server and waits for its process to end (it lets go of the leader lock and closes the database). */
export async function stopServe(server: Serving): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => server.child.once("exit", () => resolve()));
  server.child.kill("SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat (clock ticks of 1/100 s on Linux). */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * The process ids of the Postgres backends serving the database `url` names, but the one asking: the server's pool
 * and its election connection. Postgres runs on this machine in the benchmark, so their CPU time is in /proc.
 */
export async function postgresBackends(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

/** The deployment record `punchcard serve --program` reads, in `dir`. */
export function writeRecord(dir: string, program: Program, deployer: Address): string {
  const file = path.join(dir, "record.json");
  const record = recordFromProgram(program, {
    brand: "Bench Coffee",
    network: "bench",
    configHash: `0x${"00".repeat(32)}`,
    deployer,
  });
  fs.writeFileSync(file, JSON.stringify(record));
  return file;
}

/** A listing in the native coin with nothing signed away: what the seeded book and the posted orders are made of. */
const coinListing = (seller: Address, tokenId: bigint, price: bigint, expiry: bigint): Listing => ({
  seller,
  tokenId,
  price,
  minSellerAmount: 0n,
  currency: zeroAddress,
  expiry,
  nonce: 0n,
  tokenNonce: 0n,
  salt: randomSalt(),
});

/** Empties a Postgres database of ours (the tables and functions of its public schema): each run starts a fresh book. */
export async function emptyPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    for (const { tablename } of rows) await client.query(`DROP TABLE IF EXISTS "${tablename}" CASCADE`);
    // The book's migrations also create functions (its triggers'): a fresh book creates them again.
    const functions = await client.query<{ signature: string }>(
      "SELECT p.oid::regprocedure::text AS signature FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace",
    );
    for (const { signature } of functions.rows) await client.query(`DROP FUNCTION IF EXISTS ${signature} CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * The seeded book: `count` open listings of series 1 in the native coin, written straight to the database (the read
 * path does not look at the chain), with placeholder signatures.
 */
export async function seedBook(location: string, program: Program, count: number, expiry: bigint): Promise<void> {
  const db = openDatabase<OrderBookTables>(location);
  try {
    await migrateOrderBook(db);
    const key = `${program.chainId}:${program.market.toLowerCase()}`;
    const at = new Date().toISOString();
    for (let start = 0; start < count; start += 500) {
      const rows = Array.from({ length: Math.min(500, count - start) }, (_, j) => {
        const i = start + j;
        const order = coinListing(
          `0x${(0x100000 + i).toString(16).padStart(40, "0")}`,
          encodeStampId(1n, BigInt(i + 2)),
          BigInt(1_000 + ((i * 7919) % 100_000)),
          expiry,
        );
        const hash = hashOrder(program, { kind: "listing", order });
        return {
          order_hash: hash,
          program: key,
          kind: "listing" as const,
          signer: order.seller,
          token_id: order.tokenId.toString(),
          series_id: "1",
          wanted_series_id: null,
          wanted_token_id: null,
          currency: zeroAddress,
          price_sort: order.price.toString().padStart(78, "0"),
          expiry_sort: expiry.toString().padStart(78, "0"),
          nonce: "0",
          order_json: JSON.stringify(toWire(order)),
          signature: `0x${"00".repeat(65)}`,
          status: "open" as const,
          reason_code: null,
          reason: null,
          created_at: at,
          updated_at: at,
        };
      });
      await db.insertInto("book_orders").values(rows).execute();
    }
  } finally {
    await db.destroy();
  }
}

/** How many times each of `hashes` is in the book of `location` (a hash missing counts 0). */
export async function countInBook(location: string, hashes: readonly Hex[]): Promise<Map<string, number>> {
  const db = openDatabase<OrderBookTables>(location);
  const counts = new Map<string, number>(hashes.map((h) => [h.toLowerCase(), 0]));
  try {
    for (let start = 0; start < hashes.length; start += 1_000) {
      const rows = await db
        .selectFrom("book_orders")
        .select("order_hash")
        .where("order_hash", "in", hashes.slice(start, start + 1_000))
        .execute();
      for (const r of rows) counts.set(r.order_hash.toLowerCase(), (counts.get(r.order_hash.toLowerCase()) ?? 0) + 1);
    }
  } finally {
    await db.destroy();
  }
  return counts;
}

/** A listing signed by its seller, as a POST /orders body. */
async function postBody(program: Program, seller: PrivateKeyAccount, order: Listing): Promise<string> {
  const signature = await seller.signTypedData({
    domain: marketDomain(program),
    types: listingTypes,
    primaryType: "Listing",
    message: order,
  });
  return JSON.stringify({ kind: "listing", order: toWire(order), signature });
}

/** `count` valid listings of one stamp, each its own price and salt, signed by `seller`, as POST /orders bodies. */
export async function signedListings(
  program: Program,
  seller: PrivateKeyAccount,
  tokenId: bigint,
  expiry: bigint,
  count: number,
  firstPrice: number,
): Promise<string[]> {
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    bodies.push(await postBody(program, seller, coinListing(seller.address, tokenId, BigInt(firstPrice + i), expiry)));
  }
  return bodies;
}

/**
 * `count` signed listings (POST /orders bodies) and their signed cancellations (POST /relay/cancel bodies), spread
 * over `members`: each cancels a listing of the member's own stamp that nobody cancelled before, so every one is a
 * distinct transaction the relayer must send.
 */
export async function signedCancels(
  program: Program,
  members: readonly { account: PrivateKeyAccount; tokenId: bigint }[],
  expiry: bigint,
  count: number,
): Promise<{ bodies: string[]; orders: string[] }> {
  const bodies: string[] = [];
  const orders: string[] = [];
  for (let i = 0; i < count; i++) {
    const { account, tokenId } = members[i % members.length]!;
    const listing = coinListing(account.address, tokenId, BigInt(50_000 + i), expiry);
    const orderHash = hashOrder(program, { kind: "listing", order: listing });
    const message = { orderHash, deadline: expiry };
    const signature = await account.signTypedData({
      domain: marketDomain(program),
      types: cancelOrderTypes,
      primaryType: "CancelOrder",
      message,
    });
    orders.push(await postBody(program, account, listing));
    bodies.push(
      JSON.stringify({
        cancellation: { message: toWire(message), signature, order: { kind: "listing", order: toWire(listing) } },
      }),
    );
  }
  return { bodies, orders };
}

/** A fresh local key (not a Hardhat default one, so nothing else on the chain sends from it). */
export function keyOf(n: number): Hex {
  return `0x${(0xbe000000 + n).toString(16).padStart(64, "0")}`;
}
export { privateKeyToAccount };
