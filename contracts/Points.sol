// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IPoints} from "./interfaces/IPoints.sol";
import {IProgramLifecycle} from "./interfaces/IProgramLifecycle.sol";
import {PauseScopes} from "./libraries/PauseScopes.sol";
import {PointLots} from "./libraries/PointLots.sol";

/// @title Points
/// @notice Punchcard's fungible loyalty points (ERC-20 with EIP-2612 permit): minted as rewards or as
/// credits for purchases (once per receipt), burned on redemption. Every point rewarded also counts, for good, as a
/// status point of its member (what Rewards' tiers read): earned, never moved, never spent.
/// @dev Every movement passes through {_update}, where the program's end, pause and transferability are enforced.
/// A member's balance, status points and (under inactivity expiry) last activity share one slot ({Account}), so
/// earning status or stamping activity costs ~200 gas, not a fresh slot (~22,100 gas), and a full {rewardBatch}
/// still fits in a transaction; {_update} keeps the balances itself instead of OZ's. The end date and the pause are
/// read from the program's Stamps ({lifecycle}) in one call, so every contract of the program agrees on one end and
/// one pause budget. Pending purchases and dated lots ({IPoints}) are two {PointLots} queues per member.
contract Points is IPoints, ERC20Permit, AccessControlDefaultAdminRules {
    using PointLots for PointLots.Pending;
    using PointLots for PointLots.Dated;

    /// @notice Role that rewards and credits points (the brand's backend).
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice Most members one {rewardBatch} call accepts: 500 fresh members take about 14 M gas, under
    /// the 16,777,216 gas a transaction may use since EIP-7825 (Fusaka), so a full batch always fits.
    uint256 public constant MAX_BATCH = 500;
    /// @notice Most points that can exist at once: a balance is a uint128.
    uint256 public constant MAX_SUPPLY = type(uint128).max;
    /// @notice EIP-712 type a member signs to redeem points without sending the transaction ({redeemBySig}).
    bytes32 public constant REDEEM_TYPEHASH =
        keccak256("Redeem(address member,uint256 amount,bytes32 rewardId,uint256 nonce,uint256 deadline)");
    /// @notice Most status points a member can earn: they share the balance's slot as a uint96.
    uint256 public constant MAX_STATUS = type(uint96).max;
    /// @notice Most pending days and expiry days the terms accept.
    uint256 public constant MAX_TERM_DAYS = 3650;
    /// @notice Most live dated lots a member holds under {Expiry.DatedLots}: lots are dated by periods of
    /// `ceil(expiryDays / MAX_DATED_LOTS)` days, so a spend or an earn touches at most this many lots.
    uint256 public constant MAX_DATED_LOTS = 32;

    /// @dev A member's points, status points and last activity (under inactivity expiry), packed in one slot.
    struct Account {
        uint128 balance;
        uint96 status;
        uint32 lastActive;
    }

    /// @dev A payment receipt: who was credited, how much, in which lot, and what became of it.
    struct Receipt {
        address member;
        ReceiptState state;
        uint64 releaseAt;
        uint128 amount;
        uint64 lot;
    }

    uint8 private immutable _decimals;
    IProgramLifecycle private immutable _lifecycle;
    uint256 private immutable _pendingDays;
    Expiry private immutable _expiry;
    uint256 private immutable _expiryDays;
    uint256 private immutable _lotSeconds;
    mapping(bytes32 receiptId => Receipt) private _receipts;
    mapping(address operator => bool) private _operators;
    bool private _transferable;
    mapping(address member => Account) private _accounts;
    uint256 private _supply;
    /// @dev Each member's purchases still pending, one lot per release day ({PointLots-Pending}).
    mapping(address member => PointLots.Pending) private _pendingLots;
    /// @dev Each member's points under {Expiry.DatedLots}, one lot per period ({PointLots-Dated}).
    mapping(address member => PointLots.Dated) private _datedLots;
    /// @dev Set while a reversal or an expiry burns: those are not the member's activity and ignore expiry.
    bool private transient _administrative;

    /// @notice Deploys a brand's points token with no supply.
    /// @dev Emits {PointsTransferabilityChanged} and {PointsTermsSet} so an indexer learns the initial settings from
    /// logs alone.
    /// @param name_ ERC-20 name (also the EIP-712 domain name of permits).
    /// @param symbol_ ERC-20 symbol.
    /// @param decimals_ Decimals; 0 for whole-number points.
    /// @param transferable_ Whether members may transfer points to each other.
    /// @param admin Holder of the default admin role (handed over in two steps after `adminDelay`).
    /// @param adminDelay Seconds a default-admin handover must wait.
    /// @param lifecycle_ The program's lifecycle (its Stamps): the end date and the pause.
    /// @param terms_ Pending days of purchases and the expiry model ({Terms}).
    constructor(
        string memory name_,
        string memory symbol_,
        uint8 decimals_,
        bool transferable_,
        address admin,
        uint48 adminDelay,
        address lifecycle_,
        Terms memory terms_
    )
        ERC20(name_, symbol_)
        ERC20Permit(name_)
        AccessControlDefaultAdminRules(adminDelay, admin)
    {
        _decimals = decimals_;
        _lifecycle = IProgramLifecycle(lifecycle_);
        _transferable = transferable_;
        uint256 pendingDays = terms_.pendingDays;
        uint256 expiryDays = terms_.expiryDays;
        uint256 lotDays = (expiryDays + MAX_DATED_LOTS - 1) / MAX_DATED_LOTS;
        uint256 minDays; // expiryDays must exceed it (when there is expiry)
        if (terms_.expiry == Expiry.Inactivity) minDays = pendingDays + 1;
        // A lot can expire lotDays before expiryDays: the pending points of its period are released before that.
        else if (terms_.expiry == Expiry.DatedLots) minDays = pendingDays + 1 + lotDays;
        if (
            pendingDays > MAX_TERM_DAYS ||
            expiryDays > MAX_TERM_DAYS ||
            (terms_.expiry == Expiry.None ? expiryDays != 0 : expiryDays <= minDays)
        ) revert PointsInvalidTerms(pendingDays, expiryDays);
        _pendingDays = pendingDays;
        _expiry = terms_.expiry;
        _expiryDays = expiryDays;
        _lotSeconds = lotDays * 1 days;
        emit PointsTransferabilityChanged(transferable_);
        emit PointsTermsSet(pendingDays, terms_.expiry, expiryDays);
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
        Receipt storage receipt = _receipts[receiptId];
        ReceiptState state = receipt.state;
        if (state == ReceiptState.Credited) revert PointsReceiptAlreadyCredited(receiptId);
        if (state == ReceiptState.Reversed) revert PointsReceiptReversed(receiptId);
        if (amount == 0) revert PointsZeroAmount();
        uint256 end = _lifecycle.endsAt();
        if (end != 0) revert PointsSalesClosed(end);
        // The mint first: it refuses the zero address and an amount above MAX_SUPPLY, so the casts below are safe.
        _mint(member, amount);
        receipt.member = member;
        receipt.state = ReceiptState.Credited;
        receipt.amount = uint128(amount);
        if (_pendingDays == 0) {
            receipt.releaseAt = uint64(block.timestamp);
        } else {
            uint256 releaseAt = (block.timestamp / 1 days + _pendingDays + 1) * 1 days;
            receipt.releaseAt = uint64(releaseAt);
            receipt.lot = uint64(_pendingLots[member].lock(amount, releaseAt));
        }
        emit PointsCredited(member, amount, receiptId);
    }

    /// @inheritdoc IPoints
    function reversePurchase(bytes32 receiptId) external onlyRole(MINTER_ROLE) {
        if (receiptId == bytes32(0)) revert PointsInvalidReceipt(receiptId);
        Receipt storage receipt = _receipts[receiptId];
        ReceiptState state = receipt.state;
        if (state == ReceiptState.Reversed) revert PointsReceiptAlreadyReversed(receiptId);
        receipt.state = ReceiptState.Reversed;
        if (state == ReceiptState.None) {
            emit PointsPurchaseReversed(address(0), receiptId, 0, 0, 0);
            return;
        }
        address member = receipt.member;
        uint256 amount = receipt.amount;
        uint256 burned;
        bool pending = block.timestamp < receipt.releaseAt;
        if (pending) {
            // Still pending: its lot still holds it (a lot is dropped only once released), and it was never spendable.
            _pendingLots[member].unlock(receipt.lot, amount);
            burned = amount;
        } else {
            uint256 spendable = _spendable(member, _accounts[member], block.timestamp);
            burned = spendable < amount ? spendable : amount;
        }
        if (burned != 0) {
            // The purchase's own lot (its credit day's, as periods are whole days) goes first, pending or released, so
            // other lots keep their dates; what it lacks (the member spent from it) comes from the oldest, as a spend.
            if (_expiry == Expiry.DatedLots) {
                uint256 day = _pendingDays == 0 ? receipt.releaseAt : receipt.releaseAt - (_pendingDays + 1) * 1 days;
                _datedLots[member].sweep();
                _datedLots[member].spendFrom(burned, _lotExpiryOf(day));
            }
            _administrativeBurn(member, burned);
        }
        emit PointsPurchaseReversed(member, receiptId, amount, burned, amount - burned);
    }

    /// @inheritdoc IPoints
    function expire(address member) external {
        (uint256 amount, ) = _expiry == Expiry.DatedLots
            ? (_datedLots[member].clearExpired(), 0)
            : _expiredBy(member, block.timestamp);
        if (amount == 0) revert PointsNothingToExpire(member);
        _administrativeBurn(member, amount);
        emit PointsExpired(member, amount);
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
    function statusOf(address member) external view returns (uint256) {
        return _accounts[member].status;
    }

    /// @inheritdoc IPoints
    function isCredited(bytes32 receiptId) external view returns (bool) {
        return _receipts[receiptId].member != address(0);
    }

    /// @inheritdoc IPoints
    function terms() external view returns (Terms memory) {
        return Terms(uint16(_pendingDays), uint16(_expiryDays), _expiry);
    }

    /// @inheritdoc IPoints
    function pendingOf(address member) external view returns (uint256) {
        return _pending(member);
    }

    /// @inheritdoc IPoints
    function spendableOf(address member) external view returns (uint256) {
        return _spendable(member, _accounts[member], _expiryClock(block.timestamp));
    }

    /// @inheritdoc IPoints
    function expiringBy(address member, uint256 timestamp) external view returns (uint256 amount, uint256 expiresAt) {
        uint256 endsAt = _expiryClock(type(uint256).max);
        if (timestamp > endsAt) timestamp = endsAt;
        if (_expiry != Expiry.DatedLots) return _expiredBy(member, timestamp);
        (amount, expiresAt) = _datedLots[member].expiringBy(timestamp);
        if (expiresAt > endsAt) expiresAt = endsAt; // a swept sum is dated now: past the end, the end
    }

    /// @inheritdoc IPoints
    function receiptOf(
        bytes32 receiptId
    ) external view returns (ReceiptState state, address member, uint256 amount, uint256 releaseAt) {
        Receipt memory receipt = _receipts[receiptId];
        return (receipt.state, receipt.member, receipt.amount, receipt.releaseAt);
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
    /// moves, so status points are never transferred or burned. Only spendable points leave a holder (pending and
    /// expired ones stay). Under inactivity expiry only the member's own acts stamp their last activity: points
    /// leaving them (not by a reversal or an expiry) and points minted to them; a receipt only starts a stopped clock.
    function _update(address from, address to, uint256 value) internal override {
        (uint256 end, bool paused) = _lifecycle.programClock(PauseScopes.POINTS);
        if (end != 0 && block.timestamp >= end) revert PointsFrozen(end);
        if (to != address(0) && paused) revert IProgramLifecycle.EnforcedPause();
        if (from != address(0) && to != address(0) && !_transferable && !_operators[_msgSender()]) {
            revert PointsNotTransferable(from, to);
        }
        // A zero-value transfer is a normal transfer (EIP-20) and no activity: it moves, stamps, burns and dates
        // nothing, so it revives no expired balance and keeps no one's points alive for free.
        if (value == 0) {
            emit Transfer(from, to, 0);
            return;
        }
        bool inactivity = _expiry == Expiry.Inactivity && !_administrative;
        // Under dated lots a spend takes the oldest lots and an earn joins the current one; a reversal or an expiry
        // moves lots itself, and a move to oneself moves none.
        bool dated = _expiry == Expiry.DatedLots && !_administrative;
        bool moveLots = dated && from != to;

        if (from == address(0)) {
            uint256 supply = _supply + value;
            if (supply > MAX_SUPPLY) revert PointsAboveMax(supply, MAX_SUPPLY);
            _supply = supply;
        } else {
            Account storage account = _accounts[from];
            Account memory before = account;
            uint256 fromBalance = before.balance;
            if (fromBalance < value) revert ERC20InsufficientBalance(from, fromBalance, value);
            if (inactivity) {
                uint256 expiresAt = _expiresAt(before);
                if (expiresAt <= block.timestamp) revert PointsBalanceExpired(from, expiresAt);
                account.lastActive = uint32(block.timestamp);
            }
            if (_pendingDays != 0 || dated) _requireSpendable(from, fromBalance, value, dated, moveLots);
            unchecked {
                account.balance = uint128(fromBalance - value);
            }
        }
        if (to == address(0)) {
            unchecked {
                _supply -= value; // value <= a balance <= the supply
            }
        } else {
            _receive(from, to, value, inactivity);
        }
        if (moveLots && to != address(0)) _datedLots[to].add(value, _lotExpiryOf(block.timestamp));
        emit Transfer(from, to, value);
    }

    /// @dev Credits `value` to `to`. Under `inactivity` an expired balance there burns first (with its event): nothing
    /// received revives it. An earn from the brand (a mint) stamps the clock; points from anyone else only start a
    /// stopped one (never started, or run out), so a gift still expires and a stranger's drip keeps nothing alive.
    function _receive(address from, address to, uint256 value, bool inactivity) private {
        if (inactivity && from != to) {
            (uint256 expired, ) = _expiredBy(to, block.timestamp);
            if (expired != 0) {
                _administrativeBurn(to, expired);
                emit PointsExpired(to, expired);
            }
        }
        Account storage account = _accounts[to];
        unchecked {
            account.balance += uint128(value); // every balance <= the supply <= MAX_SUPPLY: no overflow
        }
        if (inactivity) {
            uint256 last = account.lastActive;
            if (from == address(0) || last == 0 || last + _expiryDays * 1 days <= block.timestamp) {
                account.lastActive = uint32(block.timestamp);
            }
        }
    }

    /// @dev Reverts unless `from` can spend `value` of its `balance`: pending points and, under dated lots (`dated`),
    /// expired lots are locked. With `moveLots`, takes `value` from its oldest live lots.
    function _requireSpendable(address from, uint256 balance, uint256 value, bool dated, bool moveLots) private {
        uint256 locked = _pendingDays != 0 ? _pendingLots[from].release() : 0;
        if (dated) locked += _datedLots[from].sweep();
        uint256 spendable = balance - locked;
        if (spendable < value) revert PointsNotSpendable(from, spendable, value);
        if (moveLots) _datedLots[from].spend(value);
    }

    function _redeem(address member, uint256 amount, bytes32 rewardId) private {
        if (amount == 0) revert PointsZeroAmount();
        _burn(member, amount);
        emit PointsRedeemed(member, amount, rewardId);
    }

    /// @dev Burns points on the program's behalf (a reversal, an expiry): not the member's activity, and blind to
    /// expiry (what it burns is exactly what may be burned).
    function _administrativeBurn(address member, uint256 amount) private {
        _administrative = true;
        _burn(member, amount);
        _administrative = false;
    }

    /// @dev Mints, then adds the same amount to the member's status points in the slot the mint just wrote.
    function _reward(address member, uint256 amount, bytes32 reason) private {
        if (amount == 0) revert PointsZeroAmount();
        _mint(member, amount);
        Account storage account = _accounts[member];
        uint256 status = account.status + amount;
        if (status > MAX_STATUS) revert PointsAboveMax(status, MAX_STATUS);
        account.status = uint96(status);
        emit PointsRewarded(member, amount, reason);
    }

    /// @dev Points of `member` still pending: the queue's total less its released lots (at most pendingDays + 1).
    function _pending(address member) private view returns (uint256) {
        if (_pendingDays == 0) return 0;
        return _pendingLots[member].pending();
    }

    /// @dev What `member` may spend: nothing once expired at `clock` (inactivity), else the balance less pending points
    /// (on the real time: a release is no expiry) and the lots expired at `clock`.
    function _spendable(address member, Account memory account, uint256 clock) private view returns (uint256) {
        if (_expiresAt(account) <= clock) return 0;
        uint256 locked = _pending(member);
        if (_expiry == Expiry.DatedLots) {
            (uint256 expired, ) = _datedLots[member].expiringBy(clock);
            locked += expired;
        }
        return account.balance - locked;
    }

    /// @dev `time`, or the program's end once `time` is past it: balances are frozen there, nothing expires after.
    function _expiryClock(uint256 time) private view returns (uint256) {
        if (_expiry == Expiry.None) return time;
        uint256 endsAt = _lifecycle.endsAt();
        return endsAt != 0 && endsAt < time ? endsAt : time;
    }

    /// @dev The date of the dated lot an earn at `time` joins: its period's start plus the expiry days.
    function _lotExpiryOf(uint256 time) private view returns (uint256) {
        return (time / _lotSeconds) * _lotSeconds + _expiryDays * 1 days;
    }

    /// @dev Under inactivity, `member`'s balance if expired by `timestamp`, and when (pending lots release before).
    function _expiredBy(address member, uint256 timestamp) private view returns (uint256 amount, uint256 expiresAt) {
        Account memory account = _accounts[member];
        expiresAt = _expiresAt(account);
        if (expiresAt > timestamp || account.balance == 0) return (0, 0);
        return (account.balance, expiresAt);
    }

    /// @dev When `account`'s balance expires under inactivity; never (max) otherwise or before any activity.
    function _expiresAt(Account memory account) private view returns (uint256) {
        if (_expiry != Expiry.Inactivity || account.lastActive == 0) return type(uint256).max;
        return uint256(account.lastActive) + _expiryDays * 1 days;
    }
}
