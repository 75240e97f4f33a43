// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Account} from "@openzeppelin/contracts/account/Account.sol";
import {ERC7821} from "@openzeppelin/contracts/account/extensions/draft-ERC7821.sol";
import {ERC4337Utils} from "@openzeppelin/contracts/account/utils/ERC4337Utils.sol";
import {IEntryPoint} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {ERC721Holder} from "@openzeppelin/contracts/token/ERC721/utils/ERC721Holder.sol";
import {AbstractSigner} from "@openzeppelin/contracts/utils/cryptography/signers/AbstractSigner.sol";
import {ERC7739} from "@openzeppelin/contracts/utils/cryptography/signers/draft-ERC7739.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";
import {WebAuthn} from "@openzeppelin/contracts/utils/cryptography/WebAuthn.sol";
import {IMemberAccount} from "./interfaces/IMemberAccount.sol";

/// @title MemberAccount
/// @notice A loyalty member's ERC-4337 account: passkeys sign (WebAuthn, P-256), the brand's paymaster pays, and the
/// member never holds coin. It runs batches (ERC-7821: approve and buy in one UserOp), answers ERC-1271 through
/// ERC-7739 (so the Market can check the member's EIP-712 listings, and a signature made for one app is refused in
/// another), holds stamps, and can be recovered, slowly and cancellably, by a recoverer the member keeps.
/// @dev One implementation behind EIP-1167 clones made by {MemberAccountFactory}; {initialize} runs in the
/// clone's creation. The first passkey's id is in the clone's code; the others are a set keyed by
/// `keccak256(abi.encode(qx, qy))` in the account's own storage
/// (which ERC-7562 lets a UserOp's validation read), and each signature names its key, so a check costs one
/// storage read and one P-256 verification (the RIP-7212 precompile where the chain has it, Solidity elsewhere).
/// OpenZeppelin's `MultiSignerERC7913` was the other way: it keeps keys as `bytes` in an enumerable set and verifies
/// through an ERC-7913 verifier contract, a call and a copy more per UserOp, for a threshold the member never uses.
contract MemberAccount is Account, EIP712, ERC7739, ERC7821, ERC721Holder, IMemberAccount {
    struct Recovery {
        bytes32 qx;
        bytes32 qy;
        uint64 id;
        uint48 readyAt;
    }

    /// @inheritdoc IMemberAccount
    uint48 public constant RECOVERY_DELAY = 3 days;

    /// @dev An EIP-1167 clone's 45 bytes, then the first passkey's id.
    uint256 private constant _CLONE_CODE_LENGTH = 45 + 32;

    mapping(bytes32 keyId => bool) private _passkeys;
    // The recoverer and the passkey count share one slot, written once at creation (22,100 gas, not 44,200); the
    // count doubles as the initialized flag (an initialized account always has a passkey), where OpenZeppelin's
    // `Initializable` would take a slot of its own: creating an account is the one UserOp whose gas we fight for.
    address private _recoverer;
    uint88 private _passkeyCount;
    // The first passkey lives in the clone's code (its immutable argument, {_firstKeyId}), not in `_passkeys`: a new
    // storage slot less at creation. Removing it sets this flag, in the slot the count already takes.
    bool private _firstRemoved;
    /// @dev The last proposal's number: numbers never repeat, so an old proposal's number never executes a new one.
    uint64 private _lastRecoveryId;
    Recovery private _pending;

    /// @notice Deploys the implementation, which can never be initialized itself: only its clones hold keys.
    /// @dev A count of one with no key seals it: {initialize} refuses, and no signature can ever match.
    constructor() EIP712("Punchcard Member Account", "1") {
        _passkeyCount = 1;
    }

    /// @inheritdoc IMemberAccount
    function initialize(bytes32 qx, bytes32 qy, address recoverer_) external {
        if (_passkeyCount != 0) revert MemberAccountAlreadyInitialized();
        bytes32 keyId = _keyId(qx, qy);
        // The key must be the one the clone's code holds (the factory puts it there): nobody initializes a clone
        // with another key than the one its address commits to.
        if (!P256.isValidPublicKey(qx, qy) || keyId != _firstKeyId()) revert MemberAccountInvalidPasskey(qx, qy);
        _passkeyCount = 1;
        emit PasskeyAdded(keyId, qx, qy);
        _setRecoverer(recoverer_);
    }

    /// @inheritdoc IMemberAccount
    function addPasskey(bytes32 qx, bytes32 qy) external onlyEntryPointOrSelf {
        _addPasskey(qx, qy);
    }

    /// @inheritdoc IMemberAccount
    function removePasskey(bytes32 keyId) external onlyEntryPointOrSelf {
        if (!_isPasskey(keyId)) revert MemberAccountUnknownPasskey(keyId);
        if (_passkeyCount == 1) revert MemberAccountLastPasskey(keyId);
        if (keyId == _firstKeyId()) _firstRemoved = true;
        else delete _passkeys[keyId];
        --_passkeyCount;
        emit PasskeyRemoved(keyId);
    }

    /// @inheritdoc IMemberAccount
    function setRecoverer(address recoverer_) external onlyEntryPointOrSelf {
        // A proposal stands on the recoverer who made it: a member who changes recoverer (say, one who turned
        // hostile) must not leave that recoverer's proposal running.
        if (_pending.id != 0) _cancelRecovery();
        _setRecoverer(recoverer_);
    }

    /// @inheritdoc IMemberAccount
    function proposeRecovery(bytes32 qx, bytes32 qy) external returns (uint64 recoveryId) {
        address current = _recoverer;
        if (msg.sender != current || current == address(0)) revert MemberAccountNotRecoverer(msg.sender, current);
        if (_pending.id != 0) revert MemberAccountRecoveryPending(_pending.id);
        bytes32 keyId = _checkNewPasskey(qx, qy);
        recoveryId = ++_lastRecoveryId;
        uint48 readyAt = uint48(block.timestamp) + RECOVERY_DELAY;
        _pending = Recovery(qx, qy, recoveryId, readyAt);
        emit RecoveryProposed(recoveryId, keyId, qx, qy, readyAt);
    }

    /// @inheritdoc IMemberAccount
    function cancelRecovery() external onlyEntryPointOrSelf {
        if (_pending.id == 0) revert MemberAccountNoRecovery(0);
        _cancelRecovery();
    }

    /// @inheritdoc IMemberAccount
    function executeRecovery(uint64 recoveryId) external {
        Recovery memory pending = _pending;
        if (recoveryId == 0 || pending.id != recoveryId) revert MemberAccountNoRecovery(recoveryId);
        if (block.timestamp < pending.readyAt) revert MemberAccountRecoveryNotReady(recoveryId, pending.readyAt);
        delete _pending;
        bytes32 keyId = _addPasskey(pending.qx, pending.qy);
        emit RecoveryExecuted(recoveryId, keyId);
    }

    /// @inheritdoc IMemberAccount
    function isPasskey(bytes32 keyId) external view returns (bool) {
        return _isPasskey(keyId);
    }

    /// @inheritdoc IMemberAccount
    function passkeyCount() external view returns (uint256) {
        return _passkeyCount;
    }

    /// @inheritdoc IMemberAccount
    function recoverer() external view returns (address) {
        return _recoverer;
    }

    /// @inheritdoc IMemberAccount
    function pendingRecovery() external view returns (uint64 recoveryId, bytes32 keyId, uint48 readyAt) {
        Recovery memory pending = _pending;
        if (pending.id == 0) return (0, bytes32(0), 0);
        return (pending.id, _keyId(pending.qx, pending.qy), pending.readyAt);
    }

    /// @notice The EntryPoint this account trusts: v0.8, at its canonical address on every chain.
    /// @return The EntryPoint v0.8.
    function entryPoint() public pure override returns (IEntryPoint) {
        return ERC4337Utils.ENTRYPOINT_V08;
    }

    /// @dev The EntryPoint runs a UserOp's batch by calling {execute}; the account itself may too (a nested batch).
    function _erc7821AuthorizedExecutor(
        address caller,
        bytes32 mode,
        bytes calldata executionData
    ) internal view override returns (bool) {
        return caller == address(entryPoint()) || super._erc7821AuthorizedExecutor(caller, mode, executionData);
    }

    /// @dev `signature` is `qx ‖ qy ‖ WebAuthn assertion`: the key must be a passkey, and the assertion a WebAuthn
    /// "webauthn.get" over `hash` (as its challenge) with the user present and verified.
    function _rawSignatureValidation(
        bytes32 hash,
        bytes calldata signature
    ) internal view override(AbstractSigner) returns (bool) {
        if (signature.length < 64) return false;
        bytes32 qx = bytes32(signature[0:32]);
        bytes32 qy = bytes32(signature[32:64]);
        if (!_isPasskey(_keyId(qx, qy))) return false;
        (bool decoded, WebAuthn.WebAuthnAuth calldata auth) = WebAuthn.tryDecodeAuth(signature[64:]);
        return decoded && WebAuthn.verify(abi.encodePacked(hash), auth, qx, qy);
    }

    function _addPasskey(bytes32 qx, bytes32 qy) private returns (bytes32 keyId) {
        keyId = _checkNewPasskey(qx, qy);
        if (keyId == _firstKeyId()) _firstRemoved = false;
        else _passkeys[keyId] = true;
        ++_passkeyCount;
        emit PasskeyAdded(keyId, qx, qy);
    }

    function _setRecoverer(address recoverer_) private {
        _recoverer = recoverer_;
        emit RecovererSet(recoverer_);
    }

    function _cancelRecovery() private {
        uint64 id = _pending.id;
        delete _pending;
        emit RecoveryCancelled(id);
    }

    function _checkNewPasskey(bytes32 qx, bytes32 qy) private view returns (bytes32 keyId) {
        if (!P256.isValidPublicKey(qx, qy)) revert MemberAccountInvalidPasskey(qx, qy);
        keyId = _keyId(qx, qy);
        if (_isPasskey(keyId)) revert MemberAccountPasskeyExists(keyId);
    }

    function _isPasskey(bytes32 keyId) private view returns (bool) {
        return keyId == _firstKeyId() ? !_firstRemoved : _passkeys[keyId];
    }

    /// @dev The first passkey's id: the 32 bytes after the 45 of an EIP-1167 clone's code (OpenZeppelin's
    /// `Clones.cloneDeterministicWithImmutableArgs`). Zero in any other code (the implementation itself).
    function _firstKeyId() private view returns (bytes32 keyId) {
        if (address(this).code.length != _CLONE_CODE_LENGTH) return bytes32(0);
        assembly ("memory-safe") {
            extcodecopy(address(), 0x00, 45, 32)
            keyId := mload(0x00)
        }
    }

    function _keyId(bytes32 qx, bytes32 qy) private pure returns (bytes32) {
        return keccak256(abi.encode(qx, qy));
    }
}
