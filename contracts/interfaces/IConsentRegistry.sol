// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ConsentTypes} from "../libraries/ConsentTypes.sol";

/// @title IConsentRegistry
/// @notice What a client needs of Punchcard's consent registry: a member's wallet linked to the brand's
/// customer account by a salted commitment, with a set of purposes the member grants, changes and revokes.
/// @dev Purposes are bits: REWARDS = 1, ANALYTICS = 2, MARKETING = 4, PARTNER_SHARING = 8; other bits are
/// rejected. The chain holds only `keccak256(abi.encodePacked(bytes32 salt, string customerId))`; the brand keeps
/// the salt and the id off-chain, and erasure deletes them, after which the commitment names nobody.
/// Signed messages are the EIP-712 structs of {ConsentTypes}.
interface IConsentRegistry {
    /// @notice A wallet's link as the registry holds it.
    /// @param commitment The salted commitment to the brand's customer id.
    /// @param purposes Bitmask of the purposes currently granted.
    /// @param minor Whether the brand attested the customer is a minor.
    /// @param guardian The minor's guardian, who must approve marketing and partner sharing; zero for adults.
    /// @param linkedAt Timestamp of the link.
    struct ConsentLink {
        bytes32 commitment;
        uint256 purposes;
        bool minor;
        address guardian;
        uint256 linkedAt;
    }

    /// @notice `wallet` was linked to the brand account behind `commitment`, on the word of `attester`.
    /// @dev Followed in the same transaction by {ConsentPurposesChanged} from 0 to the purposes granted at link time.
    event ConsentLinked(
        address indexed wallet,
        bytes32 indexed commitment,
        bool minor,
        address guardian,
        address indexed attester
    );
    /// @notice The purposes `wallet` consents to went from `oldPurposes` to `newPurposes`.
    /// @dev The one event for grants and revocations: granted = new & ~old, revoked = old & ~new. Emitted on
    /// link (from 0) and unlink (to 0) too, so the ledger can follow consent from this event alone.
    event ConsentPurposesChanged(address indexed wallet, uint256 oldPurposes, uint256 newPurposes);
    /// @notice The link of `wallet` to `commitment` was removed, by the member or, when `byBrand`, by the brand
    /// (its "forget me" erasure).
    event ConsentUnlinked(address indexed wallet, bytes32 indexed commitment, bool byBrand);

    /// @notice `purposes` has bits outside the known purposes (see {ALL_PURPOSES}).
    error ConsentUnknownPurposes(uint256 purposes);
    /// @notice {hasConsent} takes exactly one known purpose bit.
    error ConsentInvalidPurpose(uint256 purpose);
    /// @notice The message's deadline has passed.
    error ConsentExpired(uint256 deadline, uint256 timestamp);
    /// @notice The message's nonce is not the wallet's current nonce (already used, or not yet).
    error ConsentInvalidNonce(address wallet, uint256 nonce, uint256 currentNonce);
    /// @notice The caller is not `wallet` and the signature is not `wallet`'s over this message.
    error ConsentInvalidMemberSignature(address wallet);
    /// @notice `attester` does not hold the brand role.
    error ConsentNotAttester(address attester);
    /// @notice The caller is not `attester` and the signature is not `attester`'s over this attestation.
    error ConsentInvalidAttesterSignature(address attester);
    /// @notice The link and the attestation name different wallets or commitments.
    error ConsentAttestationMismatch(address wallet, bytes32 commitment);
    /// @notice A minor needs a guardian other than their own wallet; an adult has none.
    error ConsentInvalidGuardian(address wallet, bool minor, address guardian);
    /// @notice `wallet` is a minor's and `purposes` newly grants marketing or partner sharing: the guardian must
    /// approve (submit the transaction or sign a GuardianApproval).
    error ConsentGuardianRequired(address wallet, uint256 purposes);
    /// @notice A guardian signature was given but is not the guardian's over this approval.
    error ConsentInvalidGuardianSignature(address guardian);
    /// @notice The zero commitment links nothing.
    error ConsentInvalidCommitment(bytes32 commitment);
    /// @notice A commitment links once ever; a re-link needs a fresh salt.
    error ConsentCommitmentUsed(bytes32 commitment);
    /// @notice `wallet` is already linked; unlink it first.
    error ConsentAlreadyLinked(address wallet);
    /// @notice `wallet` is not linked.
    error ConsentNotLinked(address wallet);

    /// @notice Links `request.wallet` to the brand account behind `request.commitment` and grants `request.purposes`.
    /// Anyone may submit it (the brand or a relayer pays the gas), but it needs:
    /// the member's signature over `request` unless the member submits,
    /// the brand's attestation (its signature unless the attester submits),
    /// and, for a minor granting marketing or partner sharing, the guardian's approval.
    /// @param request The member's Link message; its nonce is consumed.
    /// @param memberSignature The wallet's EIP-712 signature of `request` (ECDSA or ERC-1271); empty if the wallet submits.
    /// @param attestation The brand's Attestation of the same wallet and commitment.
    /// @param attesterSignature `attestation.attester`'s EIP-712 signature; empty if the attester submits.
    /// @param guardianSignature The guardian's GuardianApproval signature; empty if not needed or the guardian submits.
    function link(
        ConsentTypes.Link calldata request,
        bytes calldata memberSignature,
        ConsentTypes.Attestation calldata attestation,
        bytes calldata attesterSignature,
        bytes calldata guardianSignature
    ) external;

    /// @notice Replaces the purposes of a linked wallet with `change.purposes`; 0 revokes them all. Anyone may
    /// submit it with the member's signature, or the member directly. Only a minor's new grant of marketing or
    /// partner sharing needs the guardian; revoking never needs the guardian or the brand.
    /// @param change The member's PurposesChange message; its nonce is consumed.
    /// @param memberSignature The wallet's EIP-712 signature of `change`; empty if the wallet submits.
    /// @param guardianSignature The guardian's GuardianApproval signature; empty if not needed or the guardian submits.
    function changePurposes(
        ConsentTypes.PurposesChange calldata change,
        bytes calldata memberSignature,
        bytes calldata guardianSignature
    ) external;

    /// @notice Revokes every purpose of the caller's link, with nothing to sign or look up.
    /// @dev Consumes the caller's nonce, so grants the member signed earlier and a relayer still holds die too.
    function revokeAll() external;

    /// @notice Removes the caller's link and every purpose with it.
    /// @dev Consumes the caller's nonce, like {revokeAll}.
    function unlink() external;

    /// @notice Removes the link of `request.wallet` on the member's signature; anyone may submit it.
    /// @param request The member's Unlink message; its nonce is consumed.
    /// @param memberSignature The wallet's EIP-712 signature of `request`; empty if the wallet submits.
    function unlinkBySig(ConsentTypes.Unlink calldata request, bytes calldata memberSignature) external;

    /// @notice Removes the link of `wallet`. Brand role only.
    /// @dev This is what the brand's "forget me" erasure calls after deleting the salt and the id off-chain: the
    /// wallet no longer consents to anything and its old commitment, which can never link again, names nobody.
    /// Consumes the wallet's nonce so no member message signed before the erasure can be used after it.
    function brandUnlink(address wallet) external;

    /// @notice Whether `wallet` is linked and currently consents to `purpose` (exactly one purpose bit).
    function hasConsent(address wallet, uint256 purpose) external view returns (bool);

    /// @notice The link of `wallet`; reverts with {ConsentNotLinked} if none.
    function linkOf(address wallet) external view returns (ConsentLink memory);

    /// @notice Whether `wallet` is linked.
    function isLinked(address wallet) external view returns (bool);

    /// @notice Whether `commitment` was ever linked (then it can never link again).
    function isCommitmentUsed(bytes32 commitment) external view returns (bool);

    /// @notice The nonce the wallet's next signed message must carry.
    function nonces(address wallet) external view returns (uint256);

    /// @notice The EIP-712 domain separator (name "Punchcard Consent", version "1", this chain, this contract).
    function DOMAIN_SEPARATOR() external view returns (bytes32);
}
