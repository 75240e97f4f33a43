// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IMemberAccountFactory
/// @notice Makes members' passkey accounts as minimal clones at CREATE2 addresses that depend on the first passkey,
/// the recoverer and a salt: the address is known before the account exists (so the brand can reward a member at
/// sign-up), and the account is deployed by its first UserOp's `initCode`.
interface IMemberAccountFactory {
    /// @notice A member account was created.
    /// @param account The account's address.
    /// @param keyId The first passkey's id, `keccak256(abi.encode(qx, qy))`.
    /// @param recoverer The account's recoverer.
    event MemberAccountCreated(address indexed account, bytes32 indexed keyId, address indexed recoverer);

    /// @notice Creates the account of these arguments, or returns it if it exists (as ERC-4337 factories do, so a
    /// UserOp whose `initCode` raced another's still finds its account).
    /// @dev Anyone may call it: the arguments are bound into the address, so a caller can only create the account
    /// the member would have had. Reverts with `MemberAccountInvalidPasskey` for a key off the curve.
    /// Emits {MemberAccountCreated} (only when it creates the account).
    /// @param qx The first passkey's x coordinate.
    /// @param qy The first passkey's y coordinate.
    /// @param recoverer Who may propose a recovery (zero for none).
    /// @param salt Any number, to give one passkey several accounts.
    /// @return account The account's address.
    function createAccount(bytes32 qx, bytes32 qy, address recoverer, bytes32 salt) external returns (address account);

    /// @notice The address {createAccount} gives these arguments, whether or not the account exists yet.
    /// @param qx The first passkey's x coordinate.
    /// @param qy The first passkey's y coordinate.
    /// @param recoverer The recoverer.
    /// @param salt The salt.
    /// @return account The account's address.
    function predict(bytes32 qx, bytes32 qy, address recoverer, bytes32 salt) external view returns (address account);

    /// @notice The account code every clone delegates to.
    /// @return The implementation's address.
    function implementation() external view returns (address);
}
