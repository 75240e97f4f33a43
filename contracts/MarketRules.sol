// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";
import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IMarket} from "./interfaces/IMarket.sol";
import {IStamps} from "./interfaces/IStamps.sol";
import {RoyaltySplit} from "./libraries/RoyaltySplit.sol";
import {StampIds} from "./libraries/StampIds.sol";

/// @title MarketRules
/// @notice The money rules of Punchcard's stamp market, which every fill reads and only the admin sets: the market
/// fee, the swap fee, the currencies orders may be priced in, each series' price bounds, the brand's minimum
/// royalty, and how a sale's price or a swap's fees are split under them.
/// @dev The part of {Market} that holds no order: its settings, their admin setters and the quotes that read them.
/// {Market} fills, cancels and pays; it asks {_split} and {_swapFees} what a trade pays, so the rules a fill applies
/// and the ones {quoteSale} and {quoteSwap} show are the same code.
abstract contract MarketRules is IMarket, AccessControlDefaultAdminRules {
    /// @dev A series' price bounds in one currency, in one slot (every fill reads them). 0 means none.
    struct PriceBounds {
        uint128 floor;
        uint128 ceiling;
    }

    /// @dev A currency's rules ({_currencies}).
    struct CurrencyRules {
        bool allowed;
        bool bounded;
        uint128 minRoyalty;
    }

    /// @dev How a sale's price is shared (`sellerAmount + royaltyAmount + fee == price`), and who gets the royalty.
    struct Split {
        uint256 price;
        address royaltyReceiver;
        uint256 sellerAmount;
        uint256 royaltyAmount;
        uint256 fee;
    }

    /// @notice Highest market fee: 5 %. With Stamps' 10 % royalty cap, a seller always keeps at least 85 %.
    uint256 public constant MAX_FEE_BPS = 500;
    /// @notice Highest swap fee, in whole Points. A taker's order caps what they pay ({MarketTypes-SwapOrder}); this caps
    /// what the admin can ask at all, like {MAX_FEE_BPS} for sales. A swap has no price to take a share of, so the
    /// cap is an amount: ten thousand points, about what a member earns in a year of weekly visits.
    uint256 public constant MAX_SWAP_FEE_POINTS = 10_000;

    /// @inheritdoc IMarket
    uint256 public immutable maxSwapFee;

    /// @inheritdoc IMarket
    address public immutable stamps;
    /// @inheritdoc IMarket
    address public immutable points;

    /// @inheritdoc IMarket
    address public feeRecipient;
    /// @dev Beside {feeRecipient} in one slot: a sale reads both (at most {MAX_FEE_BPS}, so a uint96 holds it).
    uint96 private _feeBps;
    /// @inheritdoc IMarket
    uint256 public swapFee;
    /// @dev What a sale reads of its currency, in one slot: allowed (ERC-20s only), its minimum royalty, and whether
    /// any series has price bounds in it (when none has, a sale skips the bounds' slot).
    mapping(address currency => CurrencyRules) private _currencies;
    mapping(uint256 seriesId => mapping(address currency => PriceBounds)) private _priceBounds;

    /// @notice Sets the program's tokens and the default admin; the rules start empty: no fee, no swap fee, no bounds.
    /// @param stamps_ The program's Stamps.
    /// @param points_ The program's Points (always an allowed currency; swap fees are paid in them).
    /// @param admin Holder of the default admin role (handed over in two steps after `adminDelay`).
    /// @param adminDelay Seconds a default-admin handover must wait.
    constructor(
        address stamps_,
        address points_,
        address admin,
        uint48 adminDelay
    ) AccessControlDefaultAdminRules(adminDelay, admin) {
        if (stamps_ == address(0) || points_ == address(0)) revert MarketZeroAddress();
        stamps = stamps_;
        points = points_;
        maxSwapFee = MAX_SWAP_FEE_POINTS * 10 ** IERC20Metadata(points_).decimals();
    }

    /// @inheritdoc IMarket
    function setFee(address recipient, uint256 newFeeBps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newFeeBps > MAX_FEE_BPS) revert MarketFeeTooHigh(newFeeBps, MAX_FEE_BPS);
        // A zero recipient is only accepted with a zero fee ("no fee"); a fee sent there would be burned.
        if (recipient == address(0) && newFeeBps != 0) revert MarketInvalidFeeRecipient(recipient);
        feeRecipient = recipient;
        _feeBps = uint96(newFeeBps);
        emit FeeChanged(recipient, newFeeBps);
    }

    /// @inheritdoc IMarket
    /// @dev Only allow plain ERC-20s: a fee-on-transfer or rebasing token pays recipients another amount than the
    /// split says, so every sale in it reverts with {MarketTransferAmountMismatch} (the Sale event must match the
    /// balances).
    function setCurrencyAllowed(address currency, bool allowed) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (currency == address(0) || currency == points) revert MarketInvalidCurrency(currency);
        _currencies[currency].allowed = allowed;
        emit CurrencyAllowedChanged(currency, allowed);
    }

    /// @inheritdoc IMarket
    function setSwapFee(uint256 newSwapFee) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newSwapFee > maxSwapFee) revert MarketSwapFeeTooHigh(newSwapFee, maxSwapFee);
        swapFee = newSwapFee;
        emit SwapFeeChanged(newSwapFee);
    }

    /// @inheritdoc IMarket
    function setPriceBounds(
        uint256 seriesId,
        address currency,
        uint128 floor,
        uint128 ceiling
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (ceiling != 0 && floor > ceiling) revert MarketInvalidPriceBounds(floor, ceiling);
        _priceBounds[seriesId][currency] = PriceBounds({floor: floor, ceiling: ceiling});
        // Never cleared: a currency once bounded is always looked up, so no bound can be skipped.
        if (floor != 0 || ceiling != 0) _currencies[currency].bounded = true;
        emit PriceBoundsChanged(seriesId, currency, floor, ceiling);
    }

    /// @inheritdoc IMarket
    function setMinRoyalty(address currency, uint128 newMinRoyalty) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _currencies[currency].minRoyalty = newMinRoyalty;
        emit MinRoyaltyChanged(currency, newMinRoyalty);
    }

    /// @inheritdoc IMarket
    function quoteSale(
        uint256 tokenId,
        address currency,
        uint256 price
    ) external view returns (uint256 sellerAmount, uint256 royaltyAmount, uint256 fee) {
        _checkCurrency(currency);
        _checkCanExist(tokenId);
        Split memory split = _split(tokenId, currency, price, IStamps(stamps).saleTerms(tokenId, price));
        return (split.sellerAmount, split.royaltyAmount, split.fee);
    }

    /// @inheritdoc IMarket
    function quoteSwap(uint256 makerTokenId, uint256 takerTokenId) external view returns (uint256 fee, uint256 royaltyAmount) {
        _checkCanExist(makerTokenId);
        _checkCanExist(takerTokenId);
        (, fee, royaltyAmount) = _swapFees(makerTokenId, takerTokenId);
    }

    /// @inheritdoc IMarket
    function priceBounds(uint256 seriesId, address currency) external view returns (uint256 floor, uint256 ceiling) {
        PriceBounds memory bounds = _priceBounds[seriesId][currency];
        return (bounds.floor, bounds.ceiling);
    }

    /// @inheritdoc IMarket
    function minRoyalty(address currency) external view returns (uint256) {
        return _currencies[currency].minRoyalty;
    }

    /// @inheritdoc IMarket
    function feeBps() external view returns (uint256) {
        return _feeBps;
    }

    /// @inheritdoc IMarket
    function isCurrencyAllowed(address currency) public view returns (bool) {
        return currency == address(0) || currency == points || _currencies[currency].allowed;
    }

    /// @inheritdoc IMarket
    function royaltyUnskippable() public view returns (bool) {
        IStamps stampsContract = IStamps(stamps);
        return stampsContract.transferPolicy() == IStamps.TransferPolicy.MarketOnly && !stampsContract.giftsAllowed();
    }

    /// @dev The split of a sale under the rules in force, from the `terms` Stamps answered: the ceiling always; while
    /// the royalty is unskippable, the floor (at least 1: a free "sale" is a gift), the brand's minimum royalty (taken
    /// from the seller's share, never added to the price), and a royalty that does not round to 0 when the brand
    /// charges one (a 1-wei sale at 5 % would otherwise move the stamp royalty-free).
    function _split(
        uint256 tokenId,
        address currency,
        uint256 price,
        IStamps.SaleTerms memory terms
    ) internal view returns (Split memory split) {
        split.price = price;
        (uint256 seriesId, ) = StampIds.decode(tokenId);
        CurrencyRules memory rules = _currencies[currency];
        PriceBounds memory bounds;
        if (rules.bounded) bounds = _priceBounds[seriesId][currency];
        if (bounds.ceiling != 0 && price > bounds.ceiling) {
            revert MarketPriceAboveCeiling(seriesId, currency, price, bounds.ceiling);
        }
        bool unskippable = terms.royaltyUnskippable;
        if (unskippable) {
            uint256 floor = bounds.floor == 0 ? 1 : bounds.floor;
            if (price < floor) revert MarketPriceBelowFloor(seriesId, currency, price, floor);
        }

        uint256 royaltyQuoted = terms.royaltyAmount;
        split.royaltyReceiver = terms.royaltyReceiver;
        uint256 minimum;
        if (split.royaltyReceiver == address(0)) {
            // Nowhere to send a royalty without a receiver; the seller keeps it rather than burning it.
            royaltyQuoted = 0;
        } else if (unskippable) {
            minimum = rules.minRoyalty;
            if (royaltyQuoted < minimum) royaltyQuoted = minimum;
            else if (royaltyQuoted == 0 && terms.chargesRoyalty) revert MarketRoyaltyTooLow(0, 1);
        }
        (split.sellerAmount, split.royaltyAmount, split.fee) = RoyaltySplit.split(price, royaltyQuoted, _feeBps);
        // RoyaltySplit clamps the royalty to what the fee leaves of the price.
        if (split.royaltyAmount < minimum) revert MarketRoyaltyTooLow(split.royaltyAmount, minimum);
    }

    /// @dev What the taker of a swap pays, in Points, and to whom. A swap has no price, so while the royalty is
    /// unskippable its royalty is what both stamps would pay if sold at their series' Points floor, and at least
    /// the brand's minimum royalty in Points: a valuable stamp cannot leave for a worthless one royalty-free.
    function _swapFees(
        uint256 makerTokenId,
        uint256 takerTokenId
    ) internal view returns (address receiver, uint256 fee, uint256 royaltyAmount) {
        fee = swapFee;
        uint256 makerRoyalty;
        (receiver, makerRoyalty) = IERC2981(stamps).royaltyInfo(makerTokenId, _pointsFloor(makerTokenId));
        if (receiver == address(0) || !royaltyUnskippable()) return (receiver, fee, 0);
        (, uint256 takerRoyalty) = IERC2981(stamps).royaltyInfo(takerTokenId, _pointsFloor(takerTokenId));
        royaltyAmount = makerRoyalty + takerRoyalty;
        uint256 minimum = _currencies[points].minRoyalty;
        if (royaltyAmount < minimum) royaltyAmount = minimum;
        if (royaltyAmount == 0 && _chargesRoyalty(makerTokenId)) revert MarketNoSwapRoyalty();
    }

    /// @dev Whether some stamp can ever have this id. Only the quotes check it: a fill needs the stamp's holder, which an
    /// impossible stamp never has, so fills pay nothing for it; the quotes are what an order book asks before it
    /// shows an order (reverts with Stamps' `StampsUnknownSeries` for a series that does not exist).
    function _checkCanExist(uint256 tokenId) private view {
        (uint256 seriesId, uint256 edition) = StampIds.decode(tokenId);
        uint256 maxSupply = IStamps(stamps).series(seriesId).maxSupply;
        if (edition == 0 || edition > maxSupply) revert MarketStampCannotExist(tokenId, seriesId, maxSupply);
    }

    function _pointsFloor(uint256 tokenId) private view returns (uint256) {
        (uint256 seriesId, ) = StampIds.decode(tokenId);
        return _priceBounds[seriesId][points].floor;
    }

    /// @dev Whether the brand charges a royalty on this stamp at all: its royalty on a price of one whole in basis
    /// points is the rate, 0 only when the brand set none.
    function _chargesRoyalty(uint256 tokenId) private view returns (bool) {
        (, uint256 rate) = IERC2981(stamps).royaltyInfo(tokenId, RoyaltySplit.BPS);
        return rate != 0;
    }

    function _checkCurrency(address currency) internal view {
        if (!isCurrencyAllowed(currency)) revert MarketCurrencyNotAllowed(currency);
    }
}
