// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockFeeOnTransferToken
/// @notice Test-only ERC-20 that burns 1 % of every transfer, as some "tax" tokens do: the recipient receives less
/// than the amount the sender was told to send. Anyone can mint.
contract MockFeeOnTransferToken is ERC20 {
    /// @notice Share of each transfer that is burned, in basis points.
    uint256 public constant TAX_BPS = 100;

    constructor() ERC20("Mock Tax Token", "mTAX") {}

    /// @notice Mints `amount` to `to`; test-only, so unguarded.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @dev Mints and burns are untaxed; a transfer burns its tax from the amount the recipient would get.
    function _update(address from, address to, uint256 amount) internal override {
        if (from == address(0) || to == address(0)) {
            super._update(from, to, amount);
            return;
        }
        uint256 tax = (amount * TAX_BPS) / 10_000;
        super._update(from, address(0), tax);
        super._update(from, to, amount - tax);
    }
}
