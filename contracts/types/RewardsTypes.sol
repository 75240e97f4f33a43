// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title RewardsTypes
/// @notice The signed message and the stored rules of the Rewards contract (EIP-712 domain "Punchcard Rewards",
/// version "1"): each signed struct with its TYPEHASH beside it and the function that hashes it.
/// @dev Clients rebuild the type string from the same field list (`sdk/src/types/voucher.ts`); a test compares
/// the hash with {Rewards}' public VOUCHER_TYPEHASH so the two cannot drift.
library RewardsTypes {
    /// @notice The brand's promise to pay `member` for completing `journeyId`, once, before `expiry`.
    /// @param member The member paid; whoever submits the voucher, only this wallet receives.
    /// @param journeyId The journey completed (the brand's bytes32 code).
    /// @param stamps Stamps of the journey's series to mint to the member (at most the journey's).
    /// @param points Points to reward the member, also counted as status points (at most the journey's).
    /// @param expiry Last timestamp at which the voucher may be redeemed.
    /// @param voucherId Unique id: a voucher id pays once, ever, and the brand can cancel it.
    /// @param referee For a referral journey the wallet `member` referred, else the zero address.
    struct Voucher {
        address member;
        bytes32 journeyId;
        uint256 stamps;
        uint256 points;
        uint256 expiry;
        bytes32 voucherId;
        address referee;
    }

    bytes32 internal constant VOUCHER_TYPEHASH =
        keccak256(
            "Voucher(address member,bytes32 journeyId,uint256 stamps,uint256 points,"
            "uint256 expiry,bytes32 voucherId,address referee)"
        );

    /// @notice A journey as the brand set it up: what one completion may pay, when, and how often per member.
    /// @param seriesId Series of the stamps a completion mints (0: the journey pays no stamps).
    /// @param maxStamps Most stamps one voucher of this journey may mint.
    /// @param maxPoints Most points one voucher of this journey may reward.
    /// @param start First timestamp a voucher may be redeemed (0: from the start).
    /// @param end Last timestamp a voucher may be redeemed (0: no end).
    /// @param limitPerMember Completions one member may redeem (0: no limit).
    /// @param referral Whether a voucher names a referee, paid at most once per (referrer, referee) pair.
    /// @param active Whether the journey exists and pays; set false to close it.
    struct Journey {
        uint256 seriesId;
        uint32 maxStamps;
        uint128 maxPoints;
        uint64 start;
        uint64 end;
        uint32 limitPerMember;
        bool referral;
        bool active;
    }

    /// @notice A perk: conditions over a member's holdings and tier, all of which must hold, and how it is claimed.
    /// @param seriesId The member must hold a stamp of this series (0: no such condition).
    /// @param minStamps The member must hold at least this many stamps, of any series (0: none).
    /// @param minTier The member's tier must be at least this (0: any).
    /// @param minPoints The member must be able to spend at least this many points now (`Points.spendableOf`: not
    /// pending, not expired; 0: none).
    /// @param pointsCost Points a claim burns (0: free).
    /// @param stampCostSeriesId A claim burns one stamp of this series, which the member picks and approves to Rewards
    /// for that one stamp (0: no stamp).
    /// @param period Seconds of one claim period: one claim per member per period (0: one claim ever).
    /// @param active Whether the perk exists; set false to withdraw it.
    struct Perk {
        uint256 seriesId;
        uint32 minStamps;
        uint8 minTier;
        uint128 minPoints;
        uint128 pointsCost;
        uint48 stampCostSeriesId;
        uint64 period;
        bool active;
    }

    /// @notice EIP-712 struct hash of a Voucher: its TYPEHASH, then every field in declaration order.
    /// @param voucher The message as signed.
    /// @return The struct hash, still to be wrapped in the Rewards contract's EIP-712 domain before it can be signed.
    function hash(Voucher calldata voucher) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    VOUCHER_TYPEHASH,
                    voucher.member,
                    voucher.journeyId,
                    voucher.stamps,
                    voucher.points,
                    voucher.expiry,
                    voucher.voucherId,
                    voucher.referee
                )
            );
    }
}
