/**
 * The program server's public client and wire API, as "@punchcard/sdk" exports them (the server itself is
 * "@punchcard/sdk/server", Node only). Browser-safe: nothing here imports a Node built-in.
 */
export {
  createProgramServerClient,
  ProgramServerError,
  type BookPage,
  type ProgramServerClient,
  type RelayInput,
  type UserOperationToSponsor,
} from "./client.js";
export {
  postOrderSchema,
  orderViewSchema,
  orderPageSchema,
  errorSchema,
  relaySchemas,
  permitSchema,
  listingSchema,
  offerSchema,
  swapOrderSchema,
  orderSchemas,
  healthSchema,
  relayResultSchema,
  permitFromWire,
  toBookEntry,
  orderOf,
  toWire,
  ORDER_STATUSES,
  type BookEntry,
  type BookOrder,
  type BookOrderStatus,
  type OrderView,
  type OrderPage,
  type PostOrderBody,
  type PostedOrder,
  type RelayAction,
  type RelayBody,
  type RelayResult,
  type RevertRefusal,
  type Health,
  type Wire,
} from "./schemas.js";
export { relayPolicySchema, type RelayPolicyView } from "./relayPolicy.js";
export {
  apiRoutes,
  askGuardianRoute,
  declineGuardianRequestRoute,
  forgetLinkRoute,
  confirmLinkRoute,
  guardianRequestsRoute,
  paymentCheckoutRoute,
  paymentPackagesRoute,
  relayPolicyRoute,
  relayRoutes,
  sponsorUserOperationRoute,
  type RelayRoute,
} from "./routes.js";
export * from "./guardians.js"; // the guardian requests' schemas and types, all public
export {
  unsponsoredUserOperationSchema,
  userOperationSponsorshipSchema,
  type UnsponsoredUserOperationBody,
  type UserOperationSponsorship,
} from "./userOps.js";
export {
  checkoutAnswerSchema,
  checkoutBodySchema,
  paymentPackagesSchema,
  type CheckoutAnswer,
  type PaymentPackages,
} from "./payments.js";
export {
  confirmLinkAnswerSchema,
  confirmLinkBodySchema,
  forgetLinkAnswerSchema,
  forgetLinkBodySchema,
  type ConfirmLinkAnswer,
  type ForgetLinkAnswer,
} from "./links.js";
