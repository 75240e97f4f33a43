import { sql, type Kysely } from "kysely";
import type { OrderBookTables } from "../orderBook/schema.js";
import type { SponsorCaps } from "./policy.js";

/** The program-wide scope of the budget table (a member's scope is their checksummed address). */
export const PROGRAM_SCOPE = "*";

/** An amount spent or to spend: actions, gas, and coin in wei. */
export interface Spend {
  actions: number;
  gas: bigint;
  coin: bigint;
}

/** The coin as the table counts it: gwei, rounded up, so the sum of the parts never falls short of the whole. */
export const toGwei = (wei: bigint): bigint => (wei + 999_999_999n) / 1_000_000_000n;

// A cap as a query parameter: a number (see charge), at most 2^53 - 1, far above any day's gas or gwei.
const capOf = (cap: bigint): number => Number(cap > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : cap);

/** What a scope spent on a day, read back (Postgres answers bigints as strings). */
export interface Used {
  actions: number;
  gas: bigint;
  coin: bigint;
}

/**
 * The relayer's daily counters: one row per program, scope and UTC day. Every charge is one conditional UPDATE
 * (`SET used = used + n WHERE used + n <= cap RETURNING`) on SQLite and Postgres alike, so no two requests can both
 * take the last of a cap; a give-back or a settlement is one unconditional UPDATE.
 */
export class RelayBudget {
  constructor(
    private readonly db: Kysely<OrderBookTables>,
    /** `chainId:market`. */
    private readonly program: string,
  ) {}

  private async ensure(scope: string, day: string) {
    await this.db
      .insertInto("relay_budget")
      .values({ program: this.program, scope, day, actions: 0, gas: 0, coin_gwei: 0 })
      .onConflict((c) => c.columns(["program", "scope", "day"]).doNothing())
      .execute();
  }

  /**
   * Adds `spend` to the scope's day if it stays within `caps`: answers the actions now used, or undefined (and
   * nothing written) when it would not fit.
   */
  async charge(scope: string, day: string, spend: Spend, caps: SponsorCaps): Promise<number | undefined> {
    await this.ensure(scope, day);
    // Numbers, not text: SQLite compares an expression with text as text, and every number as smaller.
    const gas = Number(spend.gas);
    const coin = Number(toGwei(spend.coin));
    const row = await this.db
      .updateTable("relay_budget")
      .set({
        actions: sql`actions + ${spend.actions}`,
        gas: sql`gas + ${gas}`,
        coin_gwei: sql`coin_gwei + ${coin}`,
      })
      .where("program", "=", this.program)
      .where("scope", "=", scope)
      .where("day", "=", day)
      .where(sql`actions + ${spend.actions}`, "<=", caps.actionsPerDay)
      .where(sql`gas + ${gas}`, "<=", capOf(caps.gasPerDay))
      .where(sql`coin_gwei + ${coin}`, "<=", capOf(caps.coinPerDay / 1_000_000_000n))
      .returning("actions")
      .executeTakeFirst();
    return row === undefined ? undefined : Number(row.actions);
  }

  /**
   * Replaces what was charged by what was spent (`real`; zeros to hand a charge back), whatever the caps: a
   * transaction sent is spent.
   */
  async settle(scope: string, day: string, charged: Spend, real: Spend): Promise<void> {
    const actions = real.actions - charged.actions;
    const gas = Number(real.gas - charged.gas);
    const coin = Number(toGwei(real.coin) - toGwei(charged.coin));
    if (actions === 0 && gas === 0 && coin === 0) return;
    await this.db
      .updateTable("relay_budget")
      .set({ actions: sql`actions + ${actions}`, gas: sql`gas + ${gas}`, coin_gwei: sql`coin_gwei + ${coin}` })
      .where("program", "=", this.program)
      .where("scope", "=", scope)
      .where("day", "=", day)
      .execute();
  }

  /** What the scope spent on the day (zeros when nothing). */
  async used(scope: string, day: string): Promise<Used> {
    const row = await this.db
      .selectFrom("relay_budget")
      .select(["actions", "gas", "coin_gwei"])
      .where("program", "=", this.program)
      .where("scope", "=", scope)
      .where("day", "=", day)
      .executeTakeFirst();
    return {
      actions: Number(row?.actions ?? 0),
      gas: BigInt(row?.gas ?? 0),
      coin: BigInt(row?.coin_gwei ?? 0) * 1_000_000_000n,
    };
  }
}

/** Seconds until the next UTC day, when the daily budgets start again (at least 1): a budget refusal's Retry-After. */
export function secondsUntilNextBudgetDay(now: Date): number {
  const tomorrow = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((tomorrow - now.getTime()) / 1000));
}
