import { brandPaymasterErrorCatalog } from "../errors/brandPaymaster.js";
import { marketErrorCatalog } from "../errors/market.js";
import { stampsErrorCatalog } from "../errors/stamps.js";
import { getAbiItem, isAddressEqual, parseEther, zeroAddress, type Address, type Hex } from "viem";
import { getBalance, getBlock, getCode, readContract } from "viem/actions";
import { brandPaymasterAbi, marketAbi, stampsAbi } from "../generated/abis.js";
import { logsInChunks } from "../internal/logsInChunks.js";
import { withReadErrors } from "../internal/read.js";
import { compareRuntimeCode } from "../internal/runtimeCode.js";
import { safeViewsAbi } from "../internal/safe.js";
import { programAddresses, type Program, type ReadClient } from "../program.js";
import { getProgramInfo } from "./getProgramInfo.js";
import { getRoles, type ProgramContract } from "./getRoles.js";

/**
 * What `checkProgram` can report. Risks (something a brand's monitoring should page on): `admin-without-code`,
 * `admin-single-signer`, `admin-handover-pending`, `role-unknown-holder`, `relayer-balance-low`, `paymaster-deposit-low`, `pause-active`, `pause-recent`,
 * `end-announced`, `code-mismatch`. Notes (what members should know, never an alarm): `admin-renounced`,
 * `royalty-and-fees`, `points-terms`, `program-terms`.
 */
export type CheckFindingCode =
  | "admin-without-code"
  | "admin-single-signer"
  | "admin-handover-pending"
  | "role-unknown-holder"
  | "relayer-balance-low"
  | "paymaster-deposit-low"
  | "pause-active"
  | "pause-recent"
  | "end-announced"
  | "code-mismatch"
  | "admin-renounced"
  | "royalty-and-fees"
  | "points-terms"
  | "program-terms";

/** One thing a brand or member should know about a live program, in plain words. */
export interface CheckFinding {
  code: CheckFindingCode;
  /** `risk`: monitoring should alert; `note`: a term members should know. */
  level: "risk" | "note";
  contract?: ProgramContract;
  account?: Address;
  message: string;
}

export interface CheckProgramParameters {
  program: Program;
  /** Accounts the brand vouches for (its Safe, backend keys); the record's deployer belongs here too. */
  known?: readonly Address[];
  /**
   * The brand's relayer accounts, whose native coin must stay above `minRelayerBalance`, and paymasters
   * (`BrandPaymaster`), whose EntryPoint deposit must.
   */
  relayers?: readonly Address[];
  /** Least native coin a relayer should hold, in wei (default 0.01 of the coin). */
  minRelayerBalance?: bigint;
  /** A pause that began in this many days before the latest block is reported (default 30). */
  recentPauseDays?: number;
  /**
   * The creation bytecode of each contract as the SDK builds it (`@punchcard/sdk/deploy` exports it); the live code
   * must match it, immutables aside. Without it, code is not compared.
   */
  bytecode?: Record<ProgramContract, Hex>;
}

export interface CheckProgramReturnType {
  findings: CheckFinding[];
  /** How many findings are risks: a brand's monitoring alerts when it is not 0. */
  risks: number;
  /** The block the program was read at. */
  blockNumber: bigint;
}

const paused = getAbiItem({ abi: stampsAbi, name: "Paused" });
const DAY = 86_400n;

/**
 * Reads a live program and reports what a brand or member should know: an admin that is a single key (no code), an
 * admin handover under way, a role held by an account nobody vouches for, a relayer short of coin, a pause in force or
 * recent, an announced end, code that is not the SDK's; and, as notes, the royalty and fees, the points' pending and
 * expiry terms, the notice and pause bounds.
 *
 * @example
 * const { findings, risks } = await checkProgram(client, { program, known: [safe, backend], bytecode });
 * if (risks > 0) for (const f of findings) if (f.level === "risk") console.log(f.message);
 */
export async function checkProgram(
  client: ReadClient,
  {
    program,
    known = [],
    relayers = [],
    minRelayerBalance = parseEther("0.01"),
    recentPauseDays = 30,
    bytecode,
  }: CheckProgramParameters,
): Promise<CheckProgramReturnType> {
  const findings: CheckFinding[] = [];
  const risk = (f: Omit<CheckFinding, "level">) => findings.push({ level: "risk", ...f });
  const note = (f: Omit<CheckFinding, "level">) => findings.push({ level: "note", ...f });
  const latest = await withReadErrors(
    () => getBlock(client, { blockTag: "latest" }),
    [brandPaymasterErrorCatalog, marketErrorCatalog, stampsErrorCatalog],
  );
  const blockNumber = latest.number;
  const vouched = [...known, ...programAddresses(program)];
  const isKnown = (account: Address) => vouched.some((k) => isAddressEqual(k, account));
  const hasCode = async (account: Address) => {
    const code = await withReadErrors(
      () => getCode(client, { address: account, blockNumber }),
      [brandPaymasterErrorCatalog, marketErrorCatalog, stampsErrorCatalog],
    );
    return code !== undefined && code !== "0x";
  };

  const { contracts } = await getRoles(client, { program });
  for (const c of contracts) {
    if (isAddressEqual(c.admin, zeroAddress)) {
      note({
        code: "admin-renounced",
        contract: c.contract,
        message: `${c.contract}: nobody is admin; its terms can never change.`,
      });
    } else if (await hasCode(c.admin)) {
      // A Safe any one owner drives is one key again. A contract that is no Safe (a timelock...) answers nothing here.
      const threshold = await readContract(client, {
        address: c.admin,
        abi: safeViewsAbi,
        functionName: "getThreshold",
        blockNumber,
      }).catch(() => null);
      if (threshold === 1n) {
        risk({
          code: "admin-single-signer",
          contract: c.contract,
          account: c.admin,
          message: `${c.contract}: the admin ${c.admin} is a Safe whose threshold is 1: any one of its owners can change the royalty, fees, roles and end alone. Raise the threshold to at least 2.`,
        });
      }
    } else {
      risk({
        code: "admin-without-code",
        contract: c.contract,
        account: c.admin,
        message: `${c.contract}: the admin ${c.admin} is a single key (no code), not a multisig: whoever holds it can change the royalty, fees, roles and end alone. Hand it to a Safe: punchcard roles handover --to <safe>.`,
      });
    }
    if (c.pendingAdmin) {
      risk({
        code: "admin-handover-pending",
        contract: c.contract,
        account: c.pendingAdmin.account,
        message: `${c.contract}: the admin role is being handed to ${c.pendingAdmin.account}${isKnown(c.pendingAdmin.account) ? "" : " (an account nobody vouches for)"}, who may accept after ${iso(c.pendingAdmin.acceptAfter)}.`,
      });
    }
    for (const r of c.roles) {
      for (const holder of r.holders.filter((h) => !isKnown(h))) {
        risk({
          code: "role-unknown-holder",
          contract: c.contract,
          account: holder,
          message: `${c.contract}: ${holder} holds the ${String(r.role)} role but is not in the deployment record or its known accounts.`,
        });
      }
    }
  }

  for (const relayer of relayers) {
    // A paymaster (BrandPaymaster) pays from its EntryPoint deposit, never from its own coin: that is what runs out.
    const deposit = (await hasCode(relayer))
      ? await readContract(client, { address: relayer, abi: brandPaymasterAbi, functionName: "getDeposit", blockNumber }).catch(
          () => null,
        )
      : null;
    if (deposit !== null) {
      if (deposit < minRelayerBalance)
        risk({
          code: "paymaster-deposit-low",
          account: relayer,
          message: `The paymaster ${relayer} has ${deposit} wei deposited in the EntryPoint, below the floor of ${minRelayerBalance} wei: members' sponsored operations will stop. Add to it with the paymaster's deposit().`,
        });
      continue;
    }
    const balance = await withReadErrors(
      () => getBalance(client, { address: relayer, blockNumber }),
      [brandPaymasterErrorCatalog, marketErrorCatalog, stampsErrorCatalog],
    );
    if (balance < minRelayerBalance) {
      risk({
        code: "relayer-balance-low",
        account: relayer,
        message: `The relayer ${relayer} holds ${balance} wei, below the floor of ${minRelayerBalance} wei: sponsored transactions will stop. Top it up.`,
      });
    }
  }

  const info = await getProgramInfo(client, { program });
  const { lifecycle } = info;
  for (const [scope, until] of Object.entries(lifecycle.pausedUntil)) {
    if (until !== null) {
      risk({
        code: "pause-active",
        message: `A pause of the ${scope} is in force until ${iso(until)} (it lifts by itself then).`,
      });
    }
  }
  const since = latest.timestamp - BigInt(recentPauseDays) * DAY;
  const pauses = await logsInChunks(client, {
    address: program.stamps,
    events: [paused],
    fromBlock: program.deployBlock,
    toBlock: blockNumber,
  });
  const last = pauses.at(-1);
  if (last) {
    const { timestamp } = await withReadErrors(
      () => getBlock(client, { blockNumber: last.blockNumber }),
      [brandPaymasterErrorCatalog, marketErrorCatalog, stampsErrorCatalog],
    );
    if (timestamp >= since) {
      risk({
        code: "pause-recent",
        account: last.args.account,
        message: `The program was paused on ${iso(timestamp)} by ${last.args.account}, within the last ${recentPauseDays} days.`,
      });
    }
  }
  if (lifecycle.endsAt !== null) {
    risk({
      code: "end-announced",
      message: `The program's end is ${lifecycle.status === "ended" ? "past" : "announced"}: ${iso(lifecycle.endsAt)}. After it nothing is minted and point balances are frozen.`,
    });
  }

  const market = { address: program.market, abi: marketAbi } as const;
  const [feeBps, feeRecipient, swapFee] = await withReadErrors(
    () =>
      Promise.all([
        readContract(client, { ...market, functionName: "feeBps" }),
        readContract(client, { ...market, functionName: "feeRecipient" }),
        readContract(client, { ...market, functionName: "swapFee" }),
      ]),
    [brandPaymasterErrorCatalog, marketErrorCatalog, stampsErrorCatalog],
  );
  note({
    code: "royalty-and-fees",
    message: `Royalty ${bps(info.royalty.royaltyBps)} of every resale to ${info.royalty.treasury}; market fee ${bps(feeBps)}${feeBps > 0n ? ` to ${feeRecipient}` : ""}; swap fee ${swapFee} points (smallest units).`,
  });
  const { pendingDays, expiry } = info.points;
  note({
    code: "points-terms",
    message: `Points: ${pendingDays === 0 ? "spendable at once" : `pending ${pendingDays} days`}; ${expiry.model === "none" ? "never expire" : expiry.model === "inactivity" ? `expire after ${expiry.days} days without activity` : `each earning expires ${expiry.days} days later`}; ${info.points.transferable ? "transferable" : "not transferable"}.`,
  });
  note({
    code: "program-terms",
    message: `An end is announced at least ${lifecycle.noticePeriodSeconds / DAY} days ahead; a pause lifts by itself after ${lifecycle.maxPauseSeconds / DAY} days at most.`,
  });

  if (bytecode) {
    const byName: Record<ProgramContract, Address> = {
      stamps: program.stamps,
      points: program.points,
      market: program.market,
      consent: program.consent,
      rewards: program.rewards,
    };
    for (const [contract, address] of Object.entries(byName) as [ProgramContract, Address][]) {
      const live =
        (await withReadErrors(
          () => getCode(client, { address, blockNumber }),
          [brandPaymasterErrorCatalog, marketErrorCatalog, stampsErrorCatalog],
        )) ?? "0x";
      const { matches } = compareRuntimeCode(live, bytecode[contract]);
      if (!matches) {
        risk({
          code: "code-mismatch",
          contract,
          message: `${contract} at ${address}: ${live === "0x" ? "no code" : "the code is not the SDK's"}: this is not the contract the SDK deploys (another version, or another contract).`,
        });
      }
    }
  }

  return { findings, risks: findings.filter((f) => f.level === "risk").length, blockNumber };
}

const iso = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
const bps = (value: bigint) => `${Number(value) / 100}%`;
