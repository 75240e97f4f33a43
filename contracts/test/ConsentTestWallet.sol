// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title ConsentTestWallet
/// @notice Test-only ERC-1271 contract wallet with one owner key, standing in for a Safe or a smart account
/// in the consent registry's tests. Not for deployment.
contract ConsentTestWallet is IERC1271 {
    /// @notice The call made through {execute} failed; carries its revert data.
    error ConsentTestWalletCallFailed(bytes returndata);
    /// @notice Only the owner may use {execute}.
    error ConsentTestWalletNotOwner(address caller);

    /// @notice The key whose ECDSA signatures this wallet accepts.
    address public immutable owner;

    /// @notice Creates a wallet controlled by one key, as a one-owner Safe would be.
    /// @param owner_ The key whose ECDSA signatures this wallet accepts.
    constructor(address owner_) {
        owner = owner_;
    }

    /// @notice Calls `target` with `data` as this wallet, so the wallet can act directly (msg.sender == wallet).
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        if (msg.sender != owner) revert ConsentTestWalletNotOwner(msg.sender);
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory returndata) = target.call(data);
        if (!ok) revert ConsentTestWalletCallFailed(returndata);
        return returndata;
    }

    /// @notice ERC-1271: valid when the owner signed `hash` (ECDSA, no malleable signatures).
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(hash, signature);
        bool valid = err == ECDSA.RecoverError.NoError && recovered == owner;
        return valid ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }
}
