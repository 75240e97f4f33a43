// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title PauseScopes
/// @notice The bits of the program's pause mask ({IProgramLifecycle-pause}): what a pause stops. Stamps exposes them
/// as `PAUSE_STAMPS`, `PAUSE_POINTS`, `PAUSE_MARKET` and `PAUSE_ALL`; Points and the Market ask for their own bit.
library PauseScopes {
    /// @dev Stamp mints and transfers.
    uint8 internal constant STAMPS = 1;
    /// @dev Point mints and transfers.
    uint8 internal constant POINTS = 2;
    /// @dev Market fills.
    uint8 internal constant MARKET = 4;
    /// @dev Every scope.
    uint8 internal constant ALL = STAMPS | POINTS | MARKET;
}
