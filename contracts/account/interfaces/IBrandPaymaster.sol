// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IBrandPaymaster
/// @notice The brand's ERC-4337 paymaster: it pays the gas of UserOps the program server signed after applying the
/// program's sponsorship policy, and only within the validity window the server gave.
/// @dev `paymasterAndData` is `paymaster (20) ‖ verificationGasLimit (16) ‖ postOpGasLimit (16) ‖ validAfter (6) ‖
/// validUntil (6) ‖ signature`, the signature being the sponsor's ECDSA signature over the EIP-712
/// `UserOperationRequest` (OpenZeppelin's `PaymasterSigner`: every UserOp field but the signatures, and the
/// window), domain "Punchcard Paymaster", version "1". A signature for one UserOp pays for no other.
interface IBrandPaymaster {
    /// @notice The key whose signature makes the paymaster pay changed.
    /// @param sponsor The new sponsor key.
    event SponsorSet(address indexed sponsor);
    /// @notice The brand took coin out of the paymaster's EntryPoint deposit.
    /// @param to Who received it.
    /// @param amount Wei withdrawn.
    event DepositWithdrawn(address indexed to, uint256 amount);

    /// @notice The sponsor key cannot be the zero address (no signature recovers to it, but a bad one decodes so).
    error BrandPaymasterZeroSponsor();
    /// @notice Coin cannot be sent to the zero address.
    error BrandPaymasterZeroAddress();

    /// @notice Adds coin to the paymaster's deposit at the EntryPoint, which pays the sponsored gas.
    /// @dev Anyone may fund the brand's paymaster: the coin can only pay for UserOps the sponsor signed, and only
    /// the admin can take it out.
    function deposit() external payable;

    /// @notice Takes coin out of the paymaster's EntryPoint deposit.
    /// @dev Requirements: the caller has the default admin role; `to` is not zero. Reverts with
    /// `AccessControlUnauthorizedAccount`, {BrandPaymasterZeroAddress}. Emits {DepositWithdrawn}.
    /// @param to Who receives the coin.
    /// @param amount Wei to withdraw.
    function withdraw(address payable to, uint256 amount) external;

    /// @notice Stakes coin at the EntryPoint, which public bundlers ask of a paymaster that reads its own storage.
    /// @dev Requirements: the caller has the default admin role.
    /// @param unstakeDelaySec Seconds the stake stays locked after {unlockStake}.
    function addStake(uint32 unstakeDelaySec) external payable;

    /// @notice Starts the stake's unlock delay.
    /// @dev Requirements: the caller has the default admin role.
    function unlockStake() external;

    /// @notice Takes the unlocked stake out.
    /// @dev Requirements: the caller has the default admin role; `to` is not zero.
    /// @param to Who receives the stake.
    function withdrawStake(address payable to) external;

    /// @notice Changes the key whose signatures make the paymaster pay (the program server's key).
    /// @dev Requirements: the caller has the default admin role; not zero. Reverts with
    /// `AccessControlUnauthorizedAccount`, {BrandPaymasterZeroSponsor}. Emits {SponsorSet}.
    /// @param sponsor The new key.
    function setSponsor(address sponsor) external;

    /// @notice The key whose signatures make the paymaster pay.
    /// @return The sponsor's address.
    function sponsor() external view returns (address);

    /// @notice The paymaster's deposit at the EntryPoint.
    /// @return Wei available to pay gas.
    function getDeposit() external view returns (uint256);
}
