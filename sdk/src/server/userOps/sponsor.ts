import type { Kysely } from "kysely";
import { bytesToHex, formatEther, getAddress, type Address, type Hex, type LocalAccount } from "viem";
import { entryPoint08Abi, entryPoint08Address, getUserOperationHash } from "viem/account-abstraction";
import { getBalance, getBlock, getContractEvents, readContract } from "viem/actions";
import { signSponsorship } from "../../account/signSponsorship.js";
import { brandPaymasterAbi, memberAccountFactoryAbi } from "../../generated/abis.js";
import type { Program, ReadClient } from "../../program.js";
import type { RelayAction } from "../../serverApi/schemas.js";
import type { UnsponsoredUserOperationBody, UserOperationSponsorship } from "../../serverApi/userOps.js";
import { faultOf } from "../../utils/faults.js";
import { ServerRefusal, wouldRevert } from "../errors.js";
import type { OrderBookTables } from "../orderBook/schema.js";
import { PROGRAM_SCOPE, RelayBudget, secondsUntilNextBudgetDay, type Spend } from "../relay/budget.js";
import { eligibleBy } from "../relay/checks.js";
import { outsideDates, type RelayPolicy } from "../relay/policy.js";
import { programCallsOf, type ProgramCall } from "./calls.js";
import { checkSender, simulateCalls } from "./memberAccount.js";

/** Seconds a sponsorship holds by default: long enough to sign and send, short enough not to stay payable. */
export const SPONSORSHIP_LIFETIME_SECONDS = 120;

export interface UserOpSponsorOptions {
  program: Program;
  client: ReadClient;
  /** The server's database: the relayer's budget table, so UserOps and relays share one budget. */
  db: Kysely<OrderBookTables>;
  /** The relay policy: one policy for relayed actions and UserOps. */
  policy: RelayPolicy;
  /** The BrandPaymaster's sponsor key. */
  sponsor: LocalAccount;
  /** The brand's BrandPaymaster. */
  paymaster: Address;
  /** The program's MemberAccountFactory. */
  factory: Address;
  /** The bundler members send sponsored UserOps to (`punchcard serve --bundler`), named in each answer. */
  bundler?: string;
  /** Seconds a sponsorship holds (default {@link SPONSORSHIP_LIFETIME_SECONDS}). */
  lifetime?: number;
  /** Today, for tests of the day boundary (default: the wall clock). */
  today?: () => string;
  /** Now, for tests of the policy's dates (default: the wall clock). */
  now?: () => Date;
}

/** The most a UserOp can cost the paymaster: every gas limit at its most fee per gas. */
export function maxSpendOf(userOp: UnsponsoredUserOperationBody): Spend {
  const gas =
    userOp.callGasLimit +
    userOp.verificationGasLimit +
    userOp.preVerificationGas +
    userOp.paymasterVerificationGasLimit +
    userOp.paymasterPostOpGasLimit;
  return { actions: 1, gas, coin: gas * userOp.maxFeePerGas };
}

// The action the eligibility rules read: a batch of brand-signed vouchers only is "redeemVoucher" (the policy may
// sponsor it for anyone: the simulation checks the voucher's signer), anything else the first relayed action in it.
const eligibilityAction = (calls: ProgramCall[]): RelayAction =>
  calls.every((c) => c.action === "redeemVoucher")
    ? "redeemVoucher"
    : (calls.find((c) => c.action !== null && c.action !== "redeemVoucher")?.action ?? "redeem");

const nothing: Spend = { actions: 0, gas: 0n, coin: 0n };

/**
 * A sponsorship signed and charged at its most possible cost, until the chain says what it cost (made by order-book
 * migration 0012). Gas and coin are decimal strings; `from_block` is the chain's latest block when it was signed,
 * where the search for its UserOperationEvent starts.
 */
export interface UserOpSponsorshipsTable {
  /** Random: one UserOp asked twice (the same hash) is signed, and charged, twice. */
  id: string;
  program: string;
  user_op_hash: string;
  member: string;
  day: string;
  actions: number;
  gas: string;
  coin: string;
  valid_until: number | string;
  from_block: number | string;
  created_at: string;
}

/** The tables the sponsor uses in the server's database: the relayer's budget and its own sponsorships. */
export interface UserOpSponsorTables extends OrderBookTables {
  userop_sponsorships: UserOpSponsorshipsTable;
}

const randomId = (): string => bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(16)));

/** How many sponsorships one settlement reads at most (the rest wait for the next one). */
const SETTLE_BATCH = 500;

/**
 * The program server's sponsor of members' UserOps: it signs the BrandPaymaster's data for a UserOp only after the
 * relay policy allowed it, the same rules as a relayed action: the policy's dates; calls only to the program's
 * member functions (and only the relayed actions the policy lists); a sender that is a member account of the
 * program's factory; a member the policy's eligibility admits, holding less coin than `selfPayBalance`; the
 * account's current nonce; a fee under `maxGasPrice`; the paymaster's deposit above the floor; a simulation of the
 * calls that does not revert; then one action and the UserOp's most possible gas and cost charged to the member's and
 * the program's day, each one conditional UPDATE in the database, so no two requests take the last of a budget.
 * Whatever is refused is refused before anything is charged or signed.
 */
export class UserOpSponsor {
  private readonly budget: RelayBudget;
  private readonly key: string;
  private readonly db: Kysely<UserOpSponsorTables>;
  private implementation: Promise<Address> | undefined;

  constructor(private readonly options: UserOpSponsorOptions) {
    const { program } = options;
    // The relayer's key: the two share the day's counters.
    this.key = `${program.chainId}:${program.market.toLowerCase()}`;
    this.budget = new RelayBudget(options.db, this.key);
    this.db = options.db as unknown as Kysely<UserOpSponsorTables>;
  }

  get policy(): RelayPolicy {
    return this.options.policy;
  }

  get paymaster(): Address {
    return this.options.paymaster;
  }

  private today() {
    return this.options.today?.() ?? this.now().toISOString().slice(0, 10);
  }

  private now() {
    return this.options.now?.() ?? new Date();
  }

  private readImplementation(): Promise<Address> {
    const { client, factory } = this.options;
    this.implementation ??= readContract(client, {
      address: factory,
      abi: memberAccountFactoryAbi,
      functionName: "implementation",
    });
    this.implementation.catch(() => (this.implementation = undefined));
    return this.implementation;
  }

  /** Checks the UserOp against the policy, charges the budgets and signs the paymaster's data for it. */
  async sponsor(userOp: UnsponsoredUserOperationBody): Promise<UserOperationSponsorship> {
    const { policy, program, client, paymaster } = this.options;
    const member = getAddress(userOp.sender);
    const off = outsideDates(policy, this.now());
    if (off) throw new ServerRefusal(503, "sponsorship_off", off);

    const calls = programCallsOf(program, member, userOp.callData);
    const unlisted = calls.find((c) => c.action !== null && !policy.actions.includes(c.action));
    if (unlisted)
      throw new ServerRefusal(422, "not_sponsored", `The brand does not sponsor ${unlisted.action} (${unlisted.functionName}).`);
    if (userOp.maxFeePerGas > policy.maxGasPrice)
      throw new ServerRefusal(
        422,
        "fee_too_high",
        `The UserOp offers up to ${userOp.maxFeePerGas} wei per gas, above the ${policy.maxGasPrice} wei the brand pays at most: ask again with a lower maxFeePerGas.`,
      );

    const account = await checkSender(
      { client, factory: this.options.factory, implementation: () => this.readImplementation() },
      userOp,
    );
    if (!(await eligibleBy(policy, eligibilityAction(calls), member, { client, program, db: this.options.db, bookKey: "" })))
      throw new ServerRefusal(
        422,
        "not_eligible",
        `${member} is not sponsored by this program's policy (no stamp, no points, no consent link, not on the brand's list, and not only redeeming a voucher the brand signed).`,
      );
    if (policy.selfPayBalance > 0n) {
      const balance = await getBalance(client, { address: member });
      if (balance >= policy.selfPayBalance)
        throw new ServerRefusal(
          422,
          "send_it_yourself",
          `${member} holds ${formatEther(balance)} of the chain's coin, at least the ${policy.selfPayBalance} wei the brand expects a member to pay with: pay for this UserOp yourself.`,
        );
    }
    const key = userOp.nonce >> 64n;
    const nonce = await readContract(client, {
      address: entryPoint08Address,
      abi: entryPoint08Abi,
      functionName: "getNonce",
      args: [member, key],
    });
    if (nonce !== userOp.nonce)
      throw new ServerRefusal(
        422,
        "stale_nonce",
        `The UserOp's nonce is ${userOp.nonce}, the EntryPoint expects ${nonce} of ${member}: build it again.`,
      );
    const spend = maxSpendOf(userOp);
    const deposit = await readContract(client, { address: paymaster, abi: brandPaymasterAbi, functionName: "getDeposit" });
    if (deposit < policy.minRelayerBalance || deposit < spend.coin)
      throw new ServerRefusal(
        503,
        "paymaster_low",
        `The brand's paymaster has ${formatEther(deposit)} deposited, below its floor of ${formatEther(policy.minRelayerBalance)} or this UserOp's most possible cost: sponsorship is paused until the brand tops it up.`,
        { retryAfter: 60 },
      );

    try {
      await simulateCalls(client, { sender: member, callData: userOp.callData, ...account });
    } catch (error) {
      if (faultOf(error)) throw error;
      throw wouldRevert(error, "The UserOp would revert: ");
    }

    await this.settle(member);
    const day = this.today();
    const remaining = await this.charge(member, day, spend);
    try {
      const { timestamp, number } = await getBlock(client, { blockTag: "latest" });
      const validUntil = Number(timestamp) + (this.options.lifetime ?? SPONSORSHIP_LIFETIME_SECONDS);
      const { factory, factoryData, ...rest } = userOp;
      const paymasterData = await signSponsorship({
        sponsor: this.options.sponsor,
        paymaster,
        chainId: program.chainId,
        userOperation: { ...rest, ...(factory ? { factory, factoryData: factoryData ?? "0x" } : {}) },
        validUntil,
      });
      const userOpHash = getUserOperationHash({
        chainId: program.chainId,
        entryPointAddress: entryPoint08Address,
        entryPointVersion: "0.8",
        userOperation: { ...userOp, paymaster, paymasterData, signature: "0x" },
      });
      await this.db
        .insertInto("userop_sponsorships")
        .values({
          id: randomId(),
          program: this.key,
          user_op_hash: userOpHash,
          member,
          day,
          actions: spend.actions,
          gas: spend.gas.toString(),
          coin: spend.coin.toString(),
          valid_until: validUntil,
          from_block: Number(number),
          created_at: this.now().toISOString(),
        })
        .execute();
      const { bundler } = this.options;
      return { paymaster, paymasterData, validUntil, member, remainingToday: remaining, ...(bundler ? { bundler } : {}) };
    } catch (error) {
      // Nothing signed: nothing spent.
      await this.budget.settle(member, day, spend, nothing);
      await this.budget.settle(PROGRAM_SCOPE, day, spend, nothing);
      throw error;
    }
  }

  /**
   * Replaces the most possible cost of earlier sponsorships (the member's, or every member's without one) by what the
   * EntryPoint charged (`UserOperationEvent`), or by nothing once a sponsorship's window passed unused: a member's day
   * is spent by what their UserOps cost, not by their gas limits. Runs before each new sponsorship of the member, for
   * every member when the program's day looks spent, and when the server starts: the sponsorships are in the database, so a restart
   * settles what the last run signed. Each one is settled once, whoever settles it (another request, another
   * instance): its row is deleted in the same database transaction that moves the budgets, and only by one.
   */
  async settle(member?: Address): Promise<void> {
    let query = this.db
      .selectFrom("userop_sponsorships")
      .selectAll()
      .where("program", "=", this.key)
      .orderBy("from_block")
      .orderBy("id")
      .limit(SETTLE_BATCH);
    if (member) query = query.where("member", "=", member);
    const waiting = await query.execute();
    if (waiting.length === 0) return;
    const { client } = this.options;
    const { timestamp } = await getBlock(client, { blockTag: "latest" });
    const events = await getContractEvents(client, {
      address: entryPoint08Address,
      abi: entryPoint08Abi,
      eventName: "UserOperationEvent",
      args: { userOpHash: waiting.map((p) => p.user_op_hash as Hex), ...(member ? { sender: member } : {}) },
      fromBlock: BigInt(waiting[0]!.from_block),
    });
    // One UserOp signed twice ran at most once: the first of its rows (in an order every settler shares) takes what
    // the EntryPoint charged, the others nothing. A sponsorship whose window passed unsent gives everything back (the
    // action too): the paymaster refuses it from then on, so it can never cost the brand anything.
    const ran = new Set<string>();
    for (const p of waiting) {
      const charged: Spend = { actions: p.actions, gas: BigInt(p.gas), coin: BigInt(p.coin) };
      const event = events.find((e) => e.args.userOpHash === p.user_op_hash);
      const first = event !== undefined && !ran.has(p.user_op_hash);
      if (event) ran.add(p.user_op_hash);
      const real: Spend | undefined = first
        ? { actions: 1, gas: event.args.actualGasUsed ?? charged.gas, coin: event.args.actualGasCost ?? charged.coin }
        : event || timestamp > BigInt(p.valid_until)
          ? nothing
          : undefined;
      if (real) await this.settleOne(p, charged, real);
    }
  }

  private async settleOne(p: UserOpSponsorshipsTable, charged: Spend, real: Spend): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const gone = await trx.deleteFrom("userop_sponsorships").where("id", "=", p.id).executeTakeFirst();
      // Settled already by a concurrent request or another instance.
      if (Number(gone.numDeletedRows) !== 1) return;
      const budget = new RelayBudget(trx as unknown as Kysely<OrderBookTables>, this.key);
      await budget.settle(p.member, p.day, charged, real);
      await budget.settle(PROGRAM_SCOPE, p.day, charged, real);
    });
  }

  // One action and the UserOp's most possible gas and coin, on the member's day and then the program's.
  private async charge(member: Address, day: string, spend: Spend): Promise<number> {
    const { policy } = this.options;
    const used = await this.budget.charge(member, day, spend, policy.member);
    if (used === undefined)
      throw new ServerRefusal(
        429,
        "budget_exceeded",
        `${member}'s sponsorship for ${day} (UTC) would pass ${policy.member.actionsPerDay} actions, ${policy.member.gasPerDay} gas or ${formatEther(policy.member.coinPerDay)} of the coin (this UserOp may use ${spend.gas} gas): try again tomorrow.`,
        { retryAfter: secondsUntilNextBudgetDay(this.now()) },
      );
    // The program's day may be held by other members' sponsorships that ran, or whose window passed unsent, since
    // their last ask: settle them all, then try once more, before refusing.
    const program = async () => (await this.budget.charge(PROGRAM_SCOPE, day, spend, policy.program)) !== undefined;
    if (!(await program()) && !(await this.settle().then(program))) {
      await this.budget.settle(member, day, spend, nothing);
      throw new ServerRefusal(
        503,
        "program_budget_spent",
        `The program's sponsorship for ${day} (UTC) is spent: try again tomorrow.`,
        { retryAfter: secondsUntilNextBudgetDay(this.now()) },
      );
    }
    return policy.member.actionsPerDay - used;
  }
}
