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
    /// @param holdersCounted Whether the contract counts each holder's stamps of this series ({seriesBalanceOf}).
    struct Series {
        string name;
        string imageURI;
        string baseURI;
        uint64 maxSupply;
        uint64 minted;
        bool soulbound;
        bool holdersCounted;
    }

    /// @notice What a sale of one stamp needs from Stamps, answered in one call ({saleTerms}, {moveForSale}).
    /// @param holder The stamp's holder; the zero address for a stamp not minted or burned.
    /// @param royaltyUnskippable Whether only the Market can move the stamp: market-only policy with gifts off.
    /// @param chargesRoyalty Whether the brand's royalty rate is above zero.
    /// @param royaltyReceiver The brand's treasury (ERC-2981 receiver).
    /// @param transferCount The stamp's {transferCount} before the sale.
    /// @param royaltyAmount The ERC-2981 royalty on the sale price.
    struct SaleTerms {
        address holder;
        bool royaltyUnskippable;
        bool chargesRoyalty;
        address royaltyReceiver;
        uint256 transferCount;
        uint256 royaltyAmount;
    }

    /// @notice A series was created.
    /// @dev Carries every field of the series, so an indexer can show it without reading {series}.
    /// @param seriesId The new series' id.
    /// @param name Name of the series, shown in wallets.
    /// @param maxSupply Editions that can ever be minted.
    /// @param soulbound Whether its stamps stay with their first holder.
    /// @param imageURI Image of every stamp of the series.
    /// @param baseURI Metadata base URI; empty when metadata is on-chain JSON.
    event StampsSeriesCreated(
        uint256 indexed seriesId,
        string name,
        uint256 maxSupply,
        bool soulbound,
        string imageURI,
        string baseURI
    );
    /// @notice The royalty paid to the brand on every trade changed.
    /// @param treasury The brand's address that now receives the royalty.
    /// @param royaltyBps The new rate in basis points of the sale price.
    event StampsRoyaltyChanged(address indexed treasury, uint96 royaltyBps);
    /// @notice The transfer policy of tradable stamps changed.
    /// @param policy The policy now in force.
    event StampsTransferPolicyChanged(TransferPolicy policy);
    /// @notice Holder-to-holder gifts under the market-only policy were switched on or off.
    /// @param allowed Whether holders may now gift stamps themselves.
    event StampsGiftsAllowedChanged(bool allowed);
    /// @notice An operator (such as the Market) was approved or removed for market-only transfers.
    /// @param operator The contract approved or removed.
    /// @param allowed Whether it may now move stamps under the market-only policy.
    event StampsOperatorChanged(address indexed operator, bool allowed);
    /// @notice ERC-7572: the collection metadata at {contractURI} changed.
    /// @dev No argument, as ERC-7572 specifies: marketplaces re-read {contractURI}.
    event ContractURIUpdated();
    /// @notice The contract now counts each holder's stamps of this series, so a perk can ask "holds one of series X".
    /// @param seriesId The series.
    event StampsHoldersCounted(uint256 indexed seriesId);

    /// @notice No series has this id.
    /// @param seriesId The id asked for; valid ids run from 1 to {seriesCount}.
    error StampsUnknownSeries(uint256 seriesId);
    /// @notice Every edition of the series has been minted.
    /// @param seriesId The series asked for.
    /// @param maxSupply Its editions, all minted (or too few left for the whole batch).
    error StampsSeriesSoldOut(uint256 seriesId, uint256 maxSupply);
    /// @notice A series' max supply must be between 1 and `max`.
    /// @param maxSupply The max supply given.
    /// @param max The largest max supply accepted ({MAX_SERIES_SUPPLY}).
    error StampsInvalidMaxSupply(uint256 maxSupply, uint256 max);
    /// @notice Names and image URIs end up inside JSON: no quote, backslash or control characters, and a name is required.
    /// @param text The rejected name or URI.
    error StampsInvalidText(string text);
    /// @notice A batch must hold between 1 and `max` recipients.
    /// @param length Recipients given.
    /// @param max Recipients one call accepts ({MAX_BATCH}).
    error StampsInvalidBatchLength(uint256 length, uint256 max);
    /// @notice The royalty rate is above the cap the contract enforces.
    /// @param royaltyBps The rate given, in basis points.
    /// @param maxBps The cap ({MAX_ROYALTY_BPS}).
    error StampsRoyaltyTooHigh(uint256 royaltyBps, uint256 maxBps);
    /// @notice The royalty receiver cannot be the zero address.
    /// @param treasury The receiver given.
    error StampsInvalidTreasury(address treasury);
    /// @notice The zero address cannot be an operator.
    /// @param operator The operator given.
    error StampsInvalidOperator(address operator);
    /// @notice The stamp belongs to a soulbound series and cannot be transferred.
    /// @param tokenId The stamp that was to move.
    error StampsSoulbound(uint256 tokenId);
    /// @notice Under the market-only policy, `operator` may not move this stamp.
    /// @param operator The caller that tried to move it: neither an approved operator nor, with gifts allowed,
    /// its holder.
    /// @param tokenId The stamp that was to move.
    error StampsTransferNotAllowed(address operator, uint256 tokenId);
    /// @notice Only the holder of a stamp can burn it.
    /// @param caller The account that tried to burn it.
    /// @param tokenId The stamp.
    error StampsNotHolder(address caller, uint256 tokenId);
    /// @notice A signed approval is past its deadline; the holder must sign a new one.
    /// @param deadline The signature's last valid second (unix time).
    error StampsSignatureExpired(uint256 deadline);
    /// @notice The signature is not `owner`'s over this approval, their current nonce, this chain and these Stamps.
    /// @param owner The holder the approval is for (an EOA, or an ERC-1271 contract wallet).
    error StampsInvalidSignature(address owner);
    /// @notice Holders can be counted only from a series' first mint, so the counts are exact.
    /// @param seriesId The series, which has minted already.
    error StampsSeriesAlreadyMinted(uint256 seriesId);
    /// @notice This series does not count its holders' stamps: call {countHolders} before its first mint.
    /// @param seriesId The series.
    error StampsHoldersNotCounted(uint256 seriesId);

    /// @notice Creates a limited-edition series. Admin only.
    /// @dev The texts are checked here, once, rather than escaped on every {tokenURI} read.
    ///
    /// Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - `maxSupply` is between 1 and {MAX_SERIES_SUPPLY}, else {StampsInvalidMaxSupply};
    /// - `name` is not empty, and `name`, `imageURI` and `baseURI` hold no quote, backslash or control
    ///   character, else {StampsInvalidText}.
    ///
    /// Works while paused. Emits a {StampsSeriesCreated} event.
    /// @param name Shown in wallets as "<name> #<edition> of <maxSupply>".
    /// @param maxSupply Editions that can ever be minted; fixed for the life of the series.
    /// @param soulbound Whether its stamps stay with their first holder whatever the transfer policy; fixed too.
    /// @param imageURI Image of every stamp of the series.
    /// @param baseURI Empty for on-chain JSON metadata; otherwise {tokenURI} is `baseURI` followed by the edition.
    /// @return seriesId The new series' id (sequential from 1).
    function createSeries(
        string calldata name,
        uint256 maxSupply,
        bool soulbound,
        string calldata imageURI,
        string calldata baseURI
    ) external returns (uint256 seriesId);

    /// @notice Mints the next edition of a series to `to`. Minter only.
    /// @dev Requirements:
    ///
    /// - the caller has `MINTER_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - the series exists, else {StampsUnknownSeries};
    /// - an edition is left, else {StampsSeriesSoldOut};
    /// - the program's pause does not cover stamps (`PAUSE_STAMPS`), else `EnforcedPause`;
    /// - `to` is not the zero address, else `ERC721InvalidReceiver`;
    /// - the program has not ended, else `ProgramHasEnded`.
    ///
    /// Emits a {Transfer} event from the zero address, and `Locked` (ERC-5192) when the series is soulbound.
    /// @param to The member receiving the stamp (a contract wallet need not implement `onERC721Received`).
    /// @param seriesId The series to mint from.
    /// @return tokenId The id of the new stamp.
    function mint(address to, uint256 seriesId) external returns (uint256 tokenId);

    /// @notice Mints one edition of a series to each of `to`, in order. Minter only; at most {MAX_BATCH} recipients.
    /// @dev All or nothing: a batch that does not fit in the editions left mints none, so the brand can
    /// retry it whole instead of working out who got a stamp.
    ///
    /// Requirements:
    ///
    /// - the caller has `MINTER_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - `to` holds between 1 and {MAX_BATCH} addresses, else {StampsInvalidBatchLength};
    /// - the series exists, else {StampsUnknownSeries};
    /// - enough editions are left for every recipient, else {StampsSeriesSoldOut};
    /// - the program's pause does not cover stamps (`PAUSE_STAMPS`), else `EnforcedPause`;
    /// - no recipient is the zero address, else `ERC721InvalidReceiver`;
    /// - the program has not ended, else `ProgramHasEnded`.
    ///
    /// Emits one {Transfer} event from the zero address per recipient, and `Locked` (ERC-5192) for each when the
    /// series is soulbound.
    /// @param to The recipients; the same address may appear more than once and gets a stamp each time.
    /// @param seriesId The series to mint from.
    /// @return firstTokenId The id of the stamp minted to `to[0]`; the others follow consecutively.
    function mintBatch(address[] calldata to, uint256 seriesId) external returns (uint256 firstTokenId);

    /// @notice Burns a stamp. Only its holder can, whatever the transfer policy (a perk redemption).
    /// @dev A burn is not a transfer, so soulbound stamps and the market-only policy do not stop it; an operator
    /// approved for all cannot burn, nor can an address an operator approved (EIP-721 lets an operator `approve`), so
    /// a marketplace approval never lets anyone destroy a member's stamp.
    /// The edition is not minted again.
    ///
    /// Requirements:
    ///
    /// - the stamp exists, else `ERC721NonexistentToken`;
    /// - the caller holds it, or the holder approved the caller for this stamp by the holder's own `approve` call (not
    ///   an operator's), and the stamp has not moved since, else {StampsNotHolder}.
    ///
    /// Works while paused and after the program's end: a holder's own stamp is theirs to burn.
    ///
    /// Emits a {Transfer} event to the zero address.
    /// @param tokenId The stamp to burn.
    function burn(uint256 tokenId) external;

    /// @notice Sets the royalty receiver (brand treasury) and rate in basis points. Admin only; capped at {MAX_ROYALTY_BPS}.
    /// @dev One rate for every stamp (the ERC-2981 default royalty); the Market reads it at each sale.
    ///
    /// Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - `treasury` is not the zero address, else {StampsInvalidTreasury};
    /// - `royaltyBps` is at most {MAX_ROYALTY_BPS}, else {StampsRoyaltyTooHigh}.
    ///
    /// Emits a {StampsRoyaltyChanged} event.
    /// @param treasury The brand's address that receives the royalty.
    /// @param royaltyBps Rate in basis points of the sale price (100 = 1 %).
    function setRoyalty(address treasury, uint96 royaltyBps) external;

    /// @notice Sets the transfer policy of tradable stamps. Admin only.
    /// @dev Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`.
    ///
    /// Emits a {StampsTransferPolicyChanged} event, even when the policy is unchanged.
    /// @param policy The new policy; soulbound series stay soulbound under either.
    function setTransferPolicy(TransferPolicy policy) external;

    /// @notice Allows or forbids holder-to-holder gifts under the market-only policy. Admin only.
    /// @dev Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`.
    ///
    /// Emits a {StampsGiftsAllowedChanged} event.
    /// @param allowed Whether a holder may transfer their own stamp directly (an approved address still may not).
    function setGiftsAllowed(bool allowed) external;

    /// @notice Sets `operator`'s ERC-721 approval for all of `owner`'s stamps with `owner`'s EIP-712 signature of
    /// `ApprovalForAll(address owner,address operator,bool approved,uint256 nonce,uint256 deadline)` in the Stamps'
    /// domain; anyone may submit it. This is how a member approves the Market without native coin: the brand's
    /// relayer sends it before (or with) their first trade.
    /// @dev Works like `setApprovalForAll` called by `owner` (ERC-721's own checks apply). Each signature carries
    /// `owner`'s next {nonces} and is spent by this call, so it cannot be replayed; the domain names the chain and
    /// this contract. Contract wallets sign through ERC-1271.
    ///
    /// Requirements:
    ///
    /// - `deadline` has not passed, else {StampsSignatureExpired};
    /// - `signature` is `owner`'s over these fields and their current nonce, else {StampsInvalidSignature};
    /// - `operator` is not the zero address, else `ERC721InvalidOperator`.
    ///
    /// Emits an `ApprovalForAll` event.
    /// @param owner The holder giving (or taking back) the approval.
    /// @param operator The address approved, such as the Market.
    /// @param approved Whether `operator` may move all of `owner`'s stamps.
    /// @param deadline Last second (unix time) the signature is valid.
    /// @param signature `owner`'s EIP-712 signature.
    function setApprovalForAllBySig(
        address owner,
        address operator,
        bool approved,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Approves or removes an operator contract (such as the Market) for market-only transfers. Admin only.
    /// @dev An operator moves stamps only as far as ERC-721 approvals let it; this list only says which
    /// callers the market-only policy lets through.
    ///
    /// Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - `operator` is not the zero address, else {StampsInvalidOperator}.
    ///
    /// Emits a {StampsOperatorChanged} event.
    /// @param operator The contract to approve or remove.
    /// @param allowed Whether it may move stamps under the market-only policy.
    function setOperator(address operator, bool allowed) external;

    /// @notice Sets the ERC-7572 collection metadata URI. Admin only.
    /// @dev Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`.
    ///
    /// Emits a {ContractURIUpdated} event.
    /// @param uri The new URI of the collection's JSON metadata.
    function setContractURI(string calldata uri) external;

    /// @notice Makes the contract count each holder's stamps of a series, for {seriesBalanceOf}. Admin only.
    /// @dev Opt-in per series: counting costs each mint, transfer and burn of the series a storage write (a fresh
    /// one, 22,100 gas, for a new holder), which only series a perk asks about should pay. Irreversible.
    ///
    /// Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - the series exists, else {StampsUnknownSeries}, and has minted nothing, else {StampsSeriesAlreadyMinted}.
    ///
    /// Emits a {StampsHoldersCounted} event.
    /// @param seriesId The series.
    function countHolders(uint256 seriesId) external;

    /// @notice How many stamps of a series `holder` holds.
    /// @param holder The wallet.
    /// @param seriesId A series that counts its holders, else {StampsHoldersNotCounted}.
    /// @return Stamps of the series the wallet holds now.
    function seriesBalanceOf(address holder, uint256 seriesId) external view returns (uint256);

    /// @notice The series with this id; reverts with {StampsUnknownSeries} if none.
    /// @param seriesId The series' id.
    /// @return The series, with `minted` counting burned editions too.
    function series(uint256 seriesId) external view returns (Series memory);

    /// @notice Number of series created; ids run from 1 to this.
    /// @return The number of series.
    function seriesCount() external view returns (uint256);

    /// @notice The series and edition a stamp id encodes (the stamp need not exist).
    /// @param tokenId The stamp id.
    /// @return seriesId The series it belongs to.
    /// @return edition Its edition number within the series, from 1.
    function editionOf(uint256 tokenId) external pure returns (uint256 seriesId, uint256 edition);

    /// @notice The current transfer policy of tradable stamps.
    /// @return The policy in force.
    function transferPolicy() external view returns (TransferPolicy);

    /// @notice Whether holder-to-holder gifts are allowed under the market-only policy.
    /// @return True when holders may transfer their own stamps directly.
    function giftsAllowed() external view returns (bool);

    /// @notice Whether `operator` may move tradable stamps under the market-only policy.
    /// @param operator The contract to check.
    /// @return True when it is an approved operator.
    function isOperator(address operator) external view returns (bool);

    /// @notice How many times a stamp has moved between two holders (mints and burns do not count).
    /// @dev A Market order signs this number, so a listing dies once the stamp leaves its signer, even if it
    /// comes back later; it also makes a filled listing unfillable without a separate "filled" slot.
    /// @param tokenId The stamp id.
    /// @return The number of transfers so far; 0 for a stamp never transferred or never minted.
    function transferCount(uint256 tokenId) external view returns (uint256);

    /// @notice The Market's one call per sale: checks the holder and the transfer count, moves the stamp as
    /// `safeTransferFrom(from, to, tokenId)` by the caller would, and returns what the sale needs.
    /// @dev Moves nothing, without reverting, when `from` is not the holder or the count differs from
    /// `expectedTransferCount` ({ANY_TRANSFER_COUNT} accepts any): the returned terms say which, so the caller
    /// reverts with its own reason. The terms are those read before the move.
    /// @param from The holder the caller expects (the seller).
    /// @param to The buyer; a contract must accept ERC-721s.
    /// @param tokenId The stamp sold.
    /// @param expectedTransferCount The transfer count the seller's order signed, or {ANY_TRANSFER_COUNT}.
    /// @param salePrice The price the royalty is computed on.
    /// @return terms The holder, count, royalty and policy before the move.
    function moveForSale(
        address from,
        address to,
        uint256 tokenId,
        uint256 expectedTransferCount,
        uint256 salePrice
    ) external returns (SaleTerms memory terms);

    /// @notice What a sale of `tokenId` at `salePrice` would need now; {moveForSale} without the move.
    /// @param tokenId The stamp.
    /// @param salePrice The price the royalty is computed on.
    /// @return The holder, count, royalty and policy.
    function saleTerms(uint256 tokenId, uint256 salePrice) external view returns (SaleTerms memory);

    /// @notice ERC-7572 collection metadata URI.
    /// @return The URI of the collection's JSON metadata.
    function contractURI() external view returns (string memory);
}
