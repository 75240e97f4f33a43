/**
 * Chapter `relay`: a member with no native coin (Gia) buys a stamp through the program server: Eli posts his
 * listing, Gia finds it over HTTP and signs; the brand's relayer sends, and the server's book answers it filled.
 */
import { createWalletClient, custom, formatEther, isAddressEqual, publicActions } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  createProgramServerClient,
  getBalances,
  listStamp,
  marketAbi,
  rewardPoints,
  signPointsPermit,
  signPurchase,
  stampsAbi,
} from "../../index.js";
import { startProgramServer } from "../../server/start.js";
import type { DemoContext } from "./context.js";
import type { MarketChapterReturnType } from "./market.js";

/**
 * Starts the program server in this process, plays Gia's relayed purchase of Eli's stamp through it, and stops it.
 *
 * @example
 * await relayChapter(context, await marketChapter(context));
 */
export async function relayChapter(context: DemoContext, { cleoCup }: MarketChapterReturnType): Promise<void> {
  const { brand, backend, eli, names, program, config, series, step, say } = context;
  const cup = series.cup;

  step("a member with no native coin buys a stamp through the program server: she signs, the brand's relayer sends");
  // Gia's key lives in her own wallet (a local account) and has never held a wei: she can only sign.
  const gia = createWalletClient({
    account: privateKeyToAccount(generatePrivateKey()),
    chain: brand.chain,
    transport: custom({ request: brand.request }),
  }).extend(publicActions);
  const giaAddress = gia.account.address;
  names.set(giaAddress.toLowerCase(), "Gia");
  await rewardPoints(backend, { program, reason: "welcome-bonus", rewards: [{ member: giaAddress, amount: 150n }] });
  say(`Gia joined with 150 ${config.points.symbol} and ${formatEther(await gia.getBalance({ address: giaAddress }))} ETH`);
  // The program server (what `punchcard serve` runs), in this process on a loopback port: its order book in
  // memory, its relayer the brand's backend key.
  const server = await startProgramServer({
    program,
    client: brand,
    db: ":memory:",
    port: 0,
    relayer: backend,
    pollingInterval: 50,
  });
  try {
    say(`the program server is up at ${server.url}: an order book, and a relayer paying from the brand's key`);
    const market = createProgramServerClient(server.url);
    const forGia = await listStamp(eli, { program, tokenId: cleoCup, price: 100n, currency: program.points });
    const posted = await market.postOrder({ listing: forGia });
    say(`Eli posted a listing of stamp ${cleoCup} for 100 ${config.points.symbol} (POST /orders): ${posted.status}`);
    const { orders } = await market.listings({ seriesId: cup.seriesId, currency: program.points });
    const found = orders.find((o) => o.signed.orderHash === forGia.orderHash);
    if (found?.kind !== "listing") throw new Error("Eli's listing is not in the server's book");
    say(
      `Gia found it (GET /listings?seriesId=${cup.seriesId}): stamp ${found.signed.order.tokenId} for ${found.signed.order.price} ${config.points.symbol}, ${orders.length} open listing(s)`,
    );
    const purchase = await signPurchase(gia, { program, listing: found.signed });
    const permit = await signPointsPermit(gia, { program, value: found.signed.order.price });
    say(`Gia signed a purchase of it and a permit for exactly ${found.signed.order.price}, and sent both to POST /relay/buy`);
    const [sellerAmount, royaltyAmount, fee] = await brand.readContract({
      address: program.market,
      abi: marketAbi,
      functionName: "quoteSale",
      args: [cleoCup, program.points, found.signed.order.price],
    });
    const eliBefore = (await getBalances(brand, { program, member: eli.account.address })).points;
    const relayed = await market.relay("buy", { listing: found.signed, purchase, permit });
    const eliGot = (await getBalances(brand, { program, member: eli.account.address })).points - eliBefore;
    if (eliGot !== sellerAmount) throw new Error(`Eli got ${eliGot}, not the ${sellerAmount} quoted`);
    say(
      `the brand's relayer sent her permit and the match: Eli got ${eliGot}, the brand's royalty ${royaltyAmount}, fee ${fee} ${config.points.symbol}; Gia has ${relayed.remainingToday} relayed actions left today`,
    );
    for (let i = 0; i < 200 && (await market.order(forGia.orderHash)).status === "open"; i++)
      await new Promise((r) => setTimeout(r, 25));
    const after = await market.order(forGia.orderHash);
    if (after.status !== "filled") throw new Error(`the server says Eli's listing is ${after.status}, not filled`);
    say(`the server's book now answers Eli's listing as ${after.status}: ${after.reason?.replace(giaAddress, "Gia")}`);
  } finally {
    await server.close();
  }
  const giaNative = await gia.getBalance({ address: giaAddress });
  const giaSent = await gia.getTransactionCount({ address: giaAddress });
  const holder = await brand.readContract({ address: program.stamps, abi: stampsAbi, functionName: "ownerOf", args: [cleoCup] });
  if (!isAddressEqual(holder, giaAddress)) throw new Error(`the relayed sale went to ${holder}`);
  if (giaNative !== 0n || giaSent !== 0) throw new Error(`Gia paid gas: ${giaNative} wei, ${giaSent} transactions`);
  say(
    `Gia owns stamp ${cleoCup}, still holds ${formatEther(giaNative)} ETH and sent ${giaSent} transactions; the server stopped`,
  );
}
