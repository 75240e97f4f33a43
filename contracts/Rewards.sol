// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IRewards} from "./interfaces/IRewards.sol";
import {IStamps} from "./interfaces/IStamps.sol";
import {IPoints} from "./interfaces/IPoints.sol";
import {IConsentRegistry} from "./interfaces/IConsentRegistry.sol";
import {RewardsTypes} from "./types/RewardsTypes.sol";
import {StampIds} from "./libraries/StampIds.sol";

/// @title Rewards
/// @notice Punchcard's journeys, paid by brand-signed vouchers, and what they earn beyond the payout: status points,
/// tiers, and perks a shop checks with one call.
/// @dev Holds the minter role of Stamps and Points, so those contracts do not grow. Tiers and perks live here rather
/// than in a contract of their own because both read the same status points. Status points are kept by Points, packed
/// in the slot of the member's balance, so every reward earns them (a campaign's `Points.reward` as much as a journey's
/// voucher) at no extra slot per member; a tier costs one call to Points.
contract Rewards is IRewards, EIP712, AccessControlDefaultAdminRules {
    /// @dev What the program knows of a wallet's referrals, in one slot: who referred it (zero for nobody) and whether
    /// it ever referred someone. Per program, not per journey: a member is referred at most once, whatever the journey.
    struct ReferralRecord {
        address referrer;
        bool hasReferred;
    }

    /// @notice Role whose signature makes a voucher valid (the brand's backend). Revoking it stops its unredeemed vouchers.
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    /// @notice EIP-712 type hash of a voucher.
    bytes32 public constant VOUCHER_TYPEHASH = RewardsTypes.VOUCHER_TYPEHASH;
    /// @notice Most stamps one voucher mints: bounds the mint loop of {redeem}.
    uint256 public constant MAX_VOUCHER_STAMPS = 10;
    /// @notice Most tiers: bounds the loop of {tierOf}.
    uint256 public constant MAX_TIERS = 8;

    IStamps private immutable _stamps;
    IPoints private immutable _points;
    IConsentRegistry private immutable _consent;

    mapping(bytes32 journeyId => RewardsTypes.Journey) private _journeys;
    mapping(bytes32 perkId => RewardsTypes.Perk) private _perks;
    mapping(bytes32 voucherId => VoucherState) private _vouchers;
    mapping(bytes32 journeyId => mapping(address member => uint256)) private _completions;
    mapping(address wallet => ReferralRecord) private _referrals;
    // Claim period + 1 of a member's last claim of a perk, so 0 means "never claimed".
    mapping(bytes32 perkId => mapping(address member => uint256)) private _lastClaim;
    uint256[] private _tierThresholds;

    /// @notice Deploys the rewards of a program; grant it `MINTER_ROLE` on Stamps and Points, and make it a Points
    /// operator when points are not transferable (perk claims move the points cost to it before burning it).
    /// @param stamps_ The program's Stamps.
    /// @param points_ The program's Points.
    /// @param consent_ The program's consent registry (a referee must never have linked in it).
    /// @param admin Holder of the default admin role (handed over in two steps after `adminDelay`).
    /// @param adminDelay Seconds a default-admin handover must wait.
    constructor(
        IStamps stamps_,
        IPoints points_,
        IConsentRegistry consent_,
        address admin,
        uint48 adminDelay
    ) EIP712("Punchcard Rewards", "1") AccessControlDefaultAdminRules(adminDelay, admin) {
        _stamps = stamps_;
        _points = points_;
        _consent = consent_;
    }

    /// @inheritdoc IRewards
    function setJourney(
        bytes32 journeyId,
        RewardsTypes.Journey calldata journey_
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (
            journey_.active &&
            ((journey_.maxStamps == 0 && journey_.maxPoints == 0) ||
                (journey_.maxStamps != 0 && journey_.seriesId == 0) ||
                journey_.maxStamps > MAX_VOUCHER_STAMPS ||
                (journey_.end != 0 && journey_.end < journey_.start))
        ) revert RewardsInvalidJourney(journeyId);
        _journeys[journeyId] = journey_;
        emit RewardsJourneySet(journeyId, journey_);
    }

    /// @inheritdoc IRewards
    function setTiers(uint256[] calldata thresholds) external onlyRole(DEFAULT_ADMIN_ROLE) {
        uint256 count = thresholds.length;
        if (count > MAX_TIERS) revert RewardsInvalidTiers(count);
        uint256 previous = 0;
        for (uint256 i = 0; i < count; ++i) {
            if (thresholds[i] <= previous) revert RewardsInvalidTiers(i);
            previous = thresholds[i];
        }
        _tierThresholds = thresholds;
        emit RewardsTiersSet(thresholds);
    }

    /// @inheritdoc IRewards
    function setPerk(bytes32 perkId, RewardsTypes.Perk calldata perk_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (perk_.minTier > MAX_TIERS) revert RewardsInvalidPerk(perkId);
        // Reverts with StampsHoldersNotCounted (or StampsUnknownSeries) when the series cannot answer the perk.
        if (perk_.seriesId != 0) _stamps.seriesBalanceOf(address(this), perk_.seriesId);
        // Reverts with StampsUnknownSeries when the perk would burn stamps of no series.
        if (perk_.stampCostSeriesId != 0) _stamps.series(perk_.stampCostSeriesId);
        _perks[perkId] = perk_;
        emit RewardsPerkSet(perkId, perk_);
    }

    /// @inheritdoc IRewards
    function redeem(RewardsTypes.Voucher calldata voucher, bytes calldata signature) external {
        bytes32 voucherId = voucher.voucherId;
        _requireUnused(voucherId);
        if (block.timestamp > voucher.expiry) revert RewardsVoucherExpired(voucherId, voucher.expiry, block.timestamp);
        address signer = ECDSA.recover(_hashTypedDataV4(RewardsTypes.hash(voucher)), signature);
        if (!hasRole(ISSUER_ROLE, signer)) revert RewardsInvalidIssuer(signer);

        bytes32 journeyId = voucher.journeyId;
        RewardsTypes.Journey memory j = _journeys[journeyId];
        if (!j.active) revert RewardsUnknownJourney(journeyId);
        if (block.timestamp < j.start || (j.end != 0 && block.timestamp > j.end)) {
            revert RewardsOutsideWindow(journeyId, j.start, j.end, block.timestamp);
        }
        if (voucher.stamps > j.maxStamps || voucher.points > j.maxPoints) {
            revert RewardsVoucherAboveJourney(journeyId, voucher.stamps, voucher.points);
        }
        address member = voucher.member;
        uint256 done = _completions[journeyId][member];
        if (j.limitPerMember != 0 && done >= j.limitPerMember) {
            revert RewardsLimitReached(journeyId, member, j.limitPerMember);
        }
        address referee = voucher.referee;
        if (j.referral != (referee != address(0))) revert RewardsReferralMismatch(journeyId, referee);
        if (j.referral) {
            if (referee == member) revert RewardsSelfReferral(member);
            // "New" means never linked, not "unlinked now": the registry uses a wallet's nonce at its link and at every
            // change after it, and keeps it through an unlink, so a nonce of zero is a wallet that never linked.
            if (_consent.nonces(referee) != 0) revert RewardsRefereeLinked(referee);
            ReferralRecord storage record = _referrals[referee];
            if (record.referrer != address(0)) revert RewardsRefereeAlreadyReferred(referee, record.referrer);
            // A wallet that referred someone is a member already: refusing it stops mutual (and circular) referrals.
            if (record.hasReferred) revert RewardsRefereeIsReferrer(referee);
            record.referrer = member;
            _referrals[member].hasReferred = true;
        }

        _vouchers[voucherId] = VoucherState.Redeemed;
        _completions[journeyId][member] = done + 1;
        emit RewardsJourneyCompleted(journeyId, member, voucherId, voucher.stamps, voucher.points, referee);

        for (uint256 i = 0; i < voucher.stamps; ++i) {
            _stamps.mint(member, j.seriesId);
        }
        if (voucher.points != 0) _points.reward(member, voucher.points, journeyId);
    }

    /// @inheritdoc IRewards
    function cancelVoucher(bytes32 voucherId) external onlyRole(ISSUER_ROLE) {
        _requireUnused(voucherId);
        _vouchers[voucherId] = VoucherState.Cancelled;
        emit RewardsVoucherCancelled(voucherId);
    }

    /// @inheritdoc IRewards
    function claimPerk(bytes32 perkId) external {
        RewardsTypes.Perk memory p = _claim(_msgSender(), perkId, 0);
        if (p.stampCostSeriesId != 0) revert RewardsWrongStamp(perkId, 0, p.stampCostSeriesId);
        _payPoints(_msgSender(), perkId, p);
    }

    /// @inheritdoc IRewards
    function claimPerkWithStamp(bytes32 perkId, uint256 tokenId) external {
        address member = _msgSender();
        RewardsTypes.Perk memory p = _claim(member, perkId, tokenId);
        (uint256 seriesId, ) = StampIds.decode(tokenId);
        if (p.stampCostSeriesId == 0 || seriesId != p.stampCostSeriesId) {
            revert RewardsWrongStamp(perkId, tokenId, p.stampCostSeriesId);
        }
        IERC721 stamps = IERC721(address(_stamps));
        if (stamps.ownerOf(tokenId) != member) revert RewardsNotStampHolder(member, tokenId);
        if (stamps.getApproved(tokenId) != address(this)) revert RewardsStampNotApproved(member, tokenId);
        _stamps.burn(tokenId);
        _payPoints(member, perkId, p);
    }

    /// @inheritdoc IRewards
    function journey(bytes32 journeyId) external view returns (RewardsTypes.Journey memory) {
        return _journeys[journeyId];
    }

    /// @inheritdoc IRewards
    function perk(bytes32 perkId) external view returns (RewardsTypes.Perk memory) {
        return _perks[perkId];
    }

    /// @inheritdoc IRewards
    function tierThresholds() external view returns (uint256[] memory) {
        return _tierThresholds;
    }

    /// @inheritdoc IRewards
    function statusOf(address member) external view returns (uint256) {
        return _points.statusOf(member);
    }

    /// @inheritdoc IRewards
    function tierOf(address member) external view returns (uint256) {
        return _tierOf(member);
    }

    /// @inheritdoc IRewards
    function isUnlocked(address member, bytes32 perkId) external view returns (bool) {
        RewardsTypes.Perk memory p = _perks[perkId];
        return p.active && _meets(member, p);
    }

    /// @inheritdoc IRewards
    function isClaimed(address member, bytes32 perkId) external view returns (bool) {
        RewardsTypes.Perk memory p = _perks[perkId];
        return _lastClaim[perkId][member] == _periodOf(p) + 1;
    }

    /// @inheritdoc IRewards
    function completions(bytes32 journeyId, address member) external view returns (uint256) {
        return _completions[journeyId][member];
    }

    /// @inheritdoc IRewards
    function voucherState(bytes32 voucherId) external view returns (VoucherState) {
        return _vouchers[voucherId];
    }

    /// @inheritdoc IRewards
    function referrerOf(address referee) external view returns (address) {
        return _referrals[referee].referrer;
    }

    /// @inheritdoc IRewards
    function hasReferred(address member) external view returns (bool) {
        return _referrals[member].hasReferred;
    }

    /// @notice The EIP-712 domain separator vouchers are signed under.
    /// @return The separator for this chain and contract.
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @dev Checks a claim and records it (effects before the burns that follow); returns the perk.
    function _claim(address member, bytes32 perkId, uint256 tokenId) private returns (RewardsTypes.Perk memory p) {
        p = _perks[perkId];
        if (!p.active) revert RewardsUnknownPerk(perkId);
        if (!_meets(member, p)) revert RewardsPerkLocked(member, perkId);
        uint256 period = _periodOf(p);
        if (_lastClaim[perkId][member] == period + 1) revert RewardsPerkAlreadyClaimed(member, perkId, period);
        _lastClaim[perkId][member] = period + 1;
        emit RewardsPerkClaimed(perkId, member, period, p.pointsCost, tokenId);
    }

    /// @dev Burns a perk's points cost, if any.
    function _payPoints(address member, bytes32 perkId, RewardsTypes.Perk memory p) private {
        if (p.pointsCost != 0) {
            // Points burn only their holder's own balance: take the cost, then burn it with the perk id as reward id.
            // Our own token (no hook, no fee), so the plain transferFrom result is enough.
            if (!IERC20(address(_points)).transferFrom(member, address(this), p.pointsCost)) {
                revert RewardsPerkLocked(member, perkId);
            }
            _points.redeem(p.pointsCost, perkId);
        }
    }

    function _requireUnused(bytes32 voucherId) private view {
        VoucherState state = _vouchers[voucherId];
        if (state == VoucherState.Redeemed) revert RewardsVoucherAlreadyRedeemed(voucherId);
        if (state == VoucherState.Cancelled) revert RewardsVoucherWasCancelled(voucherId);
    }

    function _tierOf(address member) private view returns (uint256 tier) {
        uint256 status = _points.statusOf(member);
        uint256 count = _tierThresholds.length;
        while (tier < count && status >= _tierThresholds[tier]) ++tier;
    }

    function _meets(address member, RewardsTypes.Perk memory p) private view returns (bool) {
        if (p.minTier != 0 && _tierOf(member) < p.minTier) return false;
        // Spendable, not the balance: points still pending (a chargeback can take them back) or expired but not yet
        // burned are in `balanceOf` and must not unlock a perk that is then claimed before they go.
        if (p.minPoints != 0 && _points.spendableOf(member) < p.minPoints) return false;
        if (p.minStamps != 0 && IERC721(address(_stamps)).balanceOf(member) < p.minStamps) return false;
        if (p.seriesId != 0 && _stamps.seriesBalanceOf(member, p.seriesId) == 0) return false;
        return true;
    }

    function _periodOf(RewardsTypes.Perk memory p) private view returns (uint256) {
        return p.period == 0 ? 0 : block.timestamp / p.period;
    }
}
