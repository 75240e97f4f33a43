/**
 * Program server benchmark: a book seeded with 10,000 open listings, `punchcard serve` in its own process on
 * loopback, autocannon against it: requests/s and latency p50/p99 for reading listings and for posting signed
 * orders (each checked against the chain before it is stored). Writes bench/results/server-<date>.md and .json.
 *
 *   npm run bench:server
 *
 * Not part of `npm test`: it measures, it does not assert.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { hashTypedData, zeroAddress, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  approveMarket,
  encodeStampId,
  listingTypes,
  marketDomain,
  mintStamps,
  randomSalt,
  toWire,
  type Listing,
} from "@punchcard/sdk";
import { deployProgram } from "@punchcard/sdk/deploy";
import { openDatabase } from "@punchcard/sdk/node";
import { migrateOrderBook, type OrderBookTables } from "@punchcard/sdk/server";
import { walletClientFor } from "../sdk/src/cli/clients";
import { serveInProcessChain } from "../test/helpers/rpcServer";

const SEEDED = Number(process.env.BENCH_ORDERS ?? 10_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 10;
const repo = path.resolve(__dirname, "..");

function startServe(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TS_NODE") && k !== "NODE_OPTIONS"));
  const child = spawn(
    process.execPath,
    [path.join(repo, "node_modules", "ts-node", "dist", "bin.js"), "--transpile-only", "sdk/src/cli/bin.ts", "serve", ...args],
    { cwd: repo, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /at (http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve({ child, url });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
}

async function main() {
  const brand = await walletClientFor("hardhat");
  const { program } = await deployProgram(brand, {
    config: {
      brand: "Bench Coffee",
      stamps: { name: "Bench Stamps", symbol: "BST" },
      points: { name: "Bench Points", symbol: "BPT" },
      treasury: brand.account.address,
      transferPolicy: "open",
      series: [{ name: "Bench Cup", maxSupply: 1_000_000 }],
    },
  });
  // The seller of the posted orders: a local key, so signing is not what is measured.
  const seller = privateKeyToAccount(`0x${"42".repeat(32)}`);
  await brand.sendTransaction({ to: seller.address, value: 10n ** 18n });
  await mintStamps(brand, { program, seriesId: 1n, to: [seller.address] });
  const sellerClient = await walletClientFor("hardhat", { env: { DEPLOYER_KEY: `0x${"42".repeat(32)}` } });
  await approveMarket(sellerClient, { program });
  const tokenId = encodeStampId(1n, 1n);
  const expiry = BigInt(Math.floor(Date.now() / 1000) + 30 * 86_400);

  // The seeded book: SEEDED open listings of series 1 in the native coin, written straight to the database (the
  // read path does not look at the chain).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-server-"));
  const dbFile = path.join(dir, "server.sqlite");
  const db = openDatabase<OrderBookTables>(dbFile);
  await migrateOrderBook(db);
  const key = `${program.chainId}:${program.market.toLowerCase()}`;
  const at = new Date().toISOString();
  for (let start = 0; start < SEEDED; start += 500) {
    const rows = Array.from({ length: Math.min(500, SEEDED - start) }, (_, j) => {
      const i = start + j;
      const order: Listing = {
        seller: `0x${(0x100000 + i).toString(16).padStart(40, "0")}` as Address,
        tokenId: encodeStampId(1n, BigInt(i + 2)),
        price: BigInt(1_000 + ((i * 7919) % 100_000)),
        minSellerAmount: 0n,
        currency: zeroAddress,
        expiry,
        nonce: 0n,
        tokenNonce: 0n,
        salt: randomSalt(),
      };
      const hash = hashTypedData({ domain: marketDomain(program), types: listingTypes, primaryType: "Listing", message: order });
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
  await db.destroy();

  // Signed listings to post: one stamp, many prices and salts, every one valid.
  const bodies: string[] = [];
  for (let i = 0; i < 5_000; i++) {
    const order: Listing = {
      seller: seller.address,
      tokenId,
      price: BigInt(10_000 + i),
      minSellerAmount: 0n,
      currency: zeroAddress,
      expiry,
      nonce: 0n,
      tokenNonce: 0n,
      salt: randomSalt(),
    };
    const signature = await seller.signTypedData({
      domain: marketDomain(program),
      types: listingTypes,
      primaryType: "Listing",
      message: order,
    });
    bodies.push(JSON.stringify({ kind: "listing", order: toWire(order), signature }));
  }

  const rpc = await serveInProcessChain();
  const record = path.join(dir, "record.json");
  fs.writeFileSync(
    record,
    JSON.stringify({
      brand: "Bench Coffee",
      network: "bench",
      chainId: program.chainId,
      deployBlock: program.deployBlock.toString(),
      configHash: `0x${"00".repeat(32)}`,
      deployer: brand.account.address,
      deployedAt: at,
      contracts: {
        stamps: program.stamps,
        points: program.points,
        market: program.market,
        consent: program.consent,
        rewards: program.rewards,
      },
    }),
  );
  const server = await startServe(["--program", record, "--rpc", rpc.url, "--db", dbFile, "--port", "0"]);
  try {
    const run = (options: autocannon.Options) =>
      new Promise<autocannon.Result>((resolve, reject) =>
        autocannon({ connections: CONNECTIONS, duration: DURATION, ...options }, (error, result) =>
          error ? reject(error) : resolve(result),
        ),
      );
    const reads = await run({ url: `${server.url}/listings?seriesId=1&limit=50` });
    let next = 0;
    const posts = await run({
      url: `${server.url}/orders`,
      method: "POST",
      headers: { "content-type": "application/json" },
      requests: [{ setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }) }],
    });
    const row = (name: string, r: autocannon.Result) => ({
      name,
      requests: r.requests.total,
      rps: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      non2xx: r.non2xx,
      errors: r.errors,
    });
    const results = [
      row(`GET /listings (50 of ${SEEDED} open, cheapest first)`, reads),
      row("POST /orders (signed listing, checked on chain)", posts),
    ];

    const date = new Date().toISOString().slice(0, 10);
    const load = os.loadavg()[0]!.toFixed(1);
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${load} at the end`;
    const md = [
      `# Program server benchmark, ${date}`,
      "",
      `Machine: ${machine}, shared with other work. \`punchcard serve\` (SQLite) in its own process on loopback, the chain`,
      `(Hardhat in-process, served over HTTP) and autocannon in another; ${CONNECTIONS} connections, ${DURATION} s each.`,
      `The book holds ${SEEDED} open listings of one series, seeded in the database; each posted order is a new signed`,
      "listing the server checks against the chain (signature, nonce, holder, quote) before storing it.",
      "",
      "| request | requests | req/s | p50 (ms) | p99 (ms) | non-2xx | errors |",
      "|---|---:|---:|---:|---:|---:|---:|",
      ...results.map(
        (r) => `| ${r.name} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} |`,
      ),
      "",
    ].join("\n");
    const resultsDir = path.join(__dirname, "results");
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(path.join(resultsDir, `server-${date}.md`), md);
    fs.writeFileSync(
      path.join(resultsDir, `server-${date}.json`),
      `${JSON.stringify({ date, machine, seeded: SEEDED, results }, null, 2)}\n`,
    );
    console.log(`\n${md}`);
  } finally {
    server.child.kill("SIGTERM");
    await rpc.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
