// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IMarketEvents
/// @notice The events of Punchcard's stamp market ({IMarket}), apart from its functions as in OpenZeppelin's
/// `draft-IERC6093.sol` and Seaport's `*EventsAndErrors.sol`: what an indexer or the ledger needs to read a Market.
interface IMarketEvents {
    /// @notice How a settled sale came about.
    enum FillKind {
        Listing,
        Offer,
        Match
    }

    /// @notice A stamp was sold: a listing was bought, an offer accepted, or a listing matched with an offer
    /// ({IMarket-matchOrders}). One per fill; the ledger reads it.
    /// @param orderHash EIP-712 hash of the listing or offer; for a match, of the offer (the order {IMarket-orderStatus}
    /// marks filled; the listing is spent by its stamp's transfer count, as every bought listing is).
    /// @param kind Listing bought, offer accepted, or the two matched.
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
    /// @param makerTokenId The stamp that went from the maker to the taker.
    /// @param takerTokenId The stamp that went from the taker to the maker.
    /// @param feeReceiver The brand's royalty receiver, paid `swapFee + royaltyAmount` Points.
    /// @param swapFee Points paid by the taker as the swap fee (0 when no swap fee is set).
    /// @param royaltyAmount Points paid by the taker as the brand's royalty (0 unless the royalty is unskippable,
    /// see {IMarket-quoteSwap}).
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
    /// @notice `signer` cancelled one of their orders: it can no longer be filled.
    /// @param orderHash EIP-712 hash of the listing, offer or swap order, now {IMarket-OrderStatus}.
    /// @param signer The order's signer (its seller, buyer or maker), the only account that can cancel it.
    event OrderCancelled(bytes32 indexed orderHash, address indexed signer);
    /// @notice `signer` cancelled all their open orders: only orders signed with `newNonce` can now be filled.
    /// @param signer The account whose orders were cancelled.
    /// @param newNonce The cancel-all counter their new orders must sign ({IMarket-nonces}).
    event NonceIncremented(address indexed signer, uint256 newNonce);
    /// @notice A native-coin payment to `recipient` could not be pushed; it was credited and can be withdrawn.
    /// @dev The sale went through all the same: a receiver that rejects coin, or needs more gas than a push gives,
    /// must not be able to block it, so it collects later with {IMarket-withdraw} or {IMarket-withdrawTo}.
    /// @param recipient The seller, royalty receiver or fee recipient the payment was for.
    /// @param amount Native coin added to their {IMarket-owed}.
    event PaymentDeferred(address indexed recipient, uint256 amount);
    /// @notice `account` withdrew `amount` of its credited native coin to `to`.
    /// @param account The account whose credit was withdrawn (the caller).
    /// @param to Where the coin went: `account` itself for {IMarket-withdraw}, the address it named for {IMarket-withdrawTo}.
    /// @param amount Native coin sent: all of `account`'s credit.
    event Withdrawn(address indexed account, address indexed to, uint256 amount);
    /// @notice The market fee changed: `feeBps` of every sale's price goes to `recipient`.
    /// @param recipient Who now receives the market fee; the zero address only with a zero fee.
    /// @param feeBps The new fee, in basis points of a sale's price (at most {Market-MAX_FEE_BPS}).
    event FeeChanged(address indexed recipient, uint256 feeBps);
    /// @notice An ERC-20 was added to or removed from the currencies orders may be priced in.
    /// @param currency The ERC-20.
    /// @param allowed Whether orders priced in it can now fill (orders already signed included).
    event CurrencyAllowedChanged(address indexed currency, bool allowed);
    /// @notice The Points the taker of a swap pays the brand changed.
    /// @param swapFee The new swap fee, in Points' smallest unit (at most {IMarket-maxSwapFee}); 0 for none.
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
    /// @param amount What was beyond {IMarket-totalOwed}.
    event Swept(address indexed to, uint256 amount);
}
