/**
 * Chapter `purchases`: points bought with money, credited once per receipt and pending 14 days; a refunded purchase
 * reversed while its points are pending, its receipt never credited again.
 */
import { ContractRevertError, creditPurchase, getPointsLifecycle, receiptIdOf, reversePurchase } from "../../index.js";
import type { DemoContext } from "./context.js";

/**
 * Credits Cleo's purchase (and refuses it twice), then credits and reverses Dev's refunded one.
 *
 * @example
 * await purchasesChapter(context);
 */
export async function purchasesChapter(context: DemoContext): Promise<void> {
  const { backend, cleo, dev, program, config, step, say } = context;
  step("credit points bought with money, once per receipt");
  const receiptId = receiptIdOf("order-2026-000123", "demo-brand-secret");
  await creditPurchase(backend, { program, member: cleo.account.address, amount: 500n, receiptId });
  say(`credited 500 ${config.points.symbol} to Cleo for receipt ${receiptId.slice(0, 10)}…`);
  try {
    await creditPurchase(backend, { program, member: cleo.account.address, amount: 500n, receiptId });
    throw new Error("the duplicate credit was accepted");
  } catch (error) {
    if (!(error instanceof ContractRevertError) || error.errorName !== "PointsReceiptAlreadyCredited") throw error;
    say(`duplicate credit refused: ${error.errorName}: ${error.shortMessage}`);
  }
  const cleoPoints = await getPointsLifecycle(backend, { program, member: cleo.account.address });
  say(
    `bought points stay pending ${config.points.pendingDays} days: Cleo holds ${cleoPoints.balance}, ${cleoPoints.pending} pending, ${cleoPoints.spendable} spendable`,
  );

  step("a refunded purchase, reversed while its points are pending");
  const refunded = receiptIdOf("order-2026-000125", "demo-brand-secret");
  await creditPurchase(backend, { program, member: dev.account.address, amount: 80n, receiptId: refunded });
  say(`credited 80 ${config.points.symbol} to Dev for receipt ${refunded.slice(0, 10)}…, pending`);
  const reversal = await reversePurchase(backend, { program, receiptId: refunded });
  say(
    `the purchase was refunded: reversePurchase burned ${reversal.burned} of ${reversal.amount} ${config.points.symbol} (shortfall ${reversal.shortfall}): nothing pending can have been spent`,
  );
  try {
    await creditPurchase(backend, { program, member: dev.account.address, amount: 80n, receiptId: refunded });
    throw new Error("a reversed receipt was credited again");
  } catch (error) {
    if (!(error instanceof ContractRevertError) || error.errorName !== "PointsReceiptReversed") throw error;
    say(`crediting the refunded receipt again: refused (${error.errorName})`);
  }
}
