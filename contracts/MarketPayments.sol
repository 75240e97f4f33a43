// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IMarket} from "./interfaces/IMarket.sol";

/// @title MarketPayments
/// @notice The native-coin payments of Punchcard's stamp market: each share of a sale is pushed to its recipient
/// with limited gas, and a push that fails is credited to the recipient, who withdraws it later (pull over push).
/// @dev The part of {Market} that owes money, as OpenZeppelin's old `PullPayment` was: no receiver can block a sale,
/// and every wei the Market holds is in {owed} (coin forced in without a call aside, which {Market-sweep} sends on).
/// Withdrawals work while paused, so a pause never locks anyone's money in.
abstract contract MarketPayments is IMarket, ReentrancyGuardTransient {
    /// @notice Gas given to each native-coin push. Enough for a smart-contract wallet's `receive` (a Safe, an
    /// ERC-4337 account), too little for a receiver to grief the fill; a push that fails is credited instead.
    uint256 public constant PUSH_GAS_LIMIT = 50_000;

    /// @inheritdoc IMarket
    mapping(address account => uint256) public owed;
    /// @inheritdoc IMarket
    uint256 public totalOwed;

    /// @inheritdoc IMarket
    /// @dev Works while paused: a pause must never lock anyone's money in.
    function withdraw() external nonReentrant {
        _withdraw(payable(msg.sender));
    }

    /// @inheritdoc IMarket
    /// @dev A royalty receiver that rejects the native coin altogether (a contract without `receive`) still gets
    /// its money out this way; without it such credit would be stuck forever.
    function withdrawTo(address payable to) external nonReentrant {
        if (to == address(0)) revert MarketZeroAddress();
        _withdraw(to);
    }

    /// @dev Sends native coin with limited gas and without copying return data, so a receiver can neither burn
    /// the fill's gas nor make it revert; if the push fails the amount is credited to be withdrawn.
    function _push(address to, uint256 amount) internal {
        if (amount == 0) return;
        bool sent;
        assembly ("memory-safe") {
            sent := call(PUSH_GAS_LIMIT, to, amount, 0, 0, 0, 0)
        }
        if (!sent) {
            owed[to] += amount;
            totalOwed += amount;
            emit PaymentDeferred(to, amount);
        }
    }

    function _withdraw(address payable to) private {
        uint256 amount = owed[msg.sender];
        if (amount == 0) revert MarketNothingOwed(msg.sender);
        owed[msg.sender] = 0;
        totalOwed -= amount;
        emit Withdrawn(msg.sender, to, amount);
        // All the gas: the account asked for its money and chose where it goes.
        (bool sent, ) = to.call{value: amount}("");
        if (!sent) revert MarketWithdrawFailed(to, amount);
    }
}
