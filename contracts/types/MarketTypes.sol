// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title MarketTypes
/// @notice The signed messages of the Market (EIP-712 domain "Punchcard Market", version "1"): each struct with its
/// TYPEHASH beside it and the function that hashes it.
/// @dev Clients rebuild these type strings from the same field lists, in the same order (`sdk/src/types/orders.ts`,
/// `test/helpers/marketOrders.ts`); the tests compare the hashes with the Market's {IMarket-hashListing} and its
/// siblings, so the two cannot drift. Fields are encoded in the order of their TYPEHASH string.
/// Each order is nine static words, hashed straight from calldata. An address word with dirty high bits hashes as
/// it is, but never fills: the Market reads every address field through Solidity, which reverts on it.
library MarketTypes {
    /// @notice A member's signed offer to sell one stamp at a fixed price (signed off-chain, no gas to list).
    /// @param seller Holder of the stamp and signer of the listing (an EOA or an ERC-1271 contract wallet).
    /// @param tokenId The stamp for sale.
    /// @param price What the buyer pays, in `currency` units; the royalty and the market fee come out of it.
    /// @param minSellerAmount The least the seller accepts to receive once the royalty and the market fee are taken:
    /// if the brand raises either after signing, the listing stops filling ({IMarketErrors-MarketSellerAmountTooLow})
    /// instead of paying the seller less than they signed for. The SDK signs what the rules pay when listing.
    /// @param currency `address(0)` for the chain's native coin, the program's Points, or an allowlisted ERC-20.
    /// @param expiry Last second (unix time) at which the listing can be filled.
    /// @param nonce The seller's cancel-all counter ({IMarket-nonces}) when signing.
    /// @param tokenNonce The stamp's {IStamps-transferCount} when signing: once the stamp moves, the listing is dead,
    /// even if the stamp comes back. It is also what makes a filled listing unfillable.
    /// @param salt Any value, so that two otherwise identical listings have distinct hashes.
    struct Listing {
        address seller;
        uint256 tokenId;
        uint256 price;
        uint256 minSellerAmount;
        address currency;
        uint256 expiry;
        uint256 nonce;
        uint256 tokenNonce;
        bytes32 salt;
    }

    bytes32 internal constant LISTING_TYPEHASH = keccak256(
        "Listing(address seller,uint256 tokenId,uint256 price,uint256 minSellerAmount,address currency,uint256 expiry,"
        "uint256 nonce,uint256 tokenNonce,bytes32 salt)"
    );

    /// @notice A member's signed bid for one stamp, or for any stamp of a series, paid in an ERC-20.
    /// @param buyer Payer and signer of the offer; receives the stamp.
    /// @param seriesId The series the stamp must belong to.
    /// @param tokenId The one stamp wanted, or 0 for any stamp of `seriesId` (stamp ids are never 0).
    /// @param price What the buyer pays, in `currency` units; the royalty and the market fee come out of it.
    /// @param maxFees The most royalty + market fee the sale may take out of `price`, i.e. the most the holder who
    /// accepts pays in fees: if the brand raises either after signing, the offer stops filling
    /// ({IMarketErrors-MarketFeesTooHigh}) instead of paying the seller less than the order promised.
    /// @param currency The program's Points or an allowlisted ERC-20; never the native coin, which cannot be pulled.
    /// @param expiry Last second (unix time) at which the offer can be accepted.
    /// @param nonce The buyer's cancel-all counter ({IMarket-nonces}) when signing.
    /// @param salt Any value, so that two otherwise identical offers have distinct hashes.
    struct Offer {
        address buyer;
        uint256 seriesId;
        uint256 tokenId;
        uint256 price;
        uint256 maxFees;
        address currency;
        uint256 expiry;
        uint256 nonce;
        bytes32 salt;
    }

    bytes32 internal constant OFFER_TYPEHASH = keccak256(
        "Offer(address buyer,uint256 seriesId,uint256 tokenId,uint256 price,uint256 maxFees,address currency,"
        "uint256 expiry,uint256 nonce,bytes32 salt)"
    );

    /// @notice A member's signed proposal "my stamp for one of yours".
    /// @param maker Holder of `makerTokenId` and signer of the order.
    /// @param makerTokenId The stamp the maker gives.
    /// @param makerTokenNonce The maker stamp's {IStamps-transferCount} when signing (single use, like a listing).
    /// @param wantedSeriesId The series the taker's stamp must belong to.
    /// @param wantedTokenId The one stamp wanted, or 0 for any stamp of `wantedSeriesId`.
    /// @param maxFees The most Points the taker pays for the swap (swap fee + royalty): if the brand raises either after
    /// signing, the order stops filling ({IMarketErrors-MarketFeesTooHigh}) instead of charging more than it shows.
    /// @param expiry Last second (unix time) at which the swap can be filled.
    /// @param nonce The maker's cancel-all counter ({IMarket-nonces}) when signing.
    /// @param salt Any value, so that two otherwise identical swap orders have distinct hashes.
    struct SwapOrder {
        address maker;
        uint256 makerTokenId;
        uint256 makerTokenNonce;
        uint256 wantedSeriesId;
        uint256 wantedTokenId;
        uint256 maxFees;
        uint256 expiry;
        uint256 nonce;
        bytes32 salt;
    }

    bytes32 internal constant SWAP_ORDER_TYPEHASH = keccak256(
        "SwapOrder(address maker,uint256 makerTokenId,uint256 makerTokenNonce,uint256 wantedSeriesId,"
        "uint256 wantedTokenId,uint256 maxFees,uint256 expiry,uint256 nonce,bytes32 salt)"
    );

    /// @notice A signer's cancellation of one of their orders ({IMarket-cancelListingBySig} and its siblings): the
    /// order's signer signs it, anyone submits it. One-shot: a cancelled order cannot be cancelled again.
    /// @param orderHash The order's full EIP-712 digest, so it already names this chain and this Market.
    /// @param deadline Last second (unix time) the cancellation may be submitted.
    struct CancelOrder {
        bytes32 orderHash;
        uint256 deadline;
    }

    bytes32 internal constant CANCEL_ORDER_TYPEHASH = keccak256("CancelOrder(bytes32 orderHash,uint256 deadline)");

    /// @notice A signer's cancellation of all their open orders ({IMarket-incrementNonceBySig}): the signer signs
    /// their current {IMarket-nonces}, so the signature is spent the moment it is used.
    /// @param signer Whose orders to cancel.
    /// @param nonce The signer's cancel-all counter now.
    /// @param deadline Last second (unix time) the cancellation may be submitted.
    struct CancelAllOrders {
        address signer;
        uint256 nonce;
        uint256 deadline;
    }

    bytes32 internal constant CANCEL_ALL_TYPEHASH =
        keccak256("CancelAllOrders(address signer,uint256 nonce,uint256 deadline)");

    /// @notice EIP-712 struct hash of a listing.
    /// @param listing The listing as the seller signed it.
    /// @return The struct hash, still to be wrapped in the Market's EIP-712 domain before it can be signed.
    function hash(Listing calldata listing) internal pure returns (bytes32) {
        bytes32 typehash = LISTING_TYPEHASH;
        bytes32 digest;
        // Nine static words, laid out in calldata exactly as `abi.encode` would lay them out after the typehash.
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, typehash)
            calldatacopy(add(ptr, 0x20), listing, 0x120)
            digest := keccak256(ptr, 0x140)
        }
        return digest;
    }

    /// @notice EIP-712 struct hash of an offer.
    /// @param offer The offer as the buyer signed it.
    /// @return The struct hash, still to be wrapped in the Market's EIP-712 domain before it can be signed.
    function hash(Offer calldata offer) internal pure returns (bytes32) {
        bytes32 typehash = OFFER_TYPEHASH;
        bytes32 digest;
        // Nine static words, laid out in calldata exactly as `abi.encode` would lay them out after the typehash.
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, typehash)
            calldatacopy(add(ptr, 0x20), offer, 0x120)
            digest := keccak256(ptr, 0x140)
        }
        return digest;
    }

    /// @notice EIP-712 struct hash of a swap order.
    /// @param order The swap order as the maker signed it.
    /// @return The struct hash, still to be wrapped in the Market's EIP-712 domain before it can be signed.
    function hash(SwapOrder calldata order) internal pure returns (bytes32) {
        bytes32 typehash = SWAP_ORDER_TYPEHASH;
        bytes32 digest;
        // Nine static words, laid out in calldata exactly as `abi.encode` would lay them out after the typehash.
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, typehash)
            calldatacopy(add(ptr, 0x20), order, 0x120)
            digest := keccak256(ptr, 0x140)
        }
        return digest;
    }

    /// @notice EIP-712 struct hash of a cancellation of one order.
    /// @param message The cancellation as its order's signer signed it.
    /// @return The struct hash, still to be wrapped in the Market's EIP-712 domain before it can be signed.
    function hash(CancelOrder memory message) internal pure returns (bytes32) {
        return keccak256(abi.encode(CANCEL_ORDER_TYPEHASH, message.orderHash, message.deadline));
    }

    /// @notice EIP-712 struct hash of a cancellation of all of a signer's orders.
    /// @param message The cancellation as the signer signed it.
    /// @return The struct hash, still to be wrapped in the Market's EIP-712 domain before it can be signed.
    function hash(CancelAllOrders memory message) internal pure returns (bytes32) {
        return keccak256(abi.encode(CANCEL_ALL_TYPEHASH, message.signer, message.nonce, message.deadline));
    }
}
