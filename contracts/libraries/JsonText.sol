// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title JsonText
/// @notice Whether a string can be placed inside a JSON string literal as is.
/// @dev Rejecting the few characters that would need escaping (quote, backslash, control characters)
/// is simpler and cheaper than escaping them on every `tokenURI` call, and admins never need them.
library JsonText {
    function isSafe(string memory text) internal pure returns (bool) {
        bytes memory raw = bytes(text);
        for (uint256 i = 0; i < raw.length; ++i) {
            bytes1 c = raw[i];
            if (c == '"' || c == "\\" || uint8(c) < 0x20 || uint8(c) == 0x7f) return false;
        }
        return true;
    }
}
