// Punchcard SDK: plain functions over a viem client, for brands, members and analysts.
// Browser-safe: nothing here imports a Node built-in (Node-only helpers live in ./node).

export { stampsAbi, pointsAbi, marketAbi, consentRegistryAbi } from "./abis";
export { programAddresses, programFromRecord, type DeploymentRecord, type Program, type ReadClient, type WriteClient } from "./program";
export { PunchcardError, InvalidArgumentError, ContractRevertError, toPunchcardError, hasExplanation } from "./errors";
export type { ExecuteResult } from "./internal/execute";

export {
  programConfigSchema,
  seriesConfigSchema,
  parseProgramConfig,
  type ProgramConfig,
  type ProgramConfigInput,
} from "./config/programConfig";

// brand
export { deployProgram, configHashOf, type DeployProgramParameters, type DeployProgramReturnType } from "./brand/deployProgram";
export { createSeries, MAX_SERIES_SUPPLY, type CreateSeriesParameters, type CreateSeriesReturnType } from "./brand/createSeries";
export { mintStamps, MAX_STAMP_BATCH, type MintStampsParameters, type MintStampsReturnType, type MintedStamp } from "./brand/mintStamps";
export { rewardPoints, MAX_REWARD_BATCH, type RewardPointsParameters, type RewardPointsReturnType, type PointsReward } from "./brand/rewardPoints";
export { creditPurchase, receiptIdOf, type CreditPurchaseParameters, type CreditPurchaseReturnType } from "./brand/creditPurchase";
export { setRoyalty, MAX_ROYALTY_BPS, type SetRoyaltyParameters } from "./brand/setRoyalty";
export { setTransferPolicy, type SetTransferPolicyParameters, type TransferPolicy } from "./brand/setTransferPolicy";

export { configureMarket, MAX_MARKET_FEE_BPS, type ConfigureMarketParameters } from "./brand/configureMarket";
export { setPriceBounds, type SetPriceBoundsParameters } from "./brand/setPriceBounds";
export { setMinRoyalty, type SetMinRoyaltyParameters } from "./brand/setMinRoyalty";
export { attestLink, type AttestLinkParameters } from "./brand/attestLink";
export { submitLink, type SubmitLinkParameters } from "./brand/submitLink";
export { submitConsentChange } from "./brand/submitConsentChange";
export { brandUnlink } from "./brand/brandUnlink";

// member
export { redeemPoints, type RedeemPointsParameters, type RedeemPointsReturnType } from "./member/redeemPoints";
export { approveMarket } from "./member/approveMarket";
export { listStamp, type ListStampParameters } from "./member/listStamp";
export { buyStamp, saleOf, type BuyStampParameters, type BuyStampReturnType, type Sale } from "./member/buyStamp";
export { makeOffer, type MakeOfferParameters } from "./member/makeOffer";
export { acceptOffer, type AcceptOfferParameters } from "./member/acceptOffer";
export { proposeSwap, type ProposeSwapParameters } from "./member/proposeSwap";
export { fillSwap, type FillSwapReturnType, type Swap } from "./member/fillSwap";
export { cancelOrder, type AnyOrder } from "./member/cancelOrder";
export { cancelAllOrders } from "./member/cancelAllOrders";
export { withdrawPayments } from "./member/withdrawPayments";
export { signConsentLink } from "./member/signConsentLink";
export { signConsentChange } from "./member/signConsentChange";
export { signGuardianApproval } from "./member/signGuardianApproval";
export { changeConsent } from "./member/changeConsent";
export { revokeAllConsent } from "./member/revokeAllConsent";
export { unlinkWallet } from "./member/unlinkWallet";
export {
  PURPOSES,
  purposesToMask,
  maskToPurposes,
  commitmentOf,
  consentDomain,
  consentLinkTypes,
  attestationTypes,
  purposesChangeTypes,
  guardianApprovalTypes,
  unlinkTypes,
  DEFAULT_CONSENT_LIFETIME_SECONDS,
  type Purpose,
  type ConsentLinkMessage,
  type AttestationMessage,
  type PurposesChangeMessage,
  type SignedConsent,
} from "./member/consentTypes";
export {
  listingTypes,
  offerTypes,
  swapOrderTypes,
  marketDomain,
  randomSalt,
  expiryIn,
  DEFAULT_ORDER_LIFETIME_SECONDS,
  type Listing,
  type Offer,
  type SwapOrder,
  type Signed,
} from "./member/orderTypes";

// read
export { getProgramInfo, type ProgramInfo, type SeriesInfo } from "./read/getProgramInfo";
export { getBalances, type Balances } from "./read/getBalances";
export { getMemberStamps, decodeTokenURI, type MemberStamp, type StampMetadata } from "./read/getMemberStamps";
export { decodeStampId, encodeStampId, EDITIONS_PER_SERIES } from "./read/stampId";
export { hasConsent } from "./read/hasConsent";
export { getConsentLink, type ConsentLinkInfo } from "./read/getConsentLink";

// ledger
export { fetchLogs, isRangeLimitError, isTransientError, type FetchLogsParameters } from "./ledger/fetchLogs";
export {
  decodeLedgerEntry,
  ledgerContracts,
  unmappedEvents,
  type ArgValue,
  type LedgerContract,
  type LedgerEntry,
  type LedgerKind,
} from "./ledger/entries";
export { readLedger, type ReadLedgerParameters } from "./ledger/readLedger";
export { watchLedger, type WatchLedgerParameters } from "./ledger/watchLedger";
