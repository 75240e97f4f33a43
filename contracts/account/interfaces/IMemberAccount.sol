// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IMemberAccount
/// @notice A loyalty member's ERC-4337 account, controlled by one or more passkeys (WebAuthn P-256 keys), with a
/// delayed recovery that the member's own passkeys can cancel.
/// @dev The account also speaks ERC-7821 (`execute(mode, executionData)`, batch mode) and ERC-1271 with ERC-7739
/// (`isValidSignature`): a signature it accepts names the app's EIP-712 domain, so it cannot be replayed in another
/// app or by another account of the same passkey. A passkey signature is `qx ‖ qy ‖ abi.encode(r, s,
/// challengeIndex, typeIndex, authenticatorData, clientDataJSON)`: the 64-byte public key it claims, then the
/// WebAuthn assertion; the key must be one of the account's passkeys.
interface IMemberAccount {
    /// @notice A passkey can now sign for the account.
    /// @param keyId `keccak256(abi.encode(qx, qy))`, the key's name in every other event and call.
    /// @param qx The key's x coordinate.
    /// @param qy The key's y coordinate.
    event PasskeyAdded(bytes32 indexed keyId, bytes32 qx, bytes32 qy);
    /// @notice A passkey can no longer sign for the account.
    /// @param keyId The key's id.
    event PasskeyRemoved(bytes32 indexed keyId);
    /// @notice The account's recoverer changed (the zero address: nobody can propose a recovery).
    /// @param recoverer The new recoverer.
    event RecovererSet(address indexed recoverer);
    /// @notice The recoverer proposed a new passkey; anyone may add it from `readyAt` unless a passkey cancels it.
    /// @param recoveryId The proposal's number (one more than the last proposal's).
    /// @param keyId The proposed key's id.
    /// @param qx The proposed key's x coordinate.
    /// @param qy The proposed key's y coordinate.
    /// @param readyAt The first second the proposal can be executed (unix time).
    event RecoveryProposed(uint64 indexed recoveryId, bytes32 indexed keyId, bytes32 qx, bytes32 qy, uint48 readyAt);
    /// @notice A pending recovery was cancelled (by a passkey, or because the recoverer changed).
    /// @param recoveryId The cancelled proposal's number.
    event RecoveryCancelled(uint64 indexed recoveryId);
    /// @notice A recovery took effect: its passkey was added (a {PasskeyAdded} event comes with it).
    /// @param recoveryId The executed proposal's number.
    /// @param keyId The added key's id.
    event RecoveryExecuted(uint64 indexed recoveryId, bytes32 indexed keyId);

    /// @notice The account was initialized already (or is the implementation, which never is).
    error MemberAccountAlreadyInitialized();
    /// @notice The key is already one of the account's passkeys.
    /// @param keyId The key's id.
    error MemberAccountPasskeyExists(bytes32 keyId);
    /// @notice The key is not one of the account's passkeys.
    /// @param keyId The key's id.
    error MemberAccountUnknownPasskey(bytes32 keyId);
    /// @notice The account's last passkey cannot be removed: nobody could sign for the account any more.
    /// @param keyId The key's id.
    error MemberAccountLastPasskey(bytes32 keyId);
    /// @notice The coordinates are not a point of the P-256 curve, so no signature could ever match the key.
    /// @param qx The x coordinate given.
    /// @param qy The y coordinate given.
    error MemberAccountInvalidPasskey(bytes32 qx, bytes32 qy);
    /// @notice Only the account's recoverer can propose a recovery.
    /// @param caller The account that tried.
    /// @param recoverer The recoverer (the zero address when the member set none).
    error MemberAccountNotRecoverer(address caller, address recoverer);
    /// @notice A recovery is already pending: a passkey must cancel it, or it must be executed, before another.
    /// @param recoveryId The pending proposal's number.
    error MemberAccountRecoveryPending(uint64 recoveryId);
    /// @notice No pending recovery has this number (none was proposed, or it was cancelled or executed).
    /// @param recoveryId The number given.
    error MemberAccountNoRecovery(uint64 recoveryId);
    /// @notice The recovery's delay has not passed.
    /// @param recoveryId The proposal's number.
    /// @param readyAt The first second it can be executed (unix time).
    error MemberAccountRecoveryNotReady(uint64 recoveryId, uint48 readyAt);

    /// @notice Sets the account's first passkey and recoverer; called once, by the factory, in the transaction that
    /// creates the account.
    /// @dev Requirements: not initialized before; the key is a P-256 point. Reverts with
    /// {MemberAccountAlreadyInitialized}, {MemberAccountInvalidPasskey}. Emits {PasskeyAdded}, {RecovererSet}.
    /// @param qx The first passkey's x coordinate.
    /// @param qy The first passkey's y coordinate.
    /// @param recoverer Who may propose a recovery (the brand, or a guardian the member chose); zero for none.
    function initialize(bytes32 qx, bytes32 qy, address recoverer) external;

    /// @notice Adds a passkey (the member's other device).
    /// @dev Requirements: called by the EntryPoint (a UserOp signed by a passkey) or by the account itself (a
    /// batch); the key is a P-256 point and not a passkey yet. Reverts with `AccountUnauthorized`,
    /// {MemberAccountInvalidPasskey}, {MemberAccountPasskeyExists}. Emits {PasskeyAdded}.
    /// @param qx The key's x coordinate.
    /// @param qy The key's y coordinate.
    function addPasskey(bytes32 qx, bytes32 qy) external;

    /// @notice Removes a passkey (a lost or retired device). The last one is never removed.
    /// @dev Requirements: called by the EntryPoint or the account itself; the key is a passkey and not the last.
    /// Reverts with `AccountUnauthorized`, {MemberAccountUnknownPasskey}, {MemberAccountLastPasskey}.
    /// Emits {PasskeyRemoved}.
    /// @param keyId The key's id.
    function removePasskey(bytes32 keyId) external;

    /// @notice Changes who may propose a recovery; a pending recovery is cancelled.
    /// @dev Requirements: called by the EntryPoint or the account itself. Reverts with `AccountUnauthorized`.
    /// Emits {RecovererSet}, and {RecoveryCancelled} when one was pending.
    /// @param recoverer The new recoverer; the zero address turns recovery off.
    function setRecoverer(address recoverer) external;

    /// @notice Proposes a new passkey for a member who lost every one of theirs. It takes effect only after
    /// {RECOVERY_DELAY}, through {executeRecovery}, and any of the account's passkeys can cancel it until then.
    /// @dev Requirements: the caller is the recoverer; no recovery pending; the key is a P-256 point and not a
    /// passkey yet. Reverts with {MemberAccountNotRecoverer}, {MemberAccountRecoveryPending},
    /// {MemberAccountInvalidPasskey}, {MemberAccountPasskeyExists}. Emits {RecoveryProposed}.
    /// @param qx The new key's x coordinate.
    /// @param qy The new key's y coordinate.
    /// @return recoveryId The proposal's number, to execute it by.
    function proposeRecovery(bytes32 qx, bytes32 qy) external returns (uint64 recoveryId);

    /// @notice Cancels the pending recovery.
    /// @dev Requirements: called by the EntryPoint (a UserOp signed by a passkey) or the account itself; a
    /// recovery is pending. Reverts with `AccountUnauthorized`, {MemberAccountNoRecovery}. Emits {RecoveryCancelled}.
    function cancelRecovery() external;

    /// @notice Adds the passkey of a recovery whose delay has passed. Anyone may call it (the member's new
    /// device, the brand's server): by then the member had {RECOVERY_DELAY} to cancel.
    /// @dev Requirements: `recoveryId` is the pending proposal; its delay has passed; its key is still not a
    /// passkey. Reverts with {MemberAccountNoRecovery}, {MemberAccountRecoveryNotReady},
    /// {MemberAccountPasskeyExists}. Emits {PasskeyAdded}, {RecoveryExecuted}.
    /// @param recoveryId The proposal's number, so a call meant for one proposal never executes another.
    function executeRecovery(uint64 recoveryId) external;

    /// @notice Seconds between a recovery's proposal and the first second it can be executed (3 days).
    /// @return The delay in seconds.
    function RECOVERY_DELAY() external view returns (uint48);

    /// @notice Whether a key can sign for the account.
    /// @param keyId The key's id, `keccak256(abi.encode(qx, qy))`.
    /// @return Whether it is one of the account's passkeys.
    function isPasskey(bytes32 keyId) external view returns (bool);

    /// @notice How many passkeys can sign for the account.
    /// @return The number of passkeys.
    function passkeyCount() external view returns (uint256);

    /// @notice Who may propose a recovery.
    /// @return The recoverer, or the zero address for none.
    function recoverer() external view returns (address);

    /// @notice The pending recovery, if any.
    /// @return recoveryId The proposal's number (0: none pending).
    /// @return keyId The proposed key's id.
    /// @return readyAt The first second it can be executed.
    function pendingRecovery() external view returns (uint64 recoveryId, bytes32 keyId, uint48 readyAt);
}
