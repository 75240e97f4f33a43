/**
 * The server's CPU per uncached read of a page of listings, in process (no sockets, no load generator): the app's
 * answer to a new (cursor, page size) each request, over a seeded book on SQLite or Postgres. CPU time, not wall
 * time: less bent by a busy machine than requests per second, though on a crowded one still by tens of per cent
 * (run it several times, alternating the builds compared).
 *
 *   npx ts-node --transpile-only bench/server/readCpu.ts [sqlite|postgres] [requests]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPublicClient, http, zeroAddress, type Address } from "viem";
import { hardhat } from "viem/chains";
import type { Program } from "@punchcard/sdk";
import { openDatabase } from "@punchcard/sdk/node";
import { createProgramServer, type OrderBookTables } from "@punchcard/sdk/server";
import { emptyPostgres, seedBook } from "./setup";

async function main() {
  const engine = process.argv[2] ?? "sqlite";
  const requests = Number(process.argv[3] ?? 3_000);
  const location =
    engine === "sqlite"
      ? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "read-cpu-")), "book.sqlite")
      : (process.env.PUNCHCARD_PG_URL ?? "postgres://punchcard:punchcard@127.0.0.1:5432/punchcard_bench");
  if (engine !== "sqlite") await emptyPostgres(location);
  const address = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as Address;
  const program = { chainId: 31337, market: address(1), stamps: address(2), points: address(3) } as unknown as Program;
  const expiry = BigInt(Math.floor(Date.now() / 1000) + 86_400);
  await seedBook(location, program, 10_000, expiry);
  const db = openDatabase<OrderBookTables>(location, { connections: 12 });
  // Never asked: a page read does not look at the chain.
  const client = createPublicClient({ chain: hardhat, transport: http("http://127.0.0.1:1") });
  const { app, book } = createProgramServer({ program, client, db });
  book.chainTime = expiry - 3_600n;
  const cursors: string[] = [];
  for (let cursor: string | undefined, first = true; first || cursor; first = false) {
    const page = (await (await app.request(`/listings?seriesId=1&limit=10${cursor ? `&cursor=${cursor}` : ""}`)).json()) as {
      nextCursor?: string;
    };
    cursor = page.nextCursor;
    if (cursor) cursors.push(cursor);
  }
  const read = async (i: number) => {
    const response = await app.request(
      `/listings?seriesId=1&limit=${21 + (Math.floor(i / cursors.length) % 80)}&cursor=${cursors[i % cursors.length]}&currency=${zeroAddress}`,
    );
    if (response.status !== 200) throw new Error(`${response.status}: ${await response.text()}`);
    await response.text();
  };
  for (let i = 0; i < 300; i++) await read(i); // warm up
  const before = process.cpuUsage();
  const started = Date.now();
  // 50 at a time, as the benchmark's connections.
  for (let i = 0; i < requests; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => read(300 + i + j)));
  const cpu = process.cpuUsage(before);
  console.log(
    `${engine}: ${requests} uncached reads, ${((cpu.user + cpu.system) / requests).toFixed(0)} µs CPU each ` +
      `(${(Date.now() - started) / requests} ms wall each)`,
  );
  await db.destroy();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
