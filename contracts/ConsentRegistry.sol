// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {IConsentRegistry} from "./interfaces/IConsentRegistry.sol";
import {ConsentTypes} from "./types/ConsentTypes.sol";

/// @title ConsentRegistry
/// @notice Links a member's wallet to the brand's customer account by a salted commitment, never the id, and
/// records which purposes the member consents to. Only the member's signature (or the member's own call) can
/// grant; the brand must attest the commitment; a minor's guardian must approve marketing and partner sharing,
/// may withdraw them alone, and is changed only with the member's and the new guardian's signatures; a minor's
/// link becomes an adult's when the brand attests it and the member signs.
/// Revoking is as easy as granting and needs nobody else.
/// @dev Not pausable on purpose: a pause would also stop revocations and unlinks, which must always work.
/// Every change to a wallet's link consumes the wallet's nonce, whether signed or called directly, so a signed
/// message a relayer still holds cannot undo what the member did after signing it.
/// Signatures go through {SignatureChecker}: ERC-1271 contract wallets work, and OZ ECDSA rejects malleable
/// (high-s) signatures. The only external calls are its ERC-1271 staticcalls, all made before any state changes.
contract ConsentRegistry is IConsentRegistry, EIP712, Nonces, AccessControlDefaultAdminRules {
    /// @dev The packed record behind {ConsentLink}: two slots, and {hasConsent} reads only the second.
    struct StoredLink {
        bytes32 commitment;
        uint64 linkedAt;
        uint8 purposes;
        bool minor;
        address guardian;
    }

    /// @notice Purpose: earning and spending rewards.
    uint256 public constant REWARDS = 1 << 0;
    /// @notice Purpose: the brand's analytics on the member's linked identity.
    uint256 public constant ANALYTICS = 1 << 1;
    /// @notice Purpose: marketing to the member.
    uint256 public constant MARKETING = 1 << 2;
    /// @notice Purpose: sharing with partner brands.
    uint256 public constant PARTNER_SHARING = 1 << 3;
    /// @notice Every known purpose; any other bit is rejected.
    uint256 public constant ALL_PURPOSES = REWARDS | ANALYTICS | MARKETING | PARTNER_SHARING;
    /// @notice Purposes a minor can be granted only with the guardian's approval.
    uint256 public constant GUARDIAN_PURPOSES = MARKETING | PARTNER_SHARING;

    /// @notice Role of the brand's backend: attests links (commitment, minor, guardian) and unlinks on erasure.
    bytes32 public constant BRAND_ROLE = keccak256("BRAND_ROLE");

    /// @notice EIP-712 type hash of {ConsentTypes.Link}.
    bytes32 public constant LINK_TYPEHASH = ConsentTypes.LINK_TYPEHASH;
    /// @notice EIP-712 type hash of {ConsentTypes.Attestation}.
    bytes32 public constant ATTESTATION_TYPEHASH = ConsentTypes.ATTESTATION_TYPEHASH;
    /// @notice EIP-712 type hash of {ConsentTypes.PurposesChange}.
    bytes32 public constant PURPOSES_CHANGE_TYPEHASH = ConsentTypes.PURPOSES_CHANGE_TYPEHASH;
    /// @notice EIP-712 type hash of {ConsentTypes.GuardianApproval}.
    bytes32 public constant GUARDIAN_APPROVAL_TYPEHASH = ConsentTypes.GUARDIAN_APPROVAL_TYPEHASH;
    /// @notice EIP-712 type hash of {ConsentTypes.Unlink}.
    bytes32 public constant UNLINK_TYPEHASH = ConsentTypes.UNLINK_TYPEHASH;
    /// @notice EIP-712 type hash of {ConsentTypes.GuardianWithdrawal}.
    bytes32 public constant GUARDIAN_WITHDRAWAL_TYPEHASH = ConsentTypes.GUARDIAN_WITHDRAWAL_TYPEHASH;
    /// @notice EIP-712 type hash of {ConsentTypes.GuardianChange}.
    bytes32 public constant GUARDIAN_CHANGE_TYPEHASH = ConsentTypes.GUARDIAN_CHANGE_TYPEHASH;
    /// @notice EIP-712 type hash of {ConsentTypes.ComingOfAge}.
    bytes32 public constant COMING_OF_AGE_TYPEHASH = ConsentTypes.COMING_OF_AGE_TYPEHASH;

    mapping(address wallet => StoredLink) private _links;
    mapping(bytes32 commitment => bool) private _commitmentUsed;
    /// @dev Apart from {Nonces}: a guardian may also be a member with a wallet nonce of its own. Per minor, so a
    /// guardian of several can sign a withdrawal for each at once.
    mapping(address guardian => mapping(address wallet => uint256)) private _guardianNonces;

    /// @notice Deploys a brand's consent registry with no links and no attester yet.
    /// @dev `BRAND_ROLE` is granted after deployment (the SDK's `deployProgram` gives it to the brand's backend);
    /// being a role, it can be revoked from a leaked key without redeploying.
    /// @param admin Holder of the default admin role (handed over in two steps after `adminDelay`).
    /// @param adminDelay Seconds a default-admin handover must wait.
    constructor(
        address admin,
        uint48 adminDelay
    ) EIP712("Punchcard Consent", "1") AccessControlDefaultAdminRules(adminDelay, admin) {}

    /// @inheritdoc IConsentRegistry
    function link(
        ConsentTypes.Link calldata request,
        bytes calldata memberSignature,
        ConsentTypes.Attestation calldata attestation,
        bytes calldata attesterSignature,
        bytes calldata guardianSignature
    ) external {
        address wallet = request.wallet;
        bytes32 commitment = request.commitment;
        // Checks: what the link itself may be, then who agreed to it.
        if (attestation.wallet != wallet || attestation.commitment != commitment) {
            revert ConsentAttestationMismatch(wallet, commitment);
        }
        if (commitment == bytes32(0)) revert ConsentInvalidCommitment(commitment);
        if (_links[wallet].linkedAt != 0) revert ConsentAlreadyLinked(wallet);
        if (_commitmentUsed[commitment]) revert ConsentCommitmentUsed(commitment);
        _checkPurposes(request.purposes);
        if (
            attestation.minor
                ? attestation.guardian == address(0) || attestation.guardian == wallet
                : attestation.guardian != address(0)
        ) {
            revert ConsentInvalidGuardian(wallet, attestation.minor, attestation.guardian);
        }
        _checkMessage(wallet, request.nonce, request.deadline);
        _checkMember(wallet, ConsentTypes.hash(request), memberSignature);
        _checkAttestation(attestation, attesterSignature);
        if (attestation.minor) {
            _checkGuardian(
                wallet,
                attestation.guardian,
                0,
                request.purposes,
                request.nonce,
                request.deadline,
                guardianSignature
            );
        }

        // Effects.
        _useNonce(wallet);
        _commitmentUsed[commitment] = true;
        _links[wallet] = StoredLink({
            commitment: commitment,
            linkedAt: uint64(block.timestamp),
            purposes: uint8(request.purposes),
            minor: attestation.minor,
            guardian: attestation.guardian
        });
        emit ConsentLinked(wallet, commitment, attestation.minor, attestation.guardian, attestation.attester);
        emit ConsentPurposesChanged(wallet, 0, request.purposes);
    }

    /// @inheritdoc IConsentRegistry
    function changePurposes(
        ConsentTypes.PurposesChange calldata change,
        bytes calldata memberSignature,
        bytes calldata guardianSignature
    ) external {
        address wallet = change.wallet;
        StoredLink storage stored = _requireLinked(wallet);
        _checkPurposes(change.purposes);
        _checkMessage(wallet, change.nonce, change.deadline);
        _checkMember(wallet, ConsentTypes.hash(change), memberSignature);
        uint256 oldPurposes = stored.purposes;
        if (stored.minor) {
            _checkGuardian(
                wallet,
                stored.guardian,
                oldPurposes,
                change.purposes,
                change.nonce,
                change.deadline,
                guardianSignature
            );
        }

        _useNonce(wallet);
        stored.purposes = uint8(change.purposes);
        emit ConsentPurposesChanged(wallet, oldPurposes, change.purposes);
    }

    /// @inheritdoc IConsentRegistry
    function revokeAll() external {
        address wallet = _msgSender();
        StoredLink storage stored = _requireLinked(wallet);
        uint256 oldPurposes = stored.purposes;
        _useNonce(wallet);
        stored.purposes = 0;
        emit ConsentPurposesChanged(wallet, oldPurposes, 0);
    }

    /// @inheritdoc IConsentRegistry
    function unlink() external {
        _unlink(_msgSender(), false);
    }

    /// @inheritdoc IConsentRegistry
    function unlinkBySig(ConsentTypes.Unlink calldata request, bytes calldata memberSignature) external {
        address wallet = request.wallet;
        _requireLinked(wallet);
        _checkMessage(wallet, request.nonce, request.deadline);
        _checkMember(wallet, ConsentTypes.hash(request), memberSignature);
        _unlink(wallet, false);
    }

    /// @inheritdoc IConsentRegistry
    function brandUnlink(address wallet) external onlyRole(BRAND_ROLE) {
        _unlink(wallet, true);
    }

    /// @inheritdoc IConsentRegistry
    function guardianWithdraw(
        ConsentTypes.GuardianWithdrawal calldata withdrawal,
        bytes calldata guardianSignature
    ) external {
        address wallet = withdrawal.wallet;
        address guardian = withdrawal.guardian;
        uint256 withdrawn = withdrawal.purposes;
        StoredLink storage stored = _requireMinor(wallet);
        if (guardian != stored.guardian) revert ConsentNotGuardian(wallet, guardian);
        if (withdrawn == 0 || withdrawn & ~GUARDIAN_PURPOSES != 0) revert ConsentNotGuardianPurposes(withdrawn);
        if (block.timestamp > withdrawal.deadline) revert ConsentExpired(withdrawal.deadline, block.timestamp);
        uint256 current = _guardianNonces[guardian][wallet];
        if (withdrawal.nonce != current) revert ConsentInvalidGuardianNonce(guardian, withdrawal.nonce, current);
        if (_msgSender() != guardian && !_isSignedBy(guardian, ConsentTypes.hash(withdrawal), guardianSignature)) {
            revert ConsentInvalidGuardianSignature(guardian);
        }

        _guardianNonces[guardian][wallet] = current + 1;
        _useNonce(wallet);
        uint256 oldPurposes = stored.purposes;
        uint256 newPurposes = oldPurposes & ~withdrawn;
        stored.purposes = uint8(newPurposes);
        emit ConsentGuardianWithdrew(wallet, guardian, withdrawn);
        emit ConsentPurposesChanged(wallet, oldPurposes, newPurposes);
    }

    /// @inheritdoc IConsentRegistry
    function changeGuardian(
        ConsentTypes.GuardianChange calldata change,
        bytes calldata memberSignature,
        bytes calldata newGuardianSignature
    ) external onlyRole(BRAND_ROLE) {
        address wallet = change.wallet;
        address newGuardian = change.newGuardian;
        StoredLink storage stored = _requireMinor(wallet);
        address oldGuardian = stored.guardian;
        if (change.oldGuardian != oldGuardian) revert ConsentNotGuardian(wallet, change.oldGuardian);
        if (newGuardian == address(0) || newGuardian == wallet || newGuardian == oldGuardian) {
            revert ConsentInvalidGuardian(wallet, true, newGuardian);
        }
        _checkMessage(wallet, change.nonce, change.deadline);
        bytes32 structHash = ConsentTypes.hash(change);
        _checkMember(wallet, structHash, memberSignature);
        if (!_isSignedBy(newGuardian, structHash, newGuardianSignature)) {
            revert ConsentInvalidGuardianSignature(newGuardian);
        }

        _useNonce(wallet);
        uint256 oldPurposes = stored.purposes;
        uint256 newPurposes = oldPurposes & ~GUARDIAN_PURPOSES;
        stored.guardian = newGuardian;
        stored.purposes = uint8(newPurposes);
        emit ConsentGuardianChanged(wallet, oldGuardian, newGuardian, _msgSender());
        if (newPurposes != oldPurposes) emit ConsentPurposesChanged(wallet, oldPurposes, newPurposes);
    }

    /// @inheritdoc IConsentRegistry
    function comeOfAge(
        ConsentTypes.ComingOfAge calldata request,
        bytes calldata memberSignature
    ) external onlyRole(BRAND_ROLE) {
        address wallet = request.wallet;
        StoredLink storage stored = _requireMinor(wallet);
        _checkMessage(wallet, request.nonce, request.deadline);
        _checkMember(wallet, ConsentTypes.hash(request), memberSignature);

        _useNonce(wallet);
        address formerGuardian = stored.guardian;
        stored.minor = false;
        stored.guardian = address(0);
        emit ConsentCameOfAge(wallet, formerGuardian, _msgSender());
    }

    /// @inheritdoc IConsentRegistry
    function hasConsent(address wallet, uint256 purpose) external view returns (bool) {
        // Exactly one known bit: a zero or multi-bit mask would make "true" ambiguous for the caller.
        if (purpose == 0 || purpose & (purpose - 1) != 0 || purpose & ~ALL_PURPOSES != 0) {
            revert ConsentInvalidPurpose(purpose);
        }
        // An unlinked wallet has purposes 0, so no separate link check is needed.
        return _links[wallet].purposes & purpose != 0;
    }

    /// @inheritdoc IConsentRegistry
    function linkOf(address wallet) external view returns (ConsentLink memory) {
        StoredLink storage stored = _requireLinked(wallet);
        return
            ConsentLink({
                commitment: stored.commitment,
                purposes: stored.purposes,
                minor: stored.minor,
                guardian: stored.guardian,
                linkedAt: stored.linkedAt
            });
    }

    /// @inheritdoc IConsentRegistry
    function isLinked(address wallet) external view returns (bool) {
        return _links[wallet].linkedAt != 0;
    }

    /// @inheritdoc IConsentRegistry
    function isCommitmentUsed(bytes32 commitment) external view returns (bool) {
        return _commitmentUsed[commitment];
    }

    /// @inheritdoc IConsentRegistry
    function guardianNonces(address guardian, address wallet) external view returns (uint256) {
        return _guardianNonces[guardian][wallet];
    }

    /// @inheritdoc IConsentRegistry
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @inheritdoc IConsentRegistry
    function nonces(address wallet) public view override(IConsentRegistry, Nonces) returns (uint256) {
        return super.nonces(wallet);
    }

    /// @dev Removes the link and its purposes, commitment included: what storage keeps of it is only "used" (so it
    /// can never link again), keyed by the commitment alone, tied to no wallet.
    function _unlink(address wallet, bool byBrand) private {
        StoredLink storage stored = _requireLinked(wallet);
        uint256 oldPurposes = stored.purposes;
        _useNonce(wallet);
        delete _links[wallet];
        emit ConsentPurposesChanged(wallet, oldPurposes, 0);
        emit ConsentUnlinked(wallet, byBrand);
    }

    function _requireLinked(address wallet) private view returns (StoredLink storage stored) {
        stored = _links[wallet];
        if (stored.linkedAt == 0) revert ConsentNotLinked(wallet);
    }

    function _requireMinor(address wallet) private view returns (StoredLink storage stored) {
        stored = _requireLinked(wallet);
        if (!stored.minor) revert ConsentNotMinor(wallet);
    }

    function _checkPurposes(uint256 purposes) private pure {
        if (purposes & ~ALL_PURPOSES != 0) revert ConsentUnknownPurposes(purposes);
    }

    /// @dev The nonce is compared here and consumed with the other effects, after every signature check.
    function _checkMessage(address wallet, uint256 nonce, uint256 deadline) private view {
        if (block.timestamp > deadline) revert ConsentExpired(deadline, block.timestamp);
        uint256 current = nonces(wallet);
        if (nonce != current) revert ConsentInvalidNonce(wallet, nonce, current);
    }

    /// @dev The member's own call needs no signature; anyone else must bring the member's.
    function _checkMember(address wallet, bytes32 structHash, bytes calldata signature) private view {
        if (_msgSender() == wallet) return;
        if (!_isSignedBy(wallet, structHash, signature)) {
            revert ConsentInvalidMemberSignature(wallet);
        }
    }

    function _isSignedBy(address signer, bytes32 structHash, bytes calldata signature) private view returns (bool) {
        return SignatureChecker.isValidSignatureNowCalldata(signer, _hashTypedDataV4(structHash), signature);
    }

    function _checkAttestation(ConsentTypes.Attestation calldata attestation, bytes calldata signature) private view {
        address attester = attestation.attester;
        if (block.timestamp > attestation.deadline) revert ConsentExpired(attestation.deadline, block.timestamp);
        if (!hasRole(BRAND_ROLE, attester)) revert ConsentNotAttester(attester);
        if (_msgSender() == attester) return;
        bytes32 digest = _hashTypedDataV4(ConsentTypes.hash(attestation));
        if (!SignatureChecker.isValidSignatureNowCalldata(attester, digest, signature)) {
            revert ConsentInvalidAttesterSignature(attester);
        }
    }

    /// @dev Only purposes newly granted count: a minor may keep, narrow or revoke what the guardian approved before.
    function _checkGuardian(
        address wallet,
        address guardian,
        uint256 oldPurposes,
        uint256 newPurposes,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) private view {
        uint256 granted = newPurposes & ~oldPurposes;
        if (granted & GUARDIAN_PURPOSES == 0 || _msgSender() == guardian) return;
        if (signature.length == 0) revert ConsentGuardianRequired(wallet, newPurposes);
        bytes32 digest = _hashTypedDataV4(
            ConsentTypes.hash(
                ConsentTypes.GuardianApproval({
                    wallet: wallet,
                    guardian: guardian,
                    purposes: newPurposes,
                    nonce: nonce,
                    deadline: deadline
                })
            )
        );
        if (!SignatureChecker.isValidSignatureNowCalldata(guardian, digest, signature)) {
            revert ConsentInvalidGuardianSignature(guardian);
        }
    }
}
