// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Listing, LISTING_TYPEHASH, Offer, OFFER_TYPEHASH, SwapOrder, SWAP_ORDER_TYPEHASH} from "../interfaces/IMarket.sol";

/// @title OrderHashes
/// @notice EIP-712 struct hashes of the Market's signed orders.
/// @dev Fields are encoded in the order of their TYPEHASH string; keep both in step (the tests compare these hashes
/// with the ones ethers computes from `test/helpers/marketOrders.ts`). The Market wraps them in its domain.
library OrderHashes {
    /// @notice EIP-712 struct hash of a listing.
    /// @param listing The listing as the seller signed it.
    /// @return The struct hash, still to be wrapped in the Market's EIP-712 domain before it can be signed.
    function hash(Listing calldata listing) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                LISTING_TYPEHASH,
                listing.seller,
                listing.tokenId,
                listing.price,
                listing.minSellerAmount,
                listing.currency,
                listing.expiry,
                listing.nonce,
                listing.tokenNonce,
                listing.salt
            )
        );
    }

    /// @notice EIP-712 struct hash of an offer.
    /// @param offer The offer as the buyer signed it.
    /// @return The struct hash, still to be wrapped in the Market's EIP-712 domain before it can be signed.
    function hash(Offer calldata offer) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                OFFER_TYPEHASH,
                offer.buyer,
                offer.seriesId,
                offer.tokenId,
                offer.price,
                offer.maxFees,
                offer.currency,
                offer.expiry,
                offer.nonce,
                offer.salt
            )
        );
    }

    /// @notice EIP-712 struct hash of a swap order.
    /// @param order The swap order as the maker signed it.
    /// @return The struct hash, still to be wrapped in the Market's EIP-712 domain before it can be signed.
    function hash(SwapOrder calldata order) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                SWAP_ORDER_TYPEHASH,
                order.maker,
                order.makerTokenId,
                order.makerTokenNonce,
                order.wantedSeriesId,
                order.wantedTokenId,
                order.maxFees,
                order.expiry,
                order.nonce,
                order.salt
            )
        );
    }
}
