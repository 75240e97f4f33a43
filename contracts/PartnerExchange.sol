// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IPoints} from "./interfaces/IPoints.sol";
import {IConsentRegistry} from "./interfaces/IConsentRegistry.sol";
import {IPartnerExchange} from "./interfaces/IPartnerExchange.sol";

/// @title PartnerExchange
/// @notice Cross-brand exchanges of Punchcard Points. Two programs' admins (each Points' default admin) agree terms
/// on-chain; members then convert points of A into points of B, exactly, within caps, until the end date.
/// @dev Kept outside Points so Points stays under the contract size limit and no program trusts another's code: A's
/// points leave by the ordinary transfer + redemption a member could do (this contract needs the member's allowance,
/// and is an operator of A when A's transfers are off), B's arrive as a credit (this contract holds B's minter role),
/// so each program's own rules (pause, end, pending, expiry) apply on its side. Rounding is impossible by
/// construction: only whole multiples of `rateA` convert, to exactly `amountA / rateA * rateB`.
contract PartnerExchange is IPartnerExchange, ReentrancyGuard {
    /// @dev An agreement: its terms and where it stands.
    struct Agreement {
        Terms terms;
        bool acceptedA;
        bool acceptedB;
        bool paused;
        bool ended;
        uint64 conversions;
    }

    /// @notice The partner-sharing purpose bit of the ConsentRegistry.
    uint256 public constant PARTNER_SHARING = 1 << 3;

    uint256 private _count;
    mapping(uint256 id => Agreement) private _agreements;
    mapping(uint256 id => mapping(uint256 period => uint256)) private _periodUsed;
    mapping(uint256 id => mapping(uint256 period => mapping(address member => uint256))) private _memberUsed;

    /// @inheritdoc IPartnerExchange
    function propose(Terms calldata terms) external returns (uint256 id) {
        if (
            terms.pointsA == address(0) ||
            terms.pointsB == address(0) ||
            terms.pointsA == terms.pointsB ||
            terms.rateA == 0 ||
            terms.rateB == 0 ||
            terms.memberCap == 0 ||
            terms.periodCap == 0 ||
            terms.period == 0 ||
            terms.endsAt <= block.timestamp
        ) revert ExchangeInvalidTerms();
        bool isA = _adminOf(terms.pointsA) == msg.sender;
        if (!isA && _adminOf(terms.pointsB) != msg.sender) revert ExchangeNotAdmin(msg.sender);
        id = ++_count;
        Agreement storage agreement_ = _agreements[id];
        agreement_.terms = terms;
        if (isA) agreement_.acceptedA = true;
        else agreement_.acceptedB = true;
        emit ExchangeProposed(id, terms.pointsA, terms.pointsB, terms);
        emit ExchangeAccepted(id, isA ? terms.pointsA : terms.pointsB, msg.sender);
    }

    /// @inheritdoc IPartnerExchange
    function accept(uint256 id) external {
        Agreement storage agreement_ = _open(id);
        if (!agreement_.acceptedA && _adminOf(agreement_.terms.pointsA) == msg.sender) {
            agreement_.acceptedA = true;
            emit ExchangeAccepted(id, agreement_.terms.pointsA, msg.sender);
        } else if (!agreement_.acceptedB && _adminOf(agreement_.terms.pointsB) == msg.sender) {
            agreement_.acceptedB = true;
            emit ExchangeAccepted(id, agreement_.terms.pointsB, msg.sender);
        } else {
            revert ExchangeNotAdmin(msg.sender);
        }
    }

    /// @inheritdoc IPartnerExchange
    function setPaused(uint256 id, bool paused) external {
        Agreement storage agreement_ = _open(id);
        _requireEitherAdmin(agreement_);
        agreement_.paused = paused;
        emit ExchangePausedChanged(id, msg.sender, paused);
    }

    /// @inheritdoc IPartnerExchange
    function end(uint256 id) external {
        Agreement storage agreement_ = _open(id);
        _requireEitherAdmin(agreement_);
        agreement_.ended = true;
        emit ExchangeEnded(id, msg.sender);
    }

    /// @inheritdoc IPartnerExchange
    function convert(uint256 id, uint256 amountA) external nonReentrant returns (uint256 amountB) {
        Agreement storage agreement_ = _agreements[id];
        if (agreement_.terms.pointsA == address(0)) revert ExchangeUnknown(id);
        Terms memory terms = agreement_.terms;
        if (
            !agreement_.acceptedA ||
            !agreement_.acceptedB ||
            agreement_.paused ||
            agreement_.ended ||
            block.timestamp >= terms.endsAt
        ) revert ExchangeNotActive(id);
        amountB = _quote(terms, amountA);
        address member = msg.sender;
        if (terms.consentA != address(0) && !IConsentRegistry(terms.consentA).hasConsent(member, PARTNER_SHARING)) {
            revert ExchangeConsentRequired(member);
        }
        uint256 period = block.timestamp / terms.period;
        uint256 memberUsed = _memberUsed[id][period][member];
        if (memberUsed + amountA > terms.memberCap) revert ExchangeMemberCapExceeded(member, memberUsed, terms.memberCap);
        uint256 periodUsed = _periodUsed[id][period];
        if (periodUsed + amountA > terms.periodCap) revert ExchangePeriodCapExceeded(periodUsed, terms.periodCap);
        _memberUsed[id][period][member] = memberUsed + amountA;
        _periodUsed[id][period] = periodUsed + amountA;
        uint256 nonce = agreement_.conversions++;

        // A's side: the member's points move here and are redeemed (burned) under the agreement's id.
        if (!IERC20(terms.pointsA).transferFrom(member, address(this), amountA)) revert ExchangeNotActive(id);
        IPoints(terms.pointsA).redeem(amountA, bytes32(id));
        // B's side: a credit whose receipt id is unique to this conversion, so it can never pay twice.
        IPoints(terms.pointsB).credit(member, amountB, conversionReceipt(id, nonce));
        emit Converted(id, member, amountA, amountB);
    }

    /// @inheritdoc IPartnerExchange
    function quote(uint256 id, uint256 amountA) external view returns (uint256) {
        Terms memory terms = _agreements[id].terms;
        if (terms.pointsA == address(0)) revert ExchangeUnknown(id);
        return _quote(terms, amountA);
    }

    /// @inheritdoc IPartnerExchange
    function agreement(
        uint256 id
    ) external view returns (Terms memory terms, bool acceptedA, bool acceptedB, bool paused, bool ended) {
        Agreement storage agreement_ = _agreements[id];
        if (agreement_.terms.pointsA == address(0)) revert ExchangeUnknown(id);
        return (agreement_.terms, agreement_.acceptedA, agreement_.acceptedB, agreement_.paused, agreement_.ended);
    }

    /// @inheritdoc IPartnerExchange
    function usedThisPeriod(uint256 id, address member) external view returns (uint256 byMember, uint256 total) {
        Terms memory terms = _agreements[id].terms;
        if (terms.pointsA == address(0)) revert ExchangeUnknown(id);
        uint256 period = block.timestamp / terms.period;
        return (_memberUsed[id][period][member], _periodUsed[id][period]);
    }

    /// @inheritdoc IPartnerExchange
    function conversionReceipt(uint256 id, uint256 nonce) public view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), id, nonce));
    }

    /// @dev An existing agreement not ended.
    function _open(uint256 id) private view returns (Agreement storage agreement_) {
        agreement_ = _agreements[id];
        if (agreement_.terms.pointsA == address(0)) revert ExchangeUnknown(id);
        if (agreement_.ended) revert ExchangeAlreadyEnded(id);
    }

    /// @dev The caller must be the admin of A's or B's Points.
    function _requireEitherAdmin(Agreement storage agreement_) private view {
        if (_adminOf(agreement_.terms.pointsA) != msg.sender && _adminOf(agreement_.terms.pointsB) != msg.sender) {
            revert ExchangeNotAdmin(msg.sender);
        }
    }

    /// @dev The default admin of a program's Points: the program's admin.
    function _adminOf(address points) private view returns (address) {
        return IAccessControlDefaultAdminRules(points).defaultAdmin();
    }

    /// @dev Exactly `amountA / rateA * rateB` for a whole, non-zero multiple of `rateA`; anything else reverts.
    function _quote(Terms memory terms, uint256 amountA) private pure returns (uint256) {
        if (amountA == 0 || amountA % terms.rateA != 0) revert ExchangeInexactAmount(amountA, terms.rateA);
        return (amountA / terms.rateA) * terms.rateB;
    }
}
