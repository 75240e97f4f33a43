// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @title MockERC1271Wallet
/// @notice Test-only contract wallet (think Safe with one owner): it accepts a digest signed by its owner's key,
/// holds stamps and tokens, and acts through {execute}. It can be told to reject the native coin, so tests can
/// have a seller whose payment must be deferred.
contract MockERC1271Wallet is IERC1271, IERC721Receiver {
    /// @notice The key whose ECDSA signatures this wallet accepts.
    address public immutable owner;
    /// @notice Whether plain native-coin transfers to the wallet succeed.
    bool public acceptsNative = true;

    /// @notice Only the owner can make the wallet act.
    error MockWalletNotOwner(address caller);
    /// @notice The wallet was told to reject the native coin.
    error MockWalletRejectsNative();

    constructor(address owner_) {
        owner = owner_;
    }

    /// @notice Accepts native coin unless told otherwise.
    receive() external payable {
        if (!acceptsNative) revert MockWalletRejectsNative();
    }

    /// @notice Calls `target` with `data` and `value` as the wallet. Owner only.
    function execute(address target, uint256 value, bytes calldata data) external returns (bytes memory) {
        if (msg.sender != owner) revert MockWalletNotOwner(msg.sender);
        return Address.functionCallWithValue(target, data, value);
    }

    /// @notice Makes plain native-coin transfers to the wallet succeed or revert.
    function setAcceptsNative(bool accepts) external {
        acceptsNative = accepts;
    }

    /// @notice ERC-1271: valid when the owner signed `hash` (the Market's EIP-712 digest) directly.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(hash, signature);
        return err == ECDSA.RecoverError.NoError && recovered == owner ? IERC1271.isValidSignature.selector : bytes4(0);
    }

    /// @notice Accepts every stamp.
    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC721Receiver.onERC721Received.selector;
    }
}
