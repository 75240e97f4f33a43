// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IStamps} from "./interfaces/IStamps.sol";
import {IERC5192} from "./interfaces/IERC5192.sol";
import {IProgramLifecycle} from "./interfaces/IProgramLifecycle.sol";
import {ProgramLifecycle} from "./ProgramLifecycle.sol";
import {StampIds} from "./libraries/StampIds.sol";
import {RoyaltySplit} from "./libraries/RoyaltySplit.sol";
import {JsonText} from "./libraries/JsonText.sol";

/// @title Stamps
/// @notice Punchcard's collectible stamps: limited-edition ERC-721 series, some soulbound, with an
/// ERC-2981 royalty to the brand on every trade and a transfer policy that can make the royalty unskippable.
/// @dev Every movement (mint, transfer, burn) passes through {_update}, where pause, soulbound and
/// market-only are enforced in one place. Stamps also keeps the program's lifecycle ({ProgramLifecycle}): the one end
/// date and the one pause that Points and the Market read. Soulbound stamps say so to wallets through ERC-5192.
contract Stamps is
    IStamps,
    IERC5192,
    IERC2981,
    ERC721,
    EIP712,
    Nonces,
    AccessControlDefaultAdminRules,
    ProgramLifecycle
{
    using Strings for uint256;

    /// @notice EIP-712 type a holder signs to approve an operator for all their stamps ({setApprovalForAllBySig}).
    bytes32 public constant APPROVAL_FOR_ALL_TYPEHASH =
        keccak256("ApprovalForAll(address owner,address operator,bool approved,uint256 nonce,uint256 deadline)");

    /// @notice Role that mints stamps (the brand's backend).
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice Highest royalty rate the contract accepts: 10 %.
    uint96 public constant MAX_ROYALTY_BPS = 1_000;
    /// @notice What {moveForSale} takes for "whatever the stamp's transfer count" (an offer signs none).
    uint256 public constant ANY_TRANSFER_COUNT = type(uint256).max;
    /// @notice Most recipients one {mintBatch} call accepts: 300 fresh members take about 14.5 M gas, under
    /// the 16,777,216 gas a transaction may use since EIP-7825 (Fusaka), so a full batch always fits.
    uint256 public constant MAX_BATCH = 300;
    /// @notice Largest max supply of a series (editions are encoded in the stamp id below this stride).
    uint256 public constant MAX_SERIES_SUPPLY = StampIds.EDITIONS_PER_SERIES - 1;
    /// @dev Bit of {_approvals} set when the holder approved by their own call.
    uint256 private constant HOLDER_APPROVED = 1 << 160;

    /// @dev The program's royalty and transfer policy, which every sale reads together.
    struct TradeTerms {
        TransferPolicy policy;
        bool giftsAllowed;
        uint16 royaltyBps;
        address royaltyReceiver;
    }

    mapping(uint256 seriesId => Series) private _series;
    uint256 private _seriesCount;
    /// @dev A stamp's holder (low 160 bits) and its transfer count (the bits above) in one slot, so a transfer reads
    /// and writes one slot for both (ERC721A packs its ownership data the same way). OZ's `_owners` and `_balances`
    /// stay empty: {_ownerOf}, {balanceOf} and {_update} read and write these two mappings instead.
    mapping(uint256 tokenId => uint256) private _tokens;
    mapping(address holder => uint256) private _holdings;
    mapping(address operator => bool) private _operators;
    /// @dev The royalty and the transfer policy in one slot: a sale reads the one to pay and the other to move.
    TradeTerms private _trade;
    string private _contractURI;
    mapping(address holder => mapping(uint256 seriesId => uint256)) private _seriesBalances;
    /// @dev A stamp's approved address (low 160 bits) and whether its holder set it by their own call (bit 160), in
    /// the one slot OZ's `_tokenApprovals` would use: an operator approves like the holder (EIP-721), but only the
    /// holder's own approval lets the approved address {burn}.
    mapping(uint256 tokenId => uint256) private _approvals;

    /// @notice Deploys a brand's stamp collection with no series yet.
    /// @dev Emits {StampsRoyaltyChanged} and {StampsTransferPolicyChanged} so an indexer learns the initial
    /// settings from logs alone, as it learns every later change.
    /// @param name_ ERC-721 collection name.
    /// @param symbol_ ERC-721 symbol.
    /// @param admin Holder of the default admin role (handed over in two steps after `adminDelay`).
    /// @param adminDelay Seconds a default-admin handover must wait.
    /// @param treasury Receiver of the royalty.
    /// @param royaltyBps Royalty rate in basis points, at most {MAX_ROYALTY_BPS}.
    /// @param policy Initial transfer policy of tradable stamps.
    /// @param contractURI_ ERC-7572 collection metadata URI.
    /// @param lifecycle The program's notice period of its end and its pause bound, in seconds.
    constructor(
        string memory name_,
        string memory symbol_,
        address admin,
        uint48 adminDelay,
        address treasury,
        uint96 royaltyBps,
        TransferPolicy policy,
        string memory contractURI_,
        IProgramLifecycle.LifecycleTerms memory lifecycle
    )
        ERC721(name_, symbol_)
        EIP712(name_, "1")
        AccessControlDefaultAdminRules(adminDelay, admin)
        ProgramLifecycle(lifecycle.noticePeriod, lifecycle.maxPauseDuration)
    {
        _setRoyalty(treasury, royaltyBps);
        _trade.policy = policy;
        _contractURI = contractURI_;
        emit StampsTransferPolicyChanged(policy);
    }

    /// @inheritdoc IStamps
    function createSeries(
        string calldata name,
        uint256 maxSupply,
        bool soulbound,
        string calldata imageURI,
        string calldata baseURI
    ) external onlyRole(DEFAULT_ADMIN_ROLE) returns (uint256 seriesId) {
        if (maxSupply == 0 || maxSupply > MAX_SERIES_SUPPLY) {
            revert StampsInvalidMaxSupply(maxSupply, MAX_SERIES_SUPPLY);
        }
        if (bytes(name).length == 0 || !JsonText.isSafe(name)) revert StampsInvalidText(name);
        if (!JsonText.isSafe(imageURI)) revert StampsInvalidText(imageURI);
        if (!JsonText.isSafe(baseURI)) revert StampsInvalidText(baseURI);

        seriesId = ++_seriesCount;
        _series[seriesId] = Series({
            name: name,
            imageURI: imageURI,
            baseURI: baseURI,
            maxSupply: uint64(maxSupply),
            minted: 0,
            soulbound: soulbound,
            holdersCounted: false
        });
        emit StampsSeriesCreated(seriesId, name, maxSupply, soulbound, imageURI, baseURI);
    }

    /// @inheritdoc IStamps
    /// @dev `_mint`, not `_safeMint`: a member's contract wallet that rejects ERC-721s must not be able
    /// to make the brand's batch revert; the stamp is the member's either way.
    function mint(address to, uint256 seriesId) external onlyRole(MINTER_ROLE) returns (uint256 tokenId) {
        bool soulbound;
        (tokenId, soulbound) = _reserveEditions(seriesId, 1);
        _mintStamp(to, tokenId, soulbound);
    }

    /// @inheritdoc IStamps
    function mintBatch(
        address[] calldata to,
        uint256 seriesId
    ) external onlyRole(MINTER_ROLE) returns (uint256 firstTokenId) {
        uint256 count = to.length;
        if (count == 0 || count > MAX_BATCH) revert StampsInvalidBatchLength(count, MAX_BATCH);
        bool soulbound;
        (firstTokenId, soulbound) = _reserveEditions(seriesId, count);
        for (uint256 i = 0; i < count; ++i) {
            _mintStamp(to[i], firstTokenId + i, soulbound);
        }
    }

    /// @inheritdoc IStamps
    /// @dev The holder, or the one address the holder approved for this very stamp by their own call (Rewards spending
    /// it on a perk the holder claims). An operator approved for all may approve a stamp (EIP-721), but that approval
    /// never lets anyone burn it: a burn needs the holder's own act.
    function burn(uint256 tokenId) external {
        address holder = _requireOwned(tokenId);
        address caller = _msgSender();
        if (caller != holder && _approvals[tokenId] != (HOLDER_APPROVED | uint160(caller))) {
            revert StampsNotHolder(caller, tokenId);
        }
        _burn(tokenId);
    }

    /// @inheritdoc IStamps
    /// @dev The caller moves the stamp exactly as with `safeTransferFrom(from, to, tokenId)`: same approval, same
    /// policy, same receiver check. Holder and count are compared before anything moves, so a stale or foreign order
    /// changes nothing and the caller names the reason.
    function moveForSale(
        address from,
        address to,
        uint256 tokenId,
        uint256 expectedTransferCount,
        uint256 salePrice
    ) external returns (SaleTerms memory terms) {
        terms = _saleTerms(tokenId, salePrice);
        if (terms.holder != from) return terms;
        if (expectedTransferCount != ANY_TRANSFER_COUNT && terms.transferCount != expectedTransferCount) return terms;
        safeTransferFrom(from, to, tokenId);
    }

    /// @inheritdoc IStamps
    function saleTerms(uint256 tokenId, uint256 salePrice) external view returns (SaleTerms memory) {
        return _saleTerms(tokenId, salePrice);
    }

    /// @inheritdoc IStamps
    function setApprovalForAllBySig(
        address owner,
        address operator,
        bool approved,
        uint256 deadline,
        bytes calldata signature
    ) external {
        if (block.timestamp > deadline) revert StampsSignatureExpired(deadline);
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(APPROVAL_FOR_ALL_TYPEHASH, owner, operator, approved, _useNonce(owner), deadline))
        );
        if (!SignatureChecker.isValidSignatureNowCalldata(owner, digest, signature)) revert StampsInvalidSignature(owner);
        _setApprovalForAll(owner, operator, approved);
    }

    /// @inheritdoc IStamps
    function setRoyalty(address treasury, uint96 royaltyBps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setRoyalty(treasury, royaltyBps);
    }

    /// @inheritdoc IStamps
    function setTransferPolicy(TransferPolicy policy) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _trade.policy = policy;
        emit StampsTransferPolicyChanged(policy);
    }

    /// @inheritdoc IStamps
    function setGiftsAllowed(bool allowed) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _trade.giftsAllowed = allowed;
        emit StampsGiftsAllowedChanged(allowed);
    }

    /// @inheritdoc IStamps
    function setOperator(address operator, bool allowed) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (operator == address(0)) revert StampsInvalidOperator(operator);
        _operators[operator] = allowed;
        emit StampsOperatorChanged(operator, allowed);
    }

    /// @inheritdoc IStamps
    function setContractURI(string calldata uri) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _contractURI = uri;
        emit ContractURIUpdated();
    }

    /// @inheritdoc IStamps
    function countHolders(uint256 seriesId) external onlyRole(DEFAULT_ADMIN_ROLE) {
        Series storage s = _series[seriesId];
        if (s.maxSupply == 0) revert StampsUnknownSeries(seriesId);
        if (s.minted != 0) revert StampsSeriesAlreadyMinted(seriesId);
        s.holdersCounted = true;
        emit StampsHoldersCounted(seriesId);
    }

    /// @inheritdoc IStamps
    function series(uint256 seriesId) external view returns (Series memory) {
        Series storage s = _series[seriesId];
        if (s.maxSupply == 0) revert StampsUnknownSeries(seriesId);
        return s;
    }

    /// @inheritdoc IStamps
    function seriesBalanceOf(address holder, uint256 seriesId) external view returns (uint256) {
        if (!_series[seriesId].holdersCounted) revert StampsHoldersNotCounted(seriesId);
        return _seriesBalances[holder][seriesId];
    }

    /// @inheritdoc IStamps
    function seriesCount() external view returns (uint256) {
        return _seriesCount;
    }

    /// @inheritdoc IStamps
    function transferPolicy() external view returns (TransferPolicy) {
        return _trade.policy;
    }

    /// @inheritdoc IStamps
    function giftsAllowed() external view returns (bool) {
        return _trade.giftsAllowed;
    }

    /// @inheritdoc IStamps
    function isOperator(address operator) external view returns (bool) {
        return _operators[operator];
    }

    /// @inheritdoc IStamps
    function transferCount(uint256 tokenId) external view returns (uint256) {
        return _tokens[tokenId] >> 160;
    }

    /// @inheritdoc ERC721
    function balanceOf(address owner) public view override returns (uint256) {
        if (owner == address(0)) revert ERC721InvalidOwner(address(0));
        return _holdings[owner];
    }

    /// @inheritdoc IStamps
    function contractURI() external view returns (string memory) {
        return _contractURI;
    }

    /// @inheritdoc IERC2981
    /// @dev One royalty for every stamp, read from the slot that also holds the transfer policy, rounded down and
    /// exact for every price ({RoyaltySplit-bpsOf}).
    function royaltyInfo(uint256, uint256 salePrice) external view returns (address receiver, uint256 amount) {
        TradeTerms memory trade = _trade;
        return (trade.royaltyReceiver, RoyaltySplit.bpsOf(salePrice, trade.royaltyBps));
    }

    /// @inheritdoc IERC5192
    function locked(uint256 tokenId) external view returns (bool) {
        _requireOwned(tokenId);
        (uint256 seriesId, ) = StampIds.decode(tokenId);
        return _series[seriesId].soulbound;
    }

    /// @inheritdoc IStamps
    function editionOf(uint256 tokenId) external pure returns (uint256 seriesId, uint256 edition) {
        return StampIds.decode(tokenId);
    }

    /// @notice Wallet-ready metadata: the series' base URI followed by the edition number when the
    /// series has one, otherwise on-chain JSON with the name "<series> #<edition> of <maxSupply>",
    /// the image, and the attributes Series, Edition and Soulbound.
    /// @dev Reverts with `ERC721NonexistentToken` for a burned or unminted stamp, so a wallet never shows
    /// metadata for a stamp nobody holds.
    /// @param tokenId The stamp.
    /// @return The base URI and edition, or a `data:application/json;base64,` URI.
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        (uint256 seriesId, uint256 edition) = StampIds.decode(tokenId);
        Series storage s = _series[seriesId];
        if (bytes(s.baseURI).length != 0) return string.concat(s.baseURI, edition.toString());

        string memory max = uint256(s.maxSupply).toString();
        string memory json = string.concat(
            '{"name":"', s.name, " #", edition.toString(), " of ", max,
            '","image":"', s.imageURI,
            '","attributes":[{"trait_type":"Series","value":"', s.name,
            '"},{"trait_type":"Edition","display_type":"number","value":', edition.toString(),
            ',"max_value":', max,
            '},{"trait_type":"Soulbound","value":"', s.soulbound ? "true" : "false", '"}]}'
        );
        return string.concat("data:application/json;base64,", Base64.encode(bytes(json)));
    }

    /// @inheritdoc ERC721
    /// @dev Also ERC-5192 (soulbound) and ERC-2981 (royalty).
    function supportsInterface(
        bytes4 interfaceId
    ) public view override(IERC165, ERC721, AccessControlDefaultAdminRules) returns (bool) {
        return
            interfaceId == type(IERC5192).interfaceId ||
            interfaceId == type(IERC2981).interfaceId ||
            super.supportsInterface(interfaceId);
    }

    /// @dev The one hook every movement passes through: pause for mints and transfers, the end for mints, soulbound
    /// and market-only for transfers, and the transfer count that Market orders sign. Then OZ's `ERC721._update` over
    /// {_tokens} and {_holdings}: the caller's authorisation, the approval cleared, the balances, the holder and the
    /// count written in one slot, and the `Transfer` event.
    /// Mints and burns are not transfers: they are guarded by the minter role and {burn}'s holder check. A burn is
    /// the holder's own act (redeeming a perk), so it works while paused and after the end; it keeps the count.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        uint256 packed = _tokens[tokenId];
        from = address(uint160(packed));
        uint256 count = packed >> 160;
        if (to != address(0)) {
            _requireNotPaused(PAUSE_STAMPS);
            if (from == address(0)) {
                if (_hasEnded()) revert ProgramHasEnded(endsAt());
            } else {
                _checkTransferPolicy(from, tokenId);
                unchecked {
                    ++count;
                }
            }
        }
        if (auth != address(0)) _checkAuthorized(from, auth, tokenId);
        _countHolders(from, to, tokenId);
        unchecked {
            // A holder's count is at least the stamp it gives; the stamps minted bound every count.
            if (from != address(0)) {
                _approve(address(0), tokenId, address(0), false);
                --_holdings[from];
            }
            if (to != address(0)) ++_holdings[to];
        }
        _tokens[tokenId] = (count << 160) | uint160(to);
        emit Transfer(from, to, tokenId);
    }

    /// @dev The holder kept in {_tokens}.
    function _ownerOf(uint256 tokenId) internal view override returns (address) {
        return address(uint160(_tokens[tokenId]));
    }

    /// @dev Kept for OZ's invariant (`balanceOf` counts what `_ownerOf` holds) though nothing here mints in bulk.
    function _increaseBalance(address account, uint128 value) internal override {
        unchecked {
            _holdings[account] += value;
        }
    }

    /// @dev OZ's `_approve` (the holder or an operator approved for all may approve, EIP-721), over {_approvals}: it
    /// also records whether the holder approved by their own call, which {burn} requires. Clearing the approval when
    /// a stamp moves (`auth` zero, no event) reads nothing.
    function _approve(address to, uint256 tokenId, address auth, bool emitEvent) internal override {
        uint256 byHolder;
        if (emitEvent || auth != address(0)) {
            address holder = _requireOwned(tokenId);
            if (auth != address(0) && holder != auth && !isApprovedForAll(holder, auth)) {
                revert ERC721InvalidApprover(auth);
            }
            if (auth == holder) byHolder = HOLDER_APPROVED;
            if (emitEvent) emit Approval(holder, to, tokenId);
        }
        _approvals[tokenId] = to == address(0) ? 0 : byHolder | uint160(to);
    }

    /// @dev The approved address kept in {_approvals}.
    function _getApproved(uint256 tokenId) internal view override returns (address) {
        return address(uint160(_approvals[tokenId]));
    }

    /// @dev Mints a stamp, and tells wallets a soulbound one is locked for good (ERC-5192).
    function _mintStamp(address to, uint256 tokenId, bool soulbound) private {
        _mint(to, tokenId);
        if (soulbound) emit Locked(tokenId);
    }

    /// @dev Counts `count` editions of a series as minted and returns the first one's stamp id and whether the series
    /// is soulbound (read from the slot just written, so it costs nothing more).
    function _reserveEditions(
        uint256 seriesId,
        uint256 count
    ) private returns (uint256 firstTokenId, bool soulbound) {
        Series storage s = _series[seriesId];
        uint256 maxSupply = s.maxSupply;
        if (maxSupply == 0) revert StampsUnknownSeries(seriesId);
        uint256 minted = s.minted;
        if (minted + count > maxSupply) revert StampsSeriesSoldOut(seriesId, maxSupply);
        s.minted = uint64(minted + count);
        return (StampIds.encode(seriesId, minted + 1), s.soulbound);
    }

    /// @dev Per-series holdings, only for series that opted in ({countHolders}): the series' slot is already warm
    /// on a mint or a transfer, so other series pay one warm read.
    function _countHolders(address from, address to, uint256 tokenId) private {
        (uint256 seriesId, ) = StampIds.decode(tokenId);
        if (!_series[seriesId].holdersCounted) return;
        unchecked {
            // A holder's count is at least the stamp it gives; the supply bounds every count.
            if (from != address(0)) --_seriesBalances[from][seriesId];
            if (to != address(0)) ++_seriesBalances[to][seriesId];
        }
    }

    function _setRoyalty(address treasury, uint96 royaltyBps) private {
        if (treasury == address(0)) revert StampsInvalidTreasury(treasury);
        if (royaltyBps > MAX_ROYALTY_BPS) revert StampsRoyaltyTooHigh(royaltyBps, MAX_ROYALTY_BPS);
        _trade.royaltyReceiver = treasury;
        _trade.royaltyBps = uint16(royaltyBps);
        emit StampsRoyaltyChanged(treasury, royaltyBps);
    }

    /// @dev After the end, market-only no longer applies: the brand's operators could otherwise be removed and lock
    /// every tradable stamp in place. The end is read only when a transfer would otherwise be refused, so a normal
    /// transfer pays nothing for it.
    function _checkTransferPolicy(address from, uint256 tokenId) private view {
        (uint256 seriesId, ) = StampIds.decode(tokenId);
        if (_series[seriesId].soulbound) revert StampsSoulbound(tokenId);
        TradeTerms memory trade = _trade;
        if (trade.policy == TransferPolicy.MarketOnly) {
            address operator = _msgSender();
            bool gift = trade.giftsAllowed && operator == from;
            if (!gift && !_operators[operator] && !_hasEnded()) revert StampsTransferNotAllowed(operator, tokenId);
        }
    }

    /// @dev What a sale of `tokenId` at `salePrice` needs: the stamp's slot (holder and count) and the trade slot.
    function _saleTerms(uint256 tokenId, uint256 salePrice) private view returns (SaleTerms memory terms) {
        TradeTerms memory trade = _trade;
        uint256 packed = _tokens[tokenId];
        terms.holder = address(uint160(packed));
        terms.transferCount = packed >> 160;
        terms.royaltyReceiver = trade.royaltyReceiver;
        terms.royaltyAmount = RoyaltySplit.bpsOf(salePrice, trade.royaltyBps);
        terms.royaltyUnskippable = trade.policy == TransferPolicy.MarketOnly && !trade.giftsAllowed;
        terms.chargesRoyalty = trade.royaltyBps != 0;
    }
}
