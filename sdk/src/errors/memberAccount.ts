import type { ContractErrorSentences } from "./types.js";
import { memberAccountErrorAbi } from "../generated/errorAbi.js";
import { errorCatalog } from "./catalog.js";

const date = (seconds: bigint | number) => new Date(Number(seconds) * 1000).toISOString();

/** One sentence per custom error only a member's passkey account raises, saying what happened and what to do. */
export const memberAccountErrors = {
  MemberAccountAlreadyInitialized: () =>
    "This member account already has its passkey and recoverer: an account is set up once, by the factory that creates it.",
  MemberAccountPasskeyExists: ([keyId]) => `Passkey ${keyId} already signs for this account: nothing to add.`,
  MemberAccountUnknownPasskey: ([keyId]) => `Passkey ${keyId} is not one of this account's passkeys: check the key id.`,
  MemberAccountLastPasskey: ([keyId]) =>
    `Passkey ${keyId} is the account's last one: add another passkey first, or nobody could sign for the account.`,
  MemberAccountInvalidPasskey: ([x, y]) =>
    `(${x}, ${y}) is not a P-256 public key: pass the passkey's public key as the browser returned it at registration.`,
  MemberAccountNotRecoverer: ([caller, recoverer]) =>
    recoverer === "0x0000000000000000000000000000000000000000"
      ? `${caller} cannot propose a recovery: the member set no recoverer.`
      : `${caller} cannot propose a recovery: only the account's recoverer (${recoverer}) can.`,
  MemberAccountRecoveryPending: ([recoveryId]) =>
    `Recovery ${recoveryId} is already pending: wait for it to be executed, or have the member's passkey cancel it.`,
  MemberAccountNoRecovery: ([recoveryId]) =>
    `No pending recovery has number ${recoveryId}: it was executed, cancelled by the member, or never proposed.`,
  MemberAccountRecoveryNotReady: ([recoveryId, readyAt]) =>
    `Recovery ${recoveryId} can be executed from ${date(readyAt)}: the member has until then to cancel it.`,
  AccountUnauthorized: ([sender]) =>
    `${sender} cannot act for this account: only a UserOp its passkey signed (through the EntryPoint) or the account itself can.`,
  UnsupportedExecutionMode: () =>
    "The account runs batches only (ERC-7821 mode 0x01, revert on failure): encode the calls as a batch.",
  ERC7579DecodingError: () => "The batch could not be decoded: encode the calls with encodeMemberAccountCalls.",
  ERC7579UnsupportedExecType: ([execType]) => `Execution type ${execType} is not supported: use 0x00 (revert on failure).`,
  FailedCall: () =>
    "A call in the member's batch reverted without a reason: simulate the calls one by one to see which one fails.",
  OutOfRangeAccess: () => "The batch's encoding points outside the calldata: encode the calls with encodeMemberAccountCalls.",
} satisfies ContractErrorSentences<"memberAccount">;

/**
 * The errors and sentences of a member account; a call it makes may fail in any contract of the program, so an
 * action through the account decodes with the catalogs of the contracts it calls through it.
 */
export const memberAccountErrorCatalog = /* @__PURE__ */ errorCatalog(memberAccountErrorAbi, memberAccountErrors);
