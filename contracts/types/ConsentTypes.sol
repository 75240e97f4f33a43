// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ConsentTypes
/// @notice The EIP-712 messages of the consent registry (domain "Punchcard Consent", version "1"):
/// each struct with its TYPEHASH beside it and the function that hashes it.
/// @dev Clients rebuild these type strings from the same field lists (see `test/helpers/consentSignatures.ts`);
/// a test compares the hashes with {ConsentRegistry}'s public TYPEHASH constants so the two cannot drift.
/// Every member message carries the wallet's nonce and a deadline, so a signature is single use, dies when
/// the member does anything else first, and cannot wait forever in a relayer's queue.
library ConsentTypes {
    /// @notice The member's consent to link `wallet` to the brand account behind `commitment`, granting `purposes`.
    /// @param wallet The member's wallet (an EOA or an ERC-1271 contract wallet); it signs this message.
    /// @param commitment `keccak256(abi.encodePacked(bytes32 salt, string customerId))`, computed off-chain.
    /// @param purposes Bitmask of purposes granted at link time (may be 0: link now, grant later).
    /// @param nonce The wallet's current nonce in the registry.
    /// @param deadline Last timestamp at which the message may be used.
    struct Link {
        address wallet;
        bytes32 commitment;
        uint256 purposes;
        uint256 nonce;
        uint256 deadline;
    }

    bytes32 internal constant LINK_TYPEHASH =
        keccak256("Link(address wallet,bytes32 commitment,uint256 purposes,uint256 nonce,uint256 deadline)");

    /// @notice The brand's statement that `commitment` is one of its customer accounts, to be linked to `wallet`,
    /// and whether that customer is a minor (then `guardian` must approve marketing and partner sharing).
    /// @param wallet The wallet the brand expects to link.
    /// @param commitment The salted commitment to the customer id.
    /// @param minor Whether the customer is a minor.
    /// @param guardian The guardian's address when `minor`, else the zero address.
    /// @param attester The brand key making the statement; it must hold the brand role, and signs unless it submits.
    /// @param deadline Last timestamp at which the attestation may be used.
    /// @dev No nonce: a commitment links once ever, so an attestation, which names its commitment, is single use.
    struct Attestation {
        address wallet;
        bytes32 commitment;
        bool minor;
        address guardian;
        address attester;
        uint256 deadline;
    }

    bytes32 internal constant ATTESTATION_TYPEHASH =
        keccak256(
            "Attestation(address wallet,bytes32 commitment,bool minor,address guardian,address attester,uint256 deadline)"
        );

    /// @notice The member's new set of purposes; 0 revokes them all.
    /// @param wallet The member's linked wallet; it signs this message.
    /// @param purposes The complete new bitmask (not a delta), so a replayed or reordered message cannot add a purpose.
    /// @param nonce The wallet's current nonce in the registry.
    /// @param deadline Last timestamp at which the message may be used.
    struct PurposesChange {
        address wallet;
        uint256 purposes;
        uint256 nonce;
        uint256 deadline;
    }

    bytes32 internal constant PURPOSES_CHANGE_TYPEHASH =
        keccak256("PurposesChange(address wallet,uint256 purposes,uint256 nonce,uint256 deadline)");

    /// @notice A guardian's approval of a minor's link or purposes change granting marketing or partner sharing.
    /// @dev Same wallet, purposes, nonce and deadline as the member's own message, so the approval is bound to
    /// that one operation and dies with it. A type of its own (not the member's message signed twice) so a wallet
    /// shows the guardian what they approve and one signature can never pass for the other.
    /// @param wallet The minor's linked (or to-be-linked) wallet.
    /// @param guardian The guardian the brand attested; it signs this message.
    /// @param purposes The complete new bitmask the member asks for.
    /// @param nonce The minor's wallet's current nonce (not the guardian's).
    /// @param deadline The deadline of the member's message.
    struct GuardianApproval {
        address wallet;
        address guardian;
        uint256 purposes;
        uint256 nonce;
        uint256 deadline;
    }

    bytes32 internal constant GUARDIAN_APPROVAL_TYPEHASH =
        keccak256(
            "GuardianApproval(address wallet,address guardian,uint256 purposes,uint256 nonce,uint256 deadline)"
        );

    /// @notice The member's request to remove the link of `wallet` (and every purpose with it).
    /// @param wallet The member's linked wallet; it signs this message.
    /// @param nonce The wallet's current nonce in the registry.
    /// @param deadline Last timestamp at which the message may be used.
    struct Unlink {
        address wallet;
        uint256 nonce;
        uint256 deadline;
    }

    bytes32 internal constant UNLINK_TYPEHASH = keccak256("Unlink(address wallet,uint256 nonce,uint256 deadline)");

    /// @notice A guardian's withdrawal of purposes that needed their approval (marketing, partner sharing) from
    /// the minor's link of `wallet`. It can only remove: nothing the member did not sign is ever granted by it.
    /// @dev The nonce is the guardian's own withdrawal nonce for this minor ({ConsentRegistry-guardianNonces}), not
    /// the minor's: a minor acting first (which moves the wallet's nonce) cannot kill a withdrawal the brand is
    /// relaying, and a guardian of several minors can sign a withdrawal for each at once.
    /// @param wallet The minor's linked wallet.
    /// @param guardian The wallet's current guardian; it signs this message.
    /// @param purposes Bitmask of guardian purposes to withdraw (only MARKETING and PARTNER_SHARING bits).
    /// @param nonce The guardian's current withdrawal nonce for `wallet` in the registry.
    /// @param deadline Last timestamp at which the message may be used.
    struct GuardianWithdrawal {
        address wallet;
        address guardian;
        uint256 purposes;
        uint256 nonce;
        uint256 deadline;
    }

    bytes32 internal constant GUARDIAN_WITHDRAWAL_TYPEHASH =
        keccak256(
            "GuardianWithdrawal(address wallet,address guardian,uint256 purposes,uint256 nonce,uint256 deadline)"
        );

    /// @notice A minor's guardian handed from `oldGuardian` to `newGuardian`. Signed by the member and by the new
    /// guardian (the same message: each signature is checked against its own signer, so neither passes for the
    /// other), submitted by the brand.
    /// @param wallet The minor's linked wallet.
    /// @param oldGuardian The guardian the change replaces, so a change signed against another guardian fails.
    /// @param newGuardian The guardian from now on.
    /// @param nonce The minor's wallet's current nonce.
    /// @param deadline Last timestamp at which the message may be used.
    struct GuardianChange {
        address wallet;
        address oldGuardian;
        address newGuardian;
        uint256 nonce;
        uint256 deadline;
    }

    bytes32 internal constant GUARDIAN_CHANGE_TYPEHASH =
        keccak256(
            "GuardianChange(address wallet,address oldGuardian,address newGuardian,uint256 nonce,uint256 deadline)"
        );

    /// @notice The member's agreement that their minor's link becomes an adult's (the brand attests the new
    /// status by submitting it): the guardian goes, and guardian purposes stand on the member's signature alone.
    /// @param wallet The member's linked wallet; it signs this message.
    /// @param nonce The wallet's current nonce in the registry.
    /// @param deadline Last timestamp at which the message may be used.
    struct ComingOfAge {
        address wallet;
        uint256 nonce;
        uint256 deadline;
    }

    bytes32 internal constant COMING_OF_AGE_TYPEHASH =
        keccak256("ComingOfAge(address wallet,uint256 nonce,uint256 deadline)");

    /// @notice EIP-712 struct hash of a Link: its TYPEHASH, then every field in declaration order.
    /// @param message The message as signed.
    /// @return The struct hash, still to be wrapped in the registry's EIP-712 domain before it can be signed.
    function hash(Link calldata message) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    LINK_TYPEHASH,
                    message.wallet,
                    message.commitment,
                    message.purposes,
                    message.nonce,
                    message.deadline
                )
            );
    }

    /// @notice EIP-712 struct hash of an Attestation: its TYPEHASH, then every field in declaration order.
    /// @param message The message as signed.
    /// @return The struct hash, still to be wrapped in the registry's EIP-712 domain before it can be signed.
    function hash(Attestation calldata message) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    ATTESTATION_TYPEHASH,
                    message.wallet,
                    message.commitment,
                    message.minor,
                    message.guardian,
                    message.attester,
                    message.deadline
                )
            );
    }

    /// @notice EIP-712 struct hash of a PurposesChange: its TYPEHASH, then every field in declaration order.
    /// @param message The message as signed.
    /// @return The struct hash, still to be wrapped in the registry's EIP-712 domain before it can be signed.
    function hash(PurposesChange calldata message) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(PURPOSES_CHANGE_TYPEHASH, message.wallet, message.purposes, message.nonce, message.deadline)
            );
    }

    /// @notice EIP-712 struct hash of a GuardianApproval: its TYPEHASH, then every field in declaration order.
    /// @param message The message as signed.
    /// @return The struct hash, still to be wrapped in the registry's EIP-712 domain before it can be signed.
    function hash(GuardianApproval memory message) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    GUARDIAN_APPROVAL_TYPEHASH,
                    message.wallet,
                    message.guardian,
                    message.purposes,
                    message.nonce,
                    message.deadline
                )
            );
    }

    /// @notice EIP-712 struct hash of an Unlink: its TYPEHASH, then every field in declaration order.
    /// @param message The message as signed.
    /// @return The struct hash, still to be wrapped in the registry's EIP-712 domain before it can be signed.
    function hash(Unlink calldata message) internal pure returns (bytes32) {
        return keccak256(abi.encode(UNLINK_TYPEHASH, message.wallet, message.nonce, message.deadline));
    }

    /// @notice EIP-712 struct hash of a GuardianWithdrawal: its TYPEHASH, then every field in declaration order.
    /// @param message The message as signed.
    /// @return The struct hash, still to be wrapped in the registry's EIP-712 domain before it can be signed.
    function hash(GuardianWithdrawal calldata message) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    GUARDIAN_WITHDRAWAL_TYPEHASH,
                    message.wallet,
                    message.guardian,
                    message.purposes,
                    message.nonce,
                    message.deadline
                )
            );
    }

    /// @notice EIP-712 struct hash of a GuardianChange: its TYPEHASH, then every field in declaration order.
    /// @param message The message as signed.
    /// @return The struct hash, still to be wrapped in the registry's EIP-712 domain before it can be signed.
    function hash(GuardianChange calldata message) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    GUARDIAN_CHANGE_TYPEHASH,
                    message.wallet,
                    message.oldGuardian,
                    message.newGuardian,
                    message.nonce,
                    message.deadline
                )
            );
    }

    /// @notice EIP-712 struct hash of a ComingOfAge: its TYPEHASH, then every field in declaration order.
    /// @param message The message as signed.
    /// @return The struct hash, still to be wrapped in the registry's EIP-712 domain before it can be signed.
    function hash(ComingOfAge calldata message) internal pure returns (bytes32) {
        return keccak256(abi.encode(COMING_OF_AGE_TYPEHASH, message.wallet, message.nonce, message.deadline));
    }
}
