// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IPoints
/// @notice What a client needs of Punchcard's fungible points: rewards, purchase credits by receipt,
/// redemptions, the transferability setting, their events and their errors.
interface IPoints {
    /// @notice `member` earned `amount` points; `reason` is the brand's code for why (a campaign, a journey).
    event PointsRewarded(address indexed member, uint256 amount, bytes32 indexed reason);
    /// @notice Points bought with money off-chain were credited once for the payment receipt `receiptId`.
    event PointsCredited(address indexed member, uint256 amount, bytes32 indexed receiptId);
    /// @notice `member` burned `amount` points for the reward `rewardId`.
    event PointsRedeemed(address indexed member, uint256 amount, bytes32 indexed rewardId);
    /// @notice Member-to-member transfers were switched on or off.
    event PointsTransferabilityChanged(bool transferable);
    /// @notice An operator (such as the Market) was approved or removed: it may move points even while
    /// member-to-member transfers are off.
    event PointsOperatorChanged(address indexed operator, bool allowed);

    /// @notice This payment receipt was already credited.
    error PointsReceiptAlreadyCredited(bytes32 receiptId);
    /// @notice A receipt id cannot be zero.
    error PointsInvalidReceipt(bytes32 receiptId);
    /// @notice Rewards, credits and redemptions move at least one unit.
    error PointsZeroAmount();
    /// @notice A batch must hold between 1 and `max` members.
    error PointsInvalidBatchLength(uint256 length, uint256 max);
    /// @notice A batch gives one amount per member.
    error PointsBatchLengthMismatch(uint256 members, uint256 amounts);
    /// @notice Member-to-member transfers are off and the caller is not an approved operator.
    error PointsNotTransferable(address from, address to);
    /// @notice The zero address cannot be an operator.
    error PointsInvalidOperator(address operator);

    /// @notice Rewards `amount` points to `member`. Minter only.
    function reward(address member, uint256 amount, bytes32 reason) external;

    /// @notice Rewards `amounts[i]` points to `members[i]` for each i, in one transaction. Minter only;
    /// at most {MAX_BATCH} members.
    function rewardBatch(address[] calldata members, uint256[] calldata amounts, bytes32 reason) external;

    /// @notice Credits `amount` points bought with money to `member`, once per `receiptId`. Minter only.
    /// @param receiptId A bytes32 the brand derives from its payment receipt; never personal data.
    function credit(address member, uint256 amount, bytes32 receiptId) external;

    /// @notice Burns `amount` of the caller's points for the reward `rewardId`.
    function redeem(uint256 amount, bytes32 rewardId) external;

    /// @notice Switches member-to-member transfers on or off. Admin only.
    function setTransferable(bool transferable) external;

    /// @notice Approves or removes an operator that may move points while transfers are off. Admin only.
    function setOperator(address operator, bool allowed) external;

    /// @notice Stops every mint, transfer and burn. Pauser only.
    function pause() external;

    /// @notice Resumes mints, transfers and burns. Pauser only.
    function unpause() external;

    /// @notice Whether this payment receipt was already credited.
    function isCredited(bytes32 receiptId) external view returns (bool);

    /// @notice Whether members may transfer points to each other.
    function transferable() external view returns (bool);

    /// @notice Whether `operator` may move points while member-to-member transfers are off.
    function isOperator(address operator) external view returns (bool);
}
