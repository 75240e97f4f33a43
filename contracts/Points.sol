// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IPoints} from "./interfaces/IPoints.sol";
import {IProgramLifecycle} from "./interfaces/IProgramLifecycle.sol";
import {BoundedPausable} from "./utils/BoundedPausable.sol";

/// @title Points
/// @notice Punchcard's fungible loyalty points (ERC-20 with EIP-2612 permit): minted as rewards or as
/// credits for purchases (once per receipt), burned on redemption. Every point rewarded also counts, for good, as a
/// status point of its member (what Rewards' tiers read): earned, never moved, never spent.
/// @dev Every movement passes through {_update}, where the program's end, pause and transferability are enforced.
/// A member's balance and status points share one storage slot ({Account}), so earning status costs a reward one
/// write to a slot the mint has just written (~200 gas) instead of a fresh slot per member (~22,100 gas), and a
/// full {rewardBatch} still fits in a transaction. {_update} therefore keeps the balances itself instead of OZ's.
/// The end date is read from the program's Stamps ({lifecycle}), so both tokens agree on it; the pause bound is
/// copied from it at deployment.
contract Points is IPoints, ERC20Permit, AccessControlDefaultAdminRules, BoundedPausable {
    /// @notice Role that rewards and credits points (the brand's backend).
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice Role that pauses and unpauses mints and transfers (for at most {maxPauseDuration}).
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Most members one {rewardBatch} call accepts: 500 fresh members take about 14 M gas, under
    /// the 16,777,216 gas a transaction may use since EIP-7825 (Fusaka), so a full batch always fits.
    uint256 public constant MAX_BATCH = 500;
    /// @notice Most points that can exist at once, and most status points a member can earn: balance and status
    /// share a slot as two uint128.
    uint256 public constant MAX_SUPPLY = type(uint128).max;
    /// @notice EIP-712 type a member signs to redeem points without sending the transaction ({redeemBySig}).
    bytes32 public constant REDEEM_TYPEHASH =
        keccak256("Redeem(address member,uint256 amount,bytes32 rewardId,uint256 nonce,uint256 deadline)");

    /// @dev A member's points and status points, packed in one slot.
    struct Account {
        uint128 balance;
        uint128 status;
    }

    uint8 private immutable _decimals;
    IProgramLifecycle private immutable _lifecycle;
    mapping(bytes32 receiptId => bool) private _credited;
    mapping(address operator => bool) private _operators;
    bool private _transferable;
    mapping(address member => Account) private _accounts;
    uint256 private _supply;

    /// @notice Deploys a brand's points token with no supply.
    /// @dev Emits {PointsTransferabilityChanged} so an indexer learns the initial setting from logs alone.
    /// @param name_ ERC-20 name (also the EIP-712 domain name of permits).
    /// @param symbol_ ERC-20 symbol.
    /// @param decimals_ Decimals; 0 for whole-number points.
    /// @param transferable_ Whether members may transfer points to each other.
    /// @param admin Holder of the default admin role (handed over in two steps after `adminDelay`).
    /// @param adminDelay Seconds a default-admin handover must wait.
    /// @param lifecycle_ The program's lifecycle (its Stamps): the end date and the pause bound.
    constructor(
        string memory name_,
        string memory symbol_,
        uint8 decimals_,
        bool transferable_,
        address admin,
        uint48 adminDelay,
        address lifecycle_
    )
        ERC20(name_, symbol_)
        ERC20Permit(name_)
        AccessControlDefaultAdminRules(adminDelay, admin)
        BoundedPausable(BoundedPausable(lifecycle_).maxPauseDuration())
    {
        _decimals = decimals_;
        _lifecycle = IProgramLifecycle(lifecycle_);
        _transferable = transferable_;
        emit PointsTransferabilityChanged(transferable_);
    }

    /// @inheritdoc IPoints
    function reward(address member, uint256 amount, bytes32 reason) external onlyRole(MINTER_ROLE) {
        _reward(member, amount, reason);
    }

    /// @inheritdoc IPoints
    function rewardBatch(
        address[] calldata members,
        uint256[] calldata amounts,
        bytes32 reason
    ) external onlyRole(MINTER_ROLE) {
        uint256 count = members.length;
        if (count == 0 || count > MAX_BATCH) revert PointsInvalidBatchLength(count, MAX_BATCH);
        if (amounts.length != count) revert PointsBatchLengthMismatch(count, amounts.length);
        for (uint256 i = 0; i < count; ++i) {
            _reward(members[i], amounts[i], reason);
        }
    }

    /// @inheritdoc IPoints
    function credit(address member, uint256 amount, bytes32 receiptId) external onlyRole(MINTER_ROLE) {
        if (receiptId == bytes32(0)) revert PointsInvalidReceipt(receiptId);
        if (_credited[receiptId]) revert PointsReceiptAlreadyCredited(receiptId);
        if (amount == 0) revert PointsZeroAmount();
        uint256 end = _lifecycle.endsAt();
        if (end != 0) revert PointsSalesClosed(end);
        _credited[receiptId] = true;
        _mint(member, amount);
        emit PointsCredited(member, amount, receiptId);
    }

    /// @inheritdoc IPoints
    function redeem(uint256 amount, bytes32 rewardId) external {
        _redeem(_msgSender(), amount, rewardId);
    }

    /// @inheritdoc IPoints
    function redeemBySig(
        address member,
        uint256 amount,
        bytes32 rewardId,
        uint256 deadline,
        bytes calldata signature
    ) external {
        if (block.timestamp > deadline) revert PointsSignatureExpired(deadline);
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(REDEEM_TYPEHASH, member, amount, rewardId, _useNonce(member), deadline))
        );
        if (!SignatureChecker.isValidSignatureNowCalldata(member, digest, signature)) revert PointsInvalidSignature(member);
        _redeem(member, amount, rewardId);
    }

    /// @inheritdoc IPoints
    function setTransferable(bool transferable_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _transferable = transferable_;
        emit PointsTransferabilityChanged(transferable_);
    }

    /// @inheritdoc IPoints
    function setOperator(address operator, bool allowed) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (operator == address(0)) revert PointsInvalidOperator(operator);
        _operators[operator] = allowed;
        emit PointsOperatorChanged(operator, allowed);
    }

    /// @inheritdoc IPoints
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc IPoints
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @inheritdoc IPoints
    function statusOf(address member) external view returns (uint256) {
        return _accounts[member].status;
    }

    /// @inheritdoc IPoints
    function isCredited(bytes32 receiptId) external view returns (bool) {
        return _credited[receiptId];
    }

    /// @inheritdoc IPoints
    function lifecycle() external view returns (address) {
        return address(_lifecycle);
    }

    /// @inheritdoc IPoints
    function transferable() external view returns (bool) {
        return _transferable;
    }

    /// @inheritdoc IPoints
    function isOperator(address operator) external view returns (bool) {
        return _operators[operator];
    }

    /// @notice Points in circulation.
    /// @return Every point minted and not burned.
    function totalSupply() public view override returns (uint256) {
        return _supply;
    }

    /// @notice Points `account` holds (its status points are {statusOf}).
    /// @param account The holder.
    /// @return Its balance.
    function balanceOf(address account) public view override returns (uint256) {
        return _accounts[account].balance;
    }

    /// @notice Decimals of the points; 0 means whole-number points.
    /// @dev Set at deployment instead of OZ's fixed 18: loyalty points are usually counted whole.
    /// @return The decimals given to the constructor.
    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    /// @dev The one hook every movement passes through. After the program's end nothing moves: final balances are
    /// frozen. A pause stops mints and transfers but not burns (redemptions: members spend what they hold). While
    /// transfers are off, only approved operators (the Market settling a trade paid in points) may move points
    /// between two holders. The accounting is OZ's `ERC20._update` over the packed {Account}: only the balance half
    /// moves, so status points are never transferred or burned.
    function _update(address from, address to, uint256 value) internal override {
        uint256 end = _lifecycle.endsAt();
        if (end != 0 && block.timestamp >= end) revert PointsFrozen(end);
        if (to != address(0)) _requireNotPaused();
        if (from != address(0) && to != address(0) && !_transferable && !_operators[_msgSender()]) {
            revert PointsNotTransferable(from, to);
        }

        if (from == address(0)) {
            uint256 supply = _supply + value;
            if (supply > MAX_SUPPLY) revert PointsAboveMax(supply, MAX_SUPPLY);
            _supply = supply;
        } else {
            Account storage account = _accounts[from];
            uint256 fromBalance = account.balance;
            if (fromBalance < value) revert ERC20InsufficientBalance(from, fromBalance, value);
            unchecked {
                account.balance = uint128(fromBalance - value);
            }
        }
        unchecked {
            // value <= a balance or the new supply, and every balance <= the supply <= MAX_SUPPLY: no overflow.
            if (to == address(0)) _supply -= value;
            else _accounts[to].balance += uint128(value);
        }
        emit Transfer(from, to, value);
    }

    function _redeem(address member, uint256 amount, bytes32 rewardId) private {
        if (amount == 0) revert PointsZeroAmount();
        _burn(member, amount);
        emit PointsRedeemed(member, amount, rewardId);
    }

    /// @dev Mints, then adds the same amount to the member's status points in the slot the mint just wrote.
    function _reward(address member, uint256 amount, bytes32 reason) private {
        if (amount == 0) revert PointsZeroAmount();
        _mint(member, amount);
        Account storage account = _accounts[member];
        uint256 status = account.status + amount;
        if (status > MAX_SUPPLY) revert PointsAboveMax(status, MAX_SUPPLY);
        account.status = uint128(status);
        emit PointsRewarded(member, amount, reason);
    }
}
