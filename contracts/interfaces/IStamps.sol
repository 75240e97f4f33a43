// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IStamps
/// @notice What a client needs of Punchcard's collectible stamps: the series model, the transfer
/// policy, their events and their errors. The SDK, the Market and the tests read this file.
/// @dev A stamp's id encodes its series and edition: `tokenId = seriesId * EDITIONS_PER_SERIES + edition`,
/// so a `Transfer` log alone tells the ledger which series and edition moved (see {StampIds}).
interface IStamps {
    /// @notice How tradable stamps may move between holders. Soulbound series never move, whatever the policy.
    /// @dev `Open`: any ERC-721 transfer. `MarketOnly`: only approved operators (the program's Market) move
    /// stamps, so a marketplace that ignores ERC-2981 cannot skip the brand's royalty; holder-to-holder gifts
    /// are allowed only while {giftsAllowed} is on.
    enum TransferPolicy {
        Open,
        MarketOnly
    }

    /// @notice A limited edition of stamps.
    /// @param name Shown in wallets as "<name> #<edition> of <maxSupply>".
    /// @param imageURI Image of every stamp of the series, used in the on-chain JSON metadata.
    /// @param baseURI When set, `tokenURI` is `baseURI + edition` instead of the on-chain JSON.
    /// @param maxSupply Editions that can ever be minted; burned editions are not minted again.
    /// @param minted Editions minted so far (also the last edition number).
    /// @param soulbound Whether stamps of this series are bound to their first holder.
    struct Series {
        string name;
        string imageURI;
        string baseURI;
        uint64 maxSupply;
        uint64 minted;
        bool soulbound;
    }

    /// @notice A series was created.
    event StampsSeriesCreated(
        uint256 indexed seriesId,
        string name,
        uint256 maxSupply,
        bool soulbound,
        string imageURI,
        string baseURI
    );
    /// @notice The royalty paid to the brand on every trade changed.
    event StampsRoyaltyChanged(address indexed treasury, uint96 royaltyBps);
    /// @notice The transfer policy of tradable stamps changed.
    event StampsTransferPolicyChanged(TransferPolicy policy);
    /// @notice Holder-to-holder gifts under the market-only policy were switched on or off.
    event StampsGiftsAllowedChanged(bool allowed);
    /// @notice An operator (such as the Market) was approved or removed for market-only transfers.
    event StampsOperatorChanged(address indexed operator, bool allowed);
    /// @notice ERC-7572: the collection metadata at {contractURI} changed.
    event ContractURIUpdated();

    /// @notice No series has this id.
    error StampsUnknownSeries(uint256 seriesId);
    /// @notice Every edition of the series has been minted.
    error StampsSeriesSoldOut(uint256 seriesId, uint256 maxSupply);
    /// @notice A series' max supply must be between 1 and `max`.
    error StampsInvalidMaxSupply(uint256 maxSupply, uint256 max);
    /// @notice Names and image URIs end up inside JSON: no quote, backslash or control characters, and a name is required.
    error StampsInvalidText(string text);
    /// @notice A batch must hold between 1 and `max` recipients.
    error StampsInvalidBatchLength(uint256 length, uint256 max);
    /// @notice The royalty rate is above the cap the contract enforces.
    error StampsRoyaltyTooHigh(uint256 royaltyBps, uint256 maxBps);
    /// @notice The royalty receiver cannot be the zero address.
    error StampsInvalidTreasury(address treasury);
    /// @notice The zero address cannot be an operator.
    error StampsInvalidOperator(address operator);
    /// @notice The stamp belongs to a soulbound series and cannot be transferred.
    error StampsSoulbound(uint256 tokenId);
    /// @notice Under the market-only policy, `operator` may not move this stamp.
    error StampsTransferNotAllowed(address operator, uint256 tokenId);
    /// @notice Only the holder of a stamp can burn it.
    error StampsNotHolder(address caller, uint256 tokenId);

    /// @notice Creates a limited-edition series. Admin only.
    /// @return seriesId The new series' id (sequential from 1).
    function createSeries(
        string calldata name,
        uint256 maxSupply,
        bool soulbound,
        string calldata imageURI,
        string calldata baseURI
    ) external returns (uint256 seriesId);

    /// @notice Mints the next edition of a series to `to`. Minter only.
    /// @return tokenId The id of the new stamp.
    function mint(address to, uint256 seriesId) external returns (uint256 tokenId);

    /// @notice Mints one edition of a series to each of `to`, in order. Minter only; at most {MAX_BATCH} recipients.
    /// @return firstTokenId The id of the stamp minted to `to[0]`; the others follow consecutively.
    function mintBatch(address[] calldata to, uint256 seriesId) external returns (uint256 firstTokenId);

    /// @notice Burns a stamp. Only its holder can, whatever the transfer policy (a perk redemption).
    function burn(uint256 tokenId) external;

    /// @notice Sets the royalty receiver (brand treasury) and rate in basis points. Admin only; capped at {MAX_ROYALTY_BPS}.
    function setRoyalty(address treasury, uint96 royaltyBps) external;

    /// @notice Sets the transfer policy of tradable stamps. Admin only.
    function setTransferPolicy(TransferPolicy policy) external;

    /// @notice Allows or forbids holder-to-holder gifts under the market-only policy. Admin only.
    function setGiftsAllowed(bool allowed) external;

    /// @notice Approves or removes an operator contract (such as the Market) for market-only transfers. Admin only.
    function setOperator(address operator, bool allowed) external;

    /// @notice Sets the ERC-7572 collection metadata URI. Admin only.
    function setContractURI(string calldata uri) external;

    /// @notice Stops every mint, transfer and burn. Pauser only.
    function pause() external;

    /// @notice Resumes mints, transfers and burns. Pauser only.
    function unpause() external;

    /// @notice The series with this id; reverts with {StampsUnknownSeries} if none.
    function series(uint256 seriesId) external view returns (Series memory);

    /// @notice Number of series created; ids run from 1 to this.
    function seriesCount() external view returns (uint256);

    /// @notice The series and edition a stamp id encodes (the stamp need not exist).
    function editionOf(uint256 tokenId) external pure returns (uint256 seriesId, uint256 edition);

    /// @notice The current transfer policy of tradable stamps.
    function transferPolicy() external view returns (TransferPolicy);

    /// @notice Whether holder-to-holder gifts are allowed under the market-only policy.
    function giftsAllowed() external view returns (bool);

    /// @notice Whether `operator` may move tradable stamps under the market-only policy.
    function isOperator(address operator) external view returns (bool);

    /// @notice How many times a stamp has moved between two holders (mints and burns do not count).
    /// @dev A Market order signs this number, so a listing dies once the stamp leaves its signer, even if it
    /// comes back later; it also makes a filled listing unfillable without a separate "filled" slot.
    function transferCount(uint256 tokenId) external view returns (uint256);

    /// @notice ERC-7572 collection metadata URI.
    function contractURI() external view returns (string memory);
}
