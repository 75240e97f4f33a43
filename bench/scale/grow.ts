/**
 * The scale run's program: one program on Hardhat's in-process network, its brand and members local viem accounts
 * derived from a seed (not Hardhat's unlocked ones), grown cohort by cohort through the SDK's brand and member
 * actions, every receipt's gas kept per operation.
 */
import hre from "hardhat";
import {
  createWalletClient,
  encodeFunctionData,
  keccak256,
  parseEventLogs,
  publicActions,
  stringToHex,
  toHex,
  zeroAddress,
  type Address,
  type TransactionReceipt,
} from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import {
  attestLink,
  commitmentOf,
  consentRegistryAbi,
  listStamp,
  marketAbi,
  pointsAbi,
  receiptIdOf,
  signConsentLink,
  stampsAbi,
  type Program,
} from "@punchcard/sdk";
import { deployProgram } from "@punchcard/sdk/deploy";
import { inProcessTransport } from "../../sdk/src/cli/inProcess";
import { BlockSender } from "./sender";

/** What share of each new cohort does what, beside the batches every member gets (a stamp and a reward). */
export const SHARES = { purchases: 0.01, reversals: 0.2, trades: 0.005, consents: 0.01, expiries: 0.005 } as const;
/** Days of inactivity after which points expire (the program's "inactivity" model), and the pending days of a purchase. */
export const EXPIRY_DAYS = 60;
export const PENDING_DAYS = 14;
/** The trades' price in the chain's coin (wei): the buyer pays it, the brand takes its royalty. */
const PRICE = 10n ** 15n;

/** A wallet client of a local account on the in-process chain. */
export const clientOf = (account: PrivateKeyAccount) =>
  createWalletClient({ account, chain: hardhat, transport: inProcessTransport(), pollingInterval: 10 }).extend(publicActions);
export type ScaleClient = ReturnType<typeof clientOf>;

/** Gas of one brand or member operation over a step: its transactions, the members they served and their gas. */
export interface OperationGas {
  transactions: number;
  members: number;
  gas: bigint;
}
export type Operation = "mint" | "reward" | "purchase" | "reversal" | "approve" | "trade" | "consent" | "expiry";

export interface ScaleProgram {
  program: Program;
  brand: ScaleClient;
  /** Member i's account (derived from the seed, made on first use and kept). */
  member: (i: number) => PrivateKeyAccount;
  /** How many members the program has now. */
  members: number;
  /** Member i's first stamp. */
  stampOf: Map<number, bigint>;
  /** Seconds spent deriving member keys (counted in the growth's time). */
  keySeconds: number;
  /** The next member whose expired points are burned. */
  nextExpiry: number;
  receipts: number;
}

/** The brand's and the members' keys: keccak256 of the seed and a name, so a run is the same every time. */
const keyOf = (seed: string, name: string) => keccak256(toHex(`${seed}:${name}`));

async function fund(address: Address): Promise<void> {
  await hre.network.provider.request({ method: "hardhat_setBalance", params: [address, toHex(10n ** 24n)] });
}

/** Deploys the scale run's program from the seed's brand account (admin, minter and treasury). */
export async function deployScaleProgram(seed: string): Promise<ScaleProgram> {
  const brandAccount = privateKeyToAccount(keyOf(seed, "brand"));
  await fund(brandAccount.address);
  const brand = clientOf(brandAccount);
  const { program } = await deployProgram(brand, {
    config: {
      brand: "Scale Coffee",
      stamps: { name: "Scale Stamps", symbol: "SST" },
      points: {
        name: "Scale Points",
        symbol: "SPT",
        pendingDays: PENDING_DAYS,
        expiry: { model: "inactivity", days: EXPIRY_DAYS },
      },
      treasury: brandAccount.address,
      royaltyBps: 500,
      transferPolicy: "open",
      series: [{ name: "Scale Cup", maxSupply: 999_999_999 }],
    },
  });
  const accounts = new Map<number, PrivateKeyAccount>();
  const scale: ScaleProgram = {
    program,
    brand,
    members: 0,
    stampOf: new Map(),
    keySeconds: 0,
    nextExpiry: 0,
    receipts: 0,
    member: (i) => {
      let account = accounts.get(i);
      if (!account) {
        const t0 = performance.now();
        account = privateKeyToAccount(keyOf(seed, `member-${i}`));
        scale.keySeconds += (performance.now() - t0) / 1000;
        accounts.set(i, account);
      }
      return account;
    },
  };
  return scale;
}

/** Moves the chain's clock `days` forward and mines a block there. */
export async function advanceDays(days: number): Promise<void> {
  await hre.network.provider.request({ method: "evm_increaseTime", params: [days * 86_400] });
  await hre.network.provider.request({ method: "evm_mine", params: [] });
}

/** The picks of a share of a cohort [from, to): evenly spaced members, at least one. */
function picks(from: number, to: number, share: number): number[] {
  const count = Math.max(1, Math.round((to - from) * share));
  const stride = (to - from) / count;
  return Array.from({ length: count }, (_, k) => from + Math.floor(k * stride));
}

/** Wall time of each phase of one growth step, seconds. */
export type GrowPhases = Record<"batches" | "purchases" | "trades" | "consents" | "expiry", number>;

/**
 * Grows the program to `target` members: the new cohort gets a stamp and a reward each (batches of `batch`), then a
 * share buys points (credited, pending; a fifth refunded and reversed), trades a stamp through the Market in the
 * chain's coin (the seller approves the Market once, signs a listing, the next member buys it), links its wallet
 * with consent (the member signs, the brand attests and submits); then the clock moves past the expiry and a share of
 * the oldest members' points are burned as expired. Every write goes through {@link BlockSender} (many to a block,
 * no simulation); the signed messages (listings, consents, attestations) are the SDK's. Returns each operation's gas
 * over the step, from the receipts, and the time of each phase.
 */
export async function growTo(
  scale: ScaleProgram,
  target: number,
  batch: number,
  log: (line: string) => void,
): Promise<{ gas: Record<Operation, OperationGas>; phases: GrowPhases }> {
  const { program, brand } = scale;
  const brandAccount = brand.account;
  const from = scale.members;
  const ops = Object.fromEntries(
    (["mint", "reward", "purchase", "reversal", "approve", "trade", "consent", "expiry"] as const).map((o) => [
      o,
      { transactions: 0, members: 0, gas: 0n },
    ]),
  ) as Record<Operation, OperationGas>;
  const count =
    (op: Operation, members = 1) =>
    (receipt: TransactionReceipt) => {
      ops[op].transactions++;
      ops[op].members += members;
      ops[op].gas += receipt.gasUsed;
      scale.receipts++;
    };
  const phases: GrowPhases = { batches: 0, purchases: 0, trades: 0, consents: 0, expiry: 0 };
  let clock = performance.now();
  const lap = (phase: keyof GrowPhases) => {
    const now = performance.now();
    phases[phase] = (now - clock) / 1000;
    clock = now;
  };
  const sender = await BlockSender.open(brand);
  try {
    for (let start = from; start < target; start += batch) {
      const ids = Array.from({ length: Math.min(batch, target - start) }, (_, k) => start + k);
      const to = ids.map((i) => scale.member(i).address);
      const mint = encodeFunctionData({ abi: stampsAbi, functionName: "mintBatch", args: [to, 1n] });
      await sender.send(brandAccount, `mint:${to.length}`, { to: program.stamps, data: mint }, (receipt) => {
        count("mint", to.length)(receipt);
        const minted = parseEventLogs({ abi: stampsAbi, eventName: "Transfer", logs: receipt.logs }).filter(
          (l) => l.args.from === zeroAddress,
        );
        if (minted.length !== to.length) throw new Error(`a mint of ${to.length} stamps minted ${minted.length}`);
        minted.forEach((l, k) => scale.stampOf.set(ids[k]!, l.args.tokenId));
      });
      const reward = encodeFunctionData({
        abi: pointsAbi,
        functionName: "rewardBatch",
        args: [to, ids.map((i) => BigInt(100 + (i % 50))), stringToHex(`scale-${start}`, { size: 32 })],
      });
      await sender.send(brandAccount, `reward:${to.length}`, { to: program.points, data: reward }, count("reward", to.length));
      if ((start - from) % (batch * 100) === 0) log(`grow: ${start + to.length} of ${target} members have a stamp and points`);
    }
    await sender.flush();
    scale.members = target;
    lap("batches");

    const buyers = picks(from, target, SHARES.purchases);
    for (const [k, i] of buyers.entries()) {
      const receiptId = receiptIdOf(`scale-order-${i}`, "scale-brand-secret");
      const credit = encodeFunctionData({
        abi: pointsAbi,
        functionName: "credit",
        args: [scale.member(i).address, 500n, receiptId],
      });
      await sender.send(brandAccount, "purchase", { to: program.points, data: credit }, count("purchase"));
      if (k % Math.round(1 / SHARES.reversals) === 0) {
        const reverse = encodeFunctionData({ abi: pointsAbi, functionName: "reversePurchase", args: [receiptId] });
        await sender.send(brandAccount, "reversal", { to: program.points, data: reverse }, count("reversal"));
      }
    }
    await sender.flush();
    lap("purchases");
    log(`grow: ${buyers.length} purchases credited, ${ops.reversal.transactions} reversed`);

    // The sellers approve the Market (if they have not), those approvals are mined, then each signs a listing (the
    // SDK's listStamp, which reads the chain) and the next member buys it.
    const sellers = picks(from, target, SHARES.trades);
    const approve = encodeFunctionData({ abi: stampsAbi, functionName: "setApprovalForAll", args: [program.market, true] });
    for (const i of sellers) {
      const seller = scale.member(i);
      const buyerIndex = i + 1 < target ? i + 1 : from;
      await fund(seller.address);
      await fund(scale.member(buyerIndex).address);
      const approved = await brand.readContract({
        address: program.stamps,
        abi: stampsAbi,
        functionName: "isApprovedForAll",
        args: [seller.address, program.market],
      });
      if (!approved) await sender.send(seller, "approve", { to: program.stamps, data: approve }, count("approve"));
    }
    await sender.flush();
    for (const i of sellers) {
      const buyerIndex = i + 1 < target ? i + 1 : from;
      const tokenId = scale.stampOf.get(i)!;
      const listing = await listStamp(clientOf(scale.member(i)), { program, tokenId, price: PRICE, currency: zeroAddress });
      const buy = encodeFunctionData({
        abi: marketAbi,
        functionName: "buy",
        args: [listing.order, listing.signature, zeroAddress],
      });
      await sender.send(scale.member(buyerIndex), "trade", { to: program.market, data: buy, value: PRICE }, count("trade"));
      scale.stampOf.set(buyerIndex, tokenId);
      scale.stampOf.delete(i);
    }
    await sender.flush();
    lap("trades");
    log(`grow: ${ops.trade.transactions} stamps traded`);

    for (const i of picks(from, target, SHARES.consents)) {
      const wallet = clientOf(scale.member(i));
      const commitment = commitmentOf(keyOf("scale-salt", String(i)), `scale-customer-${i}`);
      const consent = await signConsentLink(wallet, { program, commitment, purposes: ["rewards", "analytics"] });
      const attestation = await attestLink(brand, { program, wallet: wallet.account.address, commitment });
      const link = encodeFunctionData({
        abi: consentRegistryAbi,
        functionName: "link",
        args: [consent.message, consent.signature, attestation.message, attestation.signature, "0x"],
      });
      await sender.send(brandAccount, "consent", { to: program.consent, data: link }, count("consent"));
    }
    await sender.flush();
    lap("consents");
    log(`grow: ${ops.consent.transactions} wallets linked with consent`);

    // Past the expiry: every member's points are expired now; anyone burns some of the oldest members' (the brand here).
    await sender.flush();
    await advanceDays(EXPIRY_DAYS + 1);
    const expiring = Math.max(1, Math.round((target - from) * SHARES.expiries));
    for (let k = 0; k < expiring && scale.nextExpiry < target; k++) {
      const expire = encodeFunctionData({
        abi: pointsAbi,
        functionName: "expire",
        args: [scale.member(scale.nextExpiry++).address],
      });
      await sender.send(brandAccount, "expiry", { to: program.points, data: expire }, count("expiry"));
    }
    await sender.flush();
    lap("expiry");
    log(
      `grow: ${ops.expiry.transactions} members' expired points burned; ${sender.transactions} transactions in ${sender.blocks} blocks ` +
        `(${Object.entries(phases)
          .map(([p, t]) => `${p} ${t.toFixed(1)} s`)
          .join(", ")})`,
    );
  } finally {
    await sender.close();
  }
  return { gas: ops, phases };
}
