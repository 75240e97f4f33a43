/**
 * Chapter `programEnd`: the brand announces the end of the program; during the notice members redeem and trade,
 * but no points are sold.
 */
import { announceProgramEnd, ContractRevertError, creditPurchase, getProgramInfo, receiptIdOf } from "../../index.js";
import type { DemoContext } from "./context.js";

/**
 * Announces the end, reads the program's lifecycle, and shows a purchase refused during the notice.
 *
 * @example
 * await programEndChapter(context);
 */
export async function programEndChapter(context: DemoContext): Promise<void> {
  const { brand, backend, ada, program, step, say } = context;
  step("the end of the program announced");
  const { endsAt, noticePeriodSeconds } = await announceProgramEnd(brand, { program });
  const { lifecycle } = await getProgramInfo(brand, { program });
  say(
    `notice period ${noticePeriodSeconds / 86_400n} days: the program is ${lifecycle.status} and ends at ${new Date(Number(endsAt) * 1000).toISOString()}`,
  );
  try {
    await creditPurchase(backend, {
      program,
      member: ada.account.address,
      amount: 10n,
      receiptId: receiptIdOf("order-2026-000124", "demo-brand-secret"),
    });
    throw new Error("a purchase was credited during the notice");
  } catch (error) {
    if (!(error instanceof ContractRevertError) || error.errorName !== "PointsSalesClosed") throw error;
    say(`until then members redeem and trade, but no points are sold: ${error.errorName}`);
  }
  say("afterwards stamps stay with their holders and point balances freeze, readable for ever");
}
