// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title MockRevertingReceiver
/// @notice Test-only royalty receiver whose `receive` reverts, or burns all the gas it is given, to show that a
/// hostile brand treasury can neither block a trade nor make it expensive.
contract MockRevertingReceiver {
    /// @notice How `receive` misbehaves.
    enum Mode {
        Revert,
        BurnGas
    }

    /// @notice Current misbehaviour.
    Mode public mode;
    /// @notice Counter the gas-burning loop writes, so the optimizer cannot drop the loop.
    uint256 public spins;

    /// @notice Raised by `receive` in `Revert` mode.
    error MockReceiverRejects(uint256 amount);

    /// @notice Chooses how `receive` misbehaves.
    function setMode(Mode mode_) external {
        mode = mode_;
    }

    /// @notice Reverts, or loops until out of gas.
    // Misbehaving on receipt is this mock's whole job, hence a non-trivial receive.
    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        if (mode == Mode.Revert) revert MockReceiverRejects(msg.value);
        while (true) {
            ++spins;
        }
    }
}
