import type { ContractErrorSentences } from "./types.js";
import { consentRegistryErrorAbi } from "../generated/errorAbi.js";
import { errorCatalog } from "./catalog.js";

/**
 * One sentence per custom error only the ConsentRegistry raises, saying what happened and what to do.
 */
export const consentRegistryErrors = {
  ConsentUnknownPurposes: ([mask]) =>
    `Purposes ${mask} hold a bit that is no purpose: use rewards, analytics, marketing, partnerSharing.`,
  ConsentInvalidPurpose: ([purpose]) => `${purpose} is not exactly one purpose.`,
  ConsentExpired: ([deadline]) =>
    `The signature expired at ${new Date(Number(deadline) * 1000).toISOString()}: ask the member to sign again.`,
  ConsentInvalidNonce: ([wallet]) =>
    `The message was signed with an old nonce of ${wallet} (used already, or the member acted since): sign again.`,
  ConsentInvalidMemberSignature: ([wallet]) =>
    `The signature is not ${wallet}'s: only the member's own wallet can grant consent.`,
  ConsentNotAttester: ([attester]) => `${attester} cannot attest links: it lacks the registry's brand role.`,
  ConsentInvalidAttesterSignature: ([attester]) => `The attestation is not signed by ${attester}.`,
  ConsentAttestationMismatch: ([wallet]) => `The attestation is for another wallet or commitment than ${wallet}'s request.`,
  ConsentInvalidGuardian: ([wallet]) =>
    `The guardian of ${wallet} is wrong: a minor needs a guardian other than their own wallet, an adult none.`,
  ConsentGuardianRequired: ([wallet]) =>
    `${wallet} belongs to a minor: marketing and partner sharing need the guardian's approval (signGuardianApproval).`,
  ConsentInvalidGuardianSignature: ([guardian]) => `The guardian approval is not signed by ${guardian}.`,
  ConsentInvalidCommitment: () => "The zero commitment links nothing.",
  ConsentCommitmentUsed: ([commitment]) => `Commitment ${commitment} was used before: link with a fresh salt.`,
  ConsentAlreadyLinked: ([wallet]) => `${wallet} is already linked: unlink it first.`,
  ConsentNotLinked: ([wallet]) => `${wallet} is not linked to any customer account.`,
  ConsentNotMinor: ([wallet]) => `${wallet}'s link is an adult's: it has no guardian to act for it or to change.`,
  ConsentNotGuardian: ([wallet, guardian]) =>
    `${guardian} is not the guardian of ${wallet} (a former guardian's approvals no longer count): read the link's guardian with getConsentLink.`,
  ConsentNotGuardianPurposes: ([purposes]) =>
    `A guardian can withdraw only marketing and partner sharing (at least one); ${purposes} is not such a set.`,
  ConsentInvalidGuardianNonce: ([guardian]) =>
    `The withdrawal was signed with an old nonce of guardian ${guardian} (used already): sign it again.`,
} satisfies ContractErrorSentences<"consentRegistry">;

/** The errors and sentences of the ConsentRegistry: what an action calling it decodes a revert with. */
export const consentRegistryErrorCatalog = /* @__PURE__ */ errorCatalog(consentRegistryErrorAbi, consentRegistryErrors);
