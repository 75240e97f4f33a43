// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// Signed order types. They live at file level, each beside its EIP-712 TYPEHASH (as in Seaport's
// ConsiderationStructs.sol), because an interface cannot hold constants; the SDK and the tests build their
// typed data from the same field lists, in the same order.

/// @notice A member's signed offer to sell one stamp at a fixed price (signed off-chain, no gas to list).
/// @param seller Holder of the stamp and signer of the listing (an EOA or an ERC-1271 contract wallet).
/// @param tokenId The stamp for sale.
/// @param price What the buyer pays, in `currency` units; the royalty and the market fee come out of it.
/// @param minSellerAmount The least the seller accepts to receive once the royalty and the market fee are taken:
/// if the brand raises either after signing, the listing stops filling ({IMarket-MarketSellerAmountTooLow})
/// instead of paying the seller less than they signed for. The SDK signs what the rules pay when listing.
/// @param currency `address(0)` for the chain's native coin, the program's Points, or an allowlisted ERC-20.
/// @param expiry Last second (unix time) at which the listing can be filled.
/// @param nonce The seller's cancel-all counter ({IMarket-nonces}) when signing.
/// @param tokenNonce The stamp's {IStamps-transferCount} when signing: once the stamp moves, the listing is dead,
/// even if the stamp comes back. It is also what makes a filled listing unfillable.
/// @param salt Any value, so that two otherwise identical listings have distinct hashes.
struct Listing {
    address seller;
    uint256 tokenId;
    uint256 price;
    uint256 minSellerAmount;
    address currency;
    uint256 expiry;
    uint256 nonce;
    uint256 tokenNonce;
    bytes32 salt;
}

bytes32 constant LISTING_TYPEHASH = keccak256(
    "Listing(address seller,uint256 tokenId,uint256 price,uint256 minSellerAmount,address currency,uint256 expiry,"
    "uint256 nonce,uint256 tokenNonce,bytes32 salt)"
);

/// @notice A member's signed bid for one stamp, or for any stamp of a series, paid in an ERC-20.
/// @param buyer Payer and signer of the offer; receives the stamp.
/// @param seriesId The series the stamp must belong to.
/// @param tokenId The one stamp wanted, or 0 for any stamp of `seriesId` (stamp ids are never 0).
/// @param price What the buyer pays, in `currency` units; the royalty and the market fee come out of it.
/// @param maxFees The most royalty + market fee the sale may take out of `price`, i.e. the most the holder who
/// accepts pays in fees: if the brand raises either after signing, the offer stops filling
/// ({IMarket-MarketFeesTooHigh}) instead of paying the seller less than the order promised.
/// @param currency The program's Points or an allowlisted ERC-20; never the native coin, which cannot be pulled.
/// @param expiry Last second (unix time) at which the offer can be accepted.
/// @param nonce The buyer's cancel-all counter ({IMarket-nonces}) when signing.
/// @param salt Any value, so that two otherwise identical offers have distinct hashes.
struct Offer {
    address buyer;
    uint256 seriesId;
    uint256 tokenId;
    uint256 price;
    uint256 maxFees;
    address currency;
    uint256 expiry;
    uint256 nonce;
    bytes32 salt;
}

bytes32 constant OFFER_TYPEHASH = keccak256(
    "Offer(address buyer,uint256 seriesId,uint256 tokenId,uint256 price,uint256 maxFees,address currency,"
    "uint256 expiry,uint256 nonce,bytes32 salt)"
);

/// @notice A member's signed proposal "my stamp for one of yours".
/// @param maker Holder of `makerTokenId` and signer of the order.
/// @param makerTokenId The stamp the maker gives.
/// @param makerTokenNonce The maker stamp's {IStamps-transferCount} when signing (single use, like a listing).
/// @param wantedSeriesId The series the taker's stamp must belong to.
/// @param wantedTokenId The one stamp wanted, or 0 for any stamp of `wantedSeriesId`.
/// @param maxFees The most Points the taker pays for the swap (swap fee + royalty): if the brand raises either after
/// signing, the order stops filling ({IMarket-MarketFeesTooHigh}) instead of charging more than it shows.
/// @param expiry Last second (unix time) at which the swap can be filled.
/// @param nonce The maker's cancel-all counter ({IMarket-nonces}) when signing.
/// @param salt Any value, so that two otherwise identical swap orders have distinct hashes.
struct SwapOrder {
    address maker;
    uint256 makerTokenId;
    uint256 makerTokenNonce;
    uint256 wantedSeriesId;
    uint256 wantedTokenId;
    uint256 maxFees;
    uint256 expiry;
    uint256 nonce;
    bytes32 salt;
}

bytes32 constant SWAP_ORDER_TYPEHASH = keccak256(
    "SwapOrder(address maker,uint256 makerTokenId,uint256 makerTokenNonce,uint256 wantedSeriesId,"
    "uint256 wantedTokenId,uint256 maxFees,uint256 expiry,uint256 nonce,bytes32 salt)"
);

/// @title IMarket
/// @notice What a client needs of Punchcard's stamp market: signed listings, offers and swaps, their fills,
/// cancellations, the money rules (royalty to the brand, market fee, pull payments), events and errors.
/// @dev Order hashes are full EIP-712 digests (domain "Punchcard Market", version "1", chain id, Market address),
/// so the same order signed for another chain or another Market has another hash and another signature.
interface IMarket {
    /// @notice How a settled sale came about.
    enum FillKind {
        Listing,
        Offer
    }

    /// @notice Where an order that the contract must remember stands. Listings and swap orders are never
    /// marked `Filled`: their signed stamp transfer count already makes them single-use.
    enum OrderStatus {
        Open,
        Filled,
        Cancelled
    }

    /// @notice A stamp was sold: a listing was bought or an offer accepted. One per fill; the ledger reads it.
    /// @param orderHash EIP-712 hash of the listing or offer.
    /// @param kind Listing bought or offer accepted.
    /// @param seller Previous holder of the stamp; received `price - royaltyAmount - fee`.
    /// @param buyer Who paid `price` (the stamp went to them, or to the recipient they named).
    /// @param tokenId The stamp sold.
    /// @param currency `address(0)` for the native coin, otherwise the ERC-20 paid.
    /// @param price Total paid by the buyer.
    /// @param royaltyReceiver The brand's ERC-2981 royalty receiver.
    /// @param royaltyAmount Royalty paid to (or credited for) `royaltyReceiver`.
    /// @param fee Market fee paid to (or credited for) the fee recipient.
    event Sale(
        bytes32 indexed orderHash,
        FillKind kind,
        address indexed seller,
        address indexed buyer,
        uint256 tokenId,
        address currency,
        uint256 price,
        address royaltyReceiver,
        uint256 royaltyAmount,
        uint256 fee
    );
    /// @notice Two stamps changed hands atomically.
    /// @param orderHash EIP-712 hash of the swap order.
    /// @param maker Signer of the order; gave `makerTokenId` and received `takerTokenId`.
    /// @param taker Filler of the order; gave `takerTokenId`, received `makerTokenId` and paid the swap fee.
    /// @param feeReceiver The brand's royalty receiver, paid `swapFee + royaltyAmount` Points.
    /// @param swapFee Points paid by the taker as the swap fee (0 when no swap fee is set).
    /// @param royaltyAmount Points paid by the taker as the brand's royalty (0 unless the royalty is unskippable,
    /// see {quoteSwap}).
    event Swapped(
        bytes32 indexed orderHash,
        address indexed maker,
        address indexed taker,
        uint256 makerTokenId,
        uint256 takerTokenId,
        address feeReceiver,
        uint256 swapFee,
        uint256 royaltyAmount
    );
    /// @notice `signer` cancelled one of their orders.
    event OrderCancelled(bytes32 indexed orderHash, address indexed signer);
    /// @notice `signer` cancelled all their open orders: only orders signed with `newNonce` can now be filled.
    event NonceIncremented(address indexed signer, uint256 newNonce);
    /// @notice A native-coin payment to `recipient` could not be pushed; it was credited and can be withdrawn.
    event PaymentDeferred(address indexed recipient, uint256 amount);
    /// @notice `account` withdrew `amount` of its credited native coin to `to`.
    event Withdrawn(address indexed account, address indexed to, uint256 amount);
    /// @notice The market fee changed: `feeBps` of every sale's price goes to `recipient`.
    event FeeChanged(address indexed recipient, uint256 feeBps);
    /// @notice An ERC-20 was added to or removed from the currencies orders may be priced in.
    event CurrencyAllowedChanged(address indexed currency, bool allowed);
    /// @notice The Points the taker of a swap pays the brand changed.
    event SwapFeeChanged(uint256 swapFee);
    /// @notice The price bounds of a series in a currency changed.
    /// @param seriesId The series the bounds apply to.
    /// @param currency The currency the bounds are in (`address(0)` for the native coin).
    /// @param floor Lowest price a fill may have while the royalty is unskippable (0: none beyond 1 unit).
    /// @param ceiling Highest price any fill may have (0: none).
    event PriceBoundsChanged(uint256 indexed seriesId, address indexed currency, uint256 floor, uint256 ceiling);
    /// @notice The minimum royalty of a trade in a currency changed (for swaps: in Points).
    /// @param currency The currency of the minimum (`address(0)` for the native coin).
    /// @param minRoyalty The least royalty a trade pays the brand while the royalty is unskippable.
    event MinRoyaltyChanged(address indexed currency, uint256 minRoyalty);
    /// @notice Native coin that reached the Market without a sale (forced in) was sent to `to`.
    /// @param to Who received it.
    /// @param amount What was beyond {totalOwed}.
    event Swept(address indexed to, uint256 amount);

    /// @notice The order's expiry has passed.
    error MarketOrderExpired(uint256 expiry);
    /// @notice The order was signed with a cancel-all counter that is no longer the signer's current one.
    error MarketNonceMismatch(address signer, uint256 orderNonce, uint256 currentNonce);
    /// @notice The order was cancelled by its signer.
    error MarketOrderCancelled(bytes32 orderHash);
    /// @notice The offer was already accepted.
    error MarketOrderFilled(bytes32 orderHash);
    /// @notice The stamp moved since the order was signed (the order was filled, or the stamp left and came back).
    error MarketStaleOrder(uint256 tokenId, uint256 signedTokenNonce, uint256 currentTokenNonce);
    /// @notice `account` does not hold the stamp.
    error MarketNotHolder(address account, uint256 tokenId);
    /// @notice The signature is not `signer`'s over this order, for this chain and this Market.
    error MarketInvalidSignature(address signer);
    /// @notice Orders cannot be priced in this currency.
    error MarketCurrencyNotAllowed(address currency);
    /// @notice Offers cannot be made in the native coin: the Market cannot pull it from the buyer.
    error MarketNativeCoinOffer();
    /// @notice The native coin sent does not match the price (it must be 0 for ERC-20 prices).
    error MarketWrongPayment(uint256 expected, uint256 sent);
    /// @notice The stamp is not what the offer or swap order asks for.
    error MarketStampNotWanted(uint256 tokenId, uint256 wantedSeriesId, uint256 wantedTokenId);
    /// @notice Only the signer of an order can cancel it.
    error MarketNotSigner(address caller, address signer);
    /// @notice The market fee is above the cap.
    error MarketFeeTooHigh(uint256 feeBps, uint256 maxBps);
    /// @notice A fee cannot be paid to the zero address.
    error MarketInvalidFeeRecipient(address recipient);
    /// @notice The native coin and the program's Points are always allowed; the zero address is not a token.
    error MarketInvalidCurrency(address currency);
    /// @notice A constructor address cannot be zero.
    error MarketZeroAddress();
    /// @notice Nothing is credited to `account`.
    error MarketNothingOwed(address account);
    /// @notice Sending the withdrawn coin to `to` failed.
    error MarketWithdrawFailed(address to, uint256 amount);
    /// @notice While the royalty is unskippable (market-only, gifts off), the price is below the series' floor in
    /// this currency; a price of 0 is always below (it would be a gift, and gifts are off).
    /// @param seriesId The series of the stamp.
    /// @param currency The currency of the order.
    /// @param price The order's price.
    /// @param floor The lowest price that fills (at least 1).
    error MarketPriceBelowFloor(uint256 seriesId, address currency, uint256 price, uint256 floor);
    /// @notice The price is above the ceiling the brand set for the series in this currency.
    /// @param seriesId The series of the stamp.
    /// @param currency The currency of the order.
    /// @param price The order's price.
    /// @param ceiling The highest price that fills.
    error MarketPriceAboveCeiling(uint256 seriesId, address currency, uint256 price, uint256 ceiling);
    /// @notice While the royalty is unskippable, the price is too low to pay the brand a royalty: what the market fee
    /// leaves of it does not cover the brand's {minRoyalty}, or the ERC-2981 royalty rounds to 0 (then `minimum` is 1).
    /// @param royaltyAmount The royalty the price pays.
    /// @param minimum The least royalty the trade must pay.
    error MarketRoyaltyTooLow(uint256 royaltyAmount, uint256 minimum);
    /// @notice While the royalty is unskippable, a swap must pay the brand a royalty in Points, and the brand has set
    /// none: no {minRoyalty} in Points and no Points floor for either stamp's series.
    error MarketNoSwapRoyalty();
    /// @notice The royalty or the market fee rose since the listing was signed: the seller would get less than the
    /// listing's `minSellerAmount`.
    /// @param sellerAmount What the seller would receive now.
    /// @param minSellerAmount What the seller signed as the least they accept.
    error MarketSellerAmountTooLow(uint256 sellerAmount, uint256 minSellerAmount);
    /// @notice The fees rose since the offer or swap order was signed: they are above its `maxFees`.
    /// @param fees Royalty + market fee (offer), or swap fee + royalty in Points (swap), under the rules now.
    /// @param maxFees The most the order accepts.
    error MarketFeesTooHigh(uint256 fees, uint256 maxFees);
    /// @notice The swap fee is above the cap.
    /// @param swapFee The swap fee asked for.
    /// @param maxSwapFee {maxSwapFee}.
    error MarketSwapFeeTooHigh(uint256 swapFee, uint256 maxSwapFee);
    /// @notice A floor above a ceiling would let nothing fill.
    /// @param floor The floor asked for.
    /// @param ceiling The ceiling asked for (0 means none).
    error MarketInvalidPriceBounds(uint256 floor, uint256 ceiling);
    /// @notice An ERC-20 moved another amount than the Market asked it to (a fee-on-transfer or rebasing token):
    /// the sale is refused so that its `Sale` event never disagrees with the balances.
    /// @param currency The ERC-20.
    /// @param to The recipient of the transfer.
    /// @param expected What the Market asked the token to transfer.
    /// @param received What `to`'s balance grew by.
    error MarketTransferAmountMismatch(address currency, address to, uint256 expected, uint256 received);
    /// @notice The Market holds no native coin beyond what it owes.
    /// @param balance The Market's native balance.
    /// @param totalOwed {totalOwed}.
    error MarketNothingToSweep(uint256 balance, uint256 totalOwed);

    /// @notice Buys a listed stamp. Pays the royalty to the brand, the market fee, and the rest to the seller.
    /// @dev Native coin: send exactly `listing.price`; each payment is pushed with limited gas and credited to
    /// {owed} if the push fails. ERC-20: send no coin; the caller must have approved the Market for `price`.
    ///
    /// Requirements: not paused; an allowed currency ({MarketCurrencyNotAllowed}); exactly the price in native coin,
    /// none for an ERC-20 ({MarketWrongPayment}); an unexpired ({MarketOrderExpired}), uncancelled
    /// ({MarketOrderCancelled}) listing signed with the seller's current nonce ({MarketNonceMismatch}) while the stamp
    /// has not moved since ({MarketStaleOrder}); the seller holds it ({MarketNotHolder}) and signed
    /// ({MarketInvalidSignature}); the price within the series' bounds ({MarketPriceAboveCeiling}, and while the
    /// royalty is unskippable {MarketPriceBelowFloor}, {MarketRoyaltyTooLow}, see {quoteSale}); the seller still gets
    /// at least `minSellerAmount` ({MarketSellerAmountTooLow}); an ERC-20 that moves exact amounts
    /// ({MarketTransferAmountMismatch}).
    ///
    /// Emits {Sale}; {PaymentDeferred} for each native-coin payment that could not be pushed.
    /// @param listing The seller's signed listing.
    /// @param signature The seller's EIP-712 signature (65-byte ECDSA, or whatever their ERC-1271 wallet accepts).
    /// @param recipient Who receives the stamp; `address(0)` for the caller. It must accept ERC-721s if a contract.
    function buy(Listing calldata listing, bytes calldata signature, address recipient) external payable;

    /// @notice Accepts an offer by selling it the caller's stamp `tokenId`. The buyer pays in the offer's ERC-20:
    /// the royalty to the brand, the market fee, and the rest to the caller.
    /// @dev The caller must hold `tokenId` and have approved the Market for it (`setApprovalForAll`).
    ///
    /// Requirements: not paused; not in the native coin ({MarketNativeCoinOffer}); an allowed currency; an open,
    /// unexpired offer with the buyer's current nonce, signed by the buyer (same errors as {buy}, plus
    /// {MarketOrderFilled}); `tokenId` is what the offer wants ({MarketStampNotWanted}) and the caller's
    /// ({MarketNotHolder}); the price within bounds (as {buy}); royalty + fee at most `maxFees`
    /// ({MarketFeesTooHigh}); an ERC-20 that moves exact amounts ({MarketTransferAmountMismatch}).
    ///
    /// Emits {Sale}.
    /// @param offer The buyer's signed offer.
    /// @param signature The buyer's EIP-712 signature.
    /// @param tokenId The caller's stamp to sell.
    function acceptOffer(Offer calldata offer, bytes calldata signature, uint256 tokenId) external;

    /// @notice Fills a swap order: the caller gives `takerTokenId` and receives the maker's stamp, atomically.
    /// @dev The caller (taker) pays the swap fee and, while the royalty is unskippable, the swap's royalty, both in
    /// Points to the brand's royalty receiver (see {quoteSwap}): the taker is the one who chooses when to fill, sees
    /// the fees in force at that moment, and has approved them; the maker signed for free. The order's `maxFees`
    /// caps what the taker pays, so fees raised after signing cannot make the swap dearer than it shows.
    ///
    /// Requirements: not paused; an open, unexpired order with the maker's current nonce, signed by the maker, whose
    /// stamp has not moved and is still the maker's (same errors as {buy}); `takerTokenId` is wanted
    /// ({MarketStampNotWanted}) and the caller's ({MarketNotHolder}); a swap royalty is set while the royalty is
    /// unskippable ({MarketNoSwapRoyalty}); swap fee + royalty at most `maxFees` ({MarketFeesTooHigh}).
    ///
    /// Emits {Swapped}.
    /// @param order The maker's signed swap order.
    /// @param signature The maker's EIP-712 signature.
    /// @param takerTokenId The caller's stamp to give.
    function swap(SwapOrder calldata order, bytes calldata signature, uint256 takerTokenId) external;

    /// @notice Cancels one of the caller's listings. Only its seller can.
    function cancelListing(Listing calldata listing) external;

    /// @notice Cancels one of the caller's offers. Only its buyer can, and only while it is not accepted.
    function cancelOffer(Offer calldata offer) external;

    /// @notice Cancels one of the caller's swap orders. Only its maker can.
    function cancelSwap(SwapOrder calldata order) external;

    /// @notice Cancels every open order the caller signed, by bumping their cancel-all counter.
    /// @return newNonce The counter new orders must sign.
    function incrementNonce() external returns (uint256 newNonce);

    /// @notice Withdraws the native coin credited to the caller (payments that could not be pushed).
    function withdraw() external;

    /// @notice Withdraws the native coin credited to the caller to another address, for accounts that cannot
    /// receive the coin themselves.
    function withdrawTo(address payable to) external;

    /// @notice Sets the market fee and its recipient. Admin only; at most {MAX_FEE_BPS}.
    function setFee(address recipient, uint256 feeBps) external;

    /// @notice Allows or forbids an ERC-20 as an order currency. Admin only.
    function setCurrencyAllowed(address currency, bool allowed) external;

    /// @notice Sets the Points a swap's taker pays the brand (0 for none). Admin only.
    /// @dev Requirements: admin; at most {maxSwapFee} ({MarketSwapFeeTooHigh}). Emits {SwapFeeChanged}.
    function setSwapFee(uint256 swapFee) external;

    /// @notice Sets the price bounds of a series in a currency, as Limit Break's Payment Processor does. The
    /// ceiling applies to every fill. The floor applies while the royalty is unskippable (Stamps' market-only policy
    /// with gifts off): a cheaper sale would be a royalty-free gift, which the brand has switched off. Admin only.
    /// @dev Requirements: admin; `floor <= ceiling` unless the ceiling is 0 ({MarketInvalidPriceBounds}).
    /// Emits {PriceBoundsChanged}. Orders already signed are judged by the bounds in force when they fill.
    /// @param seriesId The series.
    /// @param currency The currency (`address(0)` for the native coin, or the program's Points).
    /// @param floor Lowest price while the royalty is unskippable; 0 for none (a price of 0 still never fills then).
    /// The series' Points floor also sets its stamps' share of a swap's royalty ({quoteSwap}).
    /// @param ceiling Highest price; 0 for none.
    function setPriceBounds(uint256 seriesId, address currency, uint128 floor, uint128 ceiling) external;

    /// @notice Sets the least royalty a trade in `currency` pays the brand while the royalty is unskippable. In
    /// Points it is also the least royalty of a swap. Admin only.
    /// @dev Requirements: admin. Emits {MinRoyaltyChanged}. A sale's royalty is the larger of ERC-2981's and this; a
    /// sale whose price cannot hold it after the market fee reverts with {MarketRoyaltyTooLow}.
    /// @param currency The currency (`address(0)` for the native coin).
    /// @param minRoyalty The minimum, in `currency` units (0 for none).
    function setMinRoyalty(address currency, uint256 minRoyalty) external;

    /// @notice Sends native coin that reached the Market without a sale (a self-destruct's beneficiary, a block's
    /// coinbase) to `to`: only `address(this).balance - totalOwed`, never a wei anyone is owed. Admin only.
    /// @dev Requirements: admin; `to` not zero ({MarketZeroAddress}); something beyond {totalOwed}
    /// ({MarketNothingToSweep}); `to` accepts it ({MarketWithdrawFailed}). Emits {Swept}.
    /// @param to Who receives the coin.
    function sweep(address payable to) external;

    /// @notice Stops every fill. Cancellations and withdrawals still work. Pauser only.
    function pause() external;

    /// @notice Resumes fills. Pauser only.
    function unpause() external;

    /// @notice The EIP-712 hash of a listing, which identifies it in events and cancellations.
    function hashListing(Listing calldata listing) external view returns (bytes32);

    /// @notice The EIP-712 hash of an offer, which identifies it in events, cancellations and {orderStatus}.
    function hashOffer(Offer calldata offer) external view returns (bytes32);

    /// @notice The EIP-712 hash of a swap order, which identifies it in events and cancellations.
    function hashSwapOrder(SwapOrder calldata order) external view returns (bytes32);

    /// @notice Whether an order is open, filled (offers only) or cancelled.
    function orderStatus(bytes32 orderHash) external view returns (OrderStatus);

    /// @notice The cancel-all counter new orders of `signer` must sign.
    function nonces(address signer) external view returns (uint256);

    /// @notice Native coin credited to `account`, withdrawable with {withdraw}.
    function owed(address account) external view returns (uint256);

    /// @notice Sum of everything credited; the Market's native balance is at least it (more only if coin was forced
    /// in, which {sweep} sends on).
    function totalOwed() external view returns (uint256);

    /// @notice How a sale of `tokenId` at `price` in `currency` would be split under the rules in force now: the
    /// seller's share, the brand's royalty and the market fee (`sellerAmount + royaltyAmount + fee == price`). Reverts
    /// as a fill would if the currency is not allowed or the price is out of bounds.
    /// @dev What the SDK signs as a listing's `minSellerAmount` and an offer's `maxFees` by default. For an offer
    /// on a whole series pass any stamp id of the series: Stamps' royalty is the same for every stamp.
    function quoteSale(
        uint256 tokenId,
        address currency,
        uint256 price
    ) external view returns (uint256 sellerAmount, uint256 royaltyAmount, uint256 fee);

    /// @notice What the taker of a swap of `makerTokenId` for `takerTokenId` would pay now, in Points: the swap fee,
    /// and while the royalty is unskippable the royalty, the larger of the brand's {minRoyalty} in Points and the
    /// sum of each stamp's royalty at its series' Points floor. Reverts with {MarketNoSwapRoyalty} if that is 0
    /// while the brand charges a royalty.
    function quoteSwap(uint256 makerTokenId, uint256 takerTokenId) external view returns (uint256 fee, uint256 royaltyAmount);

    /// @notice The price bounds of a series in a currency (0 for none).
    function priceBounds(uint256 seriesId, address currency) external view returns (uint256 floor, uint256 ceiling);

    /// @notice The least royalty a trade in `currency` pays while the royalty is unskippable (0 for none).
    function minRoyalty(address currency) external view returns (uint256);

    /// @notice Whether the brand's royalty cannot be skipped now: Stamps is market-only with gifts off, so the Market
    /// is the only way a tradable stamp changes hands, and price floors and minimum royalties apply.
    function royaltyUnskippable() external view returns (bool);

    /// @notice Highest swap fee the admin can set: {MAX_SWAP_FEE_POINTS} whole Points in Points' own decimals.
    function maxSwapFee() external view returns (uint256);

    /// @notice Whether orders may be priced in `currency`.
    function isCurrencyAllowed(address currency) external view returns (bool);

    /// @notice The market fee in basis points of the price.
    function feeBps() external view returns (uint256);

    /// @notice Who receives the market fee.
    function feeRecipient() external view returns (address);

    /// @notice Points a swap's taker pays the brand.
    function swapFee() external view returns (uint256);

    /// @notice The Stamps contract whose stamps this Market trades.
    function stamps() external view returns (address);

    /// @notice The program's Points, always an allowed currency and the currency of swap fees.
    function points() external view returns (address);
}
