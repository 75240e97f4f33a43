// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ConsentTypes} from "../types/ConsentTypes.sol";

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
    /// @param wallet The member's wallet.
    /// @param commitment The salted commitment to the brand's customer id; it can never link again.
    /// @param minor Whether the brand attested the customer is a minor.
    /// @param guardian The minor's guardian; zero for an adult.
    /// @param attester The brand key that attested the commitment.
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
    /// @param wallet The member's wallet.
    /// @param oldPurposes Bitmask granted before.
    /// @param newPurposes Bitmask granted now.
    event ConsentPurposesChanged(address indexed wallet, uint256 oldPurposes, uint256 newPurposes);
    /// @notice The link of `wallet` was removed, by the member or, when `byBrand`, by the brand (its "forget me"
    /// erasure).
    /// @dev Names the wallet only: the commitment was already paired with the wallet by {ConsentLinked} (and the
    /// link's calldata), so repeating it would pair nothing new, and leaving it out keeps the erasure's own record
    /// about the wallet alone. Storage keeps the commitment only as "used", apart from any wallet.
    /// @param wallet The wallet no longer linked.
    /// @param byBrand True for the brand's erasure ({brandUnlink}), false when the member unlinked.
    event ConsentUnlinked(address indexed wallet, bool byBrand);
    /// @notice The guardian of the minor's `wallet` withdrew `purposes` (marketing, partner sharing) on their own.
    /// @dev Followed by {ConsentPurposesChanged} with the purposes that remain.
    /// @param wallet The minor's wallet.
    /// @param guardian The guardian who withdrew.
    /// @param purposes Bitmask the guardian withdrew (bits not granted at the time were already off).
    event ConsentGuardianWithdrew(address indexed wallet, address indexed guardian, uint256 purposes);
    /// @notice The minor's `wallet` has `newGuardian` instead of `oldGuardian`, on the member's and the new
    /// guardian's signatures, submitted by `attester`.
    /// @dev Followed by {ConsentPurposesChanged} when guardian purposes the old guardian approved were dropped.
    /// @param wallet The minor's wallet.
    /// @param oldGuardian The guardian replaced; its approvals no longer count.
    /// @param newGuardian The guardian from now on.
    /// @param attester The brand key that submitted the change.
    event ConsentGuardianChanged(
        address indexed wallet,
        address indexed oldGuardian,
        address indexed newGuardian,
        address attester
    );
    /// @notice The minor's link of `wallet` became an adult's: `attester` attested the new status and the member
    /// signed. From now on marketing and partner sharing stand on the member's signature alone.
    /// @param wallet The member's wallet.
    /// @param formerGuardian The guardian the link had until now.
    /// @param attester The brand key that attested the member's coming of age.
    event ConsentCameOfAge(address indexed wallet, address indexed formerGuardian, address indexed attester);

    /// @notice `purposes` has bits outside the known purposes (see {ALL_PURPOSES}).
    /// @param purposes The bitmask given.
    error ConsentUnknownPurposes(uint256 purposes);
    /// @notice {hasConsent} takes exactly one known purpose bit.
    /// @param purpose The value given: zero, several bits, or an unknown bit.
    error ConsentInvalidPurpose(uint256 purpose);
    /// @notice The message's deadline has passed.
    /// @param deadline The message's (or attestation's) last valid timestamp; sign a new one.
    /// @param timestamp The current block's timestamp.
    error ConsentExpired(uint256 deadline, uint256 timestamp);
    /// @notice The message's nonce is not the wallet's current nonce (already used, or not yet).
    /// @param wallet The member's wallet.
    /// @param nonce The nonce the message carries.
    /// @param currentNonce The nonce it must carry: re-sign with this one (see {nonces}).
    error ConsentInvalidNonce(address wallet, uint256 nonce, uint256 currentNonce);
    /// @notice The caller is not `wallet` and the signature is not `wallet`'s over this message.
    /// @param wallet The wallet whose signature was expected.
    error ConsentInvalidMemberSignature(address wallet);
    /// @notice `attester` does not hold the brand role.
    /// @param attester The attestation's attester.
    error ConsentNotAttester(address attester);
    /// @notice The caller is not `attester` and the signature is not `attester`'s over this attestation.
    /// @param attester The attester whose signature was expected.
    error ConsentInvalidAttesterSignature(address attester);
    /// @notice The link and the attestation name different wallets or commitments.
    /// @param wallet The wallet of the member's Link message.
    /// @param commitment The commitment of the member's Link message.
    error ConsentAttestationMismatch(address wallet, bytes32 commitment);
    /// @notice A minor needs a guardian other than their own wallet; an adult has none.
    /// @param wallet The wallet to link.
    /// @param minor Whether the attestation says the customer is a minor.
    /// @param guardian The guardian it names.
    error ConsentInvalidGuardian(address wallet, bool minor, address guardian);
    /// @notice `wallet` is a minor's and `purposes` newly grants marketing or partner sharing: the guardian must
    /// approve (submit the transaction or sign a GuardianApproval).
    /// @param wallet The minor's wallet.
    /// @param purposes The full set of purposes requested.
    error ConsentGuardianRequired(address wallet, uint256 purposes);
    /// @notice A guardian signature was given but is not the guardian's over this approval.
    /// @param guardian The guardian of the wallet's link.
    error ConsentInvalidGuardianSignature(address guardian);
    /// @notice The zero commitment links nothing.
    /// @param commitment The commitment given (zero).
    error ConsentInvalidCommitment(bytes32 commitment);
    /// @notice A commitment links once ever; a re-link needs a fresh salt.
    /// @param commitment The commitment given.
    error ConsentCommitmentUsed(bytes32 commitment);
    /// @notice `wallet` is already linked; unlink it first.
    /// @param wallet The wallet to link.
    error ConsentAlreadyLinked(address wallet);
    /// @notice `wallet` is not linked.
    /// @param wallet The wallet the call or message names.
    error ConsentNotLinked(address wallet);
    /// @notice `wallet`'s link is an adult's: it has no guardian to act for it or to change.
    /// @param wallet The wallet the call or message names.
    error ConsentNotMinor(address wallet);
    /// @notice `guardian` is not the current guardian of the minor's `wallet` (a former guardian, or a stranger).
    /// @param wallet The minor's wallet.
    /// @param guardian The guardian the message names.
    error ConsentNotGuardian(address wallet, address guardian);
    /// @notice A guardian can withdraw only purposes that need their approval (marketing, partner sharing), and
    /// at least one of them.
    /// @param purposes The bitmask given.
    error ConsentNotGuardianPurposes(uint256 purposes);
    /// @notice The withdrawal's nonce is not the guardian's current withdrawal nonce (already used, or not yet).
    /// @param guardian The guardian.
    /// @param nonce The nonce the message carries.
    /// @param currentNonce The nonce it must carry: re-sign with this one (see {guardianNonces}).
    error ConsentInvalidGuardianNonce(address guardian, uint256 nonce, uint256 currentNonce);

    /// @notice Links `request.wallet` to the brand account behind `request.commitment` and grants `request.purposes`.
    /// Anyone may submit it (the brand or a relayer pays the gas), but it needs:
    /// the member's signature over `request` unless the member submits,
    /// the brand's attestation (its signature unless the attester submits),
    /// and, for a minor granting marketing or partner sharing, the guardian's approval.
    /// @dev Requirements:
    ///
    /// - `attestation` names the same wallet and commitment as `request`, else {ConsentAttestationMismatch};
    /// - the commitment is not zero, else {ConsentInvalidCommitment};
    /// - the wallet is not linked, else {ConsentAlreadyLinked};
    /// - the commitment was never linked, else {ConsentCommitmentUsed};
    /// - `request.purposes` has only known bits, else {ConsentUnknownPurposes};
    /// - a minor has a guardian other than the wallet and an adult has none, else {ConsentInvalidGuardian};
    /// - `request.deadline` has not passed, else {ConsentExpired};
    /// - `request.nonce` is the wallet's current nonce, else {ConsentInvalidNonce};
    /// - the caller is the wallet or `memberSignature` is valid, else {ConsentInvalidMemberSignature};
    /// - `attestation.deadline` has not passed, else {ConsentExpired};
    /// - `attestation.attester` has `BRAND_ROLE`, else {ConsentNotAttester};
    /// - the caller is the attester or `attesterSignature` is valid, else {ConsentInvalidAttesterSignature};
    /// - for a minor granting marketing or partner sharing, the caller is the guardian or `guardianSignature`
    ///   is present, else {ConsentGuardianRequired}, and valid, else {ConsentInvalidGuardianSignature}.
    ///
    /// Emits a {ConsentLinked} event, then a {ConsentPurposesChanged} event from 0.
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
    /// @dev Requirements:
    ///
    /// - the wallet is linked, else {ConsentNotLinked};
    /// - `change.purposes` has only known bits, else {ConsentUnknownPurposes};
    /// - `change.deadline` has not passed, else {ConsentExpired};
    /// - `change.nonce` is the wallet's current nonce, else {ConsentInvalidNonce};
    /// - the caller is the wallet or `memberSignature` is valid, else {ConsentInvalidMemberSignature};
    /// - for a minor newly granting marketing or partner sharing, the caller is the guardian or
    ///   `guardianSignature` is present, else {ConsentGuardianRequired}, and valid, else
    ///   {ConsentInvalidGuardianSignature}.
    ///
    /// Emits a {ConsentPurposesChanged} event, even when the purposes are unchanged.
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
    ///
    /// Requirements:
    ///
    /// - the caller's wallet is linked, else {ConsentNotLinked}.
    ///
    /// Emits a {ConsentPurposesChanged} event to 0.
    function revokeAll() external;

    /// @notice Removes the caller's link and every purpose with it.
    /// @dev Consumes the caller's nonce, like {revokeAll}. The commitment stays used: re-linking needs the
    /// brand's attestation of a fresh one.
    ///
    /// Requirements:
    ///
    /// - the caller's wallet is linked, else {ConsentNotLinked}.
    ///
    /// Emits a {ConsentPurposesChanged} event to 0, then a {ConsentUnlinked} event with `byBrand` false.
    function unlink() external;

    /// @notice Removes the link of `request.wallet` on the member's signature; anyone may submit it.
    /// @dev Requirements:
    ///
    /// - the wallet is linked, else {ConsentNotLinked};
    /// - `request.deadline` has not passed, else {ConsentExpired};
    /// - `request.nonce` is the wallet's current nonce, else {ConsentInvalidNonce};
    /// - the caller is the wallet or `memberSignature` is valid, else {ConsentInvalidMemberSignature}.
    ///
    /// Emits a {ConsentPurposesChanged} event to 0, then a {ConsentUnlinked} event with `byBrand` false.
    /// @param request The member's Unlink message; its nonce is consumed.
    /// @param memberSignature The wallet's EIP-712 signature of `request`; empty if the wallet submits.
    function unlinkBySig(ConsentTypes.Unlink calldata request, bytes calldata memberSignature) external;

    /// @notice Removes the link of `wallet`. Brand role only.
    /// @dev This is what the brand's "forget me" erasure calls after deleting the salt and the id off-chain: the
    /// wallet no longer consents to anything and its old commitment, which can never link again, names nobody.
    /// Consumes the wallet's nonce so no member message signed before the erasure can be used after it.
    ///
    /// Requirements:
    ///
    /// - the caller has `BRAND_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - `wallet` is linked, else {ConsentNotLinked}.
    ///
    /// Emits a {ConsentPurposesChanged} event to 0, then a {ConsentUnlinked} event with `byBrand` true.
    /// @param wallet The member's wallet whose link the brand erases.
    function brandUnlink(address wallet) external;

    /// @notice The minor's guardian withdraws purposes that needed their approval (marketing, partner sharing),
    /// by their own call or by their signature relayed by anyone (the brand). It only ever removes purposes.
    /// @dev Consumes the guardian's withdrawal nonce and the wallet's nonce, so a grant the member signed earlier
    /// (with the guardian's approval) and a relayer still holds dies too.
    ///
    /// Requirements:
    ///
    /// - the wallet is linked, else {ConsentNotLinked}, and a minor's, else {ConsentNotMinor};
    /// - `withdrawal.guardian` is the wallet's current guardian, else {ConsentNotGuardian};
    /// - `withdrawal.purposes` is a non-empty subset of {GUARDIAN_PURPOSES}, else {ConsentNotGuardianPurposes};
    /// - `withdrawal.deadline` has not passed, else {ConsentExpired};
    /// - `withdrawal.nonce` is the guardian's current withdrawal nonce for the wallet, else
    ///   {ConsentInvalidGuardianNonce};
    /// - the caller is the guardian or `guardianSignature` is the guardian's, else {ConsentInvalidGuardianSignature}.
    ///
    /// Emits a {ConsentGuardianWithdrew} event, then a {ConsentPurposesChanged} event.
    /// @param withdrawal The guardian's GuardianWithdrawal message; its nonce is consumed.
    /// @param guardianSignature The guardian's EIP-712 signature of `withdrawal`; empty if the guardian submits.
    function guardianWithdraw(
        ConsentTypes.GuardianWithdrawal calldata withdrawal,
        bytes calldata guardianSignature
    ) external;

    /// @notice Replaces a minor's guardian, on the member's signature and the new guardian's. Brand role only.
    /// @dev The old guardian's approvals stop counting: the marketing and partner sharing they approved are
    /// withdrawn (the new guardian approves anew with the member's next change), and the wallet's nonce moves, so
    /// approvals the old guardian signed and a relayer still holds die.
    ///
    /// Requirements:
    ///
    /// - the caller has `BRAND_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - the wallet is linked, else {ConsentNotLinked}, and a minor's, else {ConsentNotMinor};
    /// - `change.oldGuardian` is the current guardian, else {ConsentNotGuardian};
    /// - `change.newGuardian` is not zero, the wallet or the current guardian, else {ConsentInvalidGuardian};
    /// - `change.deadline` has not passed, else {ConsentExpired};
    /// - `change.nonce` is the wallet's current nonce, else {ConsentInvalidNonce};
    /// - `memberSignature` is the wallet's, else {ConsentInvalidMemberSignature};
    /// - `newGuardianSignature` is the new guardian's, else {ConsentInvalidGuardianSignature}.
    ///
    /// Emits a {ConsentGuardianChanged} event, then a {ConsentPurposesChanged} event if guardian purposes were dropped.
    /// @param change The GuardianChange message both sign; the wallet's nonce is consumed.
    /// @param memberSignature The wallet's EIP-712 signature of `change`.
    /// @param newGuardianSignature The new guardian's EIP-712 signature of `change`.
    function changeGuardian(
        ConsentTypes.GuardianChange calldata change,
        bytes calldata memberSignature,
        bytes calldata newGuardianSignature
    ) external;

    /// @notice Turns a minor's link into an adult's: the brand attests the member's new status by submitting, the
    /// member agrees by signing. The guardian goes; the purposes stay, now standing on the member's consent alone.
    /// Brand role only.
    /// @dev Requirements:
    ///
    /// - the caller has `BRAND_ROLE`, else `AccessControlUnauthorizedAccount`;
    /// - the wallet is linked, else {ConsentNotLinked}, and a minor's, else {ConsentNotMinor};
    /// - `request.deadline` has not passed, else {ConsentExpired};
    /// - `request.nonce` is the wallet's current nonce, else {ConsentInvalidNonce};
    /// - `memberSignature` is the wallet's, else {ConsentInvalidMemberSignature}.
    ///
    /// Emits a {ConsentCameOfAge} event.
    /// @param request The member's ComingOfAge message; its nonce is consumed.
    /// @param memberSignature The wallet's EIP-712 signature of `request`.
    function comeOfAge(ConsentTypes.ComingOfAge calldata request, bytes calldata memberSignature) external;

    /// @notice Whether `wallet` is linked and currently consents to `purpose` (exactly one purpose bit).
    /// @dev Reverts with {ConsentInvalidPurpose} for zero, several bits or an unknown bit, rather than answer a
    /// question whose "true" could mean "any of them" or "all of them".
    /// @param wallet The member's wallet.
    /// @param purpose One of {REWARDS}, {ANALYTICS}, {MARKETING} or {PARTNER_SHARING}.
    /// @return True when the wallet is linked and grants `purpose`; false for an unlinked wallet.
    function hasConsent(address wallet, uint256 purpose) external view returns (bool);

    /// @notice The link of `wallet`; reverts with {ConsentNotLinked} if none.
    /// @param wallet The member's wallet.
    /// @return The link: commitment, purposes, minor, guardian and link time.
    function linkOf(address wallet) external view returns (ConsentLink memory);

    /// @notice Whether `wallet` is linked.
    /// @param wallet The member's wallet.
    /// @return True while the wallet has a link, whatever its purposes (possibly none).
    function isLinked(address wallet) external view returns (bool);

    /// @notice Whether `commitment` was ever linked (then it can never link again).
    /// @dev Worth checking before asking a member to sign a Link: {link} would revert with {ConsentCommitmentUsed}.
    /// @param commitment The salted commitment to a customer id.
    /// @return True once it has been linked, even if it was unlinked since.
    function isCommitmentUsed(bytes32 commitment) external view returns (bool);

    /// @notice The nonce the wallet's next signed message must carry.
    /// @dev It also moves on every direct call that changes the link, so a message signed before is dead.
    /// @param wallet The member's wallet.
    /// @return The current nonce; 0 for a wallet never linked, and above 0 for ever after its first link (an unlink
    /// uses it too and nothing resets it): Rewards reads it as "was ever linked" to refuse a returning member as a new
    /// referee.
    function nonces(address wallet) external view returns (uint256);

    /// @notice The nonce the guardian's next GuardianWithdrawal for the minor's `wallet` must carry.
    /// @dev One counter per guardian and minor, so withdrawals signed for two minors at once both stay valid.
    /// @param guardian The guardian's address.
    /// @param wallet The minor's wallet.
    /// @return The current withdrawal nonce; 0 if the guardian never withdrew anything from this wallet.
    function guardianNonces(address guardian, address wallet) external view returns (uint256);

    /// @notice The EIP-712 domain separator (name "Punchcard Consent", version "1", this chain, this contract).
    /// @return The separator the registry hashes every signed message with.
    function DOMAIN_SEPARATOR() external view returns (bytes32);
}
