// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {PointLots} from "../libraries/PointLots.sol";

/// @title PointLotsHarness
/// @notice Test-only: one queue of each {PointLots} type, every library function exposed, so the lot machinery is
/// tested on its own. Functions that write emit what they return, at the block's own timestamp.
contract PointLotsHarness {
    using PointLots for PointLots.Pending;
    using PointLots for PointLots.Dated;

    PointLots.Pending private _pending;
    PointLots.Dated private _dated;

    /// @notice What a writing function returned.
    /// @param value The returned value.
    event Returned(uint256 value);

    /// @notice See {PointLots-lock}.
    /// @param amount Points to lock.
    /// @param releaseAt Second from which they are spendable.
    function lock(uint256 amount, uint256 releaseAt) external {
        emit Returned(_pending.lock(amount, releaseAt));
    }

    /// @notice See {PointLots-unlock}.
    /// @param index The lot.
    /// @param amount Points to take out.
    function unlock(uint256 index, uint256 amount) external {
        _pending.unlock(index, amount);
    }

    /// @notice See {PointLots-release}.
    function release() external {
        emit Returned(_pending.release());
    }

    /// @notice See {PointLots-add}.
    /// @param amount Points earned.
    /// @param expiresAt Second at which they expire.
    function add(uint256 amount, uint256 expiresAt) external {
        _dated.add(amount, expiresAt);
    }

    /// @notice See {PointLots-spend}.
    /// @param amount Points to take.
    function spend(uint256 amount) external {
        _dated.spend(amount);
    }

    /// @notice See {PointLots-spendFrom}.
    /// @param amount Points to take.
    /// @param expiresAt The date of the lot to take from first.
    function spendFrom(uint256 amount, uint256 expiresAt) external {
        _dated.spendFrom(amount, expiresAt);
    }

    /// @notice See {PointLots-sweep}.
    function sweep() external {
        emit Returned(_dated.sweep());
    }

    /// @notice See {PointLots-clearExpired}.
    function clearExpired() external {
        emit Returned(_dated.clearExpired());
    }

    /// @notice See {PointLots-pending}.
    /// @return Points still pending now.
    function pending() external view returns (uint256) {
        return _pending.pending();
    }

    /// @notice See {PointLots-expiringBy}.
    /// @param timestamp The time to look up to.
    /// @return amount Points expired or expiring by then.
    /// @return at The earliest expiry among them.
    function expiringBy(uint256 timestamp) external view returns (uint256 amount, uint256 at) {
        return _dated.expiringBy(timestamp);
    }
}
