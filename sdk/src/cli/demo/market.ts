/**
 * Chapter `market`: members trade stamps on the Market: a sale for points, a sale for the native coin, and a
 * swap, each paying the brand's royalty (the program is market-only with gifts off).
 */
import { formatEther } from "viem";
import { approveMarket, buyStamp, encodeStampId, fillSwap, listStamp, proposeSwap, setMinRoyalty } from "../../index.js";
import type { DemoContext } from "./context.js";

export interface MarketChapterReturnType {
  /** Cleo's cup stamp, which Eli bought for the native coin and now holds (he lists it in the `relay` chapter). */
  cleoCup: bigint;
}

/**
 * Approves the Market for every member, sets the minimum royalty, then plays two sales and a swap.
 *
 * @example
 * const { cleoCup } = await marketChapter(context);
 */
export async function marketChapter(context: DemoContext): Promise<MarketChapterReturnType> {
  const { brand, members, ada, ben, cleo, dev, eli, program, config, series, step, say } = context;
  const cup = series.cup;
  step("members trade stamps: a sale for points, a sale for the native coin, and a swap");
  for (const m of members) await approveMarket(m, { program });
  say("each member approved the Market once (setApprovalForAll); listing itself costs no gas");
  await setMinRoyalty(brand, { program, currency: program.points, minRoyalty: 5n });
  say(
    `the program is market-only with gifts off, so every trade pays the royalty: the brand sets at least 5 ${config.points.symbol} per trade in points, which is also what a swap pays`,
  );
  const adaCup = encodeStampId(cup.seriesId, 1n);
  const forPoints = await listStamp(ada, { program, tokenId: adaCup, price: 120n, currency: program.points });
  say(`Ada signed a listing of stamp ${adaCup} for 120 ${config.points.symbol} (order ${forPoints.orderHash.slice(0, 10)}…)`);
  const sale1 = (await buyStamp(ben, { program, listing: forPoints })).sale;
  say(
    `Ben bought it: Ada got ${sale1.sellerAmount}, the brand's royalty ${sale1.royaltyAmount}, market fee ${sale1.fee} ${config.points.symbol}`,
  );
  const cleoCup = encodeStampId(cup.seriesId, 3n);
  const forCoin = await listStamp(cleo, { program, tokenId: cleoCup, price: 10n ** 17n });
  const sale2 = (await buyStamp(eli, { program, listing: forCoin })).sale;
  say(
    `Eli bought Cleo's stamp ${cleoCup} for ${formatEther(sale2.price)} ETH: royalty ${formatEther(sale2.royaltyAmount)} ETH to the treasury`,
  );
  const devCup = encodeStampId(cup.seriesId, 4n);
  const swap = await proposeSwap(dev, { program, makerTokenId: devCup, wantedTokenId: adaCup });
  const swapped = (await fillSwap(ben, { program, swap, takerTokenId: adaCup })).swap;
  say(
    `Dev and Ben swapped stamps ${swapped.makerTokenId} and ${swapped.takerTokenId} in one transaction; Ben paid the brand a royalty of ${swapped.royaltyAmount} ${config.points.symbol}`,
  );
  return { cleoCup };
}
