import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer, TypedDataDomain, TypedDataField } from "ethers";
import type { Market, Stamps } from "../../typechain-types";
import { listingTypes, offerTypes, swapOrderTypes } from "@punchcard/sdk";

/**
 * EIP-712 typed data of the Market's signed orders, for tests.
 *
 * The field lists are the SDK's, which follow `contracts/types/MarketTypes.sol` (the `*_TYPEHASH` strings) in
 * the same order. `Market.test.ts` checks that ethers' hash of each type equals the contract's `hash*` view, so
 * a drift between the SDK and the contract fails a test rather than every signature.
 */

export const MARKET_DOMAIN_NAME = "Punchcard Market";
export const MARKET_DOMAIN_VERSION = "1";

// One source of the field lists: the SDK's (sdk/src/types/orders.ts). ethers wants mutable arrays.
export const LISTING_TYPES: Record<string, TypedDataField[]> = { Listing: [...listingTypes.Listing] };
export const OFFER_TYPES: Record<string, TypedDataField[]> = { Offer: [...offerTypes.Offer] };
export const SWAP_ORDER_TYPES: Record<string, TypedDataField[]> = { SwapOrder: [...swapOrderTypes.SwapOrder] };

/** The native coin as an order currency. */
export const NATIVE = ethers.ZeroAddress;
/** Default lifetime of an order built by these helpers. */
export const ONE_DAY = 24n * 60n * 60n;

export interface Listing {
  seller: string;
  tokenId: bigint;
  price: bigint;
  minSellerAmount: bigint;
  currency: string;
  expiry: bigint;
  nonce: bigint;
  tokenNonce: bigint;
  salt: string;
}

export interface Offer {
  buyer: string;
  seriesId: bigint;
  tokenId: bigint;
  price: bigint;
  maxFees: bigint;
  currency: string;
  expiry: bigint;
  nonce: bigint;
  salt: string;
}

export interface SwapOrder {
  maker: string;
  makerTokenId: bigint;
  makerTokenNonce: bigint;
  wantedSeriesId: bigint;
  wantedTokenId: bigint;
  maxFees: bigint;
  expiry: bigint;
  nonce: bigint;
  salt: string;
}

/** The Market's EIP-712 domain; override `chainId` or `verifyingContract` to sign for somewhere else. */
export async function marketDomain(market: Market, overrides: Partial<TypedDataDomain> = {}): Promise<TypedDataDomain> {
  const { chainId } = await ethers.provider.getNetwork();
  return {
    name: MARKET_DOMAIN_NAME,
    version: MARKET_DOMAIN_VERSION,
    chainId,
    verifyingContract: await market.getAddress(),
    ...overrides,
  };
}

export function randomSalt(): string {
  return ethers.hexlify(ethers.randomBytes(32));
}

async function defaultExpiry(): Promise<bigint> {
  return BigInt(await time.latest()) + ONE_DAY;
}

/**
 * What the Market would pay the seller of `tokenId` at `price` now (its `quoteSale`), or 0 where the rules
 * refuse the price: the signed terms the SDK defaults to, and a listing that still reaches the rule under test.
 */
async function quotedSellerAmount(market: Market, tokenId: bigint, currency: string, price: bigint): Promise<bigint> {
  return market.quoteSale(tokenId, currency, price).then(
    ([sellerAmount]) => sellerAmount,
    () => 0n,
  );
}

/** The royalty + fee the Market would take from a sale at `price` now, or none (0) where the rules refuse it. */
async function quotedFees(market: Market, tokenId: bigint, currency: string, price: bigint): Promise<bigint> {
  return market.quoteSale(tokenId, currency, price).then(
    ([, royaltyAmount, fee]) => royaltyAmount + fee,
    () => 0n,
  );
}

/**
 * A listing of `tokenId` by `seller` with the seller's current nonce and the stamp's current transfer count; its
 * `minSellerAmount` is what the rules pay now (as the SDK signs), unless given.
 */
export async function buildListing(
  market: Market,
  stamps: Stamps,
  seller: string,
  tokenId: bigint,
  fields: Partial<Listing> = {},
): Promise<Listing> {
  const price = fields.price ?? ethers.parseEther("1");
  const currency = fields.currency ?? NATIVE;
  return {
    seller,
    tokenId,
    price,
    minSellerAmount: await quotedSellerAmount(market, tokenId, currency, price),
    currency,
    expiry: await defaultExpiry(),
    nonce: await market.nonces(seller),
    tokenNonce: await stamps.transferCount(tokenId),
    salt: randomSalt(),
    ...fields,
  };
}

/**
 * An offer by `buyer` for one stamp (`tokenId`) or any stamp of `seriesId` (`tokenId` 0); its `maxFees` is the
 * royalty + fee the rules take now (as the SDK signs), unless given.
 */
export async function buildOffer(
  market: Market,
  buyer: string,
  fields: Partial<Offer> & Pick<Offer, "seriesId" | "currency" | "price">,
): Promise<Offer> {
  const quotedStamp = fields.tokenId || fields.seriesId * 1_000_000_000n + 1n; // any stamp of the series quotes alike
  return {
    buyer,
    tokenId: 0n,
    maxFees: await quotedFees(market, quotedStamp, fields.currency, fields.price),
    expiry: await defaultExpiry(),
    nonce: await market.nonces(buyer),
    salt: randomSalt(),
    ...fields,
  };
}

/**
 * A swap order by `maker` giving `makerTokenId` for one stamp or any stamp of `wantedSeriesId`; its `maxFees` is the
 * swap fee + royalty the rules charge now (as the SDK signs), or 0 where they refuse the swap, unless given.
 */
export async function buildSwapOrder(
  market: Market,
  stamps: Stamps,
  maker: string,
  makerTokenId: bigint,
  fields: Partial<SwapOrder> & Pick<SwapOrder, "wantedSeriesId">,
): Promise<SwapOrder> {
  const wanted = fields.wantedTokenId || fields.wantedSeriesId * 1_000_000_000n + 1n;
  const maxFees = await market.quoteSwap(makerTokenId, wanted).then(
    ([fee, royalty]) => fee + royalty,
    () => 0n,
  );
  return {
    maker,
    makerTokenId,
    makerTokenNonce: await stamps.transferCount(makerTokenId),
    wantedTokenId: 0n,
    maxFees,
    expiry: await defaultExpiry(),
    nonce: await market.nonces(maker),
    salt: randomSalt(),
    ...fields,
  };
}

export function signListing(signer: Signer, domain: TypedDataDomain, listing: Listing): Promise<string> {
  return signer.signTypedData(domain, LISTING_TYPES, listing);
}

export function signOffer(signer: Signer, domain: TypedDataDomain, offer: Offer): Promise<string> {
  return signer.signTypedData(domain, OFFER_TYPES, offer);
}

export function signSwapOrder(signer: Signer, domain: TypedDataDomain, order: SwapOrder): Promise<string> {
  return signer.signTypedData(domain, SWAP_ORDER_TYPES, order);
}

export function listingHash(domain: TypedDataDomain, listing: Listing): string {
  return ethers.TypedDataEncoder.hash(domain, LISTING_TYPES, listing);
}

export function offerHash(domain: TypedDataDomain, offer: Offer): string {
  return ethers.TypedDataEncoder.hash(domain, OFFER_TYPES, offer);
}

export function swapOrderHash(domain: TypedDataDomain, order: SwapOrder): string {
  return ethers.TypedDataEncoder.hash(domain, SWAP_ORDER_TYPES, order);
}

/**
 * The "other" valid-looking ECDSA signature of the same message: s -> n - s and the recovery bit flipped.
 * Plain ecrecover accepts it; OpenZeppelin's ECDSA rejects it (high s), so it must not fill an order.
 */
export function malleate(signature: string): string {
  const sig = ethers.Signature.from(signature);
  const n = BigInt("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
  const highS = n - BigInt(sig.s);
  const v = sig.v === 27 ? 28 : 27;
  return ethers.concat([sig.r, ethers.toBeHex(highS, 32), ethers.toBeHex(v, 1)]);
}

/** The split RoyaltySplit computes (OZ ERC-2981 rounds the royalty down): fee rounds down, royalty clamped, seller gets the rest. */
export function expectedSplit(
  price: bigint,
  royaltyBps: bigint,
  feeBps: bigint,
): { sellerAmount: bigint; royaltyAmount: bigint; fee: bigint } {
  const fee = (price * feeBps) / 10_000n;
  const quoted = (price * royaltyBps) / 10_000n;
  const royaltyAmount = quoted > price - fee ? price - fee : quoted;
  return { sellerAmount: price - fee - royaltyAmount, royaltyAmount, fee };
}

/** The brand's rules as the Market applies them to a fill (see `Market._split`). */
export interface MarketRules {
  /** Stamps is market-only with gifts off: floors and minimum royalties apply. */
  unskippable: boolean;
  floor: bigint;
  /** 0: none. */
  ceiling: bigint;
  minRoyalty: bigint;
}

/**
 * What a fill at `price` pays under `rules`, or the custom error it reverts with: a model of the Market written
 * from its documentation, for property tests. The ceiling always applies; while the royalty is unskippable the
 * price must reach the floor (at least 1), the royalty is raised to the minimum out of the seller's share and must
 * fit in what the fee leaves, and a royalty that rounds to 0 at a non-zero rate is refused.
 */
export function expectedFill(
  price: bigint,
  royaltyBps: bigint,
  feeBps: bigint,
  rules: MarketRules,
): { error: string } | { sellerAmount: bigint; royaltyAmount: bigint; fee: bigint } {
  if (rules.ceiling !== 0n && price > rules.ceiling) return { error: "MarketPriceAboveCeiling" };
  if (rules.unskippable && price < (rules.floor === 0n ? 1n : rules.floor)) return { error: "MarketPriceBelowFloor" };
  const fee = (price * feeBps) / 10_000n;
  let royalty = (price * royaltyBps) / 10_000n;
  const minimum = rules.unskippable ? rules.minRoyalty : 0n;
  if (royalty < minimum) royalty = minimum;
  else if (rules.unskippable && royalty === 0n && royaltyBps !== 0n) return { error: "MarketRoyaltyTooLow" };
  const royaltyAmount = royalty > price - fee ? price - fee : royalty;
  if (royaltyAmount < minimum) return { error: "MarketRoyaltyTooLow" };
  return { sellerAmount: price - fee - royaltyAmount, royaltyAmount, fee };
}
