// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RewardsTypes} from "../types/RewardsTypes.sol";

/// @title IRewards
/// @notice What a client needs of Punchcard's rewards: journeys paid by brand-signed vouchers (referrals among
/// them), status points and tiers, and perks a shop checks with one call. Events, errors, Requirements.
/// @dev Status points are every point a member was rewarded (Points `reward` and `rewardBatch`, and the points of
/// vouchers, which Rewards pays with Points `reward`); Points keeps them beside the balance, and they are never spent,
/// moved or bought (they are not the Points balance). A member's tier is the number of tier thresholds their status points reach.
interface IRewards {
    /// @notice What became of a voucher id.
    enum VoucherState {
        Unused,
        Redeemed,
        Cancelled
    }

    /// @notice A journey was created, changed or closed.
    /// @param journeyId The brand's bytes32 code of the journey.
    /// @param journey Every rule of the journey as now set.
    event RewardsJourneySet(bytes32 indexed journeyId, RewardsTypes.Journey journey);
    /// @notice `member` completed `journeyId` and was paid by the voucher `voucherId`.
    /// @dev The stamps appear as Stamps `Transfer` events and the points as a Points {PointsRewarded} with the journey
    /// id as reason, in the same transaction. `points` are also the status points earned.
    /// @param journeyId The journey completed.
    /// @param member The member paid.
    /// @param voucherId The voucher redeemed; it can never pay again.
    /// @param stamps Stamps minted to the member.
    /// @param points Points rewarded to the member, and status points earned.
    /// @param referee For a referral, the wallet the member referred; else the zero address.
    event RewardsJourneyCompleted(
        bytes32 indexed journeyId,
        address indexed member,
        bytes32 indexed voucherId,
        uint256 stamps,
        uint256 points,
        address referee
    );
    /// @notice The brand cancelled the voucher `voucherId` before it was redeemed.
    /// @param voucherId The voucher that can no longer pay.
    event RewardsVoucherCancelled(bytes32 indexed voucherId);
    /// @notice The tier thresholds were set: tier i + 1 needs `thresholds[i]` status points.
    /// @param thresholds Status points each tier needs, strictly increasing.
    event RewardsTiersSet(uint256[] thresholds);
    /// @notice A perk was created, changed or withdrawn.
    /// @param perkId The brand's bytes32 code of the perk.
    /// @param perk Every rule of the perk as now set.
    event RewardsPerkSet(bytes32 indexed perkId, RewardsTypes.Perk perk);
    /// @notice `member` claimed the perk `perkId` in claim period `period`.
    /// @param perkId The perk claimed.
    /// @param member The member who claimed it.
    /// @param period The claim period (`timestamp / perk.period`, 0 for a once-ever perk): one claim per period.
    /// @param pointsBurned Points the claim burned.
    /// @param stampBurned The stamp the claim burned (0: none; no stamp has id 0).
    event RewardsPerkClaimed(
        bytes32 indexed perkId,
        address indexed member,
        uint256 period,
        uint256 pointsBurned,
        uint256 stampBurned
    );

    /// @notice No active journey has this id.
    /// @param journeyId The journey given.
    error RewardsUnknownJourney(bytes32 journeyId);
    /// @notice The journey's rules are inconsistent (a window that ends before it starts, stamps without a series,
    /// more stamps than a voucher may mint, or no reward at all).
    /// @param journeyId The journey given.
    error RewardsInvalidJourney(bytes32 journeyId);
    /// @notice The voucher expired.
    /// @param voucherId The voucher.
    /// @param expiry Its last valid timestamp.
    /// @param timestamp The block's timestamp.
    error RewardsVoucherExpired(bytes32 voucherId, uint256 expiry, uint256 timestamp);
    /// @notice The voucher was already redeemed: it pays once.
    /// @param voucherId The voucher.
    error RewardsVoucherAlreadyRedeemed(bytes32 voucherId);
    /// @notice The brand cancelled this voucher.
    /// @param voucherId The voucher.
    error RewardsVoucherWasCancelled(bytes32 voucherId);
    /// @notice The voucher's signer does not hold the issuer role (never had it, lost it, or the voucher was altered).
    /// @param signer The address the signature recovers to.
    error RewardsInvalidIssuer(address signer);
    /// @notice The journey is not open at this time.
    /// @param journeyId The journey.
    /// @param start Its first valid timestamp (0: none).
    /// @param end Its last valid timestamp (0: none).
    /// @param timestamp The block's timestamp.
    error RewardsOutsideWindow(bytes32 journeyId, uint256 start, uint256 end, uint256 timestamp);
    /// @notice The voucher pays more than the journey allows.
    /// @param journeyId The journey.
    /// @param stamps Stamps the voucher would mint.
    /// @param points Points the voucher would reward.
    error RewardsVoucherAboveJourney(bytes32 journeyId, uint256 stamps, uint256 points);
    /// @notice The member has completed this journey as often as it allows.
    /// @param journeyId The journey.
    /// @param member The member.
    /// @param limit Completions per member.
    error RewardsLimitReached(bytes32 journeyId, address member, uint256 limit);
    /// @notice A referral journey needs a referee, any other journey none.
    /// @param journeyId The journey.
    /// @param referee The referee given.
    error RewardsReferralMismatch(bytes32 journeyId, address referee);
    /// @notice A member cannot refer themselves.
    /// @param member The member.
    error RewardsSelfReferral(address member);
    /// @notice The referee's wallet is, or once was, linked to a customer account in the consent registry: not a new
    /// member (unlinking and coming back does not make one new).
    /// @param referee The referee.
    error RewardsRefereeLinked(address referee);
    /// @notice The referee was already referred, by this referrer or another, on this journey or another: a member
    /// is referred at most once.
    /// @param referee The referee.
    /// @param referrer Who referred them first.
    error RewardsRefereeAlreadyReferred(address referee, address referrer);
    /// @notice The referee has referred someone themselves, so is not a new member (this stops mutual referrals).
    /// @param referee The referee.
    error RewardsRefereeIsReferrer(address referee);
    /// @notice Tier thresholds must be at most {MAX_TIERS}, above zero and strictly increasing.
    /// @param index The first threshold that breaks the rule (or the count, when there are too many).
    error RewardsInvalidTiers(uint256 index);
    /// @notice The perk's rules are inconsistent (a minimum tier above {MAX_TIERS}).
    /// @param perkId The perk given.
    error RewardsInvalidPerk(bytes32 perkId);
    /// @notice No active perk has this id.
    /// @param perkId The perk given.
    error RewardsUnknownPerk(bytes32 perkId);
    /// @notice The member does not meet the perk's conditions.
    /// @param member The member.
    /// @param perkId The perk.
    error RewardsPerkLocked(address member, bytes32 perkId);
    /// @notice The perk's claim burns a stamp of `seriesId`, and the stamp given is not one (or the perk burns no stamp,
    /// `seriesId` 0, and one was given).
    /// @param perkId The perk.
    /// @param tokenId The stamp given (0: none, through {claimPerk}).
    /// @param seriesId The series whose stamp the perk burns (0: none).
    error RewardsWrongStamp(bytes32 perkId, uint256 tokenId, uint256 seriesId);
    /// @notice Only the holder of a stamp can spend it on a perk.
    /// @param member The member claiming.
    /// @param tokenId The stamp, held by someone else.
    error RewardsNotStampHolder(address member, uint256 tokenId);
    /// @notice The member did not approve Rewards for this stamp (ERC-721 `approve`, for this one stamp).
    /// @param member The member claiming.
    /// @param tokenId The stamp.
    error RewardsStampNotApproved(address member, uint256 tokenId);
    /// @notice The member already claimed this perk in this period.
    /// @param member The member.
    /// @param perkId The perk.
    /// @param period The claim period.
    error RewardsPerkAlreadyClaimed(address member, bytes32 perkId, uint256 period);

    /// @notice Creates, changes or closes (`active` false) a journey. Admin only.
    /// @dev Changing a journey applies to vouchers not yet redeemed; completions counted so far stay.
    ///
    /// Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - an active journey pays something, mints stamps only of a series, at most {MAX_VOUCHER_STAMPS}, and its
    ///   window does not end before it starts, else {RewardsInvalidJourney}.
    ///
    /// Emits a {RewardsJourneySet} event.
    /// @param journeyId The brand's bytes32 code of the journey.
    /// @param journey The journey's rules.
    function setJourney(bytes32 journeyId, RewardsTypes.Journey calldata journey) external;

    /// @notice Sets the tier thresholds. Admin only.
    /// @dev Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - at most {MAX_TIERS} thresholds, each above zero and above the previous, else {RewardsInvalidTiers}.
    ///
    /// Emits a {RewardsTiersSet} event.
    /// @param thresholds Status points tier 1, 2, ... need; an empty list removes the tiers.
    function setTiers(uint256[] calldata thresholds) external;

    /// @notice Creates, changes or withdraws (`active` false) a perk. Admin only.
    /// @dev Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - `perk.minTier` is at most {MAX_TIERS}, else {RewardsInvalidPerk};
    /// - `perk.seriesId` counts its holders, else `StampsHoldersNotCounted`, and `perk.stampCostSeriesId` exists, else
    ///   `StampsUnknownSeries`.
    ///
    /// Emits a {RewardsPerkSet} event.
    /// @param perkId The brand's bytes32 code of the perk.
    /// @param perk The perk's conditions and claim rules.
    function setPerk(bytes32 perkId, RewardsTypes.Perk calldata perk) external;

    /// @notice Pays a voucher to its member: mints its stamps, rewards its points, adds the points to the member's
    /// status points. Anyone may submit it (the member, or a relayer paying the gas); only the member is paid.
    /// @dev Requirements:
    ///
    /// - the voucher was not redeemed, else {RewardsVoucherAlreadyRedeemed}, nor cancelled, else {RewardsVoucherWasCancelled};
    /// - the block's timestamp is at most `voucher.expiry`, else {RewardsVoucherExpired};
    /// - `signature` is an issuer's over this voucher, on this chain and this contract, else {RewardsInvalidIssuer};
    /// - the journey is active, else {RewardsUnknownJourney}, and open now, else {RewardsOutsideWindow};
    /// - the voucher pays at most the journey's stamps and points, else {RewardsVoucherAboveJourney};
    /// - the member has completions left, else {RewardsLimitReached};
    /// - for a referral journey, a new member as referee: not the member ({RewardsSelfReferral}), never linked in the
    ///   consent registry, now or before ({RewardsRefereeLinked}), never referred by anyone on any journey
    ///   ({RewardsRefereeAlreadyReferred}) and never a referrer ({RewardsRefereeIsReferrer}); for any other journey
    ///   no referee, else {RewardsReferralMismatch};
    /// - Stamps and Points accept the mint (not paused, series not sold out).
    ///
    /// Emits Stamps `Transfer` events, Points `Transfer` and {PointsRewarded} events, and a {RewardsJourneyCompleted} event.
    /// @param voucher The voucher the brand signed.
    /// @param signature The issuer's EIP-712 signature of the voucher.
    function redeem(RewardsTypes.Voucher calldata voucher, bytes calldata signature) external;

    /// @notice Cancels a voucher before it is redeemed. Issuer only.
    /// @dev Requirements:
    ///
    /// - the caller has `ISSUER_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - the voucher was not redeemed, else {RewardsVoucherAlreadyRedeemed}, nor cancelled, else {RewardsVoucherWasCancelled}.
    ///
    /// Emits a {RewardsVoucherCancelled} event.
    /// @param voucherId The voucher to cancel.
    function cancelVoucher(bytes32 voucherId) external;

    /// @notice Claims a perk for the caller, burning its points cost.
    /// @dev The points cost moves from the caller to this contract and is burned with Points `redeem`, so the caller
    /// approves this contract for it first.
    ///
    /// Requirements:
    ///
    /// - the perk is active, else {RewardsUnknownPerk};
    /// - the caller meets its conditions, else {RewardsPerkLocked};
    /// - the caller did not claim it in this period, else {RewardsPerkAlreadyClaimed};
    /// - the perk burns no stamp, else {RewardsWrongStamp} (claim it with {claimPerkWithStamp});
    /// - the caller holds and approved the points cost, else `ERC20InsufficientBalance` / `ERC20InsufficientAllowance`.
    ///
    /// Emits a {RewardsPerkClaimed} event (and Points {PointsRedeemed} with the perk id when it costs points).
    /// @param perkId The perk to claim.
    function claimPerk(bytes32 perkId) external;

    /// @notice Claims a perk whose cost is a stamp: burns the caller's stamp `tokenId` (and the points cost, if any).
    /// @dev Only the stamp's holder can spend it: the caller must hold it and have approved this contract for that one
    /// stamp (ERC-721 `approve`; Stamps lets an address approved for one stamp burn it, and only a holder can give
    /// such an approval). The conditions are checked before the stamp is burned, so the stamp may be what unlocks it.
    ///
    /// Requirements: those of {claimPerk}, except that the perk burns a stamp of its `stampCostSeriesId` and:
    ///
    /// - `tokenId` is a stamp of that series, else {RewardsWrongStamp};
    /// - the caller holds it, else {RewardsNotStampHolder} (`ERC721NonexistentToken` if nobody does);
    /// - the caller approved this contract for it, else {RewardsStampNotApproved}.
    ///
    /// Emits a {RewardsPerkClaimed} event naming the stamp, a Stamps `Transfer` to the zero address (and Points
    /// {PointsRedeemed} with the perk id when it also costs points).
    /// @param perkId The perk to claim.
    /// @param tokenId The stamp to spend.
    function claimPerkWithStamp(bytes32 perkId, uint256 tokenId) external;

    /// @notice A journey's rules.
    /// @param journeyId The journey.
    /// @return The journey (all zero when it was never set).
    function journey(bytes32 journeyId) external view returns (RewardsTypes.Journey memory);

    /// @notice A perk's rules.
    /// @param perkId The perk.
    /// @return The perk (all zero when it was never set).
    function perk(bytes32 perkId) external view returns (RewardsTypes.Perk memory);

    /// @notice The tier thresholds.
    /// @return Status points tier 1, 2, ... need.
    function tierThresholds() external view returns (uint256[] memory);

    /// @notice A member's status points, as Points `statusOf` keeps them: every point rewarded, never spent.
    /// @param member The member.
    /// @return Status points.
    function statusOf(address member) external view returns (uint256);

    /// @notice A member's tier: how many thresholds their status points reach (0 below the first).
    /// @param member The member.
    /// @return The tier, 0 to {MAX_TIERS}.
    function tierOf(address member) external view returns (uint256);

    /// @notice Whether a member meets a perk's conditions now (what a shop checks).
    /// @param member The member.
    /// @param perkId The perk.
    /// @return True when the perk is active and every condition holds; a points condition counts only the points the
    /// member can spend now (`Points.spendableOf`), never pending or expired ones.
    function isUnlocked(address member, bytes32 perkId) external view returns (bool);

    /// @notice Whether a member already claimed a perk in the current claim period (what a shop checks next).
    /// @param member The member.
    /// @param perkId The perk.
    /// @return True when a claim now would revert with {RewardsPerkAlreadyClaimed}.
    function isClaimed(address member, bytes32 perkId) external view returns (bool);

    /// @notice How often a member completed a journey.
    /// @param journeyId The journey.
    /// @param member The member.
    /// @return Completions redeemed.
    function completions(bytes32 journeyId, address member) external view returns (uint256);

    /// @notice What became of a voucher id.
    /// @param voucherId The voucher.
    /// @return Unused, Redeemed or Cancelled.
    function voucherState(bytes32 voucherId) external view returns (VoucherState);

    /// @notice Who was paid for referring a wallet, on any referral journey of the program (a wallet is referred at
    /// most once).
    /// @param referee The referee.
    /// @return The referrer, or the zero address when nobody referred it.
    function referrerOf(address referee) external view returns (address);

    /// @notice Whether a wallet was paid for referring someone (such a wallet can no longer be referred).
    /// @param member The wallet.
    /// @return True once it referred someone.
    function hasReferred(address member) external view returns (bool);

    /// @notice The EIP-712 domain separator vouchers are signed under.
    /// @return The separator for this chain and contract.
    function DOMAIN_SEPARATOR() external view returns (bytes32);
}
