// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Listing, LISTING_TYPEHASH, Offer, OFFER_TYPEHASH, SwapOrder, SWAP_ORDER_TYPEHASH} from "../interfaces/IMarket.sol";

/// @title OrderHashes
/// @notice EIP-712 struct hashes of the Market's signed orders.
/// @dev Fields are encoded in the order of their TYPEHASH string; keep both in step (the tests compare these hashes
/// with the ones ethers computes from `test/helpers/marketOrders.ts`). The Market wraps them in its domain.
/// Each order is nine static words, hashed straight from calldata. An address word with dirty high bits hashes as
/// it is, but never fills: the Market reads every address field through Solidity, which reverts on it.
library OrderHashes {
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
}
