// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721} from "solady/src/tokens/ERC721.sol";

/// @notice Benchmark fixture: the least a brand needs on Solady's ERC-721 (assembly, owner and balance packed
/// with auxiliary data). Same surface as {OzStamps}.
contract SoladyStamps is ERC721 {
    error SoladyStampsNotMinter(address caller);

    address private immutable _minter;

    constructor() {
        _minter = msg.sender;
    }

    /// @notice Mints `id` to `to`.
    function mint(address to, uint256 id) external {
        if (msg.sender != _minter) revert SoladyStampsNotMinter(msg.sender);
        _mint(to, id);
    }

    /// @notice Mints ids `firstId`, `firstId + 1`, ... to `to[0]`, `to[1]`, ...
    function mintBatch(address[] calldata to, uint256 firstId) external {
        if (msg.sender != _minter) revert SoladyStampsNotMinter(msg.sender);
        for (uint256 i = 0; i < to.length; ++i) {
            _mint(to[i], firstId + i);
        }
    }

    function name() public pure override returns (string memory) {
        return "Solady Stamps";
    }

    function symbol() public pure override returns (string memory) {
        return "SLS";
    }

    function tokenURI(uint256) public pure override returns (string memory) {
        return "";
    }
}
