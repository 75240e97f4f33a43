// SPDX-License-Identifier: CC0-1.0
pragma solidity ^0.8.24;

/// @title IERC5192
/// @notice Minimal soulbound NFTs (ERC-5192): a wallet asks `locked(tokenId)` to know a token can never move.
/// @dev The interface id is 0xb45a3c0e, the selector of {locked}.
interface IERC5192 {
    /// @notice Emitted when a token becomes locked (for Punchcard: at the mint of a soulbound stamp).
    /// @param tokenId The token locked.
    event Locked(uint256 tokenId);
    /// @notice Emitted when a token becomes unlocked (never, for Punchcard: a soulbound stamp stays bound).
    /// @param tokenId The token unlocked.
    event Unlocked(uint256 tokenId);

    /// @notice Whether `tokenId` is locked to its holder.
    /// @dev Reverts for a token that does not exist (ERC-5192: "calls to this function throw").
    /// @param tokenId The token.
    /// @return True when the token can never be transferred.
    function locked(uint256 tokenId) external view returns (bool);
}
