// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IProgramLifecycle
/// @notice How a Punchcard program ends and pauses, promised on-chain: the admin announces the end, which takes effect no
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
///
/// The program also has ONE pause, kept here with the end date. A pause stops the scopes the pauser names: stamp
/// mints and transfers (`PAUSE_STAMPS`), point mints and transfers (`PAUSE_POINTS`), Market fills (`PAUSE_MARKET`).
/// Burns, redemptions, cancellations and withdrawals never stop. A pause lasts at most {maxPauseDuration}; it may
/// widen its scopes while it runs, never its deadline; a new pause waits {maxPauseDuration} after the last one
/// ended. So however the pausers combine the contracts, no path is shut more than {maxPauseDuration} in a row, and
/// it then runs at least as long: at most half of any stretch of time.
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

    /// @notice The program's pause started, or widened to more scopes (its deadline unchanged).
    /// @param account The pauser.
    /// @param scopes Every scope the pause now stops (a bit mask of `PAUSE_STAMPS`, `PAUSE_POINTS`, `PAUSE_MARKET`).
    /// @param pausedUntil When the pause lifts by itself, in Unix seconds.
    event Paused(address account, uint256 scopes, uint256 pausedUntil);
    /// @notice The pauser lifted the program's pause, every scope of it, before its time ran out.
    /// @param account The pauser.
    event Unpaused(address account);

    /// @notice The operation is refused while its scope is paused (the pause lifts by itself at {pausedUntil}); or
    /// a pause asked for scopes that are all paused already.
    error EnforcedPause();
    /// @notice There is no pause to lift (none started, or it already ran out).
    error ExpectedPause();
    /// @notice A new pause may start only {maxPauseDuration} after the last one ended, whatever its scopes.
    /// @param availableAt Unix time from which a new pause may start.
    error PauseCoolingDown(uint256 availableAt);
    /// @notice The pause bound given at deployment is outside what the contract accepts.
    /// @param maxPauseDuration The bound given, in seconds.
    /// @param min `MIN_PAUSE_DURATION`.
    /// @param max `MAX_PAUSE_DURATION`.
    error PauseInvalidBound(uint256 maxPauseDuration, uint256 min, uint256 max);
    /// @notice The scopes asked for are none, or not a combination of `PAUSE_STAMPS`, `PAUSE_POINTS`, `PAUSE_MARKET`.
    /// @param scopes The bit mask given.
    /// @param all `PAUSE_ALL`, every scope.
    error PauseInvalidScopes(uint256 scopes, uint256 all);

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

    /// @notice Pauses the program's `scopes` for at most {maxPauseDuration}; the pause then lifts by itself. While
    /// a pause runs, a call widens it to more scopes and keeps its deadline. Pauser only.
    /// @dev Admin settings, {announceEnd} and series creation still work, so the brand can fix what made it pause. A
    /// pause cannot become a shutdown: to stop for good, the admin announces the end, with notice.
    ///
    /// Requirements:
    ///
    /// - the caller has `PAUSER_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - `scopes` is a non-empty combination of `PAUSE_STAMPS`, `PAUSE_POINTS`, `PAUSE_MARKET`, else
    ///   {PauseInvalidScopes};
    /// - while a pause runs, `scopes` adds at least one scope to it, else {EnforcedPause};
    /// - otherwise the last pause ended at least {maxPauseDuration} ago, else {PauseCoolingDown}.
    ///
    /// Emits a {Paused} event.
    /// @param scopes What to stop: a bit mask of `PAUSE_STAMPS` (1), `PAUSE_POINTS` (2), `PAUSE_MARKET` (4).
    function pause(uint256 scopes) external;

    /// @notice Lifts the program's pause, every scope of it, before it runs out. Pauser only.
    /// @dev The cool-down before the next pause counts from now. Requirements:
    ///
    /// - the caller has `PAUSER_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - a pause runs, else {ExpectedPause}.
    ///
    /// Emits an {Unpaused} event.
    function unpause() external;

    /// @notice The program's end date and whether any of `scopes` is paused, in one call and one storage read: what
    /// Points asks on every movement and the Market on every fill.
    /// @param scopes The scopes asked about (a bit mask).
    /// @return end {endsAt}.
    /// @return paused {isPaused} of `scopes`.
    function programClock(uint256 scopes) external view returns (uint256 end, bool paused);

    /// @notice Whether any of `scopes` is paused now.
    /// @param scopes The scopes asked about (a bit mask of `PAUSE_STAMPS`, `PAUSE_POINTS`, `PAUSE_MARKET`).
    /// @return True between a pause over one of them and the earlier of its lifting and {pausedUntil}.
    function isPaused(uint256 scopes) external view returns (bool);

    /// @notice When the current pause ends by itself (or when the last one ended).
    /// @return Unix seconds; 0 if the program was never paused.
    function pausedUntil() external view returns (uint256);

    /// @notice The scopes the pause in force stops.
    /// @return A bit mask of `PAUSE_STAMPS`, `PAUSE_POINTS`, `PAUSE_MARKET`; 0 when nothing is paused.
    function pausedScopes() external view returns (uint256);

    /// @notice Longest a pause may last, fixed at deployment; also the least time between two pauses.
    /// @return Seconds.
    function maxPauseDuration() external view returns (uint256);

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
