import type { Kysely } from "kysely";
import type { Address } from "viem";
import { readContract } from "viem/actions";
import { marketAbi, pointsAbi, stampsAbi } from "../../generated/abis.js";
import type { Program, ReadClient } from "../../program.js";
import { getConsentLink } from "../../read/getConsentLink.js";
import type { RelayAction, RelayBody } from "../../serverApi/schemas.js";
import { hashOrder } from "../../types/orders.js";
import type { OrderBookTables } from "../orderBook/schema.js";
import type { RelayPolicy } from "./policy.js";

/** What the relayer's checks read: the chain, and the order book the server keeps. */
export interface CheckContext {
  client: ReadClient;
  program: Program;
  db: Kysely<OrderBookTables>;
  /** The book's program key, `chainId:market`. */
  bookKey: string;
}

/**
 * Which rule of the policy admits `member` for `action`, or undefined when none does. The rules are the brand's:
 * its allowlist, a brand-signed voucher (the simulation checks its signer), a stamp or points held, a consent link.
 */
export async function eligibleBy(
  policy: RelayPolicy,
  action: RelayAction,
  member: Address,
  { client, program }: CheckContext,
): Promise<string | undefined> {
  const { eligibility } = policy;
  if (eligibility.allowlist.includes(member)) return "allowlist";
  if (eligibility.vouchers && action === "redeemVoucher") return "voucher";
  if (eligibility.holders) {
    const [points, stamps] = await Promise.all([
      readContract(client, { address: program.points, abi: pointsAbi, functionName: "balanceOf", args: [member] }),
      readContract(client, { address: program.stamps, abi: stampsAbi, functionName: "balanceOf", args: [member] }),
    ]);
    if (points > 0n || stamps > 0n) return "holder";
  }
  if (eligibility.consent && (await getConsentLink(client, { program, wallet: member })) !== null) return "consent";
  return undefined;
}

const ORDER_STATUS = ["open", "filled", "cancelled"] as const;

/**
 * Why the action would change nothing worth paying for, or undefined when it changes something: a cancel of an
 * order this book never had or the Market has closed already, a cancel-all by a member with nothing open here, an
 * approval already as asked. (What would revert is refused by the simulation.)
 */
export async function whyUseless<A extends RelayAction>(
  action: A,
  body: RelayBody<A>,
  { client, program, db, bookKey }: CheckContext,
): Promise<string | undefined> {
  if (action === "cancel") {
    const { order } = (body as RelayBody<"cancel">).cancellation;
    const orderHash = hashOrder(program, order);
    const status = await readContract(client, {
      address: program.market,
      abi: marketAbi,
      functionName: "orderStatus",
      args: [orderHash],
    });
    if (status !== 0) return `Order ${orderHash} is ${ORDER_STATUS[status] ?? "closed"} already: cancelling it changes nothing.`;
    const posted = await db
      .selectFrom("book_orders")
      .select("order_hash")
      .where("program", "=", bookKey)
      .where("order_hash", "=", orderHash.toLowerCase())
      .executeTakeFirst();
    if (!posted)
      return `Order ${orderHash} was never posted to this book: nobody here can fill it, so the brand does not pay to cancel it (send it yourself if it circulates elsewhere).`;
  }
  if (action === "cancelAll") {
    const { signer } = (body as RelayBody<"cancelAll">).cancellation.message;
    const open = await db
      .selectFrom("book_orders")
      .select("order_hash")
      .where("program", "=", bookKey)
      .where("signer", "=", signer)
      .where("status", "in", ["open", "stale"])
      .executeTakeFirst();
    if (!open)
      return `${signer} has no open order in this book: cancelling all of them changes nothing the brand pays for (send it yourself if you signed orders elsewhere).`;
  }
  if (action === "marketApproval") {
    const { owner, operator, approved } = (body as RelayBody<"marketApproval">).approval.message;
    const now = await readContract(client, {
      address: program.stamps,
      abi: stampsAbi,
      functionName: "isApprovedForAll",
      args: [owner, operator],
    });
    if (now === approved)
      return `${owner}'s approval of ${operator} is ${approved ? "in place" : "off"} already: setting it again changes nothing.`;
  }
  return undefined;
}
