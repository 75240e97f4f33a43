// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721A} from "erc721a/contracts/ERC721A.sol";

/// @notice Benchmark fixture: the least a brand needs on ERC721A (sequential ids, one ownership slot per
/// mint call). Same surface as {OzStamps} except that ids are assigned by the contract, as ERC721A requires.
/// ERC721A's saving is for many tokens to ONE owner; a loyalty batch goes to many owners, one each.
contract AStamps is ERC721A {
    error AStampsNotMinter(address caller);

    address private immutable _minter;

    constructor() ERC721A("A Stamps", "AST") {
        _minter = msg.sender;
    }

    /// @notice Mints the next id to `to`.
    function mint(address to) external {
        if (msg.sender != _minter) revert AStampsNotMinter(msg.sender);
        _mint(to, 1);
    }

    /// @notice Mints the next id to each of `to`.
    function mintBatch(address[] calldata to) external {
        if (msg.sender != _minter) revert AStampsNotMinter(msg.sender);
        for (uint256 i = 0; i < to.length; ++i) {
            _mint(to[i], 1);
        }
    }
}
