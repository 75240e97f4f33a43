import {
  acceptOffer,
  fillSwap,
  proposeSwap,
  approveMarket,
  buyStamp,
  cancelAllOrders,
  cancelOrder,
  decodeStampId,
  encodeStampId,
  formatAmount,
  getMemberStamps,
  getProgramInfo,
  listStamp,
  makeOffer,
  quoteSale,
  signCancel,
  signCancelAll,
  signMarketApproval,
  signPointsPermit,
  signPurchase,
  stampsAbi,
  type AnyOrder,
  type BookEntry,
  type ExecuteResult,
  type CancellableOrder,
  type Listing,
  type Offer,
  type SignPointsPermitReturnType,
  type ProgramServerClient,
  type QuoteSaleReturnType,
  type SeriesInfo,
  type SwapOrder,
  type Signed,
  type Program,
  type WriteClient,
} from "@punchcard/sdk";
import { useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState, type FormEvent } from "react";
import { isAddressEqual, parseUnits, type Address, type Hex, type PublicClient } from "viem";
import { usePublicClient, useWalletClient } from "wagmi";
import { ActionStatus } from "../components/ActionStatus.js";
import { QueryError } from "../components/QueryError.js";
import { useAction } from "../components/useAction.js";
import { useAppConfig } from "../context.js";
import { errorSentence } from "../errors.js";
import { bookCaughtUp, programServerClient, relayed } from "../programServer.js";

type ListingEntry = { signed: Signed<Listing>; seriesId: bigint; edition: bigint };
/** An offer in the book, with the buyer's permit when they pay no gas (the relayer submits it on acceptance). */
type OfferEntry = { signed: Signed<Offer>; permit?: SignPointsPermitReturnType };

/**
 * The market: open listings per series from the program server's order book (buy one), offers (make one, accept
 * one on a stamp you hold), list a stamp (sign, post), and your open orders (cancel one or all). Before a purchase
 * or a listing is confirmed it shows how the price splits, from the Market's own quote (the SDK's quoteSale).
 *
 * Who pays the gas is chosen automatically: a member with no native coin acts through the brand's relayer
 * (they only sign, and the page says "Sponsored by <brand>"); a member with coin sends their own transactions,
 * and may tick "Let <brand> send it" to use the relayer instead.
 */
export function Market({ member }: { member: Address }) {
  const app = useAppConfig();
  const { program, units } = app;
  const client = usePublicClient();
  const wallet = useWalletClient();
  const server = useMemo(() => (app.serverUrl ? programServerClient(app.serverUrl) : undefined), [app.serverUrl]);
  const [preferRelay, setPreferRelay] = useState(false);
  const relayToggle = useId();

  const chain = useQuery({
    queryKey: ["market-chain", program.market, member],
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
  const tradable = useMemo(() => chain.data?.info.series.filter((s) => !s.soulbound) ?? [], [chain.data]);
  const book = useQuery({
    queryKey: ["market-book", app.serverUrl, member, tradable.map((s) => s.seriesId.toString()).join(",")],
    enabled: Boolean(server && chain.data),
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
        swaps: swaps.flatMap((page) => page.orders.flatMap((o) => (o.kind === "swap" ? [o.signed] : []))),
        mine: mine.orders,
      };
    },
  });

  if (!server)
    return (
      <>
        <h1>Market</h1>
        <p role="alert" className="message failed">
          This wallet was started without a program server (no serverUrl in program.json), so it cannot show or post orders.
        </p>
      </>
    );
  if (chain.isPending) return <p role="status">Reading the market from the chain…</p>;
  if (chain.isError) return <QueryError what="the market" error={chain.error} retry={() => void chain.refetch()} />;
  const { info, stamps, native, approved } = chain.data;
  const seriesOf = new Map(info.series.map((s) => [s.seriesId, s]));
  const noCoin = native === 0n;
  const sponsored = noCoin || preferRelay;
  const price = (amount: bigint) => formatAmount(amount, units.pointsDecimals, units.pointsSymbol);
  const context: TradeContext = {
    program,
    member,
    server,
    sponsored,
    brand: app.brand,
    approved,
    client: client!,
    writer: () => {
      if (!wallet.data) throw new Error("The wallet is not ready yet: try again in a moment.");
      return wallet.data;
    },
  };

  return (
    <>
      <h1>Market</h1>
      <section aria-labelledby="gas-title" className="card gas">
        <h2 id="gas-title" className="visually-hidden">
          Who pays the gas
        </h2>
        {noCoin ? (
          <p data-testid="gas-note">
            <strong>Sponsored by {app.brand}.</strong> You hold no {units.nativeSymbol}, so you only sign: {app.brand}&apos;s
            relayer sends each action and pays its gas.
          </p>
        ) : (
          <>
            <p data-testid="gas-note">
              {sponsored ? (
                <>
                  <strong>Sponsored by {app.brand}.</strong> You sign; {app.brand}&apos;s relayer sends and pays the gas.
                </>
              ) : (
                <>You send your own transactions and pay their gas in {units.nativeSymbol}.</>
              )}
            </p>
            <p>
              <input id={relayToggle} type="checkbox" checked={preferRelay} onChange={(e) => setPreferRelay(e.target.checked)} />{" "}
              <label htmlFor={relayToggle}>Let {app.brand} send my actions (sponsored)</label>
            </p>
          </>
        )}
      </section>

      {book.isPending ? (
        <p role="status">Reading the order book…</p>
      ) : book.isError ? (
        <QueryError what="the order book" error={book.error} retry={() => void book.refetch()} />
      ) : (
        <>
          <Listings
            context={context}
            series={tradable}
            listings={book.data.listings}
            format={price}
            nameOf={(a) => nameOf(app.testAccounts, a)}
          />
          <Sell
            context={context}
            stamps={stamps.filter((s) => seriesOf.get(s.seriesId)?.soulbound === false)}
            seriesOf={seriesOf}
            format={price}
          />
          <Offers
            context={context}
            series={tradable}
            offers={book.data.offers}
            myStamps={stamps.filter((s) => seriesOf.get(s.seriesId)?.soulbound === false).map((s) => s.tokenId)}
            seriesOf={seriesOf}
            format={price}
          />
          <Swaps
            context={context}
            series={tradable}
            swaps={book.data.swaps}
            myStamps={stamps.filter((s) => seriesOf.get(s.seriesId)?.soulbound === false)}
            seriesOf={seriesOf}
            format={price}
          />
          <MyOrders context={context} orders={book.data.mine} seriesOf={seriesOf} format={price} />
        </>
      )}
    </>
  );
}

interface TradeContext {
  program: Program;
  member: Address;
  server: ProgramServerClient;
  /** Through the brand's relayer (the member only signs), or sent by the member. */
  sponsored: boolean;
  brand: string;
  /** Whether the Market may move the member's stamps (needed to list or accept). */
  approved: boolean;
  client: PublicClient;
  writer: () => WriteClient;
}

/** A book entry in the form cancelOrder takes. */
function anyOrderOf(o: BookEntry): AnyOrder {
  return o.kind === "listing" ? { listing: o.signed } : o.kind === "offer" ? { offer: o.signed } : { swap: o.signed };
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

function nameOf(accounts: ReturnType<typeof useAppConfig>["testAccounts"], address: Address): string {
  const named = accounts?.find((a) => isAddressEqual(a.address, address));
  const short = `${address.slice(0, 6)}…${address.slice(-4)}`;
  return named ? `${named.name} (${short})` : short;
}

const editionText = (edition: bigint, series: SeriesInfo | undefined) =>
  `#${edition.toLocaleString("en-US")} of ${series?.maxSupply.toLocaleString("en-US") ?? "?"}`;

/**
 * An action's run function, followed by a wait until the program server has applied the transaction's block, so the
 * book the page reads again afterwards already shows the action. A failed action waits for the server to reach the
 * chain's head instead: the order may have just gone stale (its stamp moved a block ago), and the book read again
 * must already show that, not offer the same dead order a second time.
 */
function thenBook<Input>(context: TradeContext, run: (input: Input) => Promise<ExecuteResult | undefined>) {
  return async (input: Input) => {
    let result: ExecuteResult | undefined;
    try {
      result = await run(input);
    } catch (error) {
      const head = await context.client.getBlockNumber({ cacheTime: 0 }).catch(() => undefined);
      if (head !== undefined) await bookCaughtUp(context.server, head);
      throw error;
    }
    if (result) await bookCaughtUp(context.server, result.receipt.blockNumber);
    return result;
  };
}

/** Lets the Market move the member's stamps, if it may not yet: a signature for the relayer, or a transaction. */
async function ensureApproval(context: TradeContext): Promise<void> {
  if (context.approved) return;
  const writer = context.writer();
  if (context.sponsored) {
    const approval = await signMarketApproval(writer, { program: context.program });
    const { hash } = await context.server.relay("marketApproval", { approval });
    await relayed(context.client, hash);
  } else {
    await approveMarket(writer, { program: context.program });
  }
}

/** How a price splits, from the Market's quote; the member reads it before confirming. */
function QuoteFacts({
  quote,
  price,
  format,
  brand,
}: {
  quote: QuoteSaleReturnType;
  price: bigint;
  format: (n: bigint) => string;
  brand: string;
}) {
  return (
    <dl className="facts quote" data-testid="quote">
      <dt>Price</dt>
      <dd>{format(price)}</dd>
      <dt>Royalty to {brand}</dt>
      <dd data-testid="royalty">{format(quote.royaltyAmount)}</dd>
      <dt>Market fee</dt>
      <dd data-testid="fee">{format(quote.fee)}</dd>
      <dt>The seller receives</dt>
      <dd data-testid="seller-amount">{format(quote.sellerAmount)}</dd>
    </dl>
  );
}

function SponsorNote({ context }: { context: TradeContext }) {
  return context.sponsored ? (
    <p className="sponsor">Sponsored by {context.brand}: you sign, its relayer sends it and pays the gas.</p>
  ) : (
    <p className="sponsor">You send this transaction and pay its gas.</p>
  );
}

function Listings({
  context,
  series,
  listings,
  format,
  nameOf,
}: {
  context: TradeContext;
  series: SeriesInfo[];
  listings: ListingEntry[];
  format: (n: bigint) => string;
  nameOf: (a: Address) => string;
}) {
  const app = useAppConfig();
  const [chosen, setChosen] = useState<{ listing: ListingEntry; quote: QuoteSaleReturnType } | undefined>();
  const [quoteError, setQuoteError] = useState<string | undefined>();
  const label = (l: ListingEntry) =>
    `Buy ${series.find((s) => s.seriesId === l.seriesId)?.name ?? "stamp"} ${editionText(
      l.edition,
      series.find((s) => s.seriesId === l.seriesId),
    )}${context.sponsored ? ` (sponsored by ${context.brand})` : ""}`;
  const buy = useAction(
    label,
    thenBook(context, async (l: ListingEntry) => {
      const writer = context.writer();
      const program = app.program;
      if (context.sponsored) {
        const purchase = await signPurchase(writer, { program, listing: l.signed });
        const permit = await signPointsPermit(writer, { program, value: l.signed.order.price });
        const { hash } = await context.server.relay("buy", { listing: l.signed, purchase, permit });
        return relayed(context.client, hash);
      }
      return buyStamp(writer, { program, listing: l.signed });
    }),
  );
  const review = async (listing: ListingEntry) => {
    setQuoteError(undefined);
    buy.reset();
    try {
      const { tokenId, price, currency } = listing.signed.order;
      setChosen({ listing, quote: await quoteSale(context.client, { program: app.program, tokenId, price, currency }) });
    } catch (error) {
      setChosen(undefined);
      setQuoteError(errorSentence(error));
    }
  };
  return (
    <section aria-labelledby="listings-title">
      <h2 id="listings-title">For sale</h2>
      {series.map((s) => {
        const open = listings.filter((l) => l.seriesId === s.seriesId);
        return (
          <section key={s.seriesId.toString()} aria-labelledby={`series-${s.seriesId}`} className="card">
            <h3 id={`series-${s.seriesId}`}>{s.name}</h3>
            {open.length === 0 ? (
              <p>Nothing listed in this series.</p>
            ) : (
              <ul className="orders">
                {open.map((l) => {
                  const mine = isAddressEqual(l.signed.order.seller, context.member);
                  return (
                    <li key={l.signed.orderHash} data-testid="listing" data-token={l.signed.order.tokenId.toString()}>
                      <span>
                        {editionText(l.edition, s)} · <strong>{format(l.signed.order.price)}</strong> · from{" "}
                        {mine ? "you" : nameOf(l.signed.order.seller)}
                      </span>
                      {!mine && (
                        <button
                          type="button"
                          disabled={buy.busy}
                          onClick={() => void review(l)}
                          aria-label={`Buy ${s.name} ${editionText(l.edition, s)} for ${format(l.signed.order.price)}`}
                        >
                          Buy
                        </button>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        );
      })}
      {quoteError && (
        <p role="alert" className="message failed">
          This listing cannot be bought: {quoteError}
        </p>
      )}
      {chosen && (
        <div role="group" aria-label="Confirm the purchase" className="confirm card">
          <p>
            Buy{" "}
            {editionText(
              chosen.listing.edition,
              series.find((s) => s.seriesId === chosen.listing.seriesId),
            )}{" "}
            for {format(chosen.listing.signed.order.price)}?
          </p>
          <QuoteFacts quote={chosen.quote} price={chosen.listing.signed.order.price} format={format} brand={context.brand} />
          <SponsorNote context={context} />
          <button
            type="button"
            className="primary"
            disabled={buy.busy}
            onClick={() => buy.run(chosen.listing, { onSettled: () => setChosen(undefined) })}
          >
            Confirm purchase
          </button>
          <button type="button" disabled={buy.busy} onClick={() => setChosen(undefined)}>
            Cancel
          </button>
        </div>
      )}
      <ActionStatus state={buy.state} />
    </section>
  );
}

/** A labelled choice of one of the program's tradable series (its id as the value). */
function SeriesPicker(props: {
  id: string;
  label: string;
  series: SeriesInfo[];
  value: string;
  onChange: (seriesId: string) => void;
}) {
  return (
    <p>
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.series.map((s) => (
          <option key={s.seriesId.toString()} value={s.seriesId.toString()}>
            {s.name}
          </option>
        ))}
      </select>
    </p>
  );
}

/** A form's input problem, announced as it appears; nothing when there is none. */
function FormProblem({ problem }: { problem: string | undefined }) {
  return problem ? (
    <p role="alert" className="message failed">
      {problem}
    </p>
  ) : null;
}

function parsePrice(text: string, decimals: number): bigint | string {
  const trimmed = text.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return `"${text}" is not an amount: write a number such as 100.`;
  const value = parseUnits(trimmed, decimals);
  return value > 0n ? value : "The price must be more than 0.";
}

function Sell({
  context,
  stamps,
  seriesOf,
  format,
}: {
  context: TradeContext;
  stamps: Array<{ tokenId: bigint; seriesId: bigint; edition: bigint }>;
  seriesOf: Map<bigint, SeriesInfo>;
  format: (n: bigint) => string;
}) {
  const app = useAppConfig();
  const ids = { stamp: useId(), price: useId() };
  const [tokenId, setTokenId] = useState(stamps[0]?.tokenId.toString() ?? "");
  const [priceText, setPriceText] = useState("");
  const [review, setReview] = useState<{ tokenId: bigint; price: bigint; quote: QuoteSaleReturnType } | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const list = useAction(
    (r: { tokenId: bigint; price: bigint }) => `List stamp ${r.tokenId} for ${format(r.price)}`,
    async ({ tokenId, price }: { tokenId: bigint; price: bigint }) => {
      // The approval first (a standing permission, not an order), then the signature, then the post: if the
      // signature is refused nothing is posted, and if the server refuses, the signed listing is dropped here.
      await ensureApproval(context);
      const listing = await listStamp(context.writer(), { program: app.program, tokenId, price, currency: app.program.points });
      await context.server.postOrder({ listing });
      return undefined;
    },
  );
  if (stamps.length === 0)
    return (
      <section aria-labelledby="sell-title">
        <h2 id="sell-title">Sell a stamp</h2>
        <p>You hold no tradable stamp.</p>
      </section>
    );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    list.reset();
    const price = parsePrice(priceText, app.units.pointsDecimals);
    if (typeof price === "string") return setProblem(price);
    const id = BigInt(tokenId);
    try {
      setReview({
        tokenId: id,
        price,
        quote: await quoteSale(context.client, { program: app.program, tokenId: id, price, currency: app.program.points }),
      });
    } catch (error) {
      setProblem(errorSentence(error));
    }
  };
  return (
    <section aria-labelledby="sell-title">
      <h2 id="sell-title">Sell a stamp</h2>
      <form className="card form" onSubmit={(e) => void submit(e)}>
        <p>
          <label htmlFor={ids.stamp}>Stamp</label>
          <select id={ids.stamp} value={tokenId} onChange={(e) => setTokenId(e.target.value)}>
            {stamps.map((s) => (
              <option key={s.tokenId.toString()} value={s.tokenId.toString()}>
                {seriesOf.get(s.seriesId)?.name ?? `Series ${s.seriesId}`} {editionText(s.edition, seriesOf.get(s.seriesId))}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label htmlFor={ids.price}>Price ({app.units.pointsSymbol})</label>
          <input id={ids.price} inputMode="decimal" value={priceText} onChange={(e) => setPriceText(e.target.value)} />
        </p>
        <button type="submit" disabled={list.busy}>
          Review the listing
        </button>
        <FormProblem problem={problem} />
      </form>
      {review && (
        <div role="group" aria-label="Confirm the listing" className="confirm card">
          <p>
            List stamp {review.tokenId.toString()} for {format(review.price)}? You sign it; the order book shows it to buyers.
          </p>
          <QuoteFacts quote={review.quote} price={review.price} format={format} brand={context.brand} />
          {!context.approved && <SponsorNote context={context} />}
          <button
            type="button"
            className="primary"
            disabled={list.busy}
            onClick={() => list.run(review, { onSettled: () => setReview(undefined) })}
          >
            Sign and post the listing
          </button>
          <button type="button" disabled={list.busy} onClick={() => setReview(undefined)}>
            Cancel
          </button>
        </div>
      )}
      <ActionStatus state={list.state} />
    </section>
  );
}

function Offers({
  context,
  series,
  offers,
  myStamps,
  seriesOf,
  format,
}: {
  context: TradeContext;
  series: SeriesInfo[];
  offers: OfferEntry[];
  myStamps: bigint[];
  seriesOf: Map<bigint, SeriesInfo>;
  format: (n: bigint) => string;
}) {
  const app = useAppConfig();
  const program = app.program;
  const ids = { series: useId(), edition: useId(), price: useId() };
  const [seriesId, setSeriesId] = useState(series[0]?.seriesId.toString() ?? "");
  const [editionText_, setEdition] = useState("");
  const [priceText, setPriceText] = useState("");
  const [problem, setProblem] = useState<string | undefined>();
  const make = useAction(
    (o: { seriesId: bigint; tokenId?: bigint; price: bigint }) =>
      `Offer ${format(o.price)} on ${o.tokenId === undefined ? (seriesOf.get(o.seriesId)?.name ?? "a series") : `stamp ${o.tokenId}`}`,
    async (o: { seriesId: bigint; tokenId?: bigint; price: bigint }) => {
      // The book takes an offer only if the buyer's points are there for it: an allowance raised by makeOffer (a
      // transaction), or, sponsored, a permit for the price that lasts as long as the offer, which the book keeps
      // and the brand's relayer submits when the offer is accepted. Both signatures come before anything is posted.
      const writer = context.writer();
      const offer = await makeOffer(writer, {
        program,
        ...(o.tokenId === undefined ? { seriesId: o.seriesId } : { tokenId: o.tokenId }),
        price: o.price,
        currency: program.points,
        approve: !context.sponsored,
      });
      const permit = context.sponsored
        ? await signPointsPermit(writer, { program, value: o.price, deadline: offer.order.expiry })
        : undefined;
      await context.server.postOrder(permit ? { offer, permit } : { offer });
      return undefined;
    },
  );
  // An offer backed by the buyer's permit is accepted through the relayer, which submits the permit with the trade.
  const relays = (offer: OfferEntry) => context.sponsored || offer.permit !== undefined;
  const accept = useAction(
    (a: { offer: OfferEntry; tokenId: bigint }) =>
      `Accept ${format(a.offer.signed.order.price)} for stamp ${a.tokenId}${relays(a.offer) ? ` (sponsored by ${context.brand})` : ""}`,
    thenBook(context, async ({ offer, tokenId }: { offer: OfferEntry; tokenId: bigint }) => {
      await ensureApproval(context);
      const writer = context.writer();
      if (!relays(offer)) return acceptOffer(writer, { program, offer: offer.signed, tokenId });
      // Relayed: the seller signs a listing at the offer's price, and the relayer matches the two.
      const listing = await listStamp(writer, {
        program,
        tokenId,
        price: offer.signed.order.price,
        currency: offer.signed.order.currency,
      });
      const { hash } = await context.server.relay("acceptOffer", { offer: offer.signed, listing });
      return relayed(context.client, hash);
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    const price = parsePrice(priceText, app.units.pointsDecimals);
    if (typeof price === "string") return setProblem(price);
    const edition = editionText_.trim();
    if (edition !== "" && !/^[1-9]\d*$/.test(edition)) return setProblem(`"${edition}" is not an edition number.`);
    const sid = BigInt(seriesId);
    make.run({ seriesId: sid, price, ...(edition === "" ? {} : { tokenId: encodeStampId(sid, BigInt(edition)) }) });
  };
  const forMe = offers.flatMap((o) => {
    if (isAddressEqual(o.signed.order.buyer, context.member)) return [];
    const fits = myStamps.filter((t) =>
      o.signed.order.tokenId === 0n ? decodeStampId(t).seriesId === o.signed.order.seriesId : t === o.signed.order.tokenId,
    );
    return fits.length ? [{ offer: o, tokenId: fits[0]! }] : [];
  });
  return (
    <section aria-labelledby="offers-title">
      <h2 id="offers-title">Offers</h2>
      {forMe.length > 0 && (
        <ul className="orders">
          {forMe.map(({ offer, tokenId }) => (
            <li key={offer.signed.orderHash} data-testid="offer-for-me">
              <span>
                {format(offer.signed.order.price)} offered for stamp {tokenId.toString()}
              </span>
              <button type="button" disabled={accept.busy} onClick={() => accept.run({ offer, tokenId })}>
                Accept
              </button>
            </li>
          ))}
        </ul>
      )}
      <ActionStatus state={accept.state} />
      <form className="card form" onSubmit={submit} aria-labelledby="offer-form-title">
        <h3 id="offer-form-title">Make an offer</h3>
        <SeriesPicker id={ids.series} label="Series" series={series} value={seriesId} onChange={setSeriesId} />
        <p>
          <label htmlFor={ids.edition}>Edition (empty: any stamp of the series)</label>
          <input id={ids.edition} inputMode="numeric" value={editionText_} onChange={(e) => setEdition(e.target.value)} />
        </p>
        <p>
          <label htmlFor={ids.price}>Your offer ({app.units.pointsSymbol})</label>
          <input id={ids.price} inputMode="decimal" value={priceText} onChange={(e) => setPriceText(e.target.value)} />
        </p>
        {context.sponsored && (
          <p className="sponsor">
            Sponsored by {context.brand}: you sign the offer and a permit for its price; when it is accepted, its relayer sends
            both and pays the gas.
          </p>
        )}
        <button type="submit" disabled={make.busy}>
          Make the offer
        </button>
        <FormProblem problem={problem} />
      </form>
      <ActionStatus state={make.state} />
    </section>
  );
}

function Swaps({
  context,
  series,
  swaps,
  myStamps,
  seriesOf,
  format,
}: {
  context: TradeContext;
  series: SeriesInfo[];
  swaps: Array<Signed<SwapOrder>>;
  myStamps: Array<{ tokenId: bigint; seriesId: bigint; edition: bigint }>;
  seriesOf: Map<bigint, SeriesInfo>;
  format: (n: bigint) => string;
}) {
  const { program } = context;
  const ids = { give: useId(), series: useId(), edition: useId() };
  const [give, setGive] = useState(myStamps[0]?.tokenId.toString() ?? "");
  const [seriesId, setSeriesId] = useState(series[0]?.seriesId.toString() ?? "");
  const [edition, setEdition] = useState("");
  const [problem, setProblem] = useState<string | undefined>();
  const stampText = (tokenId: bigint) => {
    const { seriesId, edition } = decodeStampId(tokenId);
    return `${seriesOf.get(seriesId)?.name ?? "stamp"} ${editionText(edition, seriesOf.get(seriesId))}`;
  };
  const propose = useAction(
    (p: { makerTokenId: bigint; wantedSeriesId: bigint; wantedTokenId?: bigint }) =>
      `Propose a swap of ${stampText(p.makerTokenId)}${context.sponsored && !context.approved ? ` (sponsored by ${context.brand})` : ""}`,
    async (p: { makerTokenId: bigint; wantedSeriesId: bigint; wantedTokenId?: bigint }) => {
      await ensureApproval(context);
      const swap = await proposeSwap(context.writer(), { program, ...p });
      await context.server.postOrder({ swap });
      return undefined;
    },
  );
  const accept = useAction(
    (a: { swap: Signed<SwapOrder>; takerTokenId: bigint }) =>
      `Swap ${stampText(a.takerTokenId)} for ${stampText(a.swap.order.makerTokenId)}${context.sponsored ? ` (sponsored by ${context.brand})` : ""}`,
    thenBook(context, async ({ swap, takerTokenId }: { swap: Signed<SwapOrder>; takerTokenId: bigint }) => {
      await ensureApproval(context);
      const writer = context.writer();
      if (!context.sponsored) return fillSwap(writer, { program, swap, takerTokenId });
      // Relayed: the taker signs the counter-order and a permit for at most its fees; the relayer matches both.
      const counterOrder = await proposeSwap(writer, {
        program,
        makerTokenId: takerTokenId,
        wantedTokenId: swap.order.makerTokenId,
      });
      const permit = await signPointsPermit(writer, { program, value: counterOrder.order.maxFees });
      const { hash } = await context.server.relay("swap", { order: swap, counterOrder, permit });
      return relayed(context.client, hash);
    }),
  );
  const forMe = swaps.flatMap((swap) => {
    if (isAddressEqual(swap.order.maker, context.member)) return [];
    const fits = myStamps.filter((s) =>
      swap.order.wantedTokenId === 0n ? s.seriesId === swap.order.wantedSeriesId : s.tokenId === swap.order.wantedTokenId,
    );
    return fits.length ? [{ swap, takerTokenId: fits[0]!.tokenId }] : [];
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    const wanted = edition.trim();
    if (wanted !== "" && !/^[1-9]\d*$/.test(wanted)) return setProblem(`"${wanted}" is not an edition number.`);
    const sid = BigInt(seriesId);
    propose.run({
      makerTokenId: BigInt(give),
      wantedSeriesId: sid,
      ...(wanted === "" ? {} : { wantedTokenId: encodeStampId(sid, BigInt(wanted)) }),
    });
  };
  return (
    <section aria-labelledby="swaps-title">
      <h2 id="swaps-title">Swaps</h2>
      {forMe.length > 0 && (
        <ul className="orders">
          {forMe.map(({ swap, takerTokenId }) => (
            <li key={swap.orderHash} data-testid="swap-for-me">
              <span>
                {stampText(swap.order.makerTokenId)} for your {stampText(takerTokenId)}; you pay at most{" "}
                {format(swap.order.maxFees)} (the swap fee and {context.brand}&apos;s royalty)
              </span>
              <button type="button" disabled={accept.busy} onClick={() => accept.run({ swap, takerTokenId })}>
                Accept the swap
              </button>
            </li>
          ))}
        </ul>
      )}
      <ActionStatus state={accept.state} />
      {myStamps.length === 0 ? (
        <p>You hold no tradable stamp to swap.</p>
      ) : (
        <form className="card form" onSubmit={submit}>
          <p>
            <label htmlFor={ids.give}>Stamp to give</label>
            <select id={ids.give} value={give} onChange={(e) => setGive(e.target.value)}>
              {myStamps.map((s) => (
                <option key={s.tokenId.toString()} value={s.tokenId.toString()}>
                  {stampText(s.tokenId)}
                </option>
              ))}
            </select>
          </p>
          <SeriesPicker id={ids.series} label="Series wanted" series={series} value={seriesId} onChange={setSeriesId} />
          <p>
            <label htmlFor={ids.edition}>Edition wanted (empty: any)</label>
            <input id={ids.edition} inputMode="numeric" value={edition} onChange={(e) => setEdition(e.target.value)} />
          </p>
          <button type="submit" disabled={propose.busy}>
            Sign and post the swap
          </button>
          <FormProblem problem={problem} />
        </form>
      )}
      <ActionStatus state={propose.state} />
    </section>
  );
}

function MyOrders({
  context,
  orders,
  seriesOf,
  format,
}: {
  context: TradeContext;
  orders: BookEntry[];
  seriesOf: Map<bigint, SeriesInfo>;
  format: (n: bigint) => string;
}) {
  const app = useAppConfig();
  const program = app.program;
  const describe = (o: BookEntry) => {
    if (o.kind === "listing") {
      const { seriesId, edition } = decodeStampId(o.signed.order.tokenId);
      return `Listing of ${seriesOf.get(seriesId)?.name ?? "a stamp"} ${editionText(edition, seriesOf.get(seriesId))} for ${format(o.signed.order.price)}`;
    }
    if (o.kind === "offer")
      return `Offer of ${format(o.signed.order.price)} on ${seriesOf.get(o.signed.order.seriesId)?.name ?? "a series"}`;
    return `Swap of stamp ${o.signed.order.makerTokenId}`;
  };
  const cancel = useAction(
    (o: BookEntry) => `Cancel: ${describe(o)}${context.sponsored ? ` (sponsored by ${context.brand})` : ""}`,
    thenBook(context, async (o: BookEntry) => {
      const writer = context.writer();
      if (!context.sponsored) return cancelOrder(writer, { program, order: anyOrderOf(o) });
      const order = { kind: o.kind, ...o.signed } as CancellableOrder & { orderHash: Hex };
      const { hash } = await context.server.relay("cancel", { cancellation: await signCancel(writer, { program, order }) });
      return relayed(context.client, hash);
    }),
  );
  const cancelAll = useAction(
    () => `Cancel all your orders${context.sponsored ? ` (sponsored by ${context.brand})` : ""}`,
    thenBook(context, async () => {
      const writer = context.writer();
      if (!context.sponsored) return cancelAllOrders(writer, { program });
      const { hash } = await context.server.relay("cancelAll", { cancellation: await signCancelAll(writer, { program }) });
      return relayed(context.client, hash);
    }),
  );
  const busy = cancel.busy || cancelAll.busy;
  return (
    <section aria-labelledby="mine-title">
      <h2 id="mine-title">Your open orders</h2>
      {orders.length === 0 ? (
        <p data-testid="no-orders">You have no open orders.</p>
      ) : (
        <>
          <ul className="orders">
            {orders.map((o) => (
              <li key={o.signed.orderHash} data-testid="my-order">
                <span>{describe(o)}</span>
                <button type="button" disabled={busy} onClick={() => cancel.run(o)}>
                  Cancel
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="danger" disabled={busy} onClick={() => cancelAll.run(undefined)}>
            Cancel all my orders
          </button>
        </>
      )}
      <ActionStatus state={cancel.state} />
      <ActionStatus state={cancelAll.state} />
    </section>
  );
}
