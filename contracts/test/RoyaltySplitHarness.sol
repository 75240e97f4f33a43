// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RoyaltySplit} from "../libraries/RoyaltySplit.sol";

/// @title RoyaltySplitHarness
/// @notice Test-only: exposes the internal {RoyaltySplit.split} so it can be fuzzed on its own.
contract RoyaltySplitHarness {
    /// @notice See {RoyaltySplit.split}.
    function split(
        uint256 price,
        uint256 royaltyQuoted,
        uint256 feeBps
    ) external pure returns (uint256 sellerAmount, uint256 royaltyAmount, uint256 fee) {
        return RoyaltySplit.split(price, royaltyQuoted, feeBps);
    }
}
