import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { hashTypedData } from "viem";
import { signTypedData } from "viem/actions";
import { listStamp, orderTypedData, randomSalt, toWire, type Signed } from "../../sdk/src/index";
import { openDatabase } from "../../sdk/src/node/database";
import { createProgramServer, type ProgramServerOptions } from "../../sdk/src/server/app";
import type { OrderBookTables } from "../../sdk/src/server/orderBook/schema";
import { freshDatabase } from "./databases";
import { flakyChain } from "./flakyChain";
import { marketProgram } from "./sdkProgram";

/** A program server over a chain that can be switched off, with HTTP helpers. */
export async function bookSetup({ withRelayer, ...options }: Partial<ProgramServerOptions> & { withRelayer?: boolean } = {}) {
  const fixture = await loadFixture(marketProgram);
  const { client, chain } = flakyChain();
  // BOOK_ON_POSTGRES=1 (with PUNCHCARD_PG_URL) runs these tests on an emptied Postgres database instead.
  const location = process.env.BOOK_ON_POSTGRES === "1" ? await freshDatabase("postgres") : ":memory:";
  const db = options.db ?? openDatabase<OrderBookTables>(location);
  const relayer = withRelayer ? { relayer: fixture.brand } : {};
  const server = createProgramServer({ program: fixture.program, client, db, ...relayer, ...options });
  await server.book.init();
  const request = async (method: string, path: string, body?: unknown) => {
    const response = await server.app.request(path, {
      method,
      ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(toWire(body)) }),
    });
    return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
  };
  const post = (signed: Signed<unknown>) =>
    request("POST", "/orders", { kind: "listing", order: signed.order, signature: signed.signature });
  const statuses = async () =>
    (await db.selectFrom("book_orders").select(["order_hash", "status", "reason_code"]).orderBy("order_hash").execute()).map(
      (r) => `${r.order_hash}:${r.status}:${r.reason_code}`,
    );
  return { ...fixture, chain, db, server, request, post, statuses };
}

/** Waits for `check` to hold, polling every 20 ms, for `ms` at most. */
export async function until(check: () => Promise<boolean>, what: string, ms = 10_000) {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** `count` listings of one stamp by its holder at one price, each with its own salt: signed locally, fast. */
export async function manyListings(
  fixture: Awaited<ReturnType<typeof marketProgram>>,
  holder: Awaited<ReturnType<typeof marketProgram>>["ada"],
  tokenId: bigint,
  count: number,
) {
  const { program } = fixture;
  const first = await listStamp(holder, { program, tokenId, price: 200n, currency: program.points });
  const listings = [first];
  for (let i = 1; i < count; i++) {
    const order = { ...first.order, salt: randomSalt() };
    const typedData = orderTypedData(program, { kind: "listing", order });
    const signature = await signTypedData(holder, { account: holder.account, ...typedData });
    listings.push({ order, signature, orderHash: hashTypedData(typedData) });
  }
  return listings;
}
