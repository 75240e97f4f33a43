// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IProgramLifecycle
/// @notice How a Punchcard program ends, promised on-chain: the admin announces the end, which takes effect no
/// sooner than a notice period fixed at deployment. Stamps holds the program's one end date; Points reads it.
/// @dev What each phase allows:
///
/// - `Active`: everything.
/// - `Ending` (announced, before {endsAt}): nothing new is sold or credited for money: `Points.credit` is refused.
///   Rewards (earned, not bought), stamp mints, redemptions, transfers and Market trades go on, so members can spend
///   and trade what they hold.
/// - `Ended` (from {endsAt}): no stamp or point is minted. Stamps stay with their holders; tradable stamps move
///   freely (the market-only policy no longer applies, so no operator list can lock them), soulbound ones stay bound,
///   and holders may still burn their own. Point balances are frozen: no transfer, burn or mint, readable for ever.
interface IProgramLifecycle {
    /// @notice Where a program is in its life.
    enum ProgramStatus {
        Active,
        Ending,
        Ended
    }

    /// @notice The terms a program's lifecycle is deployed with, fixed for its life.
    /// @param noticePeriod Shortest notice of the end members get, in seconds (at least thirty days).
    /// @param maxPauseDuration Longest a pause may last, in seconds (one hour to thirty days).
    struct LifecycleTerms {
        uint256 noticePeriod;
        uint256 maxPauseDuration;
    }

    /// @notice The admin announced that the program ends at `endsAt`.
    /// @param endsAt Unix time from which the program has ended.
    /// @param noticePeriod The notice period fixed at deployment, in seconds; `endsAt` is at least this far away.
    event ProgramEndAnnounced(uint256 endsAt, uint256 noticePeriod);
    /// @notice The admin withdrew the announced end; the program goes on as before.
    /// @param endsAt The end date withdrawn.
    event ProgramEndCancelled(uint256 endsAt);

    /// @notice The end date is sooner than the notice period allows.
    /// @param endsAt The end date given.
    /// @param earliest The earliest end date allowed now (the block's time plus {noticePeriod}).
    error ProgramNoticeTooShort(uint256 endsAt, uint256 earliest);
    /// @notice An end is already announced; cancel it first to announce another date.
    /// @param endsAt The end date already announced.
    error ProgramEndAlreadyAnnounced(uint256 endsAt);
    /// @notice No end is announced, so there is nothing to cancel.
    error ProgramNoEndAnnounced();
    /// @notice The program has ended: nothing can be minted, and an ended program cannot be revived or re-ended.
    /// @param endedAt When it ended.
    error ProgramHasEnded(uint256 endedAt);
    /// @notice The notice period given at deployment is shorter than the contract accepts.
    /// @param noticePeriod The period given, in seconds.
    /// @param min {MIN_NOTICE_PERIOD}.
    error ProgramInvalidNoticePeriod(uint256 noticePeriod, uint256 min);

    /// @notice Announces that the program ends at `endsAt`. Admin only.
    /// @dev Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - no end is announced, else {ProgramEndAlreadyAnnounced};
    /// - `endsAt` is at least {noticePeriod} after the block's time, else {ProgramNoticeTooShort}.
    ///
    /// Emits a {ProgramEndAnnounced} event.
    /// @param endsAt Unix time from which the program has ended.
    function announceEnd(uint256 endsAt) external;

    /// @notice Withdraws the announced end before it takes effect. Admin only.
    /// @dev Allowed because members lose nothing when a program goes on; a new announcement needs a full notice
    /// period again, so cancelling can never shorten the notice members were given.
    ///
    /// Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - an end is announced, else {ProgramNoEndAnnounced};
    /// - it has not taken effect, else {ProgramHasEnded}.
    ///
    /// Emits a {ProgramEndCancelled} event.
    function cancelEnd() external;

    /// @notice When the program ends.
    /// @return Unix seconds; 0 while no end is announced.
    function endsAt() external view returns (uint256);

    /// @notice The shortest notice of the end members get, fixed at deployment.
    /// @return Seconds.
    function noticePeriod() external view returns (uint256);

    /// @notice Where the program is in its life now.
    /// @return `Active`, `Ending` (announced) or `Ended`.
    function programStatus() external view returns (ProgramStatus);
}
