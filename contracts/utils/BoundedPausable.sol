// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Context} from "@openzeppelin/contracts/utils/Context.sol";

/// @title BoundedPausable
/// @notice A pause that lifts by itself: it lasts at most {maxPauseDuration}, fixed at deployment, so an emergency
/// stop can never become a silent shutdown. Ending a program is a different, announced act (see {IProgramLifecycle}).
/// @dev OpenZeppelin's `Pausable` with a deadline instead of a flag. Its events and errors are kept (`Paused`,
/// `Unpaused`, `EnforcedPause`, `ExpectedPause`) so wallets, indexers and the SDK read it the same way. A pause
/// ends when the pauser lifts it or when its time runs out, whichever comes first; no transaction marks the second,
/// which is why {pausedUntil} is public. After a pause, a new one may start only {maxPauseDuration} after it ended,
/// so back-to-back pauses cannot keep a program stopped: it runs at least half the time.
abstract contract BoundedPausable is Context {
    /// @notice Shortest pause bound a deployment accepts: one hour, time enough to react to an incident.
    uint256 public constant MIN_PAUSE_DURATION = 1 hours;
    /// @notice Longest pause bound a deployment accepts: thirty days.
    uint256 public constant MAX_PAUSE_DURATION = 30 days;

    uint48 private immutable _maxPauseDuration;
    /// @dev When the current or last pause ends (or ended); 0 if there was none.
    uint48 private _pausedUntil;

    /// @notice Emitted when the pause is triggered by `account`; it lasts until `pausedUntil()` at most.
    /// @param account The pauser.
    event Paused(address account);
    /// @notice Emitted when the pause is lifted by `account` before its time ran out.
    /// @param account The pauser.
    event Unpaused(address account);

    /// @notice The operation is refused while paused (the pause lifts by itself at {pausedUntil}).
    error EnforcedPause();
    /// @notice There is no pause to lift (none started, or it already ran out).
    error ExpectedPause();
    /// @notice A new pause may start only {maxPauseDuration} after the last one ended.
    /// @param availableAt Unix time from which a new pause may start.
    error PauseCoolingDown(uint256 availableAt);
    /// @notice The pause bound given at deployment is outside what the contract accepts.
    /// @param maxPauseDuration The bound given, in seconds.
    /// @param min {MIN_PAUSE_DURATION}.
    /// @param max {MAX_PAUSE_DURATION}.
    error PauseInvalidBound(uint256 maxPauseDuration, uint256 min, uint256 max);

    modifier whenNotPaused() {
        _requireNotPaused();
        _;
    }

    /// @notice Fixes the pause bound for the contract's whole life.
    /// @param maxPauseDuration_ Longest a pause may last, in seconds.
    constructor(uint256 maxPauseDuration_) {
        if (maxPauseDuration_ < MIN_PAUSE_DURATION || maxPauseDuration_ > MAX_PAUSE_DURATION) {
            revert PauseInvalidBound(maxPauseDuration_, MIN_PAUSE_DURATION, MAX_PAUSE_DURATION);
        }
        _maxPauseDuration = uint48(maxPauseDuration_);
    }

    /// @notice Whether the contract is paused now.
    /// @return True between a pause and the earlier of its lifting and {pausedUntil}.
    function paused() public view returns (bool) {
        return block.timestamp < _pausedUntil;
    }

    /// @notice When the current pause ends by itself (or when the last one ended).
    /// @return Unix seconds; 0 if the contract was never paused.
    function pausedUntil() public view returns (uint256) {
        return _pausedUntil;
    }

    /// @notice Longest a pause may last, fixed at deployment.
    /// @return Seconds.
    function maxPauseDuration() public view returns (uint256) {
        return _maxPauseDuration;
    }

    /// @dev Starts a pause of {maxPauseDuration}. Refused while paused, and within {maxPauseDuration} after the last
    /// pause ended.
    function _pause() internal {
        uint256 last = _pausedUntil;
        if (block.timestamp < last) revert EnforcedPause();
        uint256 availableAt = last == 0 ? 0 : last + _maxPauseDuration;
        if (block.timestamp < availableAt) revert PauseCoolingDown(availableAt);
        _pausedUntil = uint48(block.timestamp + _maxPauseDuration);
        emit Paused(_msgSender());
    }

    /// @dev Lifts the pause now; the cool-down before the next one counts from here.
    function _unpause() internal {
        if (!paused()) revert ExpectedPause();
        _pausedUntil = uint48(block.timestamp);
        emit Unpaused(_msgSender());
    }

    function _requireNotPaused() internal view {
        if (paused()) revert EnforcedPause();
    }
}
