import { isoDate } from "./format.js";
import type { ContractErrorSentences } from "./types.js";
import { stampsErrorAbi } from "../generated/errorAbi.js";
import { errorCatalog } from "./catalog.js";

/**
 * One sentence per custom error only Stamps raises (its own, ERC-721's, the program's lifecycle),
 * saying what happened and what to do.
 */
export const stampsErrors = {
  StampsUnknownSeries: ([seriesId]) => `Series ${seriesId} does not exist: create it first with createSeries.`,
  StampsSeriesSoldOut: ([seriesId, max]) =>
    `Series ${seriesId} has minted all ${max} editions: create another series for more stamps.`,
  StampsInvalidMaxSupply: ([supply, max]) => `A series' max supply must be between 1 and ${max} (got ${supply}).`,
  StampsInvalidText: ([text]) =>
    `Text ${JSON.stringify(text)} is not allowed: names are required, and no text may contain quotes, backslashes or control characters.`,
  StampsInvalidBatchLength: ([length, max]) => `A batch mint takes 1 to ${max} members (got ${length}): split it.`,
  StampsRoyaltyTooHigh: ([bps, max]) => `A royalty of ${bps} basis points is above the cap of ${max}.`,
  StampsInvalidTreasury: () => "The royalty treasury cannot be the zero address.",
  StampsInvalidOperator: () => "The zero address cannot be an operator.",
  StampsSoulbound: ([tokenId]) => `Stamp ${tokenId} is soulbound: it can never be transferred, only burned by its holder.`,
  StampsTransferNotAllowed: ([operator, tokenId]) =>
    `The program is market-only: ${operator} may not move stamp ${tokenId}. Trade it through the program's Market.`,
  StampsNotHolder: ([caller, tokenId]) =>
    `${caller} does not hold stamp ${tokenId}: only its holder, or the address it approved for that stamp, can burn it.`,
  StampsSeriesAlreadyMinted: ([seriesId]) =>
    `Series ${seriesId} has minted already, so its holders can no longer be counted exactly: count holders of a new series before its first mint.`,
  StampsHoldersNotCounted: ([seriesId]) =>
    `Series ${seriesId} does not count its holders, so no perk can ask for it: use a series created with countHolders before its first mint.`,
  StampsSignatureExpired: ([deadline]) =>
    `The signed approval expired at ${new Date(Number(deadline) * 1000).toISOString()}: ask the member to sign it again.`,
  StampsInvalidSignature: ([owner]) =>
    `The signature is not ${owner}'s over this approval with their current nonce, on this chain and these Stamps: it was altered, already used, or signed elsewhere; sign again.`,
  ERC721NonexistentToken: ([tokenId]) => `Stamp ${tokenId} does not exist (never minted, or burned).`,
  ERC721InvalidReceiver: ([to]) => `${to} cannot receive stamps.`,
  ERC721InsufficientApproval: ([operator, tokenId]) =>
    `${operator} is not approved to move stamp ${tokenId}: the holder must approve it first.`,
  ProgramNoticeTooShort: ([endsAt, earliest]) =>
    `An end at ${isoDate(endsAt)} gives members less than the notice the program promised: announce ${isoDate(earliest)} or later.`,
  ProgramEndAlreadyAnnounced: ([endsAt]) =>
    `The program's end is already announced for ${isoDate(endsAt)}: cancel it first (cancelProgramEnd) to announce another date.`,
  ProgramNoEndAnnounced: () => "No end of the program is announced: there is nothing to cancel.",
  ProgramHasEnded: ([endedAt]) =>
    `The program ended at ${isoDate(endedAt)}: nothing is minted any more, and an ended program cannot be revived.`,
  ProgramInvalidNoticePeriod: ([period, min]) =>
    `A notice period of ${period} seconds is shorter than the ${min} the contract requires: set lifecycle.noticePeriodSeconds in the program config.`,
  ERC721IncorrectOwner: ([sender, tokenId, owner]) => `${sender} does not hold stamp ${tokenId}; ${owner} does.`,
  ERC721InvalidApprover: ([approver]) =>
    `${approver} cannot approve: it neither holds the stamp nor is an operator the holder approved for all their stamps.`,
  ERC721InvalidOperator: ([operator]) => `${operator} cannot be an operator (the zero address).`,
  ERC721InvalidOwner: ([owner]) => `${owner} cannot hold stamps (the zero address).`,
  ERC721InvalidSender: ([sender]) => `${sender} cannot send stamps (the zero address).`,
  // The program's one pause is kept by Stamps (Points and the Market only read it).
  ExpectedPause: () => "The program is not paused: there is nothing to unpause.",
  PauseCoolingDown: ([availableAt]) =>
    `A new pause may start only at ${isoDate(availableAt)}: the program's one pause is bounded and spaced, whatever contracts it stops, so that a program cannot be kept stopped. To stop for good, announce the end.`,
  PauseInvalidBound: ([bound, min, max]) =>
    `A pause bound of ${bound} seconds is outside ${min} to ${max}: set lifecycle.maxPauseSeconds in the program config.`,
  PauseInvalidScopes: ([scopes, all]) =>
    `Pause scopes ${scopes} are not a non-empty combination of stamps (1), points (2) and market (4), at most ${all}: use PAUSE_SCOPES.`,
} satisfies ContractErrorSentences<"stamps">;

/** The errors and sentences of Stamps: what an action calling it decodes a revert with. */
export const stampsErrorCatalog = /* @__PURE__ */ errorCatalog(stampsErrorAbi, stampsErrors);
