// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// Signed order types. They live at file level, each beside its EIP-712 TYPEHASH (as in Seaport's
// ConsiderationStructs.sol), because an interface cannot hold constants; the SDK and the tests build their
// typed data from the same field lists, in the same order.

/// @notice A member's signed offer to sell one stamp at a fixed price (signed off-chain, no gas to list).
/// @param seller Holder of the stamp and signer of the listing (an EOA or an ERC-1271 contract wallet).
/// @param tokenId The stamp for sale.
/// @param price What the buyer pays, in `currency` units; the royalty and the market fee come out of it.
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
    address currency;
    uint256 expiry;
    uint256 nonce;
    uint256 tokenNonce;
    bytes32 salt;
}

bytes32 constant LISTING_TYPEHASH = keccak256(
    "Listing(address seller,uint256 tokenId,uint256 price,address currency,uint256 expiry,uint256 nonce,"
    "uint256 tokenNonce,bytes32 salt)"
);

/// @notice A member's signed bid for one stamp, or for any stamp of a series, paid in an ERC-20.
/// @param buyer Payer and signer of the offer; receives the stamp.
/// @param seriesId The series the stamp must belong to.
/// @param tokenId The one stamp wanted, or 0 for any stamp of `seriesId` (stamp ids are never 0).
/// @param price What the buyer pays, in `currency` units; the royalty and the market fee come out of it.
/// @param currency The program's Points or an allowlisted ERC-20; never the native coin, which cannot be pulled.
/// @param expiry Last second (unix time) at which the offer can be accepted.
/// @param nonce The buyer's cancel-all counter ({IMarket-nonces}) when signing.
/// @param salt Any value, so that two otherwise identical offers have distinct hashes.
struct Offer {
    address buyer;
    uint256 seriesId;
    uint256 tokenId;
    uint256 price;
    address currency;
    uint256 expiry;
    uint256 nonce;
    bytes32 salt;
}

bytes32 constant OFFER_TYPEHASH = keccak256(
    "Offer(address buyer,uint256 seriesId,uint256 tokenId,uint256 price,address currency,uint256 expiry,"
    "uint256 nonce,bytes32 salt)"
);

/// @notice A member's signed proposal "my stamp for one of yours".
/// @param maker Holder of `makerTokenId` and signer of the order.
/// @param makerTokenId The stamp the maker gives.
/// @param makerTokenNonce The maker stamp's {IStamps-transferCount} when signing (single use, like a listing).
/// @param wantedSeriesId The series the taker's stamp must belong to.
/// @param wantedTokenId The one stamp wanted, or 0 for any stamp of `wantedSeriesId`.
/// @param expiry Last second (unix time) at which the swap can be filled.
/// @param nonce The maker's cancel-all counter ({IMarket-nonces}) when signing.
/// @param salt Any value, so that two otherwise identical swap orders have distinct hashes.
struct SwapOrder {
    address maker;
    uint256 makerTokenId;
    uint256 makerTokenNonce;
    uint256 wantedSeriesId;
    uint256 wantedTokenId;
    uint256 expiry;
    uint256 nonce;
    bytes32 salt;
}

bytes32 constant SWAP_ORDER_TYPEHASH = keccak256(
    "SwapOrder(address maker,uint256 makerTokenId,uint256 makerTokenNonce,uint256 wantedSeriesId,"
    "uint256 wantedTokenId,uint256 expiry,uint256 nonce,bytes32 salt)"
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
    /// @param feeReceiver The brand's royalty receiver, paid `swapFee` Points.
    /// @param swapFee Points paid by the taker (0 when no swap fee is set).
    event Swapped(
        bytes32 indexed orderHash,
        address indexed maker,
        address indexed taker,
        uint256 makerTokenId,
        uint256 takerTokenId,
        address feeReceiver,
        uint256 swapFee
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

    /// @notice Buys a listed stamp. Pays the royalty to the brand, the market fee, and the rest to the seller.
    /// @dev Native coin: send exactly `listing.price`; each payment is pushed with limited gas and credited to
    /// {owed} if the push fails. ERC-20: send no coin; the caller must have approved the Market for `price`.
    /// @param listing The seller's signed listing.
    /// @param signature The seller's EIP-712 signature (65-byte ECDSA, or whatever their ERC-1271 wallet accepts).
    /// @param recipient Who receives the stamp; `address(0)` for the caller. It must accept ERC-721s if a contract.
    function buy(Listing calldata listing, bytes calldata signature, address recipient) external payable;

    /// @notice Accepts an offer by selling it the caller's stamp `tokenId`. The buyer pays in the offer's ERC-20:
    /// the royalty to the brand, the market fee, and the rest to the caller.
    /// @dev The caller must hold `tokenId` and have approved the Market for it (`setApprovalForAll`).
    function acceptOffer(Offer calldata offer, bytes calldata signature, uint256 tokenId) external;

    /// @notice Fills a swap order: the caller gives `takerTokenId` and receives the maker's stamp, atomically.
    /// @dev The caller (taker) pays the swap fee, if any, in Points to the brand's royalty receiver: the taker is
    /// the one who chooses when to fill, sees the fee in force at that moment, and has approved it; the maker signed
    /// for free and could not be charged a fee that changed after signing.
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
    function setSwapFee(uint256 swapFee) external;

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

    /// @notice Sum of everything credited; the Market's native balance equals it (unless coin is forced in).
    function totalOwed() external view returns (uint256);

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
