import type { Kysely } from "kysely";
import { getAddress, hashTypedData, type Address, type Hash, type Hex } from "viem";
import type { z } from "zod";
import { submitConsentChange } from "../brand/submitConsentChange.js";
import { submitGuardianChange } from "../brand/submitGuardianChange.js";
import { submitGuardianWithdrawal } from "../brand/submitGuardianWithdrawal.js";
import { PunchcardError, toPunchcardError } from "../errors.js";
import { redeemVoucher } from "../member/redeemVoucher.js";
import type { OrderBookTables } from "../node/migrations/orderBookMigrations.js";
import type { Program, WriteClient } from "../program.js";
import type { GuardianChangeMessage, GuardianWithdrawalMessage, PurposesChangeMessage } from "../types/consent.js";
import { rewardsDomain, voucherTypes, type VoucherMessage } from "../types/rewards.js";
import { fromWire, relaySchemas, type RelayAction } from "./api.js";
import { BookRefusal } from "./orderBook.js";

/**
 * One action the relayer submits for a member: the body's schema, the member it is for (whose signature it
 * carries and whose quota it spends), and the SDK call that simulates and sends it from the relayer's key. The
 * SDK call simulates first (execute), so what would revert is refused with the SDK's sentence and nothing is sent.
 */
export interface RelayEntry<Schema extends z.ZodType> {
  schema: Schema;
  member(body: z.infer<Schema>): Address;
  send(relayer: WriteClient, program: Program, body: z.infer<Schema>): Promise<{ hash: Hash }>;
}

const entry = <Schema extends z.ZodType>(e: RelayEntry<Schema>) => e;

/** Every relayed action, by the name in `POST /relay/<action>`. Adding one is one entry here and its schema in api.ts. */
export const relayActions = {
  redeemVoucher: entry({
    schema: relaySchemas.redeemVoucher,
    member: (b) => getAddress(b.voucher.order.member),
    send: (relayer, program, b) => {
      const order = fromWire<VoucherMessage>(b.voucher.order);
      const orderHash = hashTypedData({
        domain: rewardsDomain(program),
        types: voucherTypes,
        primaryType: "Voucher",
        message: order,
      });
      return redeemVoucher(relayer, { program, voucher: { order, signature: b.voucher.signature as Hex, orderHash } });
    },
  }),
  consentChange: entry({
    schema: relaySchemas.consentChange,
    member: (b) => getAddress(b.change.message.wallet),
    send: (relayer, program, b) =>
      submitConsentChange(relayer, {
        program,
        change: { message: fromWire<PurposesChangeMessage>(b.change.message), signature: b.change.signature as Hex },
        ...(b.guardianSignature === undefined ? {} : { guardianSignature: b.guardianSignature as Hex }),
      }),
  }),
  guardianChange: entry({
    schema: relaySchemas.guardianChange,
    member: (b) => getAddress(b.change.message.wallet),
    send: (relayer, program, b) =>
      submitGuardianChange(relayer, {
        program,
        change: { message: fromWire<GuardianChangeMessage>(b.change.message), signature: b.change.signature as Hex },
        newGuardianSignature: b.newGuardianSignature as Hex,
      }),
  }),
  guardianWithdrawal: entry({
    schema: relaySchemas.guardianWithdrawal,
    member: (b) => getAddress(b.withdrawal.message.wallet),
    send: (relayer, program, b) =>
      submitGuardianWithdrawal(relayer, {
        program,
        withdrawal: {
          message: fromWire<GuardianWithdrawalMessage>(b.withdrawal.message),
          signature: b.withdrawal.signature as Hex,
        },
      }),
  }),
} satisfies { [A in RelayAction]: RelayEntry<(typeof relaySchemas)[A]> };

export interface RelayerOptions {
  program: Program;
  /** Signs and pays with the brand's relayer key; never with a member's. */
  relayer: WriteClient;
  db: Kysely<OrderBookTables>;
  /** Relayed actions per member per UTC day. */
  quota: number;
  /** Today, for tests of the day boundary (default: the wall clock). */
  today?: () => string;
}

/**
 * The relayer: checks a member's quota for the day (stored, so a restart does not reset it), then submits the
 * action through the SDK, which simulates before it sends. A refusal hands the quota back.
 */
export class Relayer {
  constructor(private readonly options: RelayerOptions) {}

  private get key() {
    return `${this.options.program.chainId}:${this.options.program.market.toLowerCase()}`;
  }

  /** Uses one of the member's relays for today, or refuses with 429. Returns what is left. */
  private async take(member: Address, day: string): Promise<number> {
    const { db, quota } = this.options;
    return db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom("relay_quota")
        .select("used")
        .where("program", "=", this.key)
        .where("member", "=", member)
        .where("day", "=", day)
        .executeTakeFirst();
      const used = Number(row?.used ?? 0);
      if (used >= quota)
        throw new BookRefusal(
          429,
          "quota_exceeded",
          `${member} has used all ${quota} relayed actions for ${day} (UTC); try again tomorrow, or send it yourself.`,
        );
      await trx
        .insertInto("relay_quota")
        .values({ program: this.key, member, day, used: 1 })
        .onConflict((c) => c.columns(["program", "member", "day"]).doUpdateSet({ used: used + 1 }))
        .execute();
      return quota - used - 1;
    });
  }

  private async giveBack(member: Address, day: string) {
    await this.options.db
      .updateTable("relay_quota")
      .set((eb) => ({ used: eb("used", "-", 1) }))
      .where("program", "=", this.key)
      .where("member", "=", member)
      .where("day", "=", day)
      .where("used", ">", 0)
      .execute();
  }

  /** How many relays the member used today. */
  async used(member: Address): Promise<number> {
    const row = await this.options.db
      .selectFrom("relay_quota")
      .select("used")
      .where("program", "=", this.key)
      .where("member", "=", getAddress(member))
      .where("day", "=", this.today())
      .executeTakeFirst();
    return Number(row?.used ?? 0);
  }

  private today() {
    return this.options.today?.() ?? new Date().toISOString().slice(0, 10);
  }

  /** Validates, charges the quota, simulates and sends; the body must already match the action's schema. */
  async relay<A extends RelayAction>(action: A, body: z.infer<(typeof relaySchemas)[A]>) {
    const handler = relayActions[action] as unknown as RelayEntry<(typeof relaySchemas)[A]>;
    const member = handler.member(body);
    const day = this.today();
    const remainingToday = await this.take(member, day);
    try {
      const { hash } = await handler.send(this.options.relayer, this.options.program, body);
      return { hash, member, remainingToday };
    } catch (error) {
      await this.giveBack(member, day);
      const refusal = toPunchcardError(error);
      if (refusal instanceof PunchcardError && "errorName" in refusal)
        throw new BookRefusal(422, "would_revert", refusal.shortMessage);
      throw error;
    }
  }
}
