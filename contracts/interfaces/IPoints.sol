// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IPoints
/// @notice What a client needs of Punchcard's fungible points: rewards, purchase credits by receipt,
/// redemptions, the transferability setting, their events and their errors.
/// @dev Points lifecycle ({Terms}, fixed at deployment):
/// - Pending purchases. A credit mints at once (a Transfer event: `balanceOf` is always the sum of the events) and
///   locks the amount in a per-member lot that releases itself at 00:00 UTC after `pendingDays` whole days. Spending
///   checks `balance - pending` against `block.timestamp`, so no transaction per member ever "releases" anything.
///   Credits of one day share a lot and a credit first drops the lots already released, so a member never has more
///   than `pendingDays + 1` lots: every read is bounded.
/// - Reversal. Once per receipt: while pending the lot is reduced and the whole credit burned (pending points cannot
///   have been spent); afterwards the spendable balance is burned up to the credited amount and the rest reported as
///   a shortfall. A receipt reversed first can never be credited. Under dated lots the burn takes the purchase's own
///   lot first, pending or released, and only what that lot lacks from the oldest lots: other lots keep their dates.
/// - Expiry by inactivity. The balance expires `expiryDays` after the member's last own act: an earn from the brand
///   (reward, journey, credit: any mint to them) or points leaving them (redemption, transfer out, a trade or
///   conversion they pay, a `transferFrom` they approved). Points received from another holder are not the member's
///   act: they start the clock of an account whose clock is not running (no activity yet, or run out) and never move
///   a running one, so a stranger's drip keeps nothing alive and a gift still expires. Reversals and expiries are not
///   the member's acts either. Expired points cannot be spent; {expire} (anyone) burns them with an event, and points
///   received after expiry first burn the expired ones, so a receipt never revives them.
/// - Expiry in dated lots. Every earn (reward, credit when credited, received transfer) joins the member's lot of its
///   period (`lotDays` whole days, `expiryDays / MAX_DATED_LOTS` rounded up, UTC) and expires `expiryDays` after the
///   period's start; every spend (transfer, redemption, burn, trade, conversion) takes the oldest live lots first. A
///   gift is a lot of its own, dated by its receipt: it renews none of the member's other lots. A lot past its date
///   is moved, by the next earn or spend of the member, into the member's expired sum: still in `balanceOf`, never
///   spendable, burned with an event only by {expire}. A member never holds more than {Points-MAX_DATED_LOTS} live
///   lots, so a spend costs at most that many lot writes whoever sends them points.
/// - The program's end. From `endsAt` balances are frozen and nothing expires any more: {spendableOf} and
///   {expiringBy} read expiry at the end (pending points still release on the real clock).
interface IPoints {
    /// @notice How points expire, fixed at deployment: never; after `expiryDays` without an act of the member's own
    /// (an earn from the brand, points leaving them; points received from others do not count), then the whole
    /// spendable balance expires at once; or in dated lots, each earn expiring `expiryDays` after it was earned and
    /// every spend taking the oldest lots first.
    enum Expiry {
        None,
        Inactivity,
        DatedLots
    }

    /// @notice Where a payment receipt stands: never seen, credited (pending or spendable), or reversed (for good).
    enum ReceiptState {
        None,
        Credited,
        Reversed
    }

    /// @notice A program's points lifecycle, fixed at deployment.
    /// @param pendingDays Whole days points bought with money stay pending (visible, not spendable) after their
    /// credit; they become spendable at the start (00:00 UTC) of the day after, so credits of one day share a lot.
    /// 0: spendable at once.
    /// @param expiryDays Under {Expiry.Inactivity}, days without activity after which the balance expires; more
    /// than `pendingDays + 1`, so pending points are always spendable before they can expire. Under
    /// {Expiry.DatedLots}, the most days a lot lives (it expires after `expiryDays - lotDays` to `expiryDays` days,
    /// lots being dated by period of `lotDays`); more than `pendingDays + 1 + lotDays`.
    /// @param expiry The expiry model.
    struct Terms {
        uint16 pendingDays;
        uint16 expiryDays;
        Expiry expiry;
    }

    /// @notice `member` earned `amount` points; `reason` is the brand's code for why (a campaign, a journey).
    /// @dev The same `amount` is added to the member's status points ({statusOf}): summing this event per member
    /// recomputes them from the ledger.
    /// @param member The member rewarded.
    /// @param amount Points minted, in the token's smallest unit, and status points earned.
    /// @param reason The brand's bytes32 code for the campaign or journey; indexed so the brand can total a campaign.
    event PointsRewarded(address indexed member, uint256 amount, bytes32 indexed reason);
    /// @notice Points bought with money off-chain were credited once for the payment receipt `receiptId`.
    /// @param member The member credited.
    /// @param amount Points minted, in the token's smallest unit.
    /// @param receiptId The brand's bytes32 derived from the payment receipt; indexed so support can find a credit.
    event PointsCredited(address indexed member, uint256 amount, bytes32 indexed receiptId);
    /// @notice `member` burned `amount` points for the reward `rewardId`.
    /// @dev The contract does not check `rewardId`: rewards are defined and delivered off-chain by the brand,
    /// which learns of the redemption from this event.
    /// @param member The member who redeemed.
    /// @param amount Points burned, in the token's smallest unit.
    /// @param rewardId The brand's bytes32 code of the reward chosen.
    event PointsRedeemed(address indexed member, uint256 amount, bytes32 indexed rewardId);
    /// @notice Member-to-member transfers were switched on or off.
    /// @param transferable Whether members may now transfer points to each other.
    event PointsTransferabilityChanged(bool transferable);
    /// @notice An operator (such as the Market) was approved or removed: it may move points even while
    /// member-to-member transfers are off.
    /// @param operator The contract approved or removed.
    /// @param allowed Whether it may now move points while transfers are off.
    event PointsOperatorChanged(address indexed operator, bool allowed);

    /// @notice The purchase of receipt `receiptId` was refunded or charged back. While its points were pending, the
    /// credit is cancelled whole (`burned == amount`); afterwards what the member can still spend is burned, up to
    /// `amount`, and the rest is `shortfall` (the member spent it first). A receipt reversed before any credit has
    /// `member` zero and amounts zero: it can never be credited.
    /// @param member The member credited for the receipt (zero when it was never credited).
    /// @param receiptId The receipt reversed.
    /// @param amount Points the receipt credited.
    /// @param burned Points burned now.
    /// @param shortfall `amount - burned`: points the member had already spent.
    event PointsPurchaseReversed(
        address indexed member,
        bytes32 indexed receiptId,
        uint256 amount,
        uint256 burned,
        uint256 shortfall
    );
    /// @notice The program's points lifecycle terms, emitted once at deployment so an indexer learns them from logs.
    /// @param pendingDays Whole days a purchase stays pending.
    /// @param expiry The expiry model.
    /// @param expiryDays Days of inactivity before the balance expires (under {Expiry.Inactivity}), or the most days
    /// a dated lot lives (under {Expiry.DatedLots}); else zero.
    event PointsTermsSet(uint256 pendingDays, Expiry expiry, uint256 expiryDays);
    /// @notice `amount` points of `member` expired and were burned by {expire} (or when the member received points
    /// after expiry); never a silent shrink of a balance.
    /// @param member The member whose points expired.
    /// @param amount Points burned.
    event PointsExpired(address indexed member, uint256 amount);

    /// @notice This payment receipt was already credited.
    /// @param receiptId The receipt given; look up its {PointsCredited} event to see who got the points.
    error PointsReceiptAlreadyCredited(bytes32 receiptId);
    /// @notice A receipt id cannot be zero.
    /// @param receiptId The receipt given (zero).
    error PointsInvalidReceipt(bytes32 receiptId);
    /// @notice Rewards, credits and redemptions move at least one unit.
    error PointsZeroAmount();
    /// @notice A batch must hold between 1 and `max` members.
    /// @param length Members given.
    /// @param max Members one call accepts ({MAX_BATCH}).
    error PointsInvalidBatchLength(uint256 length, uint256 max);
    /// @notice A batch gives one amount per member.
    /// @param members Members given.
    /// @param amounts Amounts given.
    error PointsBatchLengthMismatch(uint256 members, uint256 amounts);
    /// @notice Member-to-member transfers are off and the caller is not an approved operator.
    /// @param from The holder the points were to leave.
    /// @param to The account they were to reach.
    error PointsNotTransferable(address from, address to);
    /// @notice The program's end is announced: nothing is credited for money any more (rewards still are, until the
    /// end).
    /// @param endsAt When the program ends.
    error PointsSalesClosed(uint256 endsAt);
    /// @notice The program has ended: point balances are frozen, nothing is minted, moved or burned.
    /// @param endedAt When the program ended.
    error PointsFrozen(uint256 endedAt);
    /// @notice A mint would take the supply above {MAX_SUPPLY} (2^128 - 1), or a reward a member's status points
    /// above `MAX_STATUS` (2^96 - 1).
    /// @param value The supply or status points the call would reach.
    /// @param max The most there can be.
    error PointsAboveMax(uint256 value, uint256 max);
    /// @notice A signed redemption is past its deadline; the member must sign a new one.
    /// @param deadline The signature's last valid second (unix time).
    error PointsSignatureExpired(uint256 deadline);
    /// @notice The signature is not `member`'s over this redemption, their current nonce, this chain and these Points.
    /// @param member The member whose points were to be burned.
    error PointsInvalidSignature(address member);
    /// @notice This receipt was reversed before it was credited: it can never be credited.
    /// @param receiptId The receipt given.
    error PointsReceiptReversed(bytes32 receiptId);
    /// @notice This receipt was already reversed; a receipt is reversed at most once.
    /// @param receiptId The receipt given; look up its {PointsPurchaseReversed} event.
    error PointsReceiptAlreadyReversed(bytes32 receiptId);
    /// @notice The holder's spendable points (balance minus pending points, minus expired lots under dated-lot
    /// expiry) do not cover the amount.
    /// @param holder The holder.
    /// @param spendable Points the holder can spend now.
    /// @param needed Points the call would move.
    error PointsNotSpendable(address holder, uint256 spendable, uint256 needed);
    /// @notice The holder's points expired (inactivity): they cannot be spent; {expire} burns them.
    /// @param holder The holder.
    /// @param expiredAt When they expired.
    error PointsBalanceExpired(address holder, uint256 expiredAt);
    /// @notice Nothing of this member has expired (or the program has no expiry).
    /// @param member The member given.
    error PointsNothingToExpire(address member);
    /// @notice The lifecycle terms given at deployment are inconsistent.
    /// @param pendingDays Pending days given.
    /// @param expiryDays Expiry days given (must exceed `pendingDays + 1` under inactivity expiry, else be zero).
    error PointsInvalidTerms(uint256 pendingDays, uint256 expiryDays);

    /// @notice The zero address cannot be an operator.
    /// @param operator The operator given.
    error PointsInvalidOperator(address operator);

    /// @notice Rewards `amount` points to `member`, who also earns `amount` status points. Minter only.
    /// @dev Requirements:
    ///
    /// - the caller has `MINTER_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - `amount` is not zero, else {PointsZeroAmount};
    /// - `member` is not the zero address, else `ERC20InvalidReceiver`;
    /// - the program's pause does not cover points (`PAUSE_POINTS` on the lifecycle), else `EnforcedPause`;
    /// - the supply and the member's status points stay at most {MAX_SUPPLY}, else {PointsAboveMax};
    /// - the program has not ended, else {PointsFrozen}.
    ///
    /// Emits a {Transfer} event from the zero address and a {PointsRewarded} event.
    /// @param member The member to reward.
    /// @param amount Points to mint, in the token's smallest unit.
    /// @param reason The brand's bytes32 code for the campaign or journey, logged in {PointsRewarded}.
    function reward(address member, uint256 amount, bytes32 reason) external;

    /// @notice Rewards `amounts[i]` points, and as many status points, to `members[i]` for each i, in one
    /// transaction. Minter only; at most {MAX_BATCH} members.
    /// @dev All or nothing: one bad entry reverts the whole batch, so the brand can retry it whole.
    ///
    /// Requirements:
    ///
    /// - the caller has `MINTER_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - `members` holds between 1 and {MAX_BATCH} addresses, else {PointsInvalidBatchLength};
    /// - `amounts` is as long as `members`, else {PointsBatchLengthMismatch};
    /// - no amount is zero, else {PointsZeroAmount};
    /// - no member is the zero address, else `ERC20InvalidReceiver`;
    /// - the supply and each member's status points stay at most {MAX_SUPPLY}, else {PointsAboveMax};
    /// - the program's pause does not cover points (`PAUSE_POINTS` on the lifecycle), else `EnforcedPause`;
    /// - the program has not ended, else {PointsFrozen}.
    ///
    /// Emits a {Transfer} event from the zero address and a {PointsRewarded} event per member.
    /// @param members The members to reward; the same address may appear more than once.
    /// @param amounts Points to mint to each member, in the same order.
    /// @param reason One code for the whole batch, logged in every {PointsRewarded}.
    function rewardBatch(address[] calldata members, uint256[] calldata amounts, bytes32 reason) external;

    /// @notice Credits `amount` points bought with money to `member`, once per `receiptId`. Minter only. Bought
    /// points earn no status points: status is earned, not bought. With pending days in the terms they count in
    /// `balanceOf` at once but are spendable only after the pending period ({pendingOf}).
    /// @dev The receipt is recorded on-chain so a retried or replayed credit cannot pay twice, whatever the
    /// brand's backend does.
    ///
    /// Requirements:
    ///
    /// - the caller has `MINTER_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - `receiptId` is not zero, else {PointsInvalidReceipt};
    /// - `receiptId` was not credited before, else {PointsReceiptAlreadyCredited};
    /// - `receiptId` was not reversed before, else {PointsReceiptReversed};
    /// - `amount` is not zero, else {PointsZeroAmount};
    /// - no end of the program is announced, else {PointsSalesClosed}: during the notice nothing new is sold;
    /// - `member` is not the zero address, else `ERC20InvalidReceiver`;
    /// - the program's pause does not cover points (`PAUSE_POINTS` on the lifecycle), else `EnforcedPause`.
    ///
    /// Emits a {Transfer} event from the zero address and a {PointsCredited} event.
    /// @param member The member who paid.
    /// @param amount Points to mint, in the token's smallest unit.
    /// @param receiptId A bytes32 the brand derives from its payment receipt; never personal data.
    function credit(address member, uint256 amount, bytes32 receiptId) external;

    /// @notice Reverses the purchase of `receiptId` (refund or chargeback), once. Minter only.
    /// @dev While the credit is pending its points cannot have been spent, so it is cancelled whole. Afterwards the
    /// member's spendable points are burned up to the credited amount; what they already spent is the event's
    /// shortfall, for the brand to settle off-chain. A receipt never credited is marked reversed, so a late credit of
    /// it fails.
    ///
    /// Requirements:
    ///
    /// - the caller has `MINTER_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - `receiptId` is not zero, else {PointsInvalidReceipt};
    /// - `receiptId` was not reversed before, else {PointsReceiptAlreadyReversed};
    /// - the program has not ended, else {PointsFrozen} (when there is something to burn).
    ///
    /// Works while paused and during the notice of the program's end.
    ///
    /// Emits a {Transfer} event to the zero address (when points are burned) and a {PointsPurchaseReversed} event.
    /// @param receiptId The receipt of the purchase refunded.
    function reversePurchase(bytes32 receiptId) external;

    /// @notice Burns `member`'s expired points. Anyone may call it.
    /// @dev Expiry is never a balance shrinking silently: this transaction burns and says so. Until it runs,
    /// expired points still count in `balanceOf` but cannot be spent ({spendableOf} leaves them out). Under
    /// dated lots it burns exactly the lots whose date has passed, and what is left of them.
    ///
    /// Requirements:
    ///
    /// - some of `member`'s points have expired, else {PointsNothingToExpire};
    /// - the program has not ended, else {PointsFrozen}.
    ///
    /// Emits a {Transfer} event to the zero address and a {PointsExpired} event.
    /// @param member The member whose expired points to burn.
    function expire(address member) external;

    /// @notice Burns `amount` of the caller's points for the reward `rewardId`.
    /// @dev Works while transfers are off: a burn is not a transfer between members.
    ///
    /// Requirements:
    ///
    /// - `amount` is not zero, else {PointsZeroAmount};
    /// - the caller holds at least `amount`, else `ERC20InsufficientBalance`;
    /// - the caller can spend `amount` (pending points cannot be spent), else {PointsNotSpendable};
    /// - the caller's points have not expired, else {PointsBalanceExpired};
    /// - the program has not ended, else {PointsFrozen}.
    ///
    /// Works while paused and during the notice of the program's end.
    ///
    /// Emits a {Transfer} event to the zero address and a {PointsRedeemed} event.
    /// @param amount Points to burn, in the token's smallest unit.
    /// @param rewardId The brand's bytes32 code of the reward chosen, logged in {PointsRedeemed}.
    function redeem(uint256 amount, bytes32 rewardId) external;

    /// @notice Burns `amount` of `member`'s points for the reward `rewardId` with `member`'s EIP-712 signature of
    /// `Redeem(address member,uint256 amount,bytes32 rewardId,uint256 nonce,uint256 deadline)` in Points' domain (the
    /// one permits use); anyone may submit it, so a member redeems without native coin.
    /// @dev The nonce is the member's ERC-2612 {nonces}, shared with `permit`: each signature spends the next one,
    /// so neither a redemption nor a permit can be replayed, and a member signs them one after another (a permit
    /// signed before a redemption is submitted first, or re-signed). Contract wallets sign through ERC-1271.
    ///
    /// Requirements: `deadline` has not passed, else {PointsSignatureExpired}; `signature` is `member`'s over these
    /// fields and their current nonce, else {PointsInvalidSignature}; then as {redeem}.
    ///
    /// Emits a {Transfer} event to the zero address and a {PointsRedeemed} event.
    /// @param member Whose points to burn.
    /// @param amount Points to burn, in the token's smallest unit.
    /// @param rewardId The brand's bytes32 code of the reward chosen.
    /// @param deadline Last second (unix time) the signature is valid.
    /// @param signature `member`'s EIP-712 signature.
    function redeemBySig(address member, uint256 amount, bytes32 rewardId, uint256 deadline, bytes calldata signature)
        external;

    /// @notice Switches member-to-member transfers on or off. Admin only.
    /// @dev Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`.
    ///
    /// Emits a {PointsTransferabilityChanged} event, even when the setting is unchanged.
    /// @param transferable Whether members may transfer points to each other; approved operators always may.
    function setTransferable(bool transferable) external;

    /// @notice Approves or removes an operator that may move points while transfers are off. Admin only.
    /// @dev The operator still needs the holder's ERC-20 allowance; this list only lifts the transferability
    /// check, so the Market can settle a trade paid in points.
    ///
    /// Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - `operator` is not the zero address, else {PointsInvalidOperator}.
    ///
    /// Emits a {PointsOperatorChanged} event.
    /// @param operator The contract to approve or remove.
    /// @param allowed Whether it may move points while transfers are off.
    function setOperator(address operator, bool allowed) external;

    /// @notice A member's status points: every point ever rewarded to them ({reward}, {rewardBatch}, journeys paid
    /// by Rewards), never moved, never spent, never bought ({credit} adds none). Rewards' tiers read them.
    /// @param member The member.
    /// @return Status points.
    function statusOf(address member) external view returns (uint256);

    /// @notice The lifecycle terms fixed at deployment: pending days, expiry model and days.
    /// @return The terms.
    function terms() external view returns (Terms memory);

    /// @notice Points of `member` still pending (bought, counted in `balanceOf`, not yet spendable).
    /// @param member The member.
    /// @return Pending points now.
    function pendingOf(address member) external view returns (uint256);

    /// @notice Points `member` can spend now: the balance minus pending points and expired points (all of them
    /// under inactivity expiry once it has expired; the expired lots under dated lots).
    /// @dev After the program's end, expiry is read at the end: what had not expired then never does.
    /// @param member The member.
    /// @return Spendable points.
    function spendableOf(address member) external view returns (uint256);

    /// @notice Points of `member` that will have expired by `timestamp` if the member does nothing until then.
    /// @dev The clock stops at the program's end: a `timestamp` past an announced end is read as the end, so points
    /// dated after it never show as expiring.
    /// @param member The member.
    /// @param timestamp A time, in seconds since the epoch (now or later).
    /// @return amount Points expired by then (already expired ones included).
    /// @return expiresAt When they expire: the earliest of their dates (zero when nothing does; under dated lots, the
    /// current time for lots already found expired by a transaction whose date is no longer kept).
    function expiringBy(address member, uint256 timestamp) external view returns (uint256 amount, uint256 expiresAt);

    /// @notice What became of a payment receipt.
    /// @param receiptId The receipt.
    /// @return state Never seen, credited or reversed.
    /// @return member The member credited (zero if never credited).
    /// @return amount Points credited.
    /// @return releaseAt When the credit becomes (became) spendable.
    function receiptOf(
        bytes32 receiptId
    ) external view returns (ReceiptState state, address member, uint256 amount, uint256 releaseAt);

    /// @notice Whether this payment receipt was already credited.
    /// @param receiptId The brand's bytes32 derived from the payment receipt.
    /// @return True when {credit} has used it; it can never be credited again.
    function isCredited(bytes32 receiptId) external view returns (bool);

    /// @notice The program's lifecycle these points follow (the program's Stamps): its end date and its pause.
    /// @return The address of the contract holding the end date.
    function lifecycle() external view returns (address);

    /// @notice Whether members may transfer points to each other.
    /// @return True when member-to-member transfers are on.
    function transferable() external view returns (bool);

    /// @notice Whether `operator` may move points while member-to-member transfers are off.
    /// @param operator The contract to check.
    /// @return True when it is an approved operator.
    function isOperator(address operator) external view returns (bool);
}
