import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer, TypedDataDomain, TypedDataField } from "ethers";
import type { Market, Stamps } from "../../typechain-types";
import { listingTypes, offerTypes, swapOrderTypes } from "@punchcard/sdk";

/**
 * EIP-712 typed data of the Market's signed orders, for tests.
 *
 * The field lists are the SDK's, which follow `contracts/interfaces/IMarket.sol` (the `*_TYPEHASH` strings) in
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

/** A listing of `tokenId` by `seller` with the seller's current nonce and the stamp's current transfer count. */
export async function buildListing(
  market: Market,
  stamps: Stamps,
  seller: string,
  tokenId: bigint,
  fields: Partial<Listing> = {},
): Promise<Listing> {
  return {
    seller,
    tokenId,
    price: ethers.parseEther("1"),
    currency: NATIVE,
    expiry: await defaultExpiry(),
    nonce: await market.nonces(seller),
    tokenNonce: await stamps.transferCount(tokenId),
    salt: randomSalt(),
    ...fields,
  };
}

/** An offer by `buyer` for one stamp (`tokenId`) or any stamp of `seriesId` (`tokenId` 0). */
export async function buildOffer(
  market: Market,
  buyer: string,
  fields: Partial<Offer> & Pick<Offer, "seriesId" | "currency" | "price">,
): Promise<Offer> {
  return {
    buyer,
    tokenId: 0n,
    expiry: await defaultExpiry(),
    nonce: await market.nonces(buyer),
    salt: randomSalt(),
    ...fields,
  };
}

/** A swap order by `maker` giving `makerTokenId` for one stamp or any stamp of `wantedSeriesId`. */
export async function buildSwapOrder(
  market: Market,
  stamps: Stamps,
  maker: string,
  makerTokenId: bigint,
  fields: Partial<SwapOrder> & Pick<SwapOrder, "wantedSeriesId">,
): Promise<SwapOrder> {
  return {
    maker,
    makerTokenId,
    makerTokenNonce: await stamps.transferCount(makerTokenId),
    wantedTokenId: 0n,
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
