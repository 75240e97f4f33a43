// Node-only entry of the Punchcard SDK: the program server (order book, chain follower, relayer) that
// `punchcard serve` runs. Browsers talk to it with createProgramServerClient, from the main entry.

export {
  createApp,
  createProgramServer,
  type CreateAppParameters,
  type ProgramServer,
  type ProgramServerOptions,
} from "./server/app.js";
export { startProgramServer, type StartProgramServerParameters, type StartProgramServerReturnType } from "./server/start.js";
export { OrderBook, type OrderBookOptions } from "./server/orderBook/index.js";
export { BookRefusal, ServerRefusal, type RefusalStatus } from "./server/errors.js";
export { bookOrderOf } from "./serverApi/schemas.js";
export { openApiDocument } from "./server/routes/openapi.js";
export {
  createRateLimiter,
  createSharedRateLimiter,
  type CreateSharedRateLimiterParameters,
  type RateLimiter,
  type RateLimitTaken,
} from "./server/middleware/rateLimit.js";
export { LeaderElection, leaderLockKey, type LeaderElectionOptions } from "./server/instances/leader.js";
export { BOOK_CHANGED_CHANNEL, type InstanceTables, type RateCountsTable } from "./server/instances/schema.js";
export { evaluateOrder, permitProblem, type Evaluation } from "./server/evaluate.js";
export { UserOpSponsor, maxSpendOf, SPONSORSHIP_LIFETIME_SECONDS, type UserOpSponsorOptions } from "./server/userOps/sponsor.js";
export { Relayer, relayActions, type RelayContext, type RelayEntry, type RelayerOptions } from "./server/relayer.js";
export {
  defaultRelayPolicy,
  relayPolicyConfigSchema,
  relayPolicyOf,
  type RelayPolicy,
  type RelayPolicyConfig,
  type SponsorCaps,
} from "./server/relay/policy.js";
export { RelaySender, RelaySenderPool, type BeforeSend, type RelaySenderOptions, type SendCost } from "./server/relay/sender.js";
export { receiptPollingInterval } from "./server/relay/receiptPolling.js";
export {
  migrateOrderBook,
  orderBookMigrations,
  type OrderBookTables,
  type BookOrdersTable,
  type BookCursorTable,
} from "./server/orderBook/index.js";
export {
  createPayments,
  GENERIC_SIGNATURE_HEADER,
  hostedCheckout,
  PaymentOutbox,
  PaymentStore,
  receiptIdOfPayment,
  webhookSignature,
  type CheckoutRequest,
  type CheckoutUrlBuilder,
  type PaymentEventsTable,
  type PaymentReceiptRow,
  type PaymentReceiptsTable,
  type Payments,
  type PaymentsOptions,
  type PaymentTables,
  type PointsPackage,
} from "./server/payments/index.js";
