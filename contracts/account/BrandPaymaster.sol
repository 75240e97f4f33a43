// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {PaymasterSigner} from "@openzeppelin/contracts/account/paymaster/extensions/PaymasterSigner.sol";
import {ERC4337Utils} from "@openzeppelin/contracts/account/utils/ERC4337Utils.sol";
import {IEntryPoint} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IBrandPaymaster} from "./interfaces/IBrandPaymaster.sol";

/// @title BrandPaymaster
/// @notice Pays the gas of members' UserOps that the program server signed, within the window it signed them for:
/// the server applies the program's sponsorship policy (budgets, eligibility, simulation) and signs what it allows,
/// so the paymaster holds one rule, "the sponsor signed this exact UserOp".
/// @dev OpenZeppelin's `PaymasterSigner` hashes the UserOp (every field but the signatures) with the window as an
/// EIP-712 `UserOperationRequest`; the sponsor is an ECDSA key (the server's relayer key, or one of its own) kept in
/// storage so the brand can rotate it without moving the deposit. A bundler lets a paymaster that reads its own
/// storage in validation in only if it is staked ({addStake}). Admin handover is two-step
/// (`AccessControlDefaultAdminRules`), as in the program's other contracts.
contract BrandPaymaster is PaymasterSigner, AccessControlDefaultAdminRules, IBrandPaymaster {
    address private _sponsor;

    /// @notice Deploys the paymaster of one brand.
    /// @param sponsor_ The key whose signatures make it pay (the program server's).
    /// @param admin Holder of the default admin role: withdraws the deposit, stakes, rotates the sponsor.
    /// @param adminDelay Seconds a default-admin handover must wait.
    constructor(
        address sponsor_,
        address admin,
        uint48 adminDelay
    ) EIP712("Punchcard Paymaster", "1") AccessControlDefaultAdminRules(adminDelay, admin) {
        _setSponsor(sponsor_);
    }

    /// @inheritdoc IBrandPaymaster
    function deposit() external payable {
        _deposit(msg.value);
    }

    /// @inheritdoc IBrandPaymaster
    function withdraw(address payable to, uint256 amount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (to == address(0)) revert BrandPaymasterZeroAddress();
        _withdraw(to, amount);
        emit DepositWithdrawn(to, amount);
    }

    /// @inheritdoc IBrandPaymaster
    function addStake(uint32 unstakeDelaySec) external payable onlyRole(DEFAULT_ADMIN_ROLE) {
        _addStake(msg.value, unstakeDelaySec);
    }

    /// @inheritdoc IBrandPaymaster
    function unlockStake() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unlockStake();
    }

    /// @inheritdoc IBrandPaymaster
    function withdrawStake(address payable to) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (to == address(0)) revert BrandPaymasterZeroAddress();
        _withdrawStake(to);
    }

    /// @inheritdoc IBrandPaymaster
    function setSponsor(address sponsor_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setSponsor(sponsor_);
    }

    /// @inheritdoc IBrandPaymaster
    function sponsor() external view returns (address) {
        return _sponsor;
    }

    /// @inheritdoc IBrandPaymaster
    function getDeposit() external view returns (uint256) {
        return entryPoint().balanceOf(address(this));
    }

    /// @notice The EntryPoint this paymaster serves: v0.8, at its canonical address on every chain.
    /// @return The EntryPoint v0.8.
    function entryPoint() public pure override returns (IEntryPoint) {
        return ERC4337Utils.ENTRYPOINT_V08;
    }

    /// @dev The sponsor's ECDSA signature (65 bytes; `tryRecover` refuses malleable and malformed ones).
    function _rawSignatureValidation(bytes32 hash, bytes calldata signature) internal view override returns (bool) {
        (address recovered, ECDSA.RecoverError error, ) = ECDSA.tryRecoverCalldata(hash, signature);
        return error == ECDSA.RecoverError.NoError && recovered == _sponsor;
    }

    function _setSponsor(address sponsor_) private {
        if (sponsor_ == address(0)) revert BrandPaymasterZeroSponsor();
        _sponsor = sponsor_;
        emit SponsorSet(sponsor_);
    }
}
