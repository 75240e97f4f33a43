// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {IProgramLifecycle} from "../interfaces/IProgramLifecycle.sol";
import {PauseScopes} from "../libraries/PauseScopes.sol";

/// @title BoundedPausable
/// @notice The program's one pause: it lasts at most {maxPauseDuration}, fixed at deployment, and covers the scopes
/// the pauser names (stamps, points, market), so an emergency stop can never become a silent shutdown, whichever
/// contracts it stops. Ending a program is a different, announced act (see {IProgramLifecycle}).
/// @dev OpenZeppelin's `Pausable` with a deadline instead of a flag, and one deadline for the whole program: each
/// contract used to keep its own, and pausing them in turn (Stamps, then the Market, then Stamps again) kept every
/// fill impossible for as long as the pausers liked. Here a pause may widen its scopes while it runs, never its
/// deadline, and after it a new one (of any scope) may start only {maxPauseDuration} after it ended: in any stretch
/// of time, every path of the program runs at least half of it. A pause ends when the pauser lifts it or when its
/// time runs out, whichever comes first; no transaction marks the second, which is why {pausedUntil} is public.
abstract contract BoundedPausable is IProgramLifecycle, Context {
    /// @notice Shortest pause bound a deployment accepts: one hour, time enough to react to an incident.
    uint256 public constant MIN_PAUSE_DURATION = 1 hours;
    /// @notice Longest pause bound a deployment accepts: thirty days.
    uint256 public constant MAX_PAUSE_DURATION = 30 days;
    /// @notice Scope that stops stamp mints and transfers (Stamps).
    uint8 public constant PAUSE_STAMPS = PauseScopes.STAMPS;
    /// @notice Scope that stops point mints and transfers (Points).
    uint8 public constant PAUSE_POINTS = PauseScopes.POINTS;
    /// @notice Scope that stops every Market fill.
    uint8 public constant PAUSE_MARKET = PauseScopes.MARKET;
    /// @notice Every scope at once.
    uint8 public constant PAUSE_ALL = PauseScopes.ALL;

    uint48 private immutable _maxPauseDuration;
    /// @dev When the current or last pause ends (or ended); 0 if there was none. Its scopes sit beside it, so a
    /// movement reads both (and the end date that follows them, in {ProgramLifecycle}) in one storage slot.
    uint48 private _pausedUntil;
    uint8 private _pausedScopes;

    /// @notice Fixes the pause bound for the program's whole life.
    /// @param maxPauseDuration_ Longest a pause may last, in seconds.
    constructor(uint256 maxPauseDuration_) {
        if (maxPauseDuration_ < MIN_PAUSE_DURATION || maxPauseDuration_ > MAX_PAUSE_DURATION) {
            revert PauseInvalidBound(maxPauseDuration_, MIN_PAUSE_DURATION, MAX_PAUSE_DURATION);
        }
        _maxPauseDuration = uint48(maxPauseDuration_);
    }

    /// @inheritdoc IProgramLifecycle
    function isPaused(uint256 scopes) public view returns (bool) {
        return block.timestamp < _pausedUntil && _pausedScopes & scopes != 0;
    }

    /// @inheritdoc IProgramLifecycle
    function pausedUntil() public view returns (uint256) {
        return _pausedUntil;
    }

    /// @inheritdoc IProgramLifecycle
    function pausedScopes() public view returns (uint256) {
        return block.timestamp < _pausedUntil ? _pausedScopes : 0;
    }

    /// @inheritdoc IProgramLifecycle
    function maxPauseDuration() public view returns (uint256) {
        return _maxPauseDuration;
    }

    /// @dev Starts a pause of {maxPauseDuration} over `scopes`, or widens the pause running to them (its deadline
    /// stays). A new pause is refused within {maxPauseDuration} after the last one ended; a widening that adds
    /// nothing is refused as already paused.
    function _pause(uint256 scopes) internal {
        if (scopes == 0 || scopes > PAUSE_ALL) revert PauseInvalidScopes(scopes, PAUSE_ALL);
        uint256 until = _pausedUntil;
        uint256 current;
        if (block.timestamp < until) {
            current = _pausedScopes;
            if (current | scopes == current) revert EnforcedPause();
        } else {
            uint256 availableAt = until == 0 ? 0 : until + _maxPauseDuration;
            if (block.timestamp < availableAt) revert PauseCoolingDown(availableAt);
            until = block.timestamp + _maxPauseDuration;
            _pausedUntil = uint48(until);
        }
        _pausedScopes = uint8(current | scopes);
        emit Paused(_msgSender(), current | scopes, until);
    }

    /// @dev Lifts the pause now, every scope of it; the cool-down before the next one counts from here.
    function _unpause() internal {
        if (block.timestamp >= _pausedUntil) revert ExpectedPause();
        _pausedUntil = uint48(block.timestamp);
        emit Unpaused(_msgSender());
    }

    /// @dev Reverts with {EnforcedPause} while any of `scopes` is paused.
    function _requireNotPaused(uint256 scopes) internal view {
        if (isPaused(scopes)) revert EnforcedPause();
    }
}
