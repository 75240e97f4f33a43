import {
  decodeStampId,
  getMemberStamps,
  getProgramInfo,
  pointsAbi,
  stampsAbi,
  type BookEntry,
  type Listing,
  type Offer,
  type Program,
  type ProgramServerClient,
  type SeriesInfo,
  type Signed,
  type SignPointsPermitReturnType,
  type SwapOrder,
} from "@punchcard/sdk";
import { queryOptions } from "@tanstack/react-query";
import type { Address, Hex, PublicClient } from "viem";
import { postedOffers } from "./postedOffers.js";

/** A listing in the book, with the series and edition of its stamp. */
export interface ListingEntry {
  signed: Signed<Listing>;
  seriesId: bigint;
  edition: bigint;
}

/** An offer in the book, with the buyer's permit when they pay no gas (the relayer submits it on acceptance). */
export interface OfferEntry {
  signed: Signed<Offer>;
  permit?: SignPointsPermitReturnType;
}

/** The market's query keys, one place: what each read depends on. */
export const marketQueryKeys = {
  chain: (program: Program, member: Address) => ["market-chain", program.market, member] as const,
  book: (serverUrl: string | undefined, member: Address, series: readonly SeriesInfo[]) =>
    ["market-book", serverUrl, member, series.map((s) => s.seriesId.toString()).join(",")] as const,
  ended: (serverUrl: string | undefined, member: Address, open: readonly Hex[]) =>
    ["market-ended-offers", serverUrl, member, open.join(",")] as const,
};

/**
 * What the page reads from the chain: the program (its series), the member's stamps, their native coin (none: they
 * are sponsored) and whether the Market may move their stamps.
 */
export function marketChainQueryOptions(
  client: PublicClient | undefined,
  { program, member }: { program: Program; member: Address },
) {
  return queryOptions({
    queryKey: marketQueryKeys.chain(program, member),
    enabled: Boolean(client),
    queryFn: async () => {
      const [info, stamps, native, approved] = await Promise.all([
        getProgramInfo(client!, { program }),
        getMemberStamps(client!, { program, member }),
        client!.getBalance({ address: member }),
        client!.readContract({
          address: program.stamps,
          abi: stampsAbi,
          functionName: "isApprovedForAll",
          args: [member, program.market],
        }),
      ]);
      return { info, stamps, native, approved };
    },
  });
}

/**
 * What the page reads from the program server's order book: the open listings, offers and swaps of each tradable
 * series, and the member's own open orders.
 */
export function marketBookQueryOptions(
  server: ProgramServerClient | undefined,
  {
    serverUrl,
    program,
    member,
    tradable,
    enabled,
  }: { serverUrl: string | undefined; program: Program; member: Address; tradable: readonly SeriesInfo[]; enabled: boolean },
) {
  return queryOptions({
    queryKey: marketQueryKeys.book(serverUrl, member, tradable),
    enabled: Boolean(server && enabled),
    queryFn: async () => {
      const [listings, offers, swaps, mine] = await Promise.all([
        Promise.all(tradable.map((s) => server!.listings({ seriesId: s.seriesId, currency: program.points }))),
        Promise.all(tradable.map((s) => server!.offers({ seriesId: s.seriesId }))),
        Promise.all(tradable.map((s) => server!.swaps({ wantedSeriesId: s.seriesId }))),
        server!.ordersOf(member),
      ]);
      return {
        listings: listings.flatMap((page) => page.orders.flatMap(listingOf)),
        offers: offers.flatMap((page) => page.orders.flatMap(offerOf)),
        swaps: swaps.flatMap((page) => page.orders.flatMap(swapOf)),
        mine: mine.orders,
      };
    },
  });
}

function listingOf(entry: BookEntry): ListingEntry[] {
  if (entry.kind !== "listing") return [];
  const { seriesId, edition } = decodeStampId(entry.signed.order.tokenId);
  return [{ signed: entry.signed, seriesId, edition }];
}

function offerOf(entry: BookEntry): OfferEntry[] {
  if (entry.kind !== "offer") return [];
  return [{ signed: entry.signed, ...(entry.permit ? { permit: entry.permit } : {}) }];
}

function swapOf(entry: BookEntry): Array<Signed<SwapOrder>> {
  return entry.kind === "swap" ? [entry.signed] : [];
}

/** An offer of the member's that left the book, and why. */
export interface EndedOffer {
  signed: Signed<Offer>;
  /** Accepted; or ended because the permit it relied on was used by the acceptance of another offer. */
  why: "accepted" | "permit-used";
}

/**
 * The member's offers this browser posted that are no longer open: the accepted ones, and those that went stale
 * because an acceptance used the one permit they relied on (its nonce is below the member's Points nonce now: the
 * chain says so, not the server's sentence). Other endings (cancelled, expired) are the member's own doing or shown
 * when they happen, and are left out.
 */
export function endedOffersQueryOptions(
  server: ProgramServerClient | undefined,
  {
    serverUrl,
    client,
    program,
    member,
    open,
  }: { serverUrl: string | undefined; client: PublicClient; program: Program; member: Address; open: Hex[] },
) {
  return queryOptions({
    queryKey: marketQueryKeys.ended(serverUrl, member, open),
    enabled: Boolean(server),
    queryFn: async (): Promise<EndedOffer[]> => {
      const isOpen = new Set(open.map((h) => h.toLowerCase()));
      const closed = postedOffers(program, member).filter((h) => !isOpen.has(h.toLowerCase()));
      if (closed.length === 0) return [];
      const [nonce, entries] = await Promise.all([
        client.readContract({ address: program.points, abi: pointsAbi, functionName: "nonces", args: [member] }),
        Promise.all(closed.map((hash) => server!.order(hash).catch(() => undefined))),
      ]);
      return entries.flatMap((entry): EndedOffer[] => {
        if (entry?.kind !== "offer") return [];
        if (entry.status === "filled") return [{ signed: entry.signed, why: "accepted" }];
        if (entry.status === "stale" && entry.permit !== undefined && entry.permit.message.nonce < nonce)
          return [{ signed: entry.signed, why: "permit-used" }];
        return [];
      });
    },
  });
}
