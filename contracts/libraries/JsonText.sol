// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title JsonText
/// @notice Whether a string can be placed inside a JSON string literal as is.
/// @dev Rejecting the few characters that would need escaping (quote, backslash, control characters)
/// is simpler and cheaper than escaping them on every `tokenURI` call, and admins never need them.
library JsonText {
    /// @notice Whether `text` needs no escaping inside a JSON string.
    /// @dev Bytes of 0x80 and above pass, so UTF-8 names and URIs stay allowed: JSON only requires escaping
    /// ASCII characters.
    /// @param text A series name or URI.
    /// @return True when it holds no quote, backslash, ASCII control character or DEL.
    function isSafe(string memory text) internal pure returns (bool) {
        bytes memory raw = bytes(text);
        for (uint256 i = 0; i < raw.length; ++i) {
            bytes1 c = raw[i];
            if (c == '"' || c == "\\" || uint8(c) < 0x20 || uint8(c) == 0x7f) return false;
        }
        return true;
    }
}
