// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title RoyaltySplit
/// @notice How a sale's price is shared between the seller, the brand's royalty and the market fee.
/// @dev Rounding: the fee rounds down (any dust stays with the seller, never with the Market); the royalty is
/// what ERC-2981 returned (Stamps rounds it down too), clamped so that royalty + fee never exceed the price.
/// The seller gets the remainder, so `seller + royalty + fee == price` exactly, for every input.
library RoyaltySplit {
    /// @notice Basis points in a whole.
    uint256 internal constant BPS = 10_000;

    /// @notice A fee rate above 100 % would take more than the price.
    error RoyaltySplitFeeTooHigh(uint256 feeBps);

    /// @notice Splits `price` into the seller's share, the royalty and the market fee.
    /// @param price Total paid by the buyer.
    /// @param royaltyQuoted Royalty the ERC-2981 receiver asked for.
    /// @param feeBps Market fee rate in basis points, at most {BPS}.
    /// @return sellerAmount What the seller receives: `price - royaltyAmount - fee`.
    /// @return royaltyAmount `royaltyQuoted`, reduced if needed so that it fits in `price - fee`.
    /// @return fee `price * feeBps / BPS`, rounded down (exact even for prices near 2**256).
    function split(
        uint256 price,
        uint256 royaltyQuoted,
        uint256 feeBps
    ) internal pure returns (uint256 sellerAmount, uint256 royaltyAmount, uint256 fee) {
        if (feeBps > BPS) revert RoyaltySplitFeeTooHigh(feeBps);
        fee = bpsOf(price, feeBps);
        uint256 afterFee = price - fee;
        // The fee is ours and capped; a royalty receiver quoting more than what is left cannot push the sum past
        // the price, it just gets everything the fee leaves.
        royaltyAmount = royaltyQuoted > afterFee ? afterFee : royaltyQuoted;
        sellerAmount = afterFee - royaltyAmount;
    }

    /// @notice `amount * bps / BPS`, rounded down, exact for every amount: a fee, or Stamps' ERC-2981 royalty.
    /// @param amount A price.
    /// @param bps A rate in basis points (at most {BPS} for a share of the amount).
    /// @return The share, rounded down.
    function bpsOf(uint256 amount, uint256 bps) internal pure returns (uint256) {
        // Below 2**256 / BPS the product cannot overflow, and plain division is what mulDiv would return.
        unchecked {
            if (amount < type(uint256).max / BPS) return (amount * bps) / BPS;
        }
        return Math.mulDiv(amount, bps, BPS);
    }
}
