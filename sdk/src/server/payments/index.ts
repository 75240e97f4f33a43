import type { Kysely } from "kysely";
import type { Address } from "viem";
import type { Program, ReadClient } from "../../program.js";
import { checkoutRoutes } from "./checkout.js";
import type { PaymentsContext, PaymentsOptions } from "./config.js";
import { PaymentOutbox } from "./outbox.js";
import { paymentsRoutes } from "./routes.js";
import type { PaymentTables } from "./schema.js";
import { PaymentStore } from "./store.js";

export {
  hostedCheckout,
  receiptIdOfPayment,
  type CheckoutRequest,
  type CheckoutUrlBuilder,
  type PaymentsOptions,
  type PointsPackage,
} from "./config.js";
export { GENERIC_SIGNATURE_HEADER, webhookSignature } from "./events.js";
export type { PaymentEventsTable, PaymentReceiptsTable, PaymentTables } from "./schema.js";
export { PaymentOutbox } from "./outbox.js";
export { PaymentStore, type PaymentReceiptRow } from "./store.js";

/** Points bought by card in one server: the store, the outbox that sends to the chain, and the routes. */
export interface Payments {
  store: PaymentStore;
  outbox: PaymentOutbox;
  /** The webhooks, the support read, the price list and the checkout. */
  routes: ReturnType<typeof paymentsRoutes>;
  /**
   * Erasure by wallet: drops the wallet and the provider's payment ids from its receipts (see
   * {@link PaymentStore.forgetWallet}); `POST /links/forget` calls it on a wallet's signed request. Returns the receipts erased.
   */
  forgetWallet(wallet: Address): Promise<number>;
}

/**
 * Points bought by card over the order book's database (its migration `0007_payments` made the tables): the
 * webhooks' routes, the store they write durably before answering, and the outbox that credits and reverses on chain.
 * Call `outbox.start()` to send (the program server does when it starts), `outbox.stop()` before closing the database.
 *
 * @example
 * const payments = createPayments({ program, db, options: { priceList, brandSecret, minter, stripeWebhookSecret } });
 * app.route("/", payments.routes);
 * payments.outbox.start();
 */
export function createPayments({
  program,
  chain,
  db,
  options,
  clock = Date.now,
  log,
}: {
  program: Program;
  /** Reads the chain for the checkout (whether a wallet is a contract); default the minter. */
  chain?: ReadClient;
  db: Kysely<PaymentTables>;
  options: PaymentsOptions;
  clock?: () => number;
  log?: (message: string) => void;
}): Payments {
  if (options.brandSecret.length < 32)
    throw new Error("payments: brandSecret must have at least 32 characters (it keys the receipt ids).");
  const context: PaymentsContext = { ...options, program };
  const store = new PaymentStore(db, program, clock);
  const outbox = new PaymentOutbox({
    store,
    program,
    minter: options.minter,
    ...(options.retryMs === undefined ? {} : { retryMs: options.retryMs }),
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
    ...(log ? { log } : {}),
  });
  const routes = paymentsRoutes({ context, store, outbox, clock, ...(log ? { log } : {}) }).route(
    "/",
    checkoutRoutes({ context, chain: chain ?? options.minter, ...(log ? { log } : {}) }),
  );
  return { store, outbox, routes, forgetWallet: (wallet) => store.forgetWallet(wallet) };
}
