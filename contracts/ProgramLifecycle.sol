// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IProgramLifecycle} from "./interfaces/IProgramLifecycle.sol";
import {BoundedPausable} from "./utils/BoundedPausable.sol";

/// @title ProgramLifecycle
/// @notice The program's clock: one end date, announced with notice, and one pause for the whole program. Stamps
/// inherits it; Points reads the end date and its pause on every movement, and the Market reads its pause on every
/// fill ({programClock}), so the three contracts agree on one end and one pause budget.
/// @dev Abstract: the inheriting contract sets up the admin (who announces and grants the pauser role). The end date,
/// the pause deadline and its scopes sit next to each other, so a movement reads all three in one storage slot.
abstract contract ProgramLifecycle is AccessControlDefaultAdminRules, BoundedPausable {
    /// @notice Shortest notice period a deployment accepts: thirty days.
    uint256 public constant MIN_NOTICE_PERIOD = 30 days;
    /// @notice Role that pauses the program's stamps, points or market (for at most {maxPauseDuration}).
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    uint48 private immutable _noticePeriod;
    uint48 private _endsAt;

    /// @notice Fixes the program's notice period and pause bound for its whole life.
    /// @param noticePeriod_ Shortest notice of the end, in seconds; at least {MIN_NOTICE_PERIOD}.
    /// @param maxPauseDuration_ Longest a pause may last, in seconds.
    constructor(uint256 noticePeriod_, uint256 maxPauseDuration_) BoundedPausable(maxPauseDuration_) {
        if (noticePeriod_ < MIN_NOTICE_PERIOD || noticePeriod_ > type(uint32).max) {
            revert ProgramInvalidNoticePeriod(noticePeriod_, MIN_NOTICE_PERIOD);
        }
        _noticePeriod = uint48(noticePeriod_);
    }

    /// @inheritdoc IProgramLifecycle
    function announceEnd(uint256 end) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _announceEnd(end);
    }

    /// @inheritdoc IProgramLifecycle
    function cancelEnd() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _cancelEnd();
    }

    /// @inheritdoc IProgramLifecycle
    function pause(uint256 scopes) external onlyRole(PAUSER_ROLE) {
        _pause(scopes);
    }

    /// @inheritdoc IProgramLifecycle
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @inheritdoc IProgramLifecycle
    function programClock(uint256 scopes) external view returns (uint256 end, bool paused) {
        return (_endsAt, isPaused(scopes));
    }

    /// @inheritdoc IProgramLifecycle
    function endsAt() public view returns (uint256) {
        return _endsAt;
    }

    /// @inheritdoc IProgramLifecycle
    function noticePeriod() public view returns (uint256) {
        return _noticePeriod;
    }

    /// @inheritdoc IProgramLifecycle
    function programStatus() public view returns (ProgramStatus) {
        uint256 end = _endsAt;
        if (end == 0) return ProgramStatus.Active;
        return block.timestamp < end ? ProgramStatus.Ending : ProgramStatus.Ended;
    }

    function _announceEnd(uint256 end) private {
        uint256 current = _endsAt;
        if (current != 0) {
            if (block.timestamp >= current) revert ProgramHasEnded(current);
            revert ProgramEndAlreadyAnnounced(current);
        }
        uint256 earliest = block.timestamp + _noticePeriod;
        if (end < earliest || end > type(uint48).max) revert ProgramNoticeTooShort(end, earliest);
        _endsAt = uint48(end);
        emit ProgramEndAnnounced(end, _noticePeriod);
    }

    function _cancelEnd() private {
        uint256 current = _endsAt;
        if (current == 0) revert ProgramNoEndAnnounced();
        if (block.timestamp >= current) revert ProgramHasEnded(current);
        _endsAt = 0;
        emit ProgramEndCancelled(current);
    }

    /// @dev Whether the end has taken effect.
    function _hasEnded() internal view returns (bool) {
        uint256 end = _endsAt;
        return end != 0 && block.timestamp >= end;
    }
}
