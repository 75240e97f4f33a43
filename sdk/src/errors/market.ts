import type { ContractErrorSentences } from "./types.js";
import { marketErrorAbi } from "../generated/errorAbi.js";
import { errorCatalog } from "./catalog.js";
import { stampsErrorCatalog } from "./stamps.js";
import { pointsErrorCatalog } from "./points.js";

/**
 * One sentence per custom error only the Market raises (its own, the royalty split's, SafeERC20's),
 * saying what happened and what to do.
 */
export const marketErrors = {
  MarketSignatureExpired: ([deadline]) =>
    `The signed cancellation expired at ${new Date(Number(deadline) * 1000).toISOString()}: ask the member to sign it again.`,
  MarketOrdersMismatch: ([listingCurrency, listingPrice, offerCurrency, offerPrice]) =>
    `The listing (${listingPrice} of ${listingCurrency}) and the offer (${offerPrice} of ${offerCurrency}) do not agree: match an offer signed at the listing's price and currency.`,
  MarketOrderExpired: ([expiry]) => `The order expired at ${new Date(Number(expiry) * 1000).toISOString()}: ask for a new one.`,
  MarketNonceMismatch: ([signer]) =>
    `${signer} cancelled all their orders since this one was signed: it can no longer be filled.`,
  MarketOrderCancelled: ([hash]) => `Order ${hash} was cancelled by its signer.`,
  MarketOrderFilled: ([hash]) => `Offer ${hash} was already accepted.`,
  MarketStaleOrder: ([tokenId]) =>
    `Stamp ${tokenId} has moved since the order was signed (sold, or given away): the order is dead.`,
  MarketNotHolder: ([account, tokenId]) => `${account} does not hold stamp ${tokenId}.`,
  MarketInvalidSignature: ([signer]) =>
    `The signature is not ${signer}'s over this order, on this chain and this Market: the order was altered or signed elsewhere.`,
  MarketCurrencyNotAllowed: ([currency]) => `${currency} is not a currency of this Market.`,
  MarketNativeCoinOffer: () => "Offers cannot be in the native coin: make them in Points or an allowed ERC-20.",
  MarketWrongPayment: ([expected, sent]) => `The payment must be exactly ${expected} wei of native coin (sent ${sent}).`,
  MarketStampNotWanted: ([tokenId]) => `Stamp ${tokenId} is not one the order asks for.`,
  MarketStampCannotExist: ([tokenId, seriesId, maxSupply]) =>
    `Stamp ${tokenId} can never exist: series ${seriesId} has at most ${maxSupply} editions, numbered from 1, so no order for it can fill.`,
  MarketNotSigner: ([caller, signer]) => `Only ${signer} can cancel this order, not ${caller}.`,
  MarketFeeTooHigh: ([bps, max]) => `A market fee of ${bps} basis points is above the cap of ${max}.`,
  MarketInvalidFeeRecipient: () => "The market fee needs a recipient other than the zero address.",
  MarketInvalidCurrency: ([currency]) =>
    `${currency} cannot be allowed or forbidden: the native coin and the program's Points always are currencies.`,
  MarketNothingOwed: ([account]) => `The Market owes ${account} nothing.`,
  MarketWithdrawFailed: ([to, amount]) => `Sending ${amount} wei to ${to} failed: withdraw to another address.`,
  MarketPriceBelowFloor: ([seriesId, currency, price, floor]) =>
    `A price of ${price} is below the floor of ${floor} the brand set for series ${seriesId} in ${currency}: the program is market-only with gifts off, so a cheaper sale would skip the royalty. List at ${floor} or more.`,
  MarketPriceAboveCeiling: ([seriesId, currency, price, ceiling]) =>
    `A price of ${price} is above the ceiling of ${ceiling} the brand set for series ${seriesId} in ${currency}: list at ${ceiling} or less.`,
  MarketRoyaltyTooLow: ([royaltyAmount, minimum]) =>
    royaltyAmount === 0n && minimum === 1n
      ? "This price is too low for the brand's royalty (it rounds to 0), and every trade pays one in this program: raise the price."
      : `This price pays the brand a royalty of ${royaltyAmount}, below the least of ${minimum} every trade pays in this program: raise the price.`,
  MarketNoSwapRoyalty: () =>
    "Swaps must pay the brand a royalty in Points here, and the brand has set none: ask it to set a minimum royalty in Points (setMinRoyalty), or sell the stamp instead.",
  MarketSellerAmountTooLow: ([sellerAmount, minSellerAmount]) =>
    `The royalty or market fee rose since this listing was signed: the seller would get ${sellerAmount}, less than the ${minSellerAmount} they signed for. Ask them to list again.`,
  MarketFeesTooHigh: ([fees, maxFees]) =>
    `The fees rose since this order was signed: they are ${fees} now, above the ${maxFees} it accepts. Ask its signer for a new one.`,
  MarketSwapFeeTooHigh: ([swapFee, max]) => `A swap fee of ${swapFee} is above the cap of ${max} (in Points' smallest unit).`,
  MarketInvalidPriceBounds: ([floor, ceiling]) =>
    `A floor of ${floor} above a ceiling of ${ceiling} would let nothing fill: use 0 for no ceiling.`,
  MarketTransferAmountMismatch: ([currency, to, expected, received]) =>
    `${currency} delivered ${received} to ${to} instead of ${expected} (a fee-on-transfer or rebasing token): the Market refuses it, ask the brand to disallow it.`,
  MarketNothingToSweep: ([balance, totalOwed]) =>
    `The Market holds ${balance} wei and owes ${totalOwed}: nothing beyond what it owes to sweep.`,
  MarketZeroAddress: () => "The Market needs the program's Stamps and Points addresses, not the zero address.",
  RoyaltySplitFeeTooHigh: ([feeBps]) => `A fee of ${feeBps} basis points is above 100 %.`,
  SafeERC20FailedOperation: ([token]) => `The token ${token} refused the transfer: check the balance and allowance.`,
} satisfies ContractErrorSentences<"market">;

/** The errors and sentences of the Market and, through it, of the contracts it calls: what an action calling it decodes a revert with. */
export const marketErrorCatalog = /* @__PURE__ */ errorCatalog(marketErrorAbi, marketErrors, [
  stampsErrorCatalog,
  pointsErrorCatalog,
]);
