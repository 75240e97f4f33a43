// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IMarketErrors
/// @notice The custom errors of Punchcard's stamp market ({IMarket}), apart from its functions as in OpenZeppelin's
/// `draft-IERC6093.sol`: each names the problem, prefixed `Market`, and carries the data to act on it.
/// @dev The SDK reads them from the Market's ABI and turns each into a sentence a member can act on.
interface IMarketErrors {
    /// @notice The order's expiry has passed; its signer must sign a new one.
    /// @param expiry The order's last valid second (unix time).
    error MarketOrderExpired(uint256 expiry);
    /// @notice The order was signed with a cancel-all counter that is not the signer's current one: they cancelled
    /// all their orders since ({IMarket-incrementNonce}), or the order carries a counter not reached yet.
    /// @param signer The order's signer.
    /// @param orderNonce The counter the order carries.
    /// @param currentNonce The signer's counter now ({IMarket-nonces}).
    error MarketNonceMismatch(address signer, uint256 orderNonce, uint256 currentNonce);
    /// @notice The order was cancelled by its signer.
    /// @param orderHash EIP-712 hash of the order.
    error MarketOrderCancelled(bytes32 orderHash);
    /// @notice The offer was already accepted: it fills once, and can no longer be cancelled.
    /// @param orderHash EIP-712 hash of the offer.
    error MarketOrderFilled(bytes32 orderHash);
    /// @notice The stamp moved since the order was signed (the order was filled, or the stamp left and came back).
    /// @param tokenId The stamp the listing sells or the swap order gives.
    /// @param signedTokenNonce The stamp's {IStamps-transferCount} the order was signed with.
    /// @param currentTokenNonce Its transfer count now.
    error MarketStaleOrder(uint256 tokenId, uint256 signedTokenNonce, uint256 currentTokenNonce);
    /// @notice `account` does not hold the stamp.
    /// @param account The seller or maker the order names, or the caller who accepts an offer or fills a swap.
    /// @param tokenId The stamp.
    error MarketNotHolder(address account, uint256 tokenId);
    /// @notice The signature is not `signer`'s over this order, for this chain and this Market.
    /// @param signer The order's signer: an EOA (ECDSA) or a contract wallet (ERC-1271).
    error MarketInvalidSignature(address signer);
    /// @notice Orders cannot be priced in this currency: it is neither the native coin, nor the program's Points,
    /// nor an ERC-20 the admin allowed ({IMarket-setCurrencyAllowed}).
    /// @param currency The order's currency.
    error MarketCurrencyNotAllowed(address currency);
    /// @notice Offers cannot be made in the native coin: the Market cannot pull it from the buyer.
    error MarketNativeCoinOffer();
    /// @notice The native coin sent does not match the price (it must be 0 for ERC-20 prices).
    /// @param expected The listing's price for a native-coin listing, 0 for an ERC-20 one.
    /// @param sent The native coin sent with the call.
    error MarketWrongPayment(uint256 expected, uint256 sent);
    /// @notice The stamp is not what the offer or swap order asks for.
    /// @param tokenId The stamp given.
    /// @param wantedSeriesId The series the order asks for.
    /// @param wantedTokenId The one stamp the order asks for, or 0 for any stamp of `wantedSeriesId`.
    error MarketStampNotWanted(uint256 tokenId, uint256 wantedSeriesId, uint256 wantedTokenId);
    /// @notice Only the signer of an order can cancel it.
    /// @param caller The account that tried to cancel it.
    /// @param signer The order's signer (its seller, buyer or maker).
    error MarketNotSigner(address caller, address signer);
    /// @notice The market fee is above the cap.
    /// @param feeBps The fee asked for, in basis points.
    /// @param maxBps The cap ({Market-MAX_FEE_BPS}).
    error MarketFeeTooHigh(uint256 feeBps, uint256 maxBps);
    /// @notice A non-zero market fee cannot go to the zero address, where it would be burned.
    /// @param recipient The recipient given (the zero address).
    error MarketInvalidFeeRecipient(address recipient);
    /// @notice The native coin and the program's Points are always allowed; the zero address is not a token.
    /// @param currency The address given: the zero address or the program's Points.
    error MarketInvalidCurrency(address currency);
    /// @notice A required address is the zero address: Stamps or Points at deployment, or the `to` of
    /// {IMarket-withdrawTo} or {IMarket-sweep}.
    error MarketZeroAddress();
    /// @notice Nothing is credited to `account`.
    /// @param account The caller, whose {IMarket-owed} is 0.
    error MarketNothingOwed(address account);
    /// @notice Sending native coin to `to` failed (it reverted or cannot receive coin): in a withdrawal the
    /// credit is kept, in a sweep the coin stays; try another address.
    /// @param to The receiver.
    /// @param amount The coin it did not take.
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
    /// leaves of it does not cover the brand's {IMarket-minRoyalty}, or the ERC-2981 royalty rounds to 0 (then `minimum` is 1).
    /// @param royaltyAmount The royalty the price pays.
    /// @param minimum The least royalty the trade must pay.
    error MarketRoyaltyTooLow(uint256 royaltyAmount, uint256 minimum);
    /// @notice While the royalty is unskippable, a swap must pay the brand a royalty in Points, and the brand has set
    /// none: no {IMarket-minRoyalty} in Points and no Points floor for either stamp's series.
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
    /// @param maxSwapFee {IMarket-maxSwapFee}.
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
    /// @param totalOwed {IMarket-totalOwed}.
    error MarketNothingToSweep(uint256 balance, uint256 totalOwed);

    /// @notice A signed cancellation or cancel-all is past its deadline; its signer must sign a new one.
    /// @param deadline The signature's last valid second (unix time).
    error MarketSignatureExpired(uint256 deadline);
    /// @notice A listing and an offer given to {IMarket-matchOrders} do not trade the same thing at the same terms.
    /// @param listingCurrency The listing's currency.
    /// @param listingPrice The listing's price.
    /// @param offerCurrency The offer's currency.
    /// @param offerPrice The offer's price.
    error MarketOrdersMismatch(address listingCurrency, uint256 listingPrice, address offerCurrency, uint256 offerPrice);
    /// @notice No stamp can ever have this id: its edition is 0 or above its series' max supply, so an order for it
    /// could never fill (a quote refuses it so that an order book can too).
    /// @param tokenId The stamp id given.
    /// @param seriesId The series it decodes to.
    /// @param maxSupply The most editions that series can ever have.
    error MarketStampCannotExist(uint256 tokenId, uint256 seriesId, uint256 maxSupply);
}
