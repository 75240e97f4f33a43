// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title StampIds
/// @notice How a stamp id encodes its series and edition.
/// @dev Decimal rather than bit packing so ids stay readable in wallets: series 3, edition 12 is
/// stamp 3_000_000_012. Storing nothing per stamp beyond its owner keeps a mint cheap.
library StampIds {
    /// @notice Editions a series can hold; also the stride between two series' ids.
    uint256 internal constant EDITIONS_PER_SERIES = 1_000_000_000;

    /// @notice The stamp id of an edition of a series.
    /// @dev No range check on `edition`: {Stamps} caps a series' supply below {EDITIONS_PER_SERIES}, so an
    /// edition never spills into the next series' ids.
    /// @param seriesId The series, from 1.
    /// @param edition The edition within the series, from 1.
    /// @return The stamp id `seriesId * EDITIONS_PER_SERIES + edition`.
    function encode(uint256 seriesId, uint256 edition) internal pure returns (uint256) {
        return seriesId * EDITIONS_PER_SERIES + edition;
    }

    /// @notice The series and edition a stamp id encodes; the stamp need not exist.
    /// @param tokenId The stamp id.
    /// @return seriesId The series, `tokenId / EDITIONS_PER_SERIES`.
    /// @return edition The edition, `tokenId % EDITIONS_PER_SERIES`.
    function decode(uint256 tokenId) internal pure returns (uint256 seriesId, uint256 edition) {
        return (tokenId / EDITIONS_PER_SERIES, tokenId % EDITIONS_PER_SERIES);
    }
}
