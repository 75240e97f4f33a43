// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title MockConsent
/// @notice Test-only stand-in for a ConsentRegistry's `hasConsent`: a test sets who consents to what.
contract MockConsent {
    mapping(address wallet => uint256 purposes) private _purposes;

    /// @notice Sets `wallet`'s purposes bitmask.
    /// @param wallet The wallet.
    /// @param purposes The purposes it consents to.
    function setPurposes(address wallet, uint256 purposes) external {
        _purposes[wallet] = purposes;
    }

    /// @notice Whether `wallet` consents to `purpose`.
    /// @param wallet The wallet.
    /// @param purpose One purpose bit.
    /// @return True when granted.
    function hasConsent(address wallet, uint256 purpose) external view returns (bool) {
        return _purposes[wallet] & purpose != 0;
    }
}
