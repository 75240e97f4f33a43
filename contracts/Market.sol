// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IMarket} from "./interfaces/IMarket.sol";
import {IStamps} from "./interfaces/IStamps.sol";
import {StampIds} from "./libraries/StampIds.sol";
import {PauseScopes} from "./libraries/PauseScopes.sol";
import {IProgramLifecycle} from "./interfaces/IProgramLifecycle.sol";
import {MarketTypes} from "./types/MarketTypes.sol";
import {MarketPayments} from "./MarketPayments.sol";
import {MarketRules} from "./MarketRules.sol";

/// @title Market
/// @notice Punchcard's stamp market: members list stamps with signed orders (no gas to list), buy in the native
/// coin, Points or an allowlisted ERC-20, make offers on a stamp or a whole series, and swap stamp for stamp.
/// Every sale pays the brand's ERC-2981 royalty; orders are cancelled one by one or all at once.
/// While Stamps is market-only with gifts off, the Market is the only way a stamp changes hands, so it is where the
/// brand's royalty cannot be skipped: a fill must meet the series' price floor (a price of 0 never fills) and pay at
/// least the brand's minimum royalty, and a swap pays a royalty in Points. Every order signs what its signer accepts
/// (a listing the seller's least payout, an offer and a swap the most fees), so rules raised after signing stop
/// the order instead of changing what it pays.
/// @dev The Market must be a Stamps operator (for the market-only policy) and, for Points prices while Points are
/// not transferable, a Points operator. It holds no ERC-20 and no stamp between calls; the only value it ever
/// holds is native coin it failed to push, each wei of it credited in {owed} to someone who can withdraw it, and
/// coin forced in without a call, which only the admin can {sweep}, and only beyond {totalOwed}.
/// The contract is three files, one job each: {MarketRules} (the fees, currencies, bounds and royalties the admin
/// sets, and the split of a trade under them), {MarketPayments} (native coin pushed, credited and withdrawn) and this
/// one (orders: their checks, fills, cancellations and settlement).
contract Market is EIP712, MarketRules, MarketPayments {
    using SafeERC20 for IERC20;
    using MarketTypes for MarketTypes.Listing;
    using MarketTypes for MarketTypes.Offer;
    using MarketTypes for MarketTypes.SwapOrder;

    /// @dev {IStamps-moveForSale}'s "any transfer count" (an offer signs none).
    uint256 private constant ANY_TRANSFER_COUNT = type(uint256).max;

    /// @inheritdoc IMarket
    mapping(address signer => uint256) public nonces;
    /// @inheritdoc IMarket
    mapping(bytes32 orderHash => OrderStatus) public orderStatus;

    /// @notice Deploys the Market of one program. It starts with no fee, no swap fee and no bounds, and it
    /// still has to be made a Stamps operator (and a Points operator while Points are not transferable).
    /// @param stamps_ The program's Stamps.
    /// @param points_ The program's Points (always an allowed currency; swap fees are paid in them).
    /// @param admin Holder of the default admin role (handed over in two steps after `adminDelay`).
    /// @param adminDelay Seconds a default-admin handover must wait.
    constructor(
        address stamps_,
        address points_,
        address admin,
        uint48 adminDelay
    )
        EIP712("Punchcard Market", "1")
        MarketRules(stamps_, points_, admin, adminDelay)
    {}

    /// @dev Fills stop while the program's pause covers the Market: one pause, kept by Stamps for the whole program
    /// ({IProgramLifecycle-pause}), so the Market's stops count against the same budget as the tokens'.
    modifier whenNotPaused() {
        _requireNotPaused();
        _;
    }

    /// @inheritdoc IMarket
    function buy(
        MarketTypes.Listing calldata listing,
        bytes calldata signature,
        address recipient
    ) external payable nonReentrant whenNotPaused {
        address currency = listing.currency;
        _checkCurrency(currency);
        uint256 expectedValue = currency == address(0) ? listing.price : 0;
        if (msg.value != expectedValue) revert MarketWrongPayment(expectedValue, msg.value);
        bytes32 orderHash = _checkListing(listing, signature);
        uint256 tokenId = listing.tokenId;
        uint256 price = listing.price;

        // One call into Stamps checks the holder and the transfer count, moves the stamp and answers the royalty and
        // the policy. Nothing to store: moving the stamp bumps its transfer count, which is what kills this listing.
        // It moves before any payment, so no receiver of coin can see the listing still fillable.
        IStamps.SaleTerms memory terms = IStamps(stamps).moveForSale(
            listing.seller,
            recipient == address(0) ? msg.sender : recipient,
            tokenId,
            listing.tokenNonce,
            price
        );
        _checkMoved(terms, listing.seller, tokenId, listing.tokenNonce);
        Split memory split = _split(tokenId, currency, price, terms);
        _checkSellerAmount(split, listing.minSellerAmount);
        _settle(orderHash, FillKind.Listing, listing.seller, msg.sender, tokenId, currency, split);
    }

    /// @inheritdoc IMarket
    function acceptOffer(
        MarketTypes.Offer calldata offer,
        bytes calldata signature,
        uint256 tokenId
    ) external nonReentrant whenNotPaused {
        address currency = offer.currency;
        bytes32 orderHash = _checkOffer(offer, signature, tokenId);
        uint256 price = offer.price;
        // An offer for "any stamp of a series" is not tied to one stamp's transfer count, so it needs a marker,
        // written before the buyer's ERC-721 hook can run.
        orderStatus[orderHash] = OrderStatus.Filled;
        IStamps.SaleTerms memory terms = IStamps(stamps).moveForSale(
            msg.sender,
            offer.buyer,
            tokenId,
            ANY_TRANSFER_COUNT,
            price
        );
        if (terms.holder != msg.sender) revert MarketNotHolder(msg.sender, tokenId);
        Split memory split = _split(tokenId, currency, price, terms);
        _checkFees(split.royaltyAmount + split.fee, offer.maxFees);
        _settle(orderHash, FillKind.Offer, msg.sender, offer.buyer, tokenId, currency, split);
    }

    /// @inheritdoc IMarket
    function swap(
        MarketTypes.SwapOrder calldata order,
        bytes calldata signature,
        uint256 takerTokenId
    ) external nonReentrant whenNotPaused {
        bytes32 orderHash = _checkSwapMaker(order, signature);
        _checkWanted(takerTokenId, order.wantedSeriesId, order.wantedTokenId);
        _checkHolder(msg.sender, takerTokenId);
        _settleSwap(orderHash, order, msg.sender, takerTokenId, type(uint256).max);
    }

    /// @inheritdoc IMarket
    function matchOrders(
        MarketTypes.Listing calldata listing,
        bytes calldata sellerSignature,
        MarketTypes.Offer calldata offer,
        bytes calldata buyerSignature
    ) external nonReentrant whenNotPaused {
        address currency = offer.currency;
        uint256 price = offer.price;
        if (listing.currency != currency || listing.price != price) {
            revert MarketOrdersMismatch(listing.currency, listing.price, currency, price);
        }
        uint256 tokenId = listing.tokenId;
        // The offer's checks include the currency (never native coin: nothing to pull) and the stamp it wants.
        bytes32 offerHash = _checkOffer(offer, buyerSignature, tokenId);
        _checkListing(listing, sellerSignature);
        orderStatus[offerHash] = OrderStatus.Filled;
        IStamps.SaleTerms memory terms = IStamps(stamps).moveForSale(
            listing.seller,
            offer.buyer,
            tokenId,
            listing.tokenNonce,
            price
        );
        _checkMoved(terms, listing.seller, tokenId, listing.tokenNonce);
        Split memory split = _split(tokenId, currency, price, terms);
        _checkSellerAmount(split, listing.minSellerAmount);
        _checkFees(split.royaltyAmount + split.fee, offer.maxFees);
        _settle(offerHash, FillKind.Match, listing.seller, offer.buyer, tokenId, currency, split);
    }

    /// @inheritdoc IMarket
    function matchSwaps(
        MarketTypes.SwapOrder calldata order,
        bytes calldata signature,
        MarketTypes.SwapOrder calldata counterOrder,
        bytes calldata counterSignature
    ) external nonReentrant whenNotPaused {
        bytes32 orderHash = _checkSwapMaker(order, signature);
        _checkSwapMaker(counterOrder, counterSignature);
        uint256 takerTokenId = counterOrder.makerTokenId;
        _checkWanted(takerTokenId, order.wantedSeriesId, order.wantedTokenId);
        _checkWanted(order.makerTokenId, counterOrder.wantedSeriesId, counterOrder.wantedTokenId);
        // The counter-order's own stamp moves too, which spends it like the first one: no status to store.
        _settleSwap(orderHash, order, counterOrder.maker, takerTokenId, counterOrder.maxFees);
    }

    /// @inheritdoc IMarket
    function cancelListing(MarketTypes.Listing calldata listing) external nonReentrant {
        _cancel(_hashTypedDataV4(listing.hash()), listing.seller);
    }

    /// @inheritdoc IMarket
    function cancelOffer(MarketTypes.Offer calldata offer) external nonReentrant {
        _cancel(_hashTypedDataV4(offer.hash()), offer.buyer);
    }

    /// @inheritdoc IMarket
    function cancelSwap(MarketTypes.SwapOrder calldata order) external nonReentrant {
        _cancel(_hashTypedDataV4(order.hash()), order.maker);
    }

    /// @inheritdoc IMarket
    function cancelListingBySig(
        MarketTypes.Listing calldata listing,
        uint256 deadline,
        bytes calldata signature
    ) external nonReentrant {
        _cancelBySig(_hashTypedDataV4(listing.hash()), listing.seller, deadline, signature);
    }

    /// @inheritdoc IMarket
    function cancelOfferBySig(
        MarketTypes.Offer calldata offer,
        uint256 deadline,
        bytes calldata signature
    ) external nonReentrant {
        _cancelBySig(_hashTypedDataV4(offer.hash()), offer.buyer, deadline, signature);
    }

    /// @inheritdoc IMarket
    function cancelSwapBySig(
        MarketTypes.SwapOrder calldata order,
        uint256 deadline,
        bytes calldata signature
    ) external nonReentrant {
        _cancelBySig(_hashTypedDataV4(order.hash()), order.maker, deadline, signature);
    }

    /// @inheritdoc IMarket
    function incrementNonce() external nonReentrant returns (uint256 newNonce) {
        return _incrementNonce(msg.sender);
    }

    /// @inheritdoc IMarket
    /// @dev The signature covers the current nonce, which this call bumps: it cannot be used twice.
    function incrementNonceBySig(
        address signer,
        uint256 deadline,
        bytes calldata signature
    ) external nonReentrant returns (uint256 newNonce) {
        _checkDeadline(deadline);
        bytes32 digest = _hashTypedDataV4(MarketTypes.hash(MarketTypes.CancelAllOrders(signer, nonces[signer], deadline)));
        _checkSignature(signer, digest, signature);
        return _incrementNonce(signer);
    }

    /// @inheritdoc IMarket
    /// @dev Works while paused, like {withdraw}. Coin can be forced into any contract (a self-destruct names it as
    /// beneficiary, a validator names it as coinbase); it is nobody's credit, so without this it would be stuck.
    function sweep(address payable to) external onlyRole(DEFAULT_ADMIN_ROLE) nonReentrant {
        if (to == address(0)) revert MarketZeroAddress();
        uint256 balance = address(this).balance;
        uint256 owedToAll = totalOwed;
        // Never below zero: every credit was paid into the Market first, and only withdrawals take it out.
        if (balance == owedToAll) revert MarketNothingToSweep(balance, owedToAll);
        uint256 amount = balance - owedToAll;
        emit Swept(to, amount);
        (bool sent, ) = to.call{value: amount}("");
        if (!sent) revert MarketWithdrawFailed(to, amount);
    }

    /// @inheritdoc IMarket
    function hashListing(MarketTypes.Listing calldata listing) external view returns (bytes32) {
        return _hashTypedDataV4(listing.hash());
    }

    /// @inheritdoc IMarket
    function hashOffer(MarketTypes.Offer calldata offer) external view returns (bytes32) {
        return _hashTypedDataV4(offer.hash());
    }

    /// @inheritdoc IMarket
    function hashSwapOrder(MarketTypes.SwapOrder calldata order) external view returns (bytes32) {
        return _hashTypedDataV4(order.hash());
    }

    /// @dev A function, not the modifier's body: a modifier's locals would cost the fills stack slots they lack.
    function _requireNotPaused() private view {
        (, bool paused) = IProgramLifecycle(stamps).programClock(PauseScopes.MARKET);
        if (paused) revert IProgramLifecycle.EnforcedPause();
    }

    /// @dev Pays `price` out of the buyer's funds as `split` says: royalty to the brand, fee to the fee recipient,
    /// rest to the seller. Native coin arrived with the call and is pushed; ERC-20s go straight from the buyer to
    /// each recipient, so the Market never holds them.
    function _settle(
        bytes32 orderHash,
        FillKind kind,
        address seller,
        address buyer,
        uint256 tokenId,
        address currency,
        Split memory split
    ) private {
        address royaltyReceiver = split.royaltyReceiver;
        emit Sale(orderHash, kind, seller, buyer, tokenId, currency, split.price, royaltyReceiver, split.royaltyAmount,
            split.fee);

        address feeTo = feeRecipient;
        if (currency == address(0)) {
            _push(seller, split.sellerAmount);
            _push(royaltyReceiver, split.royaltyAmount);
            _push(feeTo, split.fee);
        } else {
            _pull(currency, buyer, seller, split.sellerAmount);
            _pull(currency, buyer, royaltyReceiver, split.royaltyAmount);
            _pull(currency, buyer, feeTo, split.fee);
        }
    }

    /// @dev Zero amounts are skipped: some tokens revert on them, and they cost gas for nothing; so are payments to
    /// oneself (a buyer who is also the royalty receiver), which move nothing. Any ERC-20 but the program's own
    /// Points is measured: the recipient's balance must grow by exactly `amount`, or the Sale event would record
    /// money that never arrived (a fee-on-transfer token) and the sale is refused.
    function _pull(address currency, address from, address to, uint256 amount) private {
        if (amount == 0 || from == to) return;
        IERC20 token = IERC20(currency);
        if (currency == points) {
            // Our own contract, which moves exact amounts: two balance reads per payment would buy nothing.
            token.safeTransferFrom(from, to, amount);
            return;
        }
        uint256 before = token.balanceOf(to);
        token.safeTransferFrom(from, to, amount);
        uint256 afterwards = token.balanceOf(to);
        uint256 received = afterwards > before ? afterwards - before : 0;
        if (received != amount) revert MarketTransferAmountMismatch(currency, to, amount, received);
    }

    /// @dev `safeTransferFrom` so a stamp never lands in a contract that cannot handle it; the receiver's hook is
    /// untrusted code, which is why every entry point that moves value is `nonReentrant`.
    function _moveStamp(address from, address to, uint256 tokenId) private {
        IERC721(stamps).safeTransferFrom(from, to, tokenId);
    }

    /// @dev Pays a swap: both stamps move, the taker pays fee + royalty in Points to the royalty receiver, at most
    /// what the maker's order and the taker's own cap (`takerMaxFees`; none for a taker who sends the call) allow.
    function _settleSwap(
        bytes32 orderHash,
        MarketTypes.SwapOrder calldata order,
        address taker,
        uint256 takerTokenId,
        uint256 takerMaxFees
    ) private {
        address maker = order.maker;
        uint256 makerTokenId = order.makerTokenId;
        (address feeReceiver, uint256 fee, uint256 royaltyAmount) = _swapFees(makerTokenId, takerTokenId);
        _checkFees(fee + royaltyAmount, order.maxFees);
        _checkFees(fee + royaltyAmount, takerMaxFees);
        emit Swapped(orderHash, maker, taker, makerTokenId, takerTokenId, feeReceiver, fee, royaltyAmount);

        // Like a listing, the order dies when the maker's stamp moves. Both moves happen in this call or neither.
        _moveStamp(maker, taker, makerTokenId);
        _moveStamp(taker, maker, takerTokenId);
        // Fee and royalty go to the same receiver: one transfer.
        _pull(points, taker, feeReceiver, fee + royaltyAmount);
    }

    function _incrementNonce(address signer) private returns (uint256 newNonce) {
        newNonce = ++nonces[signer];
        emit NonceIncremented(signer, newNonce);
    }

    /// @dev The signature is over the order's own digest, wrapped in a {MarketTypes-CancelOrder} struct so that an
    /// order's signature can never pass for its cancellation. Replay is moot: a cancelled order stays cancelled.
    function _cancelBySig(bytes32 orderHash, address signer, uint256 deadline, bytes calldata signature) private {
        _checkDeadline(deadline);
        _checkStatusOpen(orderHash);
        _checkSignature(signer, _hashTypedDataV4(MarketTypes.hash(MarketTypes.CancelOrder(orderHash, deadline))), signature);
        orderStatus[orderHash] = OrderStatus.Cancelled;
        emit OrderCancelled(orderHash, signer);
    }

    function _cancel(bytes32 orderHash, address signer) private {
        if (msg.sender != signer) revert MarketNotSigner(msg.sender, signer);
        _checkStatusOpen(orderHash);
        orderStatus[orderHash] = OrderStatus.Cancelled;
        emit OrderCancelled(orderHash, signer);
    }

    /// @dev A listing's own checks, shared by {buy} and {matchOrders}: open and signed. Unmoved and held by its
    /// seller are checked on what {IStamps-moveForSale} answers ({_checkMoved}).
    function _checkListing(
        MarketTypes.Listing calldata listing,
        bytes calldata signature
    ) private view returns (bytes32 orderHash) {
        orderHash = _hashTypedDataV4(listing.hash());
        address seller = listing.seller;
        _checkOrder(orderHash, seller, listing.expiry, listing.nonce);
        _checkSignature(seller, orderHash, signature);
    }

    /// @dev The count first, so replaying a filled listing names the real reason: the stamp has moved. Either
    /// failing means Stamps moved nothing.
    function _checkMoved(IStamps.SaleTerms memory terms, address seller, uint256 tokenId, uint256 tokenNonce) private pure {
        if (terms.transferCount != tokenNonce) revert MarketStaleOrder(tokenId, tokenNonce, terms.transferCount);
        if (terms.holder != seller) revert MarketNotHolder(seller, tokenId);
    }

    /// @dev An offer's own checks for `tokenId`, shared by {acceptOffer} and {matchOrders}: an ERC-20 the Market
    /// allows, open, wanting this stamp, signed by its buyer.
    function _checkOffer(
        MarketTypes.Offer calldata offer,
        bytes calldata signature,
        uint256 tokenId
    ) private view returns (bytes32 orderHash) {
        orderHash = _hashTypedDataV4(offer.hash());
        address currency = offer.currency;
        if (currency == address(0)) revert MarketNativeCoinOffer();
        _checkCurrency(currency);
        _checkOrder(orderHash, offer.buyer, offer.expiry, offer.nonce);
        _checkWanted(tokenId, offer.seriesId, offer.tokenId);
        _checkSignature(offer.buyer, orderHash, signature);
    }

    /// @dev A swap maker's order checks, shared by {swap} and {matchSwaps}: open, unmoved, held, signed.
    function _checkSwapMaker(
        MarketTypes.SwapOrder calldata order,
        bytes calldata signature
    ) private view returns (bytes32 orderHash) {
        orderHash = _hashTypedDataV4(order.hash());
        address maker = order.maker;
        uint256 makerTokenId = order.makerTokenId;
        _checkOrder(orderHash, maker, order.expiry, order.nonce);
        _checkUnmoved(makerTokenId, order.makerTokenNonce);
        _checkHolder(maker, makerTokenId);
        _checkSignature(maker, orderHash, signature);
    }

    function _checkSellerAmount(Split memory split, uint256 minSellerAmount) private pure {
        if (split.sellerAmount < minSellerAmount) revert MarketSellerAmountTooLow(split.sellerAmount, minSellerAmount);
    }

    function _checkFees(uint256 fees, uint256 maxFees) private pure {
        if (fees > maxFees) revert MarketFeesTooHigh(fees, maxFees);
    }

    function _checkDeadline(uint256 deadline) private view {
        if (block.timestamp > deadline) revert MarketSignatureExpired(deadline);
    }

    function _checkOrder(bytes32 orderHash, address signer, uint256 expiry, uint256 nonce) private view {
        if (block.timestamp > expiry) revert MarketOrderExpired(expiry);
        uint256 currentNonce = nonces[signer];
        if (nonce != currentNonce) revert MarketNonceMismatch(signer, nonce, currentNonce);
        _checkStatusOpen(orderHash);
    }

    function _checkStatusOpen(bytes32 orderHash) private view {
        OrderStatus status = orderStatus[orderHash];
        if (status == OrderStatus.Cancelled) revert MarketOrderCancelled(orderHash);
        if (status == OrderStatus.Filled) revert MarketOrderFilled(orderHash);
    }

    /// @dev Checked before the holder, so replaying a filled order names the real reason: the stamp has moved.
    function _checkUnmoved(uint256 tokenId, uint256 signedTokenNonce) private view {
        uint256 current = IStamps(stamps).transferCount(tokenId);
        if (current != signedTokenNonce) revert MarketStaleOrder(tokenId, signedTokenNonce, current);
    }

    function _checkHolder(address account, uint256 tokenId) private view {
        if (IERC721(stamps).ownerOf(tokenId) != account) revert MarketNotHolder(account, tokenId);
    }

    function _checkWanted(uint256 tokenId, uint256 wantedSeriesId, uint256 wantedTokenId) private pure {
        (uint256 seriesId, ) = StampIds.decode(tokenId);
        if (seriesId != wantedSeriesId || (wantedTokenId != 0 && tokenId != wantedTokenId)) {
            revert MarketStampNotWanted(tokenId, wantedSeriesId, wantedTokenId);
        }
    }

    /// @dev EOAs sign with ECDSA (OpenZeppelin rejects malleable high-s signatures); contract wallets answer
    /// ERC-1271, so a Safe or a smart account can list, offer and swap too.
    function _checkSignature(address signer, bytes32 orderHash, bytes calldata signature) private view {
        if (!SignatureChecker.isValidSignatureNowCalldata(signer, orderHash, signature)) {
            revert MarketInvalidSignature(signer);
        }
    }
}
