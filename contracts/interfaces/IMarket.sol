// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {MarketTypes} from "../types/MarketTypes.sol";
import {IMarketEvents} from "./IMarketEvents.sol";
import {IMarketErrors} from "./IMarketErrors.sol";

/// @title IMarket
/// @notice What a client needs of Punchcard's stamp market: signed listings, offers and swaps, their fills,
/// cancellations and the money rules (royalty to the brand, market fee, pull payments). Its events and errors are in
/// {IMarketEvents} and {IMarketErrors}, its signed types in {MarketTypes}.
/// @dev Order hashes are full EIP-712 digests (domain "Punchcard Market", version "1", chain id, Market address),
/// so the same order signed for another chain or another Market has another hash and another signature.
/// Fills, cancellations, {incrementNonce}, withdrawals and {sweep} are `nonReentrant`, because a stamp receiver's hook
/// and a token are untrusted code: a call back into any of them reverts with `ReentrancyGuardReentrantCall`.
interface IMarket is IMarketEvents, IMarketErrors {
    /// @notice Where an order that the contract must remember stands. Listings and swap orders are never
    /// marked `Filled`: their signed stamp transfer count already makes them single-use.
    enum OrderStatus {
        Open,
        Filled,
        Cancelled
    }

    /// @notice Buys a listed stamp. Pays the royalty to the brand, the market fee, and the rest to the seller.
    /// @dev Native coin: send exactly `listing.price`; each payment is pushed with limited gas and credited to
    /// {owed} if the push fails, so no receiver can block the sale. ERC-20: send no coin; the caller must have
    /// approved the Market for `price`, and each share goes from the caller straight to its recipient.
    ///
    /// Requirements:
    ///
    /// - the program's pause does not cover the Market (`PAUSE_MARKET` on Stamps), else `EnforcedPause`;
    /// - `listing.currency` is allowed ({isCurrencyAllowed}), else {MarketCurrencyNotAllowed};
    /// - the coin sent is `listing.price` for the native coin and 0 for an ERC-20, else {MarketWrongPayment};
    /// - `listing.expiry` has not passed, else {MarketOrderExpired};
    /// - `listing.nonce` is the seller's current {nonces}, else {MarketNonceMismatch};
    /// - the seller has not cancelled the listing, else {MarketOrderCancelled};
    /// - the stamp has not moved since signing (`listing.tokenNonce`), else {MarketStaleOrder};
    /// - the seller holds the stamp, else {MarketNotHolder} (`ERC721NonexistentToken` once it is burned);
    /// - `signature` is the seller's over the listing, else {MarketInvalidSignature};
    /// - the price is at most the series' ceiling in the currency, else {MarketPriceAboveCeiling};
    /// - while the royalty is unskippable ({royaltyUnskippable}), the price is at least the series' floor and
    ///   never 0, else {MarketPriceBelowFloor}, and pays the brand at least its {minRoyalty} (and more than 0 if it
    ///   charges a royalty), else {MarketRoyaltyTooLow};
    /// - the seller gets at least `listing.minSellerAmount`, else {MarketSellerAmountTooLow};
    /// - Stamps lets the Market move the stamp, else Stamps' `ERC721InsufficientApproval` (the seller has not
    ///   approved the Market), `StampsTransferNotAllowed` (market-only and the Market is no operator),
    ///   `StampsSoulbound` or `EnforcedPause`; a contract recipient accepts ERC-721s, else `ERC721InvalidReceiver`;
    /// - for an ERC-20, the caller has approved the Market for `listing.price` and holds it, else the token's error
    ///   (for Points while they are not transferable, the Market is a Points operator, else `PointsNotTransferable`);
    ///   and, for any ERC-20 but Points, each recipient's balance grows by exactly its share, else
    ///   {MarketTransferAmountMismatch}.
    ///
    /// Emits a {Sale} event, and a {PaymentDeferred} event for each native-coin payment that could not be pushed.
    /// @param listing The seller's signed listing.
    /// @param signature The seller's EIP-712 signature (65-byte ECDSA, or whatever their ERC-1271 wallet accepts).
    /// @param recipient Who receives the stamp; `address(0)` for the caller. It must accept ERC-721s if a contract.
    function buy(MarketTypes.Listing calldata listing, bytes calldata signature, address recipient) external payable;

    /// @notice Accepts an offer by selling it the caller's stamp `tokenId`. The buyer pays in the offer's ERC-20:
    /// the royalty to the brand, the market fee, and the rest to the caller.
    /// @dev The caller must hold `tokenId` and have approved the Market for it (`setApprovalForAll`). The offer is
    /// marked filled: one for any stamp of a series is tied to no stamp's transfer count that could end it.
    ///
    /// Requirements:
    ///
    /// - the program's pause does not cover the Market (`PAUSE_MARKET` on Stamps), else `EnforcedPause`;
    /// - `offer.currency` is not the native coin, else {MarketNativeCoinOffer}, and is allowed, else
    ///   {MarketCurrencyNotAllowed};
    /// - `offer.expiry` has not passed, else {MarketOrderExpired};
    /// - `offer.nonce` is the buyer's current {nonces}, else {MarketNonceMismatch};
    /// - the offer is open, else {MarketOrderCancelled} or {MarketOrderFilled};
    /// - `tokenId` belongs to `offer.seriesId` and is `offer.tokenId` unless that is 0, else {MarketStampNotWanted};
    /// - the caller holds `tokenId`, else {MarketNotHolder} (`ERC721NonexistentToken` if it does not exist);
    /// - `signature` is the buyer's over the offer, else {MarketInvalidSignature};
    /// - the price is within the series' bounds and pays the royalty, as for {buy}, else {MarketPriceAboveCeiling},
    ///   {MarketPriceBelowFloor} or {MarketRoyaltyTooLow};
    /// - royalty + market fee is at most `offer.maxFees`, else {MarketFeesTooHigh};
    /// - Stamps lets the Market move the stamp, with the same errors as {buy}; a contract buyer accepts ERC-721s,
    ///   else `ERC721InvalidReceiver`;
    /// - the buyer has approved the Market for `offer.price` and holds it, else the token's error (as for {buy});
    ///   and, for any ERC-20 but Points, each recipient's balance grows by exactly its share, else
    ///   {MarketTransferAmountMismatch}.
    ///
    /// Emits a {Sale} event.
    /// @param offer The buyer's signed offer.
    /// @param signature The buyer's EIP-712 signature.
    /// @param tokenId The caller's stamp to sell.
    function acceptOffer(MarketTypes.Offer calldata offer, bytes calldata signature, uint256 tokenId) external;

    /// @notice Fills a swap order: the caller gives `takerTokenId` and receives the maker's stamp, atomically.
    /// @dev The caller (taker) pays the swap fee and, while the royalty is unskippable, the swap's royalty, both in
    /// Points to the brand's royalty receiver (see {quoteSwap}): the taker is the one who chooses when to fill, sees
    /// the fees in force at that moment, and has approved them; the maker signed for free. The order's `maxFees`
    /// caps what the taker pays, so fees raised after signing cannot make the swap dearer than it shows.
    ///
    /// Requirements:
    ///
    /// - the program's pause does not cover the Market (`PAUSE_MARKET` on Stamps), else `EnforcedPause`;
    /// - `order.expiry` has not passed, else {MarketOrderExpired};
    /// - `order.nonce` is the maker's current {nonces}, else {MarketNonceMismatch};
    /// - the maker has not cancelled the order, else {MarketOrderCancelled};
    /// - the maker's stamp has not moved since signing (`order.makerTokenNonce`), else {MarketStaleOrder}, and the
    ///   maker holds it, else {MarketNotHolder};
    /// - `takerTokenId` belongs to `order.wantedSeriesId` and is `order.wantedTokenId` unless that is 0, else
    ///   {MarketStampNotWanted}, and the caller holds it, else {MarketNotHolder};
    /// - `signature` is the maker's over the order, else {MarketInvalidSignature};
    /// - while the royalty is unskippable and the brand charges one, the swap's royalty is not 0, else
    ///   {MarketNoSwapRoyalty};
    /// - swap fee + royalty is at most `order.maxFees`, else {MarketFeesTooHigh};
    /// - maker and caller have approved the Market for their stamps and Stamps lets both move, with the same errors
    ///   as {buy}; a contract maker or caller accepts ERC-721s, else `ERC721InvalidReceiver`;
    /// - the caller has approved the Market for the Points it pays and holds them, else Points' error.
    ///
    /// Emits a {Swapped} event.
    /// @param order The maker's signed swap order.
    /// @param signature The maker's EIP-712 signature.
    /// @param takerTokenId The caller's stamp to give.
    function swap(MarketTypes.SwapOrder calldata order, bytes calldata signature, uint256 takerTokenId) external;

    /// @notice Settles a signed listing against a signed offer for the same stamp at the same price and currency, the
    /// stamp going to the offer's buyer and the price coming from the buyer. Callable by anyone: this is how a
    /// relayer fills a trade for two members who hold no native coin (a buyer signs an offer built from a listing,
    /// a seller signs a listing at an offer's price), and neither the caller nor anyone but the two signers can
    /// change what they get.
    /// @dev Every check of {buy} on the listing and of {acceptOffer} on the offer, and both signed terms: the seller's
    /// `minSellerAmount` and the buyer's `maxFees`. The buyer's allowance can come from an ERC-2612 `permit` the
    /// relayer submits first (Points have one). The offer is marked filled; the listing is spent by the stamp's move.
    ///
    /// Requirements:
    ///
    /// - the program's pause does not cover the Market (`PAUSE_MARKET` on Stamps), else `EnforcedPause`;
    /// - the currency is not the native coin, else {MarketNativeCoinOffer} (the Market cannot pull it), and is
    ///   allowed, else {MarketCurrencyNotAllowed};
    /// - the two orders share currency and price, else {MarketOrdersMismatch}; the listing's stamp is one the offer
    ///   wants, else {MarketStampNotWanted};
    /// - the listing passes {buy}'s order checks ({MarketOrderExpired}, {MarketNonceMismatch},
    ///   {MarketOrderCancelled}, {MarketStaleOrder}, {MarketNotHolder}, {MarketInvalidSignature});
    /// - the offer passes {acceptOffer}'s ({MarketOrderExpired}, {MarketNonceMismatch}, {MarketOrderCancelled},
    ///   {MarketOrderFilled}, {MarketInvalidSignature});
    /// - the price is within bounds and pays the royalty, as for {buy};
    /// - the seller gets at least `listing.minSellerAmount`, else {MarketSellerAmountTooLow}, and royalty + fee is at
    ///   most `offer.maxFees`, else {MarketFeesTooHigh};
    /// - the stamp and the payment can move, with the same errors as {acceptOffer}.
    ///
    /// Emits a {Sale} event of kind `Match` carrying the offer's hash.
    /// @param listing The seller's signed listing.
    /// @param sellerSignature The seller's EIP-712 signature of the listing.
    /// @param offer The buyer's signed offer.
    /// @param buyerSignature The buyer's EIP-712 signature of the offer.
    function matchOrders(
        MarketTypes.Listing calldata listing,
        bytes calldata sellerSignature,
        MarketTypes.Offer calldata offer,
        bytes calldata buyerSignature
    ) external;

    /// @notice Settles two swap orders that want each other's stamps: each maker receives the other's stamp. Callable
    /// by anyone (a relayer). The maker of `counterOrder` is the taker: it pays the swap fee and royalty in Points,
    /// at most its own `maxFees` (and at most `order.maxFees`, which `order`'s maker signed too).
    /// @dev Requirements: both orders pass {swap}'s checks on a maker's order ({MarketOrderExpired},
    /// {MarketNonceMismatch}, {MarketOrderCancelled}, {MarketStaleOrder}, {MarketNotHolder},
    /// {MarketInvalidSignature}); each maker's stamp is one the other order wants, else {MarketStampNotWanted};
    /// fees as for {swap} ({MarketNoSwapRoyalty}, {MarketFeesTooHigh}); the Market is not paused.
    ///
    /// Emits a {Swapped} event with `order`'s hash, its maker as maker and `counterOrder`'s maker as taker.
    /// @param order The first maker's signed swap order.
    /// @param signature Its maker's EIP-712 signature.
    /// @param counterOrder The taker's signed swap order, giving a stamp `order` wants for `order`'s stamp.
    /// @param counterSignature Its maker's EIP-712 signature.
    function matchSwaps(
        MarketTypes.SwapOrder calldata order,
        bytes calldata signature,
        MarketTypes.SwapOrder calldata counterOrder,
        bytes calldata counterSignature
    ) external;

    /// @notice Cancels a listing with its seller's signature of {MarketTypes-CANCEL_ORDER_TYPEHASH}; anyone may submit it.
    /// @dev Works while paused. Requirements: `deadline` has not passed, else {MarketSignatureExpired}; the order is
    /// open, else {MarketOrderCancelled} or {MarketOrderFilled}; `signature` is the seller's, else
    /// {MarketInvalidSignature}. Emits an {OrderCancelled} event.
    /// @param listing The listing to cancel.
    /// @param deadline Last second (unix time) the signature is valid.
    /// @param signature The seller's EIP-712 signature of `CancelOrder(orderHash, deadline)`.
    function cancelListingBySig(MarketTypes.Listing calldata listing, uint256 deadline, bytes calldata signature) external;

    /// @notice Cancels an offer with its buyer's signature; as {cancelListingBySig}.
    /// @dev Requirements and events as {cancelListingBySig}, with the buyer as signer.
    /// @param offer The offer to cancel.
    /// @param deadline Last second (unix time) the signature is valid.
    /// @param signature The buyer's EIP-712 signature of `CancelOrder(orderHash, deadline)`.
    function cancelOfferBySig(MarketTypes.Offer calldata offer, uint256 deadline, bytes calldata signature) external;

    /// @notice Cancels a swap order with its maker's signature; as {cancelListingBySig}.
    /// @dev Requirements and events as {cancelListingBySig}, with the maker as signer.
    /// @param order The swap order to cancel.
    /// @param deadline Last second (unix time) the signature is valid.
    /// @param signature The maker's EIP-712 signature of `CancelOrder(orderHash, deadline)`.
    function cancelSwapBySig(MarketTypes.SwapOrder calldata order, uint256 deadline, bytes calldata signature) external;

    /// @notice Cancels all of `signer`'s open orders with their signature of {MarketTypes-CANCEL_ALL_TYPEHASH} over their
    /// current nonce; anyone may submit it.
    /// @dev Works while paused. Requirements: `deadline` has not passed, else {MarketSignatureExpired}; `signature`
    /// is `signer`'s over their current {nonces}, else {MarketInvalidSignature} (a used one no longer matches).
    /// Emits a {NonceIncremented} event.
    /// @param signer Whose orders to cancel.
    /// @param deadline Last second (unix time) the signature is valid.
    /// @param signature The signer's EIP-712 signature of `CancelAllOrders(signer, nonce, deadline)`.
    /// @return newNonce The counter their new orders must sign.
    function incrementNonceBySig(address signer, uint256 deadline, bytes calldata signature) external returns (uint256 newNonce);

    /// @notice Cancels one of the caller's listings. Only its seller can.
    /// @dev Works while paused, so a member can always take back what they signed. To end every order at once,
    /// {incrementNonce} costs one transaction.
    ///
    /// Requirements:
    ///
    /// - the caller is `listing.seller`, else {MarketNotSigner};
    /// - the listing is not cancelled already, else {MarketOrderCancelled}.
    ///
    /// Emits an {OrderCancelled} event.
    /// @param listing The listing as signed; its hash ({hashListing}) is marked cancelled.
    function cancelListing(MarketTypes.Listing calldata listing) external;

    /// @notice Cancels one of the caller's offers. Only its buyer can, and only while it is not accepted.
    /// @dev Works while paused, like {cancelListing}.
    ///
    /// Requirements:
    ///
    /// - the caller is `offer.buyer`, else {MarketNotSigner};
    /// - the offer is open, else {MarketOrderCancelled} or {MarketOrderFilled}.
    ///
    /// Emits an {OrderCancelled} event.
    /// @param offer The offer as signed; its hash ({hashOffer}) is marked cancelled.
    function cancelOffer(MarketTypes.Offer calldata offer) external;

    /// @notice Cancels one of the caller's swap orders. Only its maker can.
    /// @dev Works while paused, like {cancelListing}.
    ///
    /// Requirements:
    ///
    /// - the caller is `order.maker`, else {MarketNotSigner};
    /// - the order is not cancelled already, else {MarketOrderCancelled}.
    ///
    /// Emits an {OrderCancelled} event.
    /// @param order The swap order as signed; its hash ({hashSwapOrder}) is marked cancelled.
    function cancelSwap(MarketTypes.SwapOrder calldata order) external;

    /// @notice Cancels every open order the caller signed, by bumping their cancel-all counter.
    /// @dev One transaction for all orders, however many were signed off-chain (a leaked key, a price change).
    /// Works while paused; nothing to require.
    ///
    /// Emits a {NonceIncremented} event.
    /// @return newNonce The counter new orders must sign.
    function incrementNonce() external returns (uint256 newNonce);

    /// @notice Withdraws the native coin credited to the caller (payments that could not be pushed).
    /// @dev Sends with all the gas, unlike a fill's push: the account asked for its money. Works while paused, so a
    /// pause never locks anyone's money in.
    ///
    /// Requirements:
    ///
    /// - something is credited to the caller ({owed}), else {MarketNothingOwed};
    /// - the caller accepts the coin, else {MarketWithdrawFailed}.
    ///
    /// Emits a {Withdrawn} event with `to` the caller.
    function withdraw() external;

    /// @notice Withdraws the native coin credited to the caller to another address, for accounts that cannot
    /// receive the coin themselves.
    /// @dev Requirements:
    ///
    /// - `to` is not the zero address, else {MarketZeroAddress};
    /// - something is credited to the caller ({owed}), else {MarketNothingOwed};
    /// - `to` accepts the coin, else {MarketWithdrawFailed}.
    ///
    /// Works while paused. Emits a {Withdrawn} event.
    /// @param to Where the caller's whole credit goes.
    function withdrawTo(address payable to) external;

    /// @notice Sets the market fee and its recipient. Admin only; at most {MAX_FEE_BPS}.
    /// @dev Applies to every later fill, orders already signed included: their `minSellerAmount` or `maxFees`
    /// stop a fill the new fee would make pay less than signed.
    ///
    /// Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - `feeBps` is at most {MAX_FEE_BPS}, else {MarketFeeTooHigh};
    /// - `recipient` is not the zero address unless `feeBps` is 0, else {MarketInvalidFeeRecipient}.
    ///
    /// Emits a {FeeChanged} event.
    /// @param recipient Who receives the fee; the zero address only with a zero fee ("no fee").
    /// @param feeBps The fee in basis points of each sale's price (swaps pay {swapFee} instead).
    function setFee(address recipient, uint256 feeBps) external;

    /// @notice Allows or forbids an ERC-20 as an order currency. Admin only.
    /// @dev Allow only plain ERC-20s: in a fee-on-transfer or rebasing token every sale reverts with
    /// {MarketTransferAmountMismatch}. The list is read at each fill, so forbidding a currency stops orders already
    /// signed in it.
    ///
    /// Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - `currency` is neither the zero address nor the program's Points, which are always allowed, else
    ///   {MarketInvalidCurrency}.
    ///
    /// Emits a {CurrencyAllowedChanged} event, even when nothing changed.
    /// @param currency The ERC-20.
    /// @param allowed Whether orders priced in it can fill.
    function setCurrencyAllowed(address currency, bool allowed) external;

    /// @notice Sets the Points a swap's taker pays the brand (0 for none). Admin only.
    /// @dev Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - `swapFee` is at most {maxSwapFee}, else {MarketSwapFeeTooHigh}.
    ///
    /// Emits a {SwapFeeChanged} event.
    /// @param swapFee The fee in Points' smallest unit.
    function setSwapFee(uint256 swapFee) external;

    /// @notice Sets the price bounds of a series in a currency, as Limit Break's Payment Processor does. The
    /// ceiling applies to every fill. The floor applies while the royalty is unskippable (Stamps' market-only policy
    /// with gifts off): a cheaper sale would be a royalty-free gift, which the brand has switched off. Admin only.
    /// @dev Orders already signed are judged by the bounds in force when they fill.
    ///
    /// Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - `floor` is at most `ceiling` unless `ceiling` is 0, else {MarketInvalidPriceBounds}.
    ///
    /// Emits a {PriceBoundsChanged} event.
    /// @param seriesId The series.
    /// @param currency The currency (`address(0)` for the native coin, or the program's Points).
    /// @param floor Lowest price while the royalty is unskippable; 0 for none (a price of 0 still never fills then).
    /// The series' Points floor also sets its stamps' share of a swap's royalty ({quoteSwap}).
    /// @param ceiling Highest price; 0 for none.
    function setPriceBounds(uint256 seriesId, address currency, uint128 floor, uint128 ceiling) external;

    /// @notice Sets the least royalty a trade in `currency` pays the brand while the royalty is unskippable. In
    /// Points it is also the least royalty of a swap. Admin only.
    /// @dev A sale's royalty is the larger of ERC-2981's and this; a sale whose price cannot hold it after the
    /// market fee reverts with {MarketRoyaltyTooLow}.
    ///
    /// Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`.
    ///
    /// Emits a {MinRoyaltyChanged} event.
    /// @param currency The currency (`address(0)` for the native coin).
    /// @param minRoyalty The minimum, in `currency` units (0 for none); a uint128, like the price bounds.
    function setMinRoyalty(address currency, uint128 minRoyalty) external;

    /// @notice Sends native coin that reached the Market without a sale (a self-destruct's beneficiary, a block's
    /// coinbase) to `to`: only `address(this).balance - totalOwed`, never a wei anyone is owed. Admin only.
    /// @dev Works while paused. Requirements:
    ///
    /// - the caller has `DEFAULT_ADMIN_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - `to` is not the zero address, else {MarketZeroAddress};
    /// - the Market holds more than {totalOwed}, else {MarketNothingToSweep};
    /// - `to` accepts the coin, else {MarketWithdrawFailed}.
    ///
    /// Emits a {Swept} event.
    /// @param to Who receives the coin.
    function sweep(address payable to) external;

    /// @notice The EIP-712 hash of a listing, which identifies it in events and cancellations.
    /// @param listing The listing.
    /// @return The digest the seller signs.
    function hashListing(MarketTypes.Listing calldata listing) external view returns (bytes32);

    /// @notice The EIP-712 hash of an offer, which identifies it in events, cancellations and {orderStatus}.
    /// @param offer The offer.
    /// @return The digest the buyer signs.
    function hashOffer(MarketTypes.Offer calldata offer) external view returns (bytes32);

    /// @notice The EIP-712 hash of a swap order, which identifies it in events and cancellations.
    /// @param order The swap order.
    /// @return The digest the maker signs.
    function hashSwapOrder(MarketTypes.SwapOrder calldata order) external view returns (bytes32);

    /// @notice Whether an order is open, filled (offers only) or cancelled.
    /// @param orderHash The order's EIP-712 hash ({hashListing}, {hashOffer} or {hashSwapOrder}).
    /// @return Its status; `Open` for a hash the Market never saw. A listing or swap order whose stamp moved is
    /// dead yet still `Open`.
    function orderStatus(bytes32 orderHash) external view returns (OrderStatus);

    /// @notice The cancel-all counter new orders of `signer` must sign.
    /// @param signer The order signer.
    /// @return Their counter: 0 until their first {incrementNonce}.
    function nonces(address signer) external view returns (uint256);

    /// @notice Native coin credited to `account`, withdrawable with {withdraw}.
    /// @param account The seller, royalty receiver or fee recipient.
    /// @return The credit, in wei.
    function owed(address account) external view returns (uint256);

    /// @notice Sum of everything credited; the Market's native balance is at least it (more only if coin was forced
    /// in, which {sweep} sends on).
    /// @return The sum of every {owed}, in wei.
    function totalOwed() external view returns (uint256);

    /// @notice How a sale of `tokenId` at `price` in `currency` would be split under the rules in force now: the
    /// seller's share, the brand's royalty and the market fee (`sellerAmount + royaltyAmount + fee == price`). Reverts
    /// as a fill would if the currency is not allowed ({MarketCurrencyNotAllowed}) or the price is out of bounds
    /// ({MarketPriceAboveCeiling}, and while the royalty is unskippable {MarketPriceBelowFloor},
    /// {MarketRoyaltyTooLow}); and if no stamp can ever have `tokenId`: Stamps' `StampsUnknownSeries` for a series
    /// that does not exist, {MarketStampCannotExist} for an edition of 0 or above the series' max supply.
    /// @dev What the SDK signs as a listing's `minSellerAmount` and an offer's `maxFees` by default. For an offer
    /// on a whole series pass any stamp id of the series: Stamps' royalty is the same for every stamp.
    /// @param tokenId The stamp sold.
    /// @param currency The currency of the sale (`address(0)` for the native coin).
    /// @param price The price the buyer would pay.
    /// @return sellerAmount What the seller would receive.
    /// @return royaltyAmount What the brand's royalty receiver would receive.
    /// @return fee What the market fee recipient would receive.
    function quoteSale(
        uint256 tokenId,
        address currency,
        uint256 price
    ) external view returns (uint256 sellerAmount, uint256 royaltyAmount, uint256 fee);

    /// @notice What the taker of a swap of `makerTokenId` for `takerTokenId` would pay now, in Points: the swap fee,
    /// and while the royalty is unskippable the royalty, the larger of the brand's {minRoyalty} in Points and the
    /// sum of each stamp's royalty at its series' Points floor. Reverts with {MarketNoSwapRoyalty} if that is 0
    /// while the brand charges a royalty, and like {quoteSale} for a stamp id no stamp can ever have
    /// (`StampsUnknownSeries`, {MarketStampCannotExist}).
    /// @param makerTokenId The stamp the maker gives.
    /// @param takerTokenId The stamp the taker gives.
    /// @return fee The swap fee ({swapFee}).
    /// @return royaltyAmount The royalty; 0 while the royalty is skippable or the brand has no royalty receiver.
    function quoteSwap(uint256 makerTokenId, uint256 takerTokenId) external view returns (uint256 fee, uint256 royaltyAmount);

    /// @notice The price bounds of a series in a currency (0 for none).
    /// @param seriesId The series.
    /// @param currency The currency (`address(0)` for the native coin).
    /// @return floor Lowest price while the royalty is unskippable (0: none, though a price of 0 never fills then).
    /// @return ceiling Highest price of any fill (0: none).
    function priceBounds(uint256 seriesId, address currency) external view returns (uint256 floor, uint256 ceiling);

    /// @notice The least royalty a trade in `currency` pays while the royalty is unskippable (0 for none).
    /// @param currency The currency (`address(0)` for the native coin; the program's Points for swaps too).
    /// @return The minimum, in `currency` units.
    function minRoyalty(address currency) external view returns (uint256);

    /// @notice Whether the brand's royalty cannot be skipped now: Stamps is market-only with gifts off, so the Market
    /// is the only way a tradable stamp changes hands, and price floors and minimum royalties apply.
    /// @return True while Stamps' policy is market-only and gifts are off.
    function royaltyUnskippable() external view returns (bool);

    /// @notice Highest swap fee the admin can set: {MAX_SWAP_FEE_POINTS} whole Points in Points' own decimals.
    /// @return The cap, in Points' smallest unit.
    function maxSwapFee() external view returns (uint256);

    /// @notice Whether orders may be priced in `currency`.
    /// @param currency The currency (`address(0)` for the native coin).
    /// @return True for the native coin, the program's Points, and ERC-20s the admin allowed.
    function isCurrencyAllowed(address currency) external view returns (bool);

    /// @notice The market fee in basis points of the price.
    /// @return The fee (at most {MAX_FEE_BPS}).
    function feeBps() external view returns (uint256);

    /// @notice Who receives the market fee.
    /// @return The recipient; the zero address only while the fee is 0.
    function feeRecipient() external view returns (address);

    /// @notice Points a swap's taker pays the brand.
    /// @return The fee, in Points' smallest unit.
    function swapFee() external view returns (uint256);

    /// @notice The Stamps contract whose stamps this Market trades.
    /// @return Its address.
    function stamps() external view returns (address);

    /// @notice The program's Points, always an allowed currency and the currency of swap fees.
    /// @return Its address.
    function points() external view returns (address);
}
