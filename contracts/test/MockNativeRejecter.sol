// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IMarket} from "../interfaces/IMarket.sol";

/// @title MockNativeRejecter
/// @notice Test-only royalty or fee receiver with no `receive` and no `fallback`: every native-coin transfer to it
/// fails. It can still pull what the Market credited to it, to another address.
contract MockNativeRejecter {
    /// @notice Withdraws this contract's credit at `market` to `to`.
    function withdrawTo(IMarket market, address payable to) external {
        market.withdrawTo(to);
    }

    /// @notice Tries to withdraw to itself (which must fail: it rejects the coin).
    function withdraw(IMarket market) external {
        market.withdraw();
    }
}
