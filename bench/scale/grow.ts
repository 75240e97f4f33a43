/**
 * The scale run's program: one program on Hardhat's in-process network, its brand and members local viem accounts
 * derived from a seed (not Hardhat's unlocked ones), grown cohort by cohort through the SDK's brand and member
 * actions, every receipt's gas kept per operation.
 */
import hre from "hardhat";
import { createWalletClient, keccak256, publicActions, toHex, zeroAddress, type Address } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import {
  approveMarket,
  attestLink,
  buyStamp,
  commitmentOf,
  creditPurchase,
  expirePoints,
  listStamp,
  mintStamps,
  receiptIdOf,
  reversePurchase,
  rewardPoints,
  signConsentLink,
  submitLink,
  type Program,
} from "@punchcard/sdk";
import { deployProgram } from "@punchcard/sdk/deploy";
import { inProcessTransport } from "../../sdk/src/cli/inProcess";

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

/**
 * Grows the program to `target` members: the new cohort gets a stamp and a reward each (batches of `batch`), then a
 * share buys points (credited, pending; a fifth refunded and reversed), trades a stamp through the Market in the
 * chain's coin (the seller approves the Market once, signs a listing, the next member buys it), links its wallet
 * with consent (the member signs, the brand attests and submits); then the clock moves past the expiry and a share of
 * the oldest members' points are burned as expired. Returns each operation's gas over the step.
 */
export async function growTo(
  scale: ScaleProgram,
  target: number,
  batch: number,
  log: (line: string) => void,
): Promise<Record<Operation, OperationGas>> {
  const { program, brand } = scale;
  const from = scale.members;
  const ops = Object.fromEntries(
    (["mint", "reward", "purchase", "reversal", "approve", "trade", "consent", "expiry"] as const).map((o) => [
      o,
      { transactions: 0, members: 0, gas: 0n },
    ]),
  ) as Record<Operation, OperationGas>;
  const count = (op: Operation, gas: bigint, members = 1) => {
    ops[op].transactions++;
    ops[op].members += members;
    ops[op].gas += gas;
    scale.receipts++;
  };

  for (let start = from; start < target; start += batch) {
    const ids = Array.from({ length: Math.min(batch, target - start) }, (_, k) => start + k);
    const to = ids.map((i) => scale.member(i).address);
    const minted = await mintStamps(brand, { program, seriesId: 1n, to });
    count("mint", minted.receipt.gasUsed, to.length);
    minted.stamps.forEach((s, k) => scale.stampOf.set(ids[k]!, s.tokenId));
    const rewarded = await rewardPoints(brand, {
      program,
      reason: `scale-${start}`,
      rewards: to.map((member, k) => ({ member, amount: BigInt(100 + (ids[k]! % 50)) })),
    });
    count("reward", rewarded.receipt.gasUsed, to.length);
    if ((start - from) % (batch * 20) === 0) log(`grow: ${start + to.length} of ${target} members have a stamp and points`);
  }
  scale.members = target;

  const buyers = picks(from, target, SHARES.purchases);
  for (const [k, i] of buyers.entries()) {
    const receiptId = receiptIdOf(`scale-order-${i}`, "scale-brand-secret");
    const credited = await creditPurchase(brand, { program, member: scale.member(i).address, amount: 500n, receiptId });
    count("purchase", credited.receipt.gasUsed);
    if (k % Math.round(1 / SHARES.reversals) === 0) {
      const reversed = await reversePurchase(brand, { program, receiptId });
      count("reversal", reversed.receipt.gasUsed);
    }
  }
  log(`grow: ${buyers.length} purchases credited, ${ops.reversal.transactions} reversed`);

  for (const i of picks(from, target, SHARES.trades)) {
    const seller = clientOf(scale.member(i));
    const buyerIndex = i + 1 < target ? i + 1 : from;
    const buyer = clientOf(scale.member(buyerIndex));
    await fund(seller.account.address);
    await fund(buyer.account.address);
    const approved = await approveMarket(seller, { program });
    if (approved) count("approve", approved.receipt.gasUsed);
    const tokenId = scale.stampOf.get(i)!;
    const listing = await listStamp(seller, { program, tokenId, price: PRICE, currency: zeroAddress });
    const bought = await buyStamp(buyer, { program, listing });
    count("trade", bought.receipt.gasUsed);
    scale.stampOf.set(buyerIndex, tokenId);
    scale.stampOf.delete(i);
  }
  log(`grow: ${ops.trade.transactions} stamps traded`);

  for (const i of picks(from, target, SHARES.consents)) {
    const wallet = clientOf(scale.member(i));
    const commitment = commitmentOf(keyOf("scale-salt", String(i)), `scale-customer-${i}`);
    const consent = await signConsentLink(wallet, { program, commitment, purposes: ["rewards", "analytics"] });
    const attestation = await attestLink(brand, { program, wallet: wallet.account.address, commitment });
    const linked = await submitLink(brand, { program, consent, attestation });
    count("consent", linked.receipt.gasUsed);
  }
  log(`grow: ${ops.consent.transactions} wallets linked with consent`);

  // Past the expiry: every member's points are expired now; anyone burns some of the oldest members' (the brand here).
  await advanceDays(EXPIRY_DAYS + 1);
  const expiring = Math.max(1, Math.round((target - from) * SHARES.expiries));
  for (let k = 0; k < expiring && scale.nextExpiry < target; k++) {
    const expired = await expirePoints(brand, { program, member: scale.member(scale.nextExpiry++).address });
    count("expiry", expired.receipt.gasUsed);
  }
  log(`grow: ${ops.expiry.transactions} members' expired points burned`);
  return ops;
}
