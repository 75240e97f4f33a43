// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Benchmark fixture: an OpenZeppelin ERC-20 with a minter, a single mint and a plain-loop batch mint.
/// Whole-number points (0 decimals), as in our Points fixture.
contract OzPoints is ERC20 {
    error OzPointsNotMinter(address caller);

    address private immutable _minter;

    constructor() ERC20("OZ Points", "OZP") {
        _minter = msg.sender;
    }

    /// @notice Mints `amount` to `to`.
    function mint(address to, uint256 amount) external {
        if (msg.sender != _minter) revert OzPointsNotMinter(msg.sender);
        _mint(to, amount);
    }

    /// @notice Mints `amounts[i]` to `to[i]` for each i; a plain loop over OZ's `_mint`.
    function mintBatch(address[] calldata to, uint256[] calldata amounts) external {
        if (msg.sender != _minter) revert OzPointsNotMinter(msg.sender);
        for (uint256 i = 0; i < to.length; ++i) {
            _mint(to[i], amounts[i]);
        }
    }

    function decimals() public pure override returns (uint8) {
        return 0;
    }
}
