import { expect } from "chai";
import { loadFixture, mine, takeSnapshot, time } from "@nomicfoundation/hardhat-network-helpers";
import Ajv from "ajv";
import fc from "fast-check";
import { erc20Abi, getAddress, hashTypedData, type Hex } from "viem";
import { signTypedData } from "viem/actions";
import {
  buyStamp,
  cancelAllOrders,
  cancelOrder,
  createProgramServerClient,
  listingTypes,
  listStamp,
  makeOffer,
  mintStamps,
  marketDomain,
  offerTypes,
  proposeSwap,
  ProgramServerError,
  randomSalt,
  signVoucher,
  swapOrderTypes,
  toWire,
  type Listing,
  type Signed,
} from "../index.js";
import { openDatabase } from "../node/database.js";
import type { OrderBookTables } from "./orderBook/schema.js";
import { databaseEngines, freshDatabase } from "../../../test/helpers/databases.js";
import { marketProgram, stampIds } from "../../../test/helpers/sdkProgram.js";
import { serveConfigSchema } from "../cli/serve.js";
import { openApiDocument } from "../server.js";
import { createProgramServer } from "./app.js";
import { defaultRelayPolicy } from "./relay/policy.js";

// These members hold the development chain's coin: a policy that sponsors them anyway (the default asks them to pay).
const sponsorRich = { ...defaultRelayPolicy, selfPayBalance: 0n };
import { startProgramServer } from "./start.js";

const { CUP, JOURNEY, cup } = stampIds;

/** A serve configuration that passes, to vary one field of. */
const validServeConfig = {
  program: "deployments/localhost/example.json",
  rpc: "http://127.0.0.1:8545",
  db: "server.sqlite",
  port: "8787",
  host: "127.0.0.1",
  confirmations: "0",
  quota: "20",
  pollMs: "1000",
  rate: "0",
  memberRate: "0",
};

/** An order as the server answers it, read loosely. */
interface WireOrder {
  kind: string;
  orderHash: string;
  status: string;
  reason?: string;
  signature: string;
  order: Record<string, string>;
}

/** Any answer of the server, read loosely: an order, a page, a relay result or an error. */
interface Answer extends WireOrder {
  orders: WireOrder[];
  nextCursor?: string;
  error: { code: string; message: string; revert?: { errorName: string; args: string[] } };
  hash: Hex;
  member: string;
  remainingToday: number;
  ok: boolean;
}

/** The parts of the OpenAPI document a test reads. */
interface OpenApi {
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<string, { content: Record<string, { schema: object }> }>;
        requestBody: { content: Record<string, { schema: object }> };
      }
    >
  >;
}

async function setup(options: { quota?: number; relay?: boolean; memberRate?: number; clock?: () => number } = {}) {
  const fixture = await loadFixture(marketProgram);
  const db = openDatabase<OrderBookTables>(":memory:");
  const server = createProgramServer({
    program: fixture.program,
    client: fixture.ben,
    db,
    ...(options.relay === false ? {} : { relayer: fixture.brand }),
    quota: options.quota ?? 2,
    relayPolicy: sponsorRich,
    ...(options.memberRate === undefined ? {} : { memberRateLimitPerMinute: options.memberRate }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  await server.book.init();
  const request = async (method: string, path: string, body?: unknown) => {
    const response = await server.app.request(path, {
      method,
      ...(body === undefined
        ? {}
        : {
            headers: { "content-type": "application/json" },
            body: typeof body === "string" ? body : JSON.stringify(toWire(body)),
          }),
    });
    return { status: response.status, json: (await response.json()) as Answer };
  };
  const post = (kind: "listing" | "offer" | "swap", signed: Signed<unknown>) =>
    request("POST", "/orders", { kind, order: signed.order, signature: signed.signature });
  const count = async () =>
    Number(
      (
        await db
          .selectFrom("book_orders")
          .select((e) => e.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { ...fixture, db, server, request, post, count };
}

/** Signs a listing as given, skipping listStamp's own checks: what a careless or hostile client could post. */
async function rawListing(
  client: Awaited<ReturnType<typeof marketProgram>>["ada"],
  program: Parameters<typeof marketDomain>[0],
  order: Listing,
) {
  const typedData = { domain: marketDomain(program), types: listingTypes, primaryType: "Listing", message: order } as const;
  const signature = await signTypedData(client, { account: client.account, ...typedData });
  return { order, signature, orderHash: hashTypedData(typedData) };
}

const hex = (constraints: { minLength?: number; maxLength?: number } = {}) =>
  fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), ...constraints });

async function until(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("server: the order book over HTTP", () => {
  it("stores a signed listing once (201, then 200 with the same order) and answers it by hash", async () => {
    const { program, ada, post, request, count } = await setup();
    const listing = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
    const first = await post("listing", listing);
    expect(first.status).to.equal(201);
    expect(first.json).to.deep.include({ kind: "listing", orderHash: listing.orderHash, status: "open" });
    expect(first.json.order.price).to.equal("200");
    const again = await post("listing", listing);
    expect(again.status).to.equal(200);
    expect(again.json).to.deep.equal(first.json);
    expect(await count()).to.equal(1);
    const byHash = await request("GET", `/orders/${listing.orderHash}`);
    expect(byHash.json).to.deep.equal(first.json);
    const unknown = await request("GET", `/orders/0x${"ab".repeat(32)}`);
    expect(unknown.status).to.equal(404);
    expect(unknown.json.error.code).to.equal("not_found");
  });

  it("sorts listings of a series by price, pages them with a cursor, and picks the best per series", async () => {
    const { program, usd, ada, ben, cleo, post, request } = await setup();
    const prices = [
      [ada, 1n, 300n],
      [ben, 2n, 100n],
      [cleo, 3n, 200n],
    ] as const;
    for (const [member, edition, price] of prices)
      expect(
        (await post("listing", await listStamp(member, { program, tokenId: cup(edition), price, currency: program.points })))
          .status,
      ).to.equal(201);
    await post("listing", await listStamp(ada, { program, tokenId: cup(1n), price: 5_000n, currency: usd }));

    const first = await request("GET", `/listings?seriesId=${CUP}&currency=${program.points}&limit=2`);
    expect(first.json.orders.map((o: WireOrder) => o.order.price)).to.deep.equal(["100", "200"]);
    const second = await request(
      "GET",
      `/listings?seriesId=${CUP}&currency=${program.points}&limit=2&cursor=${first.json.nextCursor}`,
    );
    expect(second.json.orders.map((o: WireOrder) => o.order.price)).to.deep.equal(["300"]);
    expect(second.json.nextCursor).to.equal(undefined);
    const inUsd = await request("GET", `/listings?seriesId=${CUP}&currency=${usd}`);
    expect(inUsd.json.orders.map((o: WireOrder) => o.order.price)).to.deep.equal(["5000"]);
    expect((await request("GET", `/listings?seriesId=${CUP}`)).json.orders).to.deep.equal([]);

    const best = await request("GET", `/listings/best?currency=${program.points}`);
    expect(best.json.orders.map((o: WireOrder) => [o.order.tokenId, o.order.price])).to.deep.equal([[cup(2n).toString(), "100"]]);
    const bad = await request("GET", `/listings?seriesId=${CUP}&cursor=nonsense`);
    expect(bad.status).to.equal(400);
    expect(bad.json.error.code).to.equal("bad_cursor");
  });

  it("answers offers per stamp and per series (highest first), swaps wanted, and a member's open orders", async () => {
    const { program, ada, ben, cleo, post, request } = await setup();
    const onSeries = await makeOffer(cleo, { program, seriesId: CUP, price: 150n, currency: program.points });
    const onStamp = await makeOffer(ben, { program, tokenId: cup(1n), price: 250n, currency: program.points });
    const onOther = await makeOffer(ada, { program, tokenId: cup(2n), price: 90n, currency: program.points });
    for (const offer of [onSeries, onStamp, onOther]) expect((await post("offer", offer)).status).to.equal(201);
    const swap = await proposeSwap(ada, { program, makerTokenId: cup(1n), wantedSeriesId: CUP });
    expect((await post("swap", swap)).status).to.equal(201);

    const forStamp = await request("GET", `/offers?tokenId=${cup(1n)}`);
    expect(forStamp.json.orders.map((o: WireOrder) => o.orderHash)).to.deep.equal([onStamp.orderHash, onSeries.orderHash]);
    const forSeries = await request("GET", `/offers?seriesId=${CUP}&limit=2`);
    expect(forSeries.json.orders.map((o: WireOrder) => o.order.price)).to.deep.equal(["250", "150"]);
    const rest = await request("GET", `/offers?seriesId=${CUP}&limit=2&cursor=${forSeries.json.nextCursor}`);
    expect(rest.json.orders.map((o: WireOrder) => o.order.price)).to.deep.equal(["90"]);
    expect((await request("GET", `/swaps?wantedSeriesId=${CUP}`)).json.orders.map((o: WireOrder) => o.orderHash)).to.deep.equal([
      swap.orderHash,
    ]);
    const adas = await request("GET", `/members/${ada.account.address.toLowerCase()}/orders`);
    expect(adas.json.orders.map((o: WireOrder) => o.kind).sort()).to.deep.equal(["offer", "swap"]);
    const both = await request("GET", `/offers?seriesId=${CUP}&tokenId=${cup(1n)}`);
    expect(both.status).to.equal(400);
    expect(both.json.error.message).to.contain("exactly one of tokenId and seriesId");
  });

  it("refuses, with a code and a sentence, and stores nothing: bad signature, expired, stale nonce, moved stamp, unfunded, price bounds, raised fees", async () => {
    const { program, ada, ben, cleo, post, count } = await setup();
    const listing = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
    const refusal = async (kind: "listing" | "offer" | "swap", signed: Signed<unknown>, code: string, text: string | RegExp) => {
      const { status, json } = await post(kind, signed);
      expect(status, code).to.equal(422);
      expect(json.error.code).to.equal(code);
      if (typeof text === "string") expect(json.error.message).to.contain(text);
      else expect(json.error.message).to.match(text);
    };
    await refusal("listing", { ...listing, order: { ...listing.order, price: 1n } }, "bad_signature", "is not");
    const other = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
    await refusal("listing", { ...listing, signature: other.signature }, "bad_signature", `on chain ${program.chainId}`);

    const soon = await listStamp(ada, {
      program,
      tokenId: cup(1n),
      price: 200n,
      currency: program.points,
      expiry: BigInt(await time.latest()) + 30n,
    });
    await time.increase(31);
    await refusal("listing", soon, "expired", /^It expired at/);

    const bumped = await listStamp(ben, { program, tokenId: cup(2n), price: 200n, currency: program.points });
    await cancelAllOrders(ben, { program });
    await refusal("listing", bumped, "nonce_bumped", "cancelled all their orders");

    const sold = await listStamp(cleo, { program, tokenId: cup(3n), price: 200n, currency: program.points });
    const sameStamp = await listStamp(cleo, { program, tokenId: cup(3n), price: 300n, currency: program.points });
    await buyStamp(ada, { program, listing: sold });
    await refusal("listing", sameStamp, "stamp_moved", `Stamp ${cup(3n)} is no longer`);

    const offer = await makeOffer(ben, { program, seriesId: CUP, price: 400n, currency: program.points });
    await ben.writeContract({ address: program.points, abi: erc20Abi, functionName: "approve", args: [program.market, 0n] });
    await refusal("offer", offer, "unfunded", "lets the Market spend 0");

    const base = { ...listing.order, salt: randomSalt() };
    await refusal(
      "listing",
      await rawListing(ada, program, { ...base, price: 0n, minSellerAmount: 0n }),
      "refused_by_market",
      /floor/i,
    );
    await refusal(
      "listing",
      await rawListing(ada, program, { ...base, minSellerAmount: 200n }),
      "fees_raised",
      "less than the 200 they signed for",
    );
    expect(await count()).to.equal(0);
  });

  it("refuses an order for a stamp that can never exist (422 naming the stamp and the series' supply), takes one for the last edition", async () => {
    const { program, ada, ben, post, count } = await setup();
    const domain = marketDomain(program);
    const sign = async (
      client: typeof ada,
      types: typeof offerTypes | typeof swapOrderTypes,
      primaryType: "Offer" | "SwapOrder",
      message: Record<string, unknown>,
    ) =>
      signTypedData(client, { account: client.account, domain, types, primaryType, message } as Parameters<
        typeof signTypedData
      >[1]);
    const impossible = cup(101n); // The Autumn Cup has at most 100 editions.
    const sentence = `Stamp ${impossible} can never exist: series ${CUP} has at most 100 editions`;

    const offer = await makeOffer(ben, { program, tokenId: cup(1n), price: 250n, currency: program.points });
    const offerOnImpossible = { ...offer.order, tokenId: impossible };
    const badOffer = { order: offerOnImpossible, signature: await sign(ben, offerTypes, "Offer", offerOnImpossible) };
    const swap = await proposeSwap(ada, { program, makerTokenId: cup(1n), wantedSeriesId: CUP });
    const swapForImpossible = { ...swap.order, wantedTokenId: impossible };
    const badSwap = { order: swapForImpossible, signature: await sign(ada, swapOrderTypes, "SwapOrder", swapForImpossible) };
    const listing = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
    const badListing = await rawListing(ada, program, { ...listing.order, tokenId: impossible, salt: randomSalt() });
    const editionZero = await rawListing(ada, program, { ...listing.order, tokenId: cup(0n), salt: randomSalt() });
    for (const [kind, signed, text] of [
      ["offer", badOffer, sentence],
      ["swap", badSwap, sentence],
      ["listing", badListing, sentence],
      ["listing", editionZero, `Stamp ${cup(0n)} can never exist`],
    ] as const) {
      const { status, json } = await post(kind, signed as Signed<unknown>);
      expect(status, kind).to.equal(422);
      expect(json.error.code, kind).to.equal("impossible_stamp");
      expect(json.error.message, kind).to.contain(text);
    }
    expect(await count()).to.equal(0);

    // The last edition of the series can still be minted: an offer on it is a fair order.
    const lastEdition = { ...offer.order, tokenId: cup(100n), salt: randomSalt() };
    const fair = { order: lastEdition, signature: await sign(ben, offerTypes, "Offer", lastEdition) };
    expect((await post("offer", fair as Signed<unknown>)).status).to.equal(201);
  });

  it("refuses malformed requests with 400 naming the field, unknown routes with 404", async () => {
    const { program, ada, request, count } = await setup();
    const listing = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
    const wire = toWire({ kind: "listing", order: listing.order, signature: listing.signature });
    const cases: Array<[unknown, string, string]> = [
      [{ ...wire, order: { ...wire.order, price: "-1" } }, "invalid_request", "order.price"],
      [{ ...wire, order: { ...wire.order, price: (1n << 256n).toString() } }, "invalid_request", "2^256"],
      [{ ...wire, order: { ...wire.order, seller: "0x1234" } }, "invalid_request", "order.seller"],
      [{ ...wire, signature: "0xzz" }, "invalid_request", "signature"],
      [{ ...wire, kind: "auction" }, "invalid_request", "kind"],
      [{ ...wire, extra: 1 }, "invalid_request", "extra"],
      [{ kind: "listing", signature: wire.signature }, "invalid_request", "order"],
      ["{not json", "invalid_json", "not valid JSON"],
    ];
    for (const [body, code, text] of cases) {
      const { status, json } = await request("POST", "/orders", body);
      expect(status, text).to.equal(400);
      expect(json.error.code).to.equal(code);
      expect(json.error.message).to.contain(text);
    }
    const huge = await request("POST", "/orders", JSON.stringify({ pad: "x".repeat(100_000) }));
    expect(huge.status).to.equal(413);
    const route = await request("GET", "/nowhere");
    expect(route.status).to.equal(404);
    expect(route.json.error.code).to.equal("not_found");
    expect(await count()).to.equal(0);
  });
  it("refuses a repeated query parameter with 400 naming it, rather than guessing which one was meant", async () => {
    const { request } = await setup();
    const repeated = await request("GET", "/listings?seriesId=1&seriesId=2");
    expect(repeated.status).to.equal(400);
    expect(repeated.json.error.code).to.equal("invalid_request");
    expect(repeated.json.error.message).to.contain("seriesId");
    const single = await request("GET", "/listings?seriesId=1");
    expect(single.status).to.equal(200);
  });

  it("refuses a body whose content type is not JSON's with 400 saying how to send it, never a 500; takes JSON with parameters", async () => {
    const { program, ada, server, count } = await setup();
    const listing = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
    const body = JSON.stringify(toWire({ kind: "listing", order: listing.order, signature: listing.signature }));
    const send = (contentType: string) =>
      server.app.request("/orders", { method: "POST", headers: { "content-type": contentType }, body });
    for (const contentType of ["text/plain", "application/json-seq", "application/json ; charset=utf-8", "application/json;"]) {
      const response = await send(contentType);
      expect(response.status, contentType).to.equal(400);
      const answer = (await response.json()) as Answer;
      expect(answer.error.code, contentType).to.equal("invalid_request");
      expect(answer.error.message, contentType).to.contain("Content-Type: application/json");
    }
    expect(await count()).to.equal(0);
    const accepted = await send("application/json; charset=utf-8");
    expect(accepted.status).to.equal(201);
    expect(await count()).to.equal(1);
  });
});

describe("server: limits", () => {
  it("answers 429 with Retry-After past the rate limit per client, and sends CORS headers only to configured origins", async () => {
    const { program, ben } = await loadFixture(marketProgram);
    const server = await startProgramServer({
      program,
      client: ben,
      db: ":memory:",
      port: 0,
      pollingInterval: 50,
      rateLimitPerMinute: 3,
      corsOrigins: ["https://app.example.com"],
    });
    try {
      const get = (origin?: string) => fetch(`${server.url}/health`, origin ? { headers: { origin } } : {});
      const allowed = await get("https://app.example.com");
      expect(allowed.headers.get("access-control-allow-origin")).to.equal("https://app.example.com");
      expect((await get("https://evil.example.com")).headers.get("access-control-allow-origin")).to.equal(null);
      expect((await get()).status).to.equal(200);
      // Three requests so far; of four more at least one is refused, even if a minute turns in between.
      const more = [await get(), await get(), await get(), await get()];
      const limited = more.find((r) => r.status !== 200);
      expect(limited?.status).to.equal(429);
      expect(Number(limited!.headers.get("retry-after"))).to.be.within(1, 60);
      expect(((await limited!.json()) as Answer).error.code).to.equal("rate_limited");
    } finally {
      await server.close();
    }
  });
  it("answers 429 with Retry-After and a reason to a member past their orders per minute, stores nothing for it, and does not count posts forged in their name", async () => {
    let now = Date.UTC(2026, 10, 23, 12, 0, 15);
    const { program, ada, ben, post, count } = await setup({ memberRate: 2, clock: () => now });
    const a = getAddress(ada.account.address);
    const adaListing = (price: bigint) => listStamp(ada, { program, tokenId: cup(1n), price, currency: program.points });
    // Ben posts a listing of Ada's stamp signed by himself: refused as bad_signature, and not on Ada's count.
    const forged = await adaListing(150n);
    const benSigned = await listStamp(ben, { program, tokenId: cup(2n), price: 150n, currency: program.points });
    const refused = await post("listing", { ...forged, signature: benSigned.signature });
    expect(refused.json.error.code).to.equal("bad_signature");
    expect((await post("listing", await adaListing(200n))).status).to.equal(201);
    expect((await post("listing", await adaListing(210n))).status).to.equal(201);
    // Her third this minute: 429, with the seconds left in the minute and her address, and nothing stored.
    const over = await post("listing", await adaListing(220n));
    expect(over.status).to.equal(429);
    expect(over.json.error.code).to.equal("member_rate_limited");
    expect(over.json.error.message).to.contain(a).and.to.contain("wait 45 s");
    expect(await count()).to.equal(2);
    // Another member is not limited by Ada's count.
    expect((await post("listing", benSigned)).status).to.equal(201);
    // The next minute Ada may post again.
    now += 45_000;
    expect((await post("listing", await adaListing(230n))).status).to.equal(201);
    expect(await count()).to.equal(4);
  });

  it("refuses a member rate limit flag that is not a whole number, naming it", () => {
    const parsed = serveConfigSchema.safeParse({ ...validServeConfig, memberRate: "ten" });
    expect(parsed.success).to.equal(false);
    expect(parsed.error!.issues[0]!.message).to.contain("--member-rate");
    expect(serveConfigSchema.parse({ ...validServeConfig, memberRate: "10" }).memberRate).to.equal(10);
  });
});

describe("server: following the chain", () => {
  it("takes a listing out when it is filled, cancelled, its nonce bumped, its stamp moved or its time up, each with the reason", async () => {
    const { program, usd, ada, ben, cleo, server, post, request } = await setup();
    await server.book.follow({ pollingInterval: 20 });
    try {
      const status = async (hash: Hex) => (await request("GET", `/orders/${hash}`)).json;
      const filled = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
      const moved = await listStamp(ada, { program, tokenId: cup(1n), price: 250n, currency: program.points });
      const cancelled = await listStamp(ben, { program, tokenId: cup(2n), price: 200n, currency: program.points });
      const shortLived = await listStamp(cleo, {
        program,
        tokenId: cup(3n),
        price: 300n,
        currency: program.points,
        expiry: BigInt(await time.latest()) + 120n,
      });
      for (const [kind, o] of [
        ["listing", filled],
        ["listing", moved],
        ["listing", cancelled],
        ["listing", shortLived],
      ] as const)
        expect((await post(kind, o)).status).to.equal(201);
      const offer = await makeOffer(cleo, { program, seriesId: CUP, price: 500n, currency: program.points });
      expect((await post("offer", offer)).status).to.equal(201);

      await buyStamp(cleo, { program, listing: filled });
      await until(async () => (await status(filled.orderHash)).status === "filled", "the fill");
      expect((await status(filled.orderHash)).reason).to.contain(`Bought by ${getAddress(cleo.account.address)}`);
      // Posted again, a filled order is answered as stored, not refused.
      const repost = await post("listing", filled);
      expect(repost.status).to.equal(200);
      expect(repost.json.status).to.equal("filled");
      await until(async () => (await status(moved.orderHash)).status === "stale", "the stamp move");
      expect((await status(moved.orderHash)).reason).to.contain(`Stamp ${cup(1n)} is no longer`);

      await cancelOrder(ben, { program, order: { listing: cancelled } });
      await until(async () => (await status(cancelled.orderHash)).status === "cancelled", "the cancel");

      // Cleo spends her Points: her offer of 500 is no longer funded.
      const balance = await cleo.readContract({
        address: program.points,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [cleo.account.address],
      });
      await cleo.writeContract({
        address: program.points,
        abi: erc20Abi,
        functionName: "transfer",
        args: [ada.account.address, balance],
      });
      await until(async () => (await status(offer.orderHash)).status === "stale", "the balance gone");
      expect((await status(offer.orderHash)).reason).to.contain("less than the 500 offered");

      // An offer in a stablecoin (not a program contract): Ben's approval of it is withdrawn, then given again.
      const inUsd = await makeOffer(ben, { program, seriesId: CUP, price: 5_000n, currency: usd });
      expect((await post("offer", inUsd)).status).to.equal(201);
      await ben.writeContract({ address: usd, abi: erc20Abi, functionName: "approve", args: [program.market, 0n] });
      await until(async () => (await status(inUsd.orderHash)).status === "stale", "the stablecoin allowance gone");
      expect((await status(inUsd.orderHash)).reason).to.contain("lets the Market spend 0");
      await ben.writeContract({ address: usd, abi: erc20Abi, functionName: "approve", args: [program.market, 5_000n] });
      await until(async () => (await status(inUsd.orderHash)).status === "open", "the allowance given again");
      await ben.writeContract({ address: usd, abi: erc20Abi, functionName: "transfer", args: [ada.account.address, 10_000n] });
      await until(async () => (await status(inUsd.orderHash)).status === "stale", "the stablecoin balance gone");
      expect((await status(inUsd.orderHash)).reason).to.contain("less than the 5000 offered");

      await time.increase(121);
      await until(async () => (await status(shortLived.orderHash)).status === "expired", "the expiry");
      expect((await status(shortLived.orderHash)).reason).to.match(/^It expired at/);

      const bumped = await listStamp(ben, { program, tokenId: cup(2n), price: 200n, currency: program.points });
      expect((await post("listing", bumped)).status).to.equal(201);
      await cancelAllOrders(ben, { program });
      await until(async () => (await status(bumped.orderHash)).status === "stale", "the nonce bump");
      expect((await status(bumped.orderHash)).reason).to.contain("cancelled all their orders");

      expect((await request("GET", `/listings?seriesId=${CUP}&currency=${program.points}`)).json.orders).to.deep.equal([]);
      expect((await request("GET", `/offers?seriesId=${CUP}`)).json.orders).to.deep.equal([]);
      // The follower applies blocks on its own clock: wait for it to reach the chain's head rather than race it.
      const head = await ben.getBlockNumber();
      await until(async () => (await server.book.lastBlock()) === head, `the book to reach block ${head}`);
    } finally {
      await server.book.stop();
    }
  });
});

describe("server: following the chain through a reorg", () => {
  it("reopens a listing whose fill left the chain, and takes it out again when the winning chain fills it", async () => {
    const { program, ada, cleo, ben, server, post, request } = await setup();
    await server.book.follow({ pollingInterval: 20 });
    try {
      const status = async (hash: Hex) => (await request("GET", `/orders/${hash}`)).json;
      const listing = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
      expect((await post("listing", listing)).status).to.equal(201);
      const head = await ada.getBlockNumber();
      await until(async () => (await server.book.lastBlock()) === head, "the book to reach the head");
      const beforeFill = await takeSnapshot();

      await buyStamp(cleo, { program, listing });
      await until(async () => (await status(listing.orderHash)).status === "filled", "the fill");

      // The fill's block leaves the chain: a longer chain without it wins.
      await beforeFill.restore();
      await mine(3);
      await until(async () => (await status(listing.orderHash)).status === "open", "the listing reopened");
      expect((await status(listing.orderHash)).reason).to.equal(undefined);
      expect(
        (await request("GET", `/listings?seriesId=${CUP}&currency=${program.points}`)).json.orders.map((o) => o.orderHash),
      ).to.include(listing.orderHash);

      // On the winning chain Ben buys it: taken out again, with his name.
      await buyStamp(ben, { program, listing });
      await until(async () => (await status(listing.orderHash)).status === "filled", "the fill on the winning chain");
      expect((await status(listing.orderHash)).reason).to.contain(`Bought by ${getAddress(ben.account.address)}`);
    } finally {
      await server.book.stop();
    }
  });
});

describe("server: the relayer", () => {
  it("use: a voucher for a sold-out series is refused 422 would_revert naming StampsSeriesSoldOut and its arguments; nothing charged", async () => {
    const { program, backend, ben, request } = await setup({ quota: 1 });
    // First Visit (series 2) has 100 editions, Ada's among them: the brand mints the other 99.
    const others = Array.from({ length: 99 }, (_, i) => getAddress(`0x${(i + 1).toString(16).padStart(40, "0")}`));
    await mintStamps(backend, { program, seriesId: JOURNEY, to: others });
    const voucher = await signVoucher(backend, { program, member: ben.account.address, journeyId: "first-visit", stamps: 1n });
    const refused = await request("POST", "/relay/redeemVoucher", {
      voucher: { order: voucher.order, signature: voucher.signature },
    });
    expect(refused.status).to.equal(422);
    expect(refused.json.error).to.deep.equal({
      code: "would_revert",
      message: "Series 2 has minted all 100 editions: create another series for more stamps.",
      revert: { errorName: "StampsSeriesSoldOut", args: ["2", "100"] },
    });
    // The action was handed back: Ben's one action of the day is still there for a voucher that pays points only.
    const points = await signVoucher(backend, { program, member: ben.account.address, journeyId: "first-visit", points: 10n });
    const paid = await request("POST", "/relay/redeemVoucher", {
      voucher: { order: points.order, signature: points.signature },
    });
    expect(paid.status).to.equal(200);
  });

  it("submits a member's voucher from the relayer key, within the member's daily quota, refusing what would revert", async () => {
    const { program, backend, ada, brand, request } = await setup({ quota: 2 });
    const member = ada.account.address;
    const nativeBefore = await ada.getBalance({ address: member });
    const voucher = await signVoucher(backend, { program, member, journeyId: "first-visit", points: 10n });
    const sent = await request("POST", "/relay/redeemVoucher", {
      voucher: { order: voucher.order, signature: voucher.signature },
    });
    expect(sent.status).to.equal(200);
    expect(sent.json).to.deep.include({ member: getAddress(member), remainingToday: 1 });
    const receipt = await ada.getTransactionReceipt({ hash: sent.json.hash });
    expect(receipt.from.toLowerCase()).to.equal(brand.account.address.toLowerCase());
    expect(await ada.getBalance({ address: member })).to.equal(nativeBefore);

    // The same voucher again would revert: refused with the SDK's sentence, and the quota is given back.
    const replay = await request("POST", "/relay/redeemVoucher", {
      voucher: { order: voucher.order, signature: voucher.signature },
    });
    expect(replay.status).to.equal(422);
    expect(replay.json.error.code).to.equal("would_revert");
    expect(replay.json.error.message.toLowerCase()).to.contain("redeemed");

    const second = await signVoucher(backend, { program, member, journeyId: "first-visit", points: 10n });
    const other = await request("POST", "/relay/redeemVoucher", {
      voucher: { order: second.order, signature: second.signature },
    });
    // first-visit pays once per member: this one reverts too; only sent actions count.
    expect(other.status).to.equal(422);
    const bad = await request("POST", "/relay/redeemVoucher", {
      voucher: { order: { ...toWire(voucher.order), stamps: "x" }, signature: voucher.signature },
    });
    expect(bad.status).to.equal(400);
    expect(bad.json.error.message).to.contain("voucher.order.stamps");
    expect((await request("POST", "/relay/mint", {})).json.error.code).to.equal("unknown_action");
  });

  for (const engine of databaseEngines()) {
    it(`${engine}: stops a member at the quota, and the count and the book survive a restart on the same database`, async () => {
      const fixture = await loadFixture(marketProgram);
      const { program, backend, members, brand, ada, ben } = fixture;
      const location = await freshDatabase(engine);
      const start = () =>
        startProgramServer({
          program,
          client: brand,
          db: location,
          port: 0,
          relayer: brand,
          quota: 1,
          relayPolicy: sponsorRich,
          pollingInterval: 20,
        });
      const first = await start();
      const client = createProgramServerClient(first.url);
      const member = members[3]!.account.address;
      const voucher = await signVoucher(backend, { program, member, journeyId: "first-visit", points: 1n });
      const sent = await client.relay("redeemVoucher", { voucher: { order: voucher.order, signature: voucher.signature } });
      expect(sent.remainingToday).to.equal(0);
      const listing = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
      const sold = await listStamp(ada, { program, tokenId: cup(1n), price: 300n, currency: program.points });
      await client.postOrder({ listing });
      await client.postOrder({ listing: sold });
      await first.close();

      // While the server is down the stamp is sold: the restarted server catches up from the block it remembered.
      await buyStamp(ben, { program, listing: sold });
      const second = await start();
      try {
        const again = createProgramServerClient(second.url);
        const refused = await signVoucher(backend, { program, member, journeyId: "first-visit", points: 1n });
        const error = await again
          .relay("redeemVoucher", { voucher: { order: refused.order, signature: refused.signature } })
          .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(ProgramServerError);
        expect(error).to.deep.include({ status: 429, code: "quota_exceeded" });
        await until(async () => (await again.order(sold.orderHash)).status === "filled", "the fill while down");
        await until(async () => (await again.order(listing.orderHash)).status === "stale", "the other listing of the sold stamp");
        expect((await again.listings({ seriesId: CUP, currency: program.points })).orders).to.deep.equal([]);
      } finally {
        await second.close();
      }
    });
  }

  it("answers 503 when no relayer key is configured", async () => {
    const { request } = await setup({ relay: false });
    const { status, json } = await request("POST", "/relay/redeemVoucher", {});
    expect(status).to.equal(503);
    expect(json.error.code).to.equal("relay_off");
  });
});

describe("server: the typed client, the OpenAPI document and malformed input", () => {
  it("the typed client posts and finds orders on a listening server; the answers match the OpenAPI schemas", async () => {
    const { program, ada, ben } = await loadFixture(marketProgram);
    const server = await startProgramServer({ program, client: ben, db: ":memory:", port: 0, pollingInterval: 50 });
    try {
      const client = createProgramServerClient(server.url);
      const listing = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
      const posted = await client.postOrder({ listing });
      expect(posted).to.deep.include({ kind: "listing", status: "open" });
      expect(posted.signed).to.deep.equal(listing);
      const { orders } = await client.listings({ seriesId: CUP, currency: program.points });
      expect(orders.map((o) => o.signed.orderHash)).to.deep.equal([listing.orderHash]);
      // What a buyer finds is what buyStamp takes.
      await buyStamp(ben, { program, listing: orders[0]!.signed as Signed<Listing> });
      const refused = await client
        .postOrder({ listing: { ...listing, order: { ...listing.order, price: 1n } } })
        .catch((e: unknown) => e);
      expect(refused).to.be.instanceOf(ProgramServerError).and.deep.include({ status: 422, code: "bad_signature" });
      expect((await client.health()).ok).to.equal(true);

      const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as OpenApi;
      // Read before the slow comparison below: a keep-alive socket idle past the server's 5 s timeout is reset.
      const raw = (await (await fetch(`${server.url}/orders/${listing.orderHash}`)).json()) as WireOrder;
      // A server serves the document of the routes it has: one without card payments has no /payments paths.
      const full = JSON.parse(JSON.stringify(openApiDocument())) as OpenApi;
      const payments = Object.keys(full.paths).filter((p) => p.startsWith("/payments/"));
      expect(payments).to.have.members([
        "/payments/stripe",
        "/payments/webhook",
        "/payments/receipts",
        "/payments/packages",
        "/payments/checkout",
      ]);
      for (const p of payments) delete full.paths[p];
      expect(doc).to.deep.equal(full);
      const ajv = new Ajv({ strict: false });
      const orderSchema = doc.paths["/orders"]!.post!.responses["201"]!.content["application/json"]!.schema;
      expect(ajv.validate(orderSchema, raw), ajv.errorsText()).to.equal(true);
      expect(ajv.validate(orderSchema, { ...raw, status: "lost" })).to.equal(false);
      const postSchema = doc.paths["/orders"]!.post!.requestBody.content["application/json"]!.schema;
      expect(ajv.validate(postSchema, toWire({ kind: "listing", order: listing.order, signature: listing.signature }))).to.equal(
        true,
      );
      expect(ajv.validate(postSchema, { kind: "listing", order: {}, signature: "0x00" })).to.equal(false);
    } finally {
      await server.close();
    }
  });

  it("answers 1,000 generated malformed requests with a 4xx JSON error, stores nothing and stays healthy", async function () {
    this.timeout(300_000);
    const { program, ada, request, count } = await setup();
    const listing = await listStamp(ada, { program, tokenId: cup(1n), price: 200n, currency: program.points });
    const wire = toWire({ kind: "listing", order: listing.order, signature: listing.signature });
    const junk = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.bigInt({ min: -(1n << 300n), max: 1n << 300n }).map(String),
      fc.constant((1n << 256n).toString()),
      fc.constant("-1"),
      fc.string({ unit: "grapheme" }),
      hex().map((h) => `0x${h}`),
    );
    const fields = Object.keys(wire.order);
    const body = fc.oneof(
      // One field of a valid order replaced by junk.
      fc
        .record({ field: fc.constantFrom(...fields), value: junk })
        .map(({ field, value }) => ({ ...wire, order: { ...wire.order, [field]: value } })),
      // A field missing.
      fc
        .constantFrom(...fields)
        .map((field) => ({ ...wire, order: Object.fromEntries(Object.entries(wire.order).filter(([k]) => k !== field)) })),
      // Bad signatures of the right shape.
      hex({ minLength: 130, maxLength: 130 }).map((h) => ({ ...wire, signature: `0x${h}` })),
      // Another chain's or Market's order: the signature no longer matches.
      fc
        .bigInt({ min: 1n, max: (1n << 255n) - 1n })
        .map((salt) => ({ ...wire, order: { ...wire.order, salt: `0x${salt.toString(16).padStart(64, "0")}` } })),
      fc.anything(),
      fc.string().map((s) => `{"kind":${s}`),
    );
    const paths = fc.constantFrom(
      "/orders",
      "/relay/redeemVoucher",
      "/relay/consentChange",
      "/relay/marketApproval",
      "/relay/buy",
      "/relay/acceptOffer",
      "/relay/swap",
      "/relay/cancel",
      "/relay/cancelAll",
      "/relay/redeem",
      "/relay/nothing",
    );
    // Never a valid value of the field it is put in: every GET must be refused.
    const notUint = junk.map(String).filter((v) => !/^(0|[1-9][0-9]{0,76})$/.test(v));
    const gets = fc.oneof(
      notUint.map((v) => `/listings?seriesId=${encodeURIComponent(v)}`),
      notUint.map((v) => `/offers?tokenId=${encodeURIComponent(v)}`),
      junk.map((v) => `/orders/${encodeURIComponent(String(v))}`),
      junk.map((v) => `/members/${encodeURIComponent(String(v))}/orders`),
      notUint.map((v) => `/listings?seriesId=1&limit=${encodeURIComponent(v)}`),
    );
    let seen = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.tuple(fc.constant("POST"), paths, body), fc.tuple(fc.constant("GET"), gets, fc.constant(undefined))),
        async ([method, path, payload]) => {
          const text =
            payload === undefined ? undefined : typeof payload === "string" ? payload : (JSON.stringify(payload) ?? "null");
          const { status, json } = await request(method, path, text);
          seen++;
          expect(status, `${method} ${path} ${text}`).to.be.within(400, 499);
          expect(json.error.code).to.be.a("string");
          expect(json.error.message).to.be.a("string");
        },
      ),
      { numRuns: 1_000 },
    );
    expect(seen).to.equal(1_000);
    expect(await count()).to.equal(0);
    expect((await request("GET", "/health")).json.ok).to.equal(true);
  });
});
