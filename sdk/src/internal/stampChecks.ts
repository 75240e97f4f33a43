import { marketErrorCatalog } from "../errors/market.js";
import { stampsErrorCatalog } from "../errors/stamps.js";
import { isAddressEqual, zeroAddress, type Address } from "viem";
import { readContract } from "viem/actions";
import { marketAbi, stampsAbi } from "../generated/abis.js";
import { InvalidArgumentError } from "../errors.js";
import type { Program, ReadClient } from "../program.js";
import { decodeStampId } from "../utils/stampId.js";
import { read } from "./read.js";

/**
 * Checks, before anything is signed or sent, that `holder` holds a tradable stamp and has approved the
 * Market; returns the stamp's transfer count (what a listing or swap order signs).
 */
export async function checkTradableStamp(
  client: ReadClient,
  program: Program,
  argument: string,
  tokenId: bigint,
  holder: Address,
): Promise<bigint> {
  const stamps = { address: program.stamps, abi: stampsAbi } as const;
  const owner = await read(client, { ...stamps, functionName: "ownerOf", args: [tokenId] }, [
    marketErrorCatalog,
    stampsErrorCatalog,
  ]);
  if (!isAddressEqual(owner, holder))
    throw new InvalidArgumentError(argument, `${tokenId} is held by ${owner}, not by ${holder}.`);
  const series = await readContract(client, { ...stamps, functionName: "series", args: [decodeStampId(tokenId).seriesId] });
  if (series.soulbound) throw new InvalidArgumentError(argument, `${tokenId} is soulbound: it can never be traded.`);
  const approved = await readContract(client, { ...stamps, functionName: "isApprovedForAll", args: [holder, program.market] });
  if (!approved) {
    throw new InvalidArgumentError(
      argument,
      `${tokenId} cannot be traded yet: the Market is not approved.`,
      "Call approveMarket(client, { program }) once first.",
    );
  }
  return readContract(client, { ...stamps, functionName: "transferCount", args: [tokenId] });
}

/** Checks orders may be priced in `currency` (native coin, the program's Points, or an allowlisted ERC-20). */
export async function checkCurrency(client: ReadClient, program: Program, currency: Address, native: boolean): Promise<void> {
  if (!native && isAddressEqual(currency, zeroAddress)) {
    throw new InvalidArgumentError(
      "currency",
      "cannot be the native coin for an offer: the Market cannot pull it.",
      "Offer in Points or a stablecoin.",
    );
  }
  const allowed = await readContract(client, {
    address: program.market,
    abi: marketAbi,
    functionName: "isCurrencyAllowed",
    args: [currency],
  });
  if (!allowed)
    throw new InvalidArgumentError(
      "currency",
      `${currency} is not a currency of this Market.`,
      "Ask the brand to allow it, or use Points.",
    );
}
