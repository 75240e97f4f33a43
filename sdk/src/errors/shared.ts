import { ROLES } from "../constants.js";
import { sharedErrorAbi } from "../generated/errorAbi.js";
import { errorCatalog } from "./catalog.js";
import type { ErrorSentences, SharedErrorName } from "./types.js";

/**
 * One sentence per custom error that more than one contract raises (OpenZeppelin's access control,
 * signatures and strings, the pause), saying what happened and what to do. Declared over
 * `SharedErrorName`, computed from the ABIs: an error that a second contract starts raising moves here.
 */
export const sharedErrors = {
  AccessControlUnauthorizedAccount: ([account, role]) =>
    `${account} lacks the role this call needs (${roleName(role)}): ask the program's admin to grant it.`,
  EnforcedPause: () =>
    "The program's pause stops this call: mints, transfers and fills of the paused scopes wait until the pauser unpauses or the pause runs out (Stamps' pausedUntil); burns, redemptions and withdrawals still work.",
  AccessControlBadConfirmation: () => "To renounce a role, the caller must confirm its own address.",
  AccessControlEnforcedDefaultAdminDelay: ([schedule]) =>
    `The admin handover cannot complete before ${new Date(Number(schedule) * 1000).toISOString()}: wait for the delay.`,
  AccessControlEnforcedDefaultAdminRules: () =>
    "The admin role moves only by the two-step handover (beginDefaultAdminTransfer, then acceptDefaultAdminTransfer).",
  AccessControlInvalidDefaultAdmin: ([account]) => `${account} cannot accept the admin role: it is not the pending admin.`,
  SafeCastOverflowedUintDowncast: ([bits, value]) => `${value} does not fit in ${bits} bits.`,
  ECDSAInvalidSignature: () => "The signature is not a valid signature: sign the message again.",
  ECDSAInvalidSignatureLength: ([length]) => `A signature must be 65 bytes (got ${length}): sign the message again.`,
  ECDSAInvalidSignatureS: () =>
    "The signature is malleable (high s) and was refused: sign the message again with a standard wallet.",
  InvalidAccountNonce: ([account, nonce]) => `The permit's nonce is not ${account}'s current one (${nonce}): sign a new one.`,
  InvalidShortString: () => "A name is too long for the EIP-712 domain.",
  StringTooLong: ([text]) => `${JSON.stringify(text)} is too long.`,
  ReentrancyGuardReentrantCall: () => "A contract called back into the Market during a fill: refused.",
} satisfies ErrorSentences<SharedErrorName>;

const roleNames: Record<string, string> = Object.fromEntries(Object.entries(ROLES).map(([name, id]) => [id, name]));

function roleName(role: unknown): string {
  return roleNames[String(role)] ?? String(role);
}

/** The errors several contracts raise and their sentences: every decode reads them beside the called contract's. */
export const sharedErrorCatalog = /* @__PURE__ */ errorCatalog(sharedErrorAbi, sharedErrors);
