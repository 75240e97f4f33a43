// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IPartnerExchange
/// @notice Exchanges between two programs' Points: both programs' admins accept the same terms on-chain, then
/// members convert points of program A into points of program B at an exact integer rate, within caps.
interface IPartnerExchange {
    /// @notice What two programs agree. Points of A convert to points of B, `rateA` for `rateB`, exactly: a
    /// conversion moves a whole multiple of `rateA`, so nothing is ever rounded.
    /// @param pointsA The Points converted from (burned).
    /// @param pointsB The Points converted to (minted, as a credit).
    /// @param rateA Points of A per step of the rate (smallest unit).
    /// @param rateB Points of B per step of the rate (smallest unit).
    /// @param memberCap Most points of A one member converts per period.
    /// @param periodCap Most points of A all members convert per period.
    /// @param period Seconds of a cap period (periods count from the epoch).
    /// @param endsAt When the agreement ends (Unix seconds).
    /// @param consentA A's ConsentRegistry when a conversion needs the member's partner-sharing consent; zero if not.
    struct Terms {
        address pointsA;
        address pointsB;
        uint128 rateA;
        uint128 rateB;
        uint128 memberCap;
        uint128 periodCap;
        uint64 period;
        uint64 endsAt;
        address consentA;
    }

    /// @notice An agreement was proposed by one program's admin (who accepts it by proposing).
    /// @param id The agreement.
    /// @param pointsA The Points converted from.
    /// @param pointsB The Points converted to.
    /// @param terms The terms, in full.
    event ExchangeProposed(uint256 indexed id, address indexed pointsA, address indexed pointsB, Terms terms);
    /// @notice One side's admin accepted the agreement; with both sides it takes effect.
    /// @param id The agreement.
    /// @param points The accepting side's Points.
    /// @param admin The admin who accepted.
    event ExchangeAccepted(uint256 indexed id, address indexed points, address admin);
    /// @notice One side's admin paused or resumed the agreement.
    /// @param id The agreement.
    /// @param admin The admin.
    /// @param paused Whether conversions are now stopped.
    event ExchangePausedChanged(uint256 indexed id, address admin, bool paused);
    /// @notice One side's admin ended the agreement, for good.
    /// @param id The agreement.
    /// @param admin The admin.
    event ExchangeEnded(uint256 indexed id, address admin);
    /// @notice `member` converted `amountA` points of A into `amountB` points of B.
    /// @param id The agreement.
    /// @param member The member.
    /// @param amountA Points of A burned.
    /// @param amountB Points of B credited.
    event Converted(uint256 indexed id, address indexed member, uint256 amountA, uint256 amountB);

    /// @notice No agreement has this id.
    /// @param id The id given.
    error ExchangeUnknown(uint256 id);
    /// @notice The caller is not the admin of either program of the agreement (or of the side that must act).
    /// @param caller The caller.
    error ExchangeNotAdmin(address caller);
    /// @notice The terms are unusable: same Points twice, a zero address, a zero rate, cap or period, or an end in
    /// the past.
    error ExchangeInvalidTerms();
    /// @notice The agreement is not in effect: not yet accepted by both sides, paused, ended, or past its end date.
    /// @param id The agreement.
    error ExchangeNotActive(uint256 id);
    /// @notice The agreement was ended; nothing changes it any more.
    /// @param id The agreement.
    error ExchangeAlreadyEnded(uint256 id);
    /// @notice A conversion moves a whole, non-zero multiple of `rateA` points of A.
    /// @param amountA The amount given.
    /// @param rateA The rate's step.
    error ExchangeInexactAmount(uint256 amountA, uint256 rateA);
    /// @notice The conversion would take the member above their cap in this period.
    /// @param member The member.
    /// @param used Points of A the member already converted this period.
    /// @param cap The member cap.
    error ExchangeMemberCapExceeded(address member, uint256 used, uint256 cap);
    /// @notice The conversion would take all members above the period cap.
    /// @param used Points of A converted this period.
    /// @param cap The period cap.
    error ExchangePeriodCapExceeded(uint256 used, uint256 cap);
    /// @notice The agreement needs the member's partner-sharing consent in A's registry, and there is none.
    /// @param member The member.
    error ExchangeConsentRequired(address member);

    /// @notice Proposes an agreement; the caller is the admin of A's or B's Points, and accepts it by proposing.
    /// @dev Requirements: valid terms, else {ExchangeInvalidTerms}; the caller is one side's admin, else
    /// {ExchangeNotAdmin}. Emits {ExchangeProposed} and {ExchangeAccepted}.
    /// @param terms The terms.
    /// @return id The new agreement's id.
    function propose(Terms calldata terms) external returns (uint256 id);

    /// @notice Accepts an agreement as the admin of the side that has not yet accepted.
    /// @dev Requirements: the agreement exists ({ExchangeUnknown}) and is not ended ({ExchangeAlreadyEnded}); the
    /// caller is the admin of a side that has not accepted, else {ExchangeNotAdmin}. Emits {ExchangeAccepted}.
    /// @param id The agreement.
    function accept(uint256 id) external;

    /// @notice Pauses or resumes conversions; either side's admin.
    /// @dev Requirements: as {accept}, any side's admin. Emits {ExchangePausedChanged}.
    /// @param id The agreement.
    /// @param paused Whether to stop conversions.
    function setPaused(uint256 id, bool paused) external;

    /// @notice Ends the agreement for good; either side's admin.
    /// @dev Requirements: as {setPaused}. Emits {ExchangeEnded}.
    /// @param id The agreement.
    function end(uint256 id) external;

    /// @notice Converts the caller's `amountA` points of A into points of B: A's are burned (the caller approved
    /// this contract for them) and B's credited, in one transaction.
    /// @dev Requirements: the agreement is in effect ({ExchangeNotActive}); `amountA` a non-zero multiple of
    /// `rateA` ({ExchangeInexactAmount}); within the caps ({ExchangeMemberCapExceeded},
    /// {ExchangePeriodCapExceeded}); the consent if required ({ExchangeConsentRequired}); and whatever A's Points
    /// require of a transfer and a redemption, and B's of a credit (this contract is B's minter).
    /// Emits {Converted}, on A a Transfer to this contract, a Transfer to zero and `PointsRedeemed` (reward id: the
    /// agreement id), on B a Transfer from zero and `PointsCredited` (receipt id: {conversionReceipt}).
    /// @param id The agreement.
    /// @param amountA Points of A to convert.
    /// @return amountB Points of B credited.
    function convert(uint256 id, uint256 amountA) external returns (uint256 amountB);

    /// @notice Points of B that `amountA` points of A convert to.
    /// @dev Reverts with {ExchangeInexactAmount} for an amount that is not a non-zero multiple of `rateA`.
    /// @param id The agreement.
    /// @param amountA Points of A.
    /// @return Points of B.
    function quote(uint256 id, uint256 amountA) external view returns (uint256);

    /// @notice An agreement's terms and state.
    /// @param id The agreement.
    /// @return terms The terms.
    /// @return acceptedA Whether A's admin accepted.
    /// @return acceptedB Whether B's admin accepted.
    /// @return paused Whether conversions are paused.
    /// @return ended Whether the agreement was ended.
    function agreement(
        uint256 id
    ) external view returns (Terms memory terms, bool acceptedA, bool acceptedB, bool paused, bool ended);

    /// @notice Points of A converted in the current period, by `member` and by everyone.
    /// @param id The agreement.
    /// @param member The member.
    /// @return byMember The member's conversions this period.
    /// @return total Everyone's conversions this period.
    function usedThisPeriod(uint256 id, address member) external view returns (uint256 byMember, uint256 total);

    /// @notice The receipt id B's Points record for conversion number `nonce` of agreement `id`.
    /// @param id The agreement.
    /// @param nonce The conversion's number in the agreement, from 0.
    /// @return The bytes32 receipt id.
    function conversionReceipt(uint256 id, uint256 nonce) external view returns (bytes32);
}
