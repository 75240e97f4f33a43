// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @title MockHostileReceiver
/// @notice Test-only attacker. When it receives a stamp (`onERC721Received`) or native coin (`receive`), it makes
/// the call it was armed with (re-entering the Market's buy, cancel or withdraw) and records how that went,
/// without reverting itself, so a test can see whether the re-entry was stopped and by what.
contract MockHostileReceiver is IERC721Receiver {
    /// @notice Contract the re-entry targets (not `target`: ethers reserves that name on contract objects).
    address public reentryTarget;
    /// @notice Calldata of the re-entry.
    bytes public reentryCall;
    /// @notice Native coin sent with the re-entry.
    uint256 public reentryValue;
    /// @notice Whether the armed call was attempted.
    bool public attempted;
    /// @notice Whether the armed call succeeded.
    bool public reentrySucceeded;
    /// @notice Revert data of the armed call when it failed.
    bytes public reentryError;
    /// @notice While set, native coin sent to this contract is rejected (so a push to it is deferred).
    bool public rejectNative;

    /// @notice Raised by `receive` while {rejectNative} is set.
    error MockHostileRejectsNative();

    /// @notice Arms the re-entry made on the next stamp or coin received (once).
    function arm(address target_, bytes calldata data, uint256 value) external {
        reentryTarget = target_;
        reentryCall = data;
        reentryValue = value;
        attempted = false;
    }

    /// @notice Calls `target_` as this contract, e.g. to approve the Market or to withdraw.
    function execute(address target_, uint256 value, bytes calldata data) external returns (bytes memory) {
        return Address.functionCallWithValue(target_, data, value);
    }

    /// @notice Rejects or accepts native coin.
    function setRejectNative(bool reject) external {
        rejectNative = reject;
    }

    // Attacking from receive is this mock's whole job, hence a non-trivial receive. A block disable, not
    // disable-next-line, so the NatSpec below stays directly above `receive` where use-natspec looks for it.
    // solhint-disable no-complex-fallback
    /// @notice Re-enters on a coin payment (a withdrawal, or a push with enough gas), unless rejecting coin.
    receive() external payable {
        if (rejectNative) revert MockHostileRejectsNative();
        _reenter();
    }
    // solhint-enable no-complex-fallback

    /// @notice Re-enters while the Market is in the middle of moving a stamp to this contract.
    function onERC721Received(address, address, uint256, bytes calldata) external returns (bytes4) {
        _reenter();
        return IERC721Receiver.onERC721Received.selector;
    }

    function _reenter() private {
        if (reentryTarget == address(0) || attempted) return;
        attempted = true;
        (bool ok, bytes memory ret) = reentryTarget.call{value: reentryValue}(reentryCall);
        reentrySucceeded = ok;
        reentryError = ret;
    }
}
