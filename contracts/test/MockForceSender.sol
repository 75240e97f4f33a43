// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title MockForceSender
/// @notice Test-only: forces native coin into `target` without calling it, the way any account can. A contract
/// that self-destructs in its constructor sends its balance to the beneficiary even if the beneficiary has no
/// `receive` (EIP-6780 still deletes a contract destroyed in the transaction that created it).
contract MockForceSender {
    /// @notice Sends the coin given to the deployment to `target` and destroys itself in the same breath.
    /// @param target Where the coin sent with the deployment goes.
    constructor(address payable target) payable {
        selfdestruct(target);
    }
}
