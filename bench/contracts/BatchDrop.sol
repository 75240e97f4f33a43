// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Benchmark fixture in the style of Disperse's `disperseToken` and Gaslite's drop (written here, not
/// copied): the brand holds an already-minted ERC-20 balance; the drop pulls the total once, then calls
/// `transfer` for each recipient in an assembly loop that reuses one memory buffer. This is the cheapest
/// common way to hand tokens to many wallets, and the yardstick for our `Points.rewardBatch`.
contract BatchDrop {
    error BatchDropLengthMismatch(uint256 recipients, uint256 amounts);
    /// @dev `index` is type(uint256).max when pulling the total failed.
    error BatchDropFailed(uint256 index);

    /// @notice Sends `amounts[i]` of `token` from the caller to `recipients[i]`; the caller approved `total`,
    /// which must be the sum of `amounts` (any rest stays in this contract: it is a fixture).
    function drop(address token, address[] calldata recipients, uint256[] calldata amounts, uint256 total) external {
        if (recipients.length != amounts.length) revert BatchDropLengthMismatch(recipients.length, amounts.length);
        uint256 failed = type(uint256).max;
        bool ok;
        assembly ("memory-safe") {
            let m := mload(0x40)
            // transferFrom(msg.sender, address(this), total); a token must return true (OZ does)
            mstore(m, shl(224, 0x23b872dd))
            mstore(add(m, 0x04), caller())
            mstore(add(m, 0x24), address())
            mstore(add(m, 0x44), total)
            // Yul evaluates arguments right to left: call first, then read its return word.
            ok := call(gas(), token, 0, m, 0x64, 0x00, 0x20)
            ok := and(ok, eq(mload(0x00), 1))
            if ok {
                // transfer(recipients[i], amounts[i])
                mstore(m, shl(224, 0xa9059cbb))
                for { let i := 0 } lt(i, recipients.length) { i := add(i, 1) } {
                    mstore(add(m, 0x04), calldataload(add(recipients.offset, shl(5, i))))
                    mstore(add(m, 0x24), calldataload(add(amounts.offset, shl(5, i))))
                    let sent := call(gas(), token, 0, m, 0x44, 0x00, 0x20)
                    if iszero(and(sent, eq(mload(0x00), 1))) {
                        ok := 0
                        failed := i
                        break
                    }
                }
            }
        }
        if (!ok) revert BatchDropFailed(failed);
    }
}
