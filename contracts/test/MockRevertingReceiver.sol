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

    // Misbehaving on receipt is this mock's whole job, hence a non-trivial receive. A block disable, not
    // disable-next-line, so the NatSpec below stays directly above `receive` where use-natspec looks for it.
    // solhint-disable no-complex-fallback
    /// @notice Reverts, or loops until out of gas.
    receive() external payable {
        if (mode == Mode.Revert) revert MockReceiverRejects(msg.value);
        while (true) {
            ++spins;
        }
    }
    // solhint-enable no-complex-fallback
}
