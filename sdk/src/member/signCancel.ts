import { signTypedData } from "viem/actions";
import type { Program, WriteClient } from "../program.js";
import { cancelOrderTypes, marketDomain, type Order, type Signed } from "../types/orders.js";
import type { OrderCancellation, SignedIntent } from "../types/intents.js";
import { expiryIn } from "../utils/expiryIn.js";

/**
 * Which order a signed cancellation is for: the relayer needs the order itself to show the Market whose it is.
 * The SDK's one {@link Order}, under the name this action first gave it.
 */
export type CancellableOrder = Order;

export interface SignCancelParameters {
  program: Program;
  /** The order to cancel, as signed (`orderHash` is what the cancellation signs). */
  order: CancellableOrder & Pick<Signed<unknown>, "orderHash">;
  /** Unix seconds after which the relayer can no longer submit it (default: 7 days from now). */
  deadline?: bigint;
}

export type SignCancelReturnType = SignedIntent<OrderCancellation> & { order: CancellableOrder };

/**
 * Signs the cancellation of one of the member's own orders, for the relayer to submit ({@link relayCancel}): the
 * gasless form of {@link cancelOrder}. It names the order's EIP-712 hash (so this chain and this Market) and a
 * deadline; once submitted the order stays cancelled, so the signature cannot do anything twice.
 *
 * @example
 * const cancellation = await signCancel(ada, { program, order: { kind: "listing", ...listing } });
 */
export async function signCancel(
  client: WriteClient,
  { program, order, deadline }: SignCancelParameters,
): Promise<SignCancelReturnType> {
  deadline ??= await expiryIn(client);
  const message: OrderCancellation = { orderHash: order.orderHash, deadline };
  const signature = await signTypedData(client, {
    account: client.account,
    domain: marketDomain(program),
    types: cancelOrderTypes,
    primaryType: "CancelOrder",
    message,
  });
  // Keep only what the relayer needs: the order's kind and fields (not the order's own signature).
  const { orderHash: _, ...cancellable } = order;
  return { message, signature, order: cancellable as CancellableOrder };
}
