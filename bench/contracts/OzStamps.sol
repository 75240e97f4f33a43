// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @notice Benchmark fixture: the least a brand needs on OpenZeppelin's ERC-721 (a minter, single and batch
/// mint to given ids). No series, royalty, pause or transfer policy, so it is a lower bound for an OZ program.
contract OzStamps is ERC721 {
    error OzStampsNotMinter(address caller);

    address private immutable _minter;

    constructor() ERC721("OZ Stamps", "OZS") {
        _minter = msg.sender;
    }

    /// @notice Mints `id` to `to`.
    function mint(address to, uint256 id) external {
        if (msg.sender != _minter) revert OzStampsNotMinter(msg.sender);
        _mint(to, id);
    }

    /// @notice Mints ids `firstId`, `firstId + 1`, ... to `to[0]`, `to[1]`, ...
    function mintBatch(address[] calldata to, uint256 firstId) external {
        if (msg.sender != _minter) revert OzStampsNotMinter(msg.sender);
        for (uint256 i = 0; i < to.length; ++i) {
            _mint(to[i], firstId + i);
        }
    }
}
