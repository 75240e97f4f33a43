import {
  decodeEventLog,
  toEventSelector,
  zeroAddress,
  type Abi,
  type AbiEvent,
  type Address,
  type ContractEventName,
  type DecodeEventLogReturnType,
  type Hash,
  type Hex,
  type Log,
} from "viem";
import { consentRegistryAbi, marketAbi, pointsAbi, rewardsAbi, stampsAbi } from "../generated/abis.js";
import type { Program } from "../program.js";
import { decodeStampId } from "../utils/stampId.js";

/** Which of the program's contracts emitted an entry. */
export type LedgerContract = "stamps" | "points" | "market" | "consent" | "rewards";

/** What happened, in the program's terms. One entry per event log. */
export type LedgerKind =
  | "stamp.minted"
  | "stamp.transferred"
  | "stamp.burned"
  | "series.created"
  | "points.minted"
  | "points.transferred"
  | "points.burned"
  | "points.rewarded"
  | "points.credited"
  | "points.redeemed"
  | "points.purchase.reversed"
  | "points.expired"
  | "points.terms"
  | "order.filled"
  | "offer.accepted"
  | "orders.matched"
  | "swap"
  | "order.cancelled"
  | "orders.cancelled"
  | "payment.deferred"
  | "payment.withdrawn"
  | "payment.swept"
  | "consent.linked"
  | "consent.granted"
  | "consent.changed"
  | "consent.revoked"
  | "consent.unlinked"
  | "program.end.announced"
  | "program.end.cancelled"
  | "stamp.locked"
  | "journey.set"
  | "journey.completed"
  | "voucher.cancelled"
  | "tiers.set"
  | "perk.set"
  | "perk.claimed"
  | "consent.guardian.withdrew"
  | "consent.guardian.changed"
  | "consent.cameOfAge"
  | "approval"
  | "role.changed"
  | "setting.changed";

/** A value of an event argument as stored: bigints as decimal strings so entries are plain JSON. */
export type ArgValue = string | number | boolean | null | ArgValue[] | { [key: string]: ArgValue };

/** One event of the program's history, decoded and normalised. */
export interface LedgerEntry {
  chainId: number;
  blockNumber: bigint;
  /** Unix seconds of the block. */
  blockTime: number;
  txHash: Hash;
  logIndex: number;
  contract: LedgerContract;
  /** Solidity event name, e.g. "PointsRewarded". */
  event: string;
  kind: LedgerKind;
  /** The wallet the entry is about: a stamp's or points' receiver, a redeemer, a seller. */
  actor: Address | null;
  /** The other side: a sender, a buyer. */
  counterparty: Address | null;
  tokenId: bigint | null;
  seriesId: bigint | null;
  /** Points, or a price in the currency's smallest unit. */
  amount: bigint | null;
  /** Payment currency of a trade (zero address: the native coin). */
  currency: Address | null;
  /** Royalty a trade paid the brand, in `currency`. */
  royalty: bigint | null;
  /** Market fee a trade paid, in `currency`. */
  fee: bigint | null;
  /** A bytes32 code: reward reason, receipt id, reward id, order hash. */
  code: Hex | null;
  /** Every argument of the event, bigints as decimal strings. */
  args: Record<string, ArgValue>;
}

type Normalised = Pick<LedgerEntry, "kind"> &
  Partial<
    Pick<LedgerEntry, "actor" | "counterparty" | "tokenId" | "seriesId" | "amount" | "currency" | "royalty" | "fee" | "code">
  >;
type Args = Record<string, unknown>;
type Normaliser = (args: Args) => Normalised;

const addr = (value: unknown) => value as Address;
const big = (value: unknown) => value as bigint;

const roleEvents = [
  "RoleGranted",
  "RoleRevoked",
  "RoleAdminChanged",
  "DefaultAdminTransferScheduled",
  "DefaultAdminTransferCanceled",
  "DefaultAdminDelayChangeScheduled",
  "DefaultAdminDelayChangeCanceled",
] as const;
const settingEvents = {
  stamps: [
    "StampsRoyaltyChanged",
    "StampsTransferPolicyChanged",
    "StampsGiftsAllowedChanged",
    "StampsOperatorChanged",
    "ContractURIUpdated",
    "StampsHoldersCounted",
    "Paused",
    "Unpaused",
    "EIP712DomainChanged",
  ],
  // The program's one pause is Stamps' (its Paused names the scopes it stops): Points and the Market have none.
  points: ["PointsTransferabilityChanged", "PointsOperatorChanged", "EIP712DomainChanged"],
  market: [
    "FeeChanged",
    "CurrencyAllowedChanged",
    "SwapFeeChanged",
    "PriceBoundsChanged",
    "MinRoyaltyChanged",
    "EIP712DomainChanged",
  ],
  consent: ["EIP712DomainChanged"],
  rewards: ["EIP712DomainChanged"],
} as const;

type CommonEvent<C extends LedgerContract> =
  "Approval" | "ApprovalForAll" | (typeof roleEvents)[number] | (typeof settingEvents)[C][number];

/** The ledger kind of each Market `FillKind`, in the enum's order. */
const saleKinds = ["order.filled", "offer.accepted", "orders.matched"] as const satisfies readonly LedgerKind[];

function saleKind(fillKind: number): (typeof saleKinds)[number] {
  const kind = saleKinds[fillKind];
  if (kind === undefined) throw new Error(`ledger: unknown Market FillKind ${fillKind}; add it to saleKinds in entries.ts`);
  return kind;
}

/** Normalisers shared by several contracts' events of different shapes: they read the args by name. */
function common<C extends LedgerContract>(contract: C): Record<CommonEvent<C>, (args: unknown) => Normalised> {
  const table: Record<string, Normaliser> = {
    Approval: (a) => ({ kind: "approval", actor: addr(a.owner), counterparty: addr(a.spender ?? a.approved) }),
    ApprovalForAll: (a) => ({ kind: "approval", actor: addr(a.owner), counterparty: addr(a.operator) }),
  };
  for (const name of roleEvents)
    table[name] = (a) => ({ kind: "role.changed", actor: a.account ? addr(a.account) : a.newAdmin ? addr(a.newAdmin) : null });
  for (const name of settingEvents[contract])
    table[name] = (a) => ({ kind: "setting.changed", actor: a.account ? addr(a.account) : null });
  return table as Record<CommonEvent<C>, (args: unknown) => Normalised>;
}

/**
 * What each contract's events mean in the ledger. Typed from the ABIs, names and arguments: an event a contract
 * gains without a normaliser here, or a normaliser reading an argument its event does not have, fails to compile
 * (and `unmappedEvents` checks the first at run time).
 */
type NormalisersOf<A extends Abi> = {
  [Name in ContractEventName<A>]: (args: DecodeEventLogReturnType<A, Name>["args"]) => Normalised;
};
type Normalisers = {
  stamps: NormalisersOf<typeof stampsAbi>;
  points: NormalisersOf<typeof pointsAbi>;
  market: NormalisersOf<typeof marketAbi>;
  consent: NormalisersOf<typeof consentRegistryAbi>;
  rewards: NormalisersOf<typeof rewardsAbi>;
};

const normalisers = {
  stamps: {
    ...common("stamps"),
    Transfer: (a) => {
      const tokenId = big(a.tokenId);
      const base = { tokenId, seriesId: decodeStampId(tokenId).seriesId };
      if (a.from === zeroAddress) return { ...base, kind: "stamp.minted", actor: addr(a.to) };
      if (a.to === zeroAddress) return { ...base, kind: "stamp.burned", actor: addr(a.from) };
      return { ...base, kind: "stamp.transferred", actor: addr(a.to), counterparty: addr(a.from) };
    },
    StampsSeriesCreated: (a) => ({ kind: "series.created", seriesId: big(a.seriesId), amount: big(a.maxSupply) }),
    // ERC-5192: a soulbound stamp's mint says it is locked for good. Unlocked is never emitted (no stamp unbinds).
    Locked: (a) => ({ kind: "stamp.locked", tokenId: big(a.tokenId), seriesId: decodeStampId(big(a.tokenId)).seriesId }),
    Unlocked: (a) => ({ kind: "setting.changed", tokenId: big(a.tokenId) }),
    // The amount is the end date, in Unix seconds.
    ProgramEndAnnounced: (a) => ({ kind: "program.end.announced", amount: big(a.endsAt) }),
    ProgramEndCancelled: (a) => ({ kind: "program.end.cancelled", amount: big(a.endsAt) }),
  },
  points: {
    ...common("points"),
    Transfer: (a) => {
      const amount = big(a.value);
      if (a.from === zeroAddress) return { kind: "points.minted", actor: addr(a.to), amount };
      if (a.to === zeroAddress) return { kind: "points.burned", actor: addr(a.from), amount };
      return { kind: "points.transferred", actor: addr(a.to), counterparty: addr(a.from), amount };
    },
    PointsRewarded: (a) => ({ kind: "points.rewarded", actor: addr(a.member), amount: big(a.amount), code: a.reason as Hex }),
    PointsCredited: (a) => ({ kind: "points.credited", actor: addr(a.member), amount: big(a.amount), code: a.receiptId as Hex }),
    PointsRedeemed: (a) => ({ kind: "points.redeemed", actor: addr(a.member), amount: big(a.amount), code: a.rewardId as Hex }),
    // The amount is what the receipt credited; burned and shortfall are in args. A receipt reversed before any credit
    // has no actor.
    PointsPurchaseReversed: (a) => ({
      kind: "points.purchase.reversed",
      actor: a.member === zeroAddress ? null : addr(a.member),
      amount: big(a.amount),
      code: a.receiptId as Hex,
    }),
    PointsExpired: (a) => ({ kind: "points.expired", actor: addr(a.member), amount: big(a.amount) }),
    // Emitted once at deployment. The amount is the days of inactivity after which points expire (0: they never do
    // by inactivity); the model (2: dated lots), its days and the pending days are in args.
    PointsTermsSet: (a) => ({ kind: "points.terms", amount: Number(a.expiry) === 1 ? big(a.expiryDays) : 0n }),
  },
  market: {
    ...common("market"),
    // FillKind: 0 a listing bought, 1 an offer accepted, 2 a listing matched with an offer (a relayed trade).
    Sale: (a) => ({
      kind: saleKind(a.kind),
      actor: addr(a.buyer),
      counterparty: addr(a.seller),
      tokenId: big(a.tokenId),
      seriesId: decodeStampId(big(a.tokenId)).seriesId,
      amount: big(a.price),
      currency: addr(a.currency),
      royalty: big(a.royaltyAmount),
      fee: big(a.fee),
      code: a.orderHash as Hex,
    }),
    Swapped: (a) => ({
      kind: "swap",
      actor: addr(a.taker),
      counterparty: addr(a.maker),
      tokenId: big(a.makerTokenId),
      seriesId: decodeStampId(big(a.makerTokenId)).seriesId,
      fee: big(a.swapFee),
      // In Points, like the swap fee.
      royalty: big(a.royaltyAmount),
      code: a.orderHash as Hex,
    }),
    OrderCancelled: (a) => ({ kind: "order.cancelled", actor: addr(a.signer), code: a.orderHash as Hex }),
    NonceIncremented: (a) => ({ kind: "orders.cancelled", actor: addr(a.signer), amount: big(a.newNonce) }),
    PaymentDeferred: (a) => ({
      kind: "payment.deferred",
      actor: addr(a.recipient),
      amount: big(a.amount),
      currency: zeroAddress,
    }),
    Withdrawn: (a) => ({
      kind: "payment.withdrawn",
      actor: addr(a.account),
      counterparty: addr(a.to),
      amount: big(a.amount),
      currency: zeroAddress,
    }),
    // Coin forced into the Market without a sale, sent on by the admin.
    Swept: (a) => ({ kind: "payment.swept", actor: addr(a.to), amount: big(a.amount), currency: zeroAddress }),
  },
  consent: {
    ...common("consent"),
    ConsentLinked: (a) => ({
      kind: "consent.linked",
      actor: addr(a.wallet),
      counterparty: addr(a.attester),
      code: a.commitment as Hex,
    }),
    // The new purposes bitmask is the amount: analytics can follow consent from this one event.
    ConsentPurposesChanged: (a) => {
      const [before, after] = [big(a.oldPurposes), big(a.newPurposes)];
      const kind =
        after === before
          ? "consent.changed" // a link with no purposes, or a change to the same set
          : after === 0n
            ? "consent.revoked"
            : (before & ~after) === 0n
              ? "consent.granted"
              : "consent.changed";
      return { kind, actor: addr(a.wallet), amount: after };
    },
    ConsentUnlinked: (a) => ({ kind: "consent.unlinked", actor: addr(a.wallet) }),
    // The guardian's own action on a minor's link: the purposes withdrawn are the amount.
    ConsentGuardianWithdrew: (a) => ({
      kind: "consent.guardian.withdrew",
      actor: addr(a.wallet),
      counterparty: addr(a.guardian),
      amount: big(a.purposes),
    }),
    ConsentGuardianChanged: (a) => ({
      kind: "consent.guardian.changed",
      actor: addr(a.wallet),
      counterparty: addr(a.newGuardian),
    }),
    ConsentCameOfAge: (a) => ({ kind: "consent.cameOfAge", actor: addr(a.wallet), counterparty: addr(a.attester) }),
  },
  rewards: {
    ...common("rewards"),
    RewardsJourneySet: (a) => ({ kind: "journey.set", code: a.journeyId as Hex }),
    // The points paid are also the status points earned; the stamps minted are in args (and Stamps' Transfer logs).
    RewardsJourneyCompleted: (a) => ({
      kind: "journey.completed",
      actor: addr(a.member),
      counterparty: a.referee === zeroAddress ? null : addr(a.referee),
      amount: big(a.points),
      code: a.journeyId as Hex,
    }),
    RewardsVoucherCancelled: (a) => ({ kind: "voucher.cancelled", code: a.voucherId as Hex }),
    RewardsTiersSet: () => ({ kind: "tiers.set" }),
    RewardsPerkSet: (a) => ({ kind: "perk.set", code: a.perkId as Hex }),
    RewardsPerkClaimed: (a) => ({
      kind: "perk.claimed",
      actor: addr(a.member),
      amount: big(a.pointsBurned),
      // The stamp the claim burned, if any (its burn is also a stamp entry of the same transaction).
      ...(big(a.stampBurned) === 0n ? {} : { tokenId: big(a.stampBurned), seriesId: decodeStampId(big(a.stampBurned)).seriesId }),
      code: a.perkId as Hex,
    }),
  },
} satisfies Normalisers;

const abis: Record<LedgerContract, Abi> = {
  stamps: stampsAbi,
  points: pointsAbi,
  market: marketAbi,
  consent: consentRegistryAbi,
  rewards: rewardsAbi,
};

/**
 * Each contract's events by selector, built once: given the whole ABI, viem's `decodeEventLog` formats and hashes
 * every event's signature until one matches the log's first topic, for every log (a profile of the ledger
 * benchmark's backfill put it near a tenth of the time).
 */
const eventsBySelector = new Map<LedgerContract, Map<string, readonly [AbiEvent]>>();
function abiForLog(contract: LedgerContract, topic0: Hex | undefined): Abi {
  let selectors = eventsBySelector.get(contract);
  if (!selectors) {
    selectors = new Map();
    for (const item of abis[contract]) {
      if (item.type === "event" && !item.anonymous) selectors.set(toEventSelector(item), [item]);
    }
    eventsBySelector.set(contract, selectors);
  }
  return (topic0 && selectors.get(topic0)) || abis[contract];
}

/**
 * Events of a contract that have no ledger kind yet (a test keeps this empty).
 *
 * @example
 * unmappedEvents("market"); // [] while every Market event has a ledger kind
 */
export function unmappedEvents(contract: LedgerContract): string[] {
  return abis[contract]
    .filter((item) => item.type === "event")
    .map((item) => (item as { name: string }).name)
    .filter((name) => !(normalisers[contract] as unknown as Record<string, Normaliser | undefined>)[name]);
}

/**
 * The program's contracts by lower-case address, for routing logs to their ABI.
 *
 * @example
 * ledgerContracts(program).get(log.address.toLowerCase()); // "stamps" | "points" | "market" | "consent" | "rewards"
 */
export function ledgerContracts(program: Program): Map<string, LedgerContract> {
  return new Map<string, LedgerContract>([
    [program.stamps.toLowerCase(), "stamps"],
    [program.points.toLowerCase(), "points"],
    [program.market.toLowerCase(), "market"],
    [program.consent.toLowerCase(), "consent"],
    [program.rewards.toLowerCase(), "rewards"],
  ]);
}

function toArgValue(value: unknown): ArgValue {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(toArgValue);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toArgValue(v)]));
  }
  return value as ArgValue;
}

/** Where and when an event happened: what a log carries besides its decoded arguments. */
export interface LedgerEventPlace {
  chainId: number;
  blockNumber: bigint;
  /** Unix seconds of the block. */
  blockTime: number;
  txHash: Hash;
  logIndex: number;
}

/**
 * A ledger entry from an event already decoded (by viem, or by another indexer that decodes with the same ABIs):
 * `decodeLedgerEntry` is this after decoding, and the Ponder benchmark's handlers call it with Ponder's `event.args`.
 *
 * @example
 * const entry = ledgerEntryFromEvent("points", "PointsRewarded", { member, amount: 10n, reason }, place);
 */
export function ledgerEntryFromEvent(
  contract: LedgerContract,
  eventName: string,
  args: Record<string, unknown>,
  place: LedgerEventPlace,
): LedgerEntry {
  const normalise = (normalisers[contract] as unknown as Record<string, Normaliser | undefined>)[eventName];
  if (!normalise) throw new Error(`ledger: no entry kind for ${contract}.${eventName}; add it to entries.ts`);
  const n = normalise(args);
  return {
    chainId: place.chainId,
    blockNumber: place.blockNumber,
    blockTime: place.blockTime,
    txHash: place.txHash,
    logIndex: place.logIndex,
    contract,
    event: eventName,
    kind: n.kind,
    actor: n.actor ?? null,
    counterparty: n.counterparty ?? null,
    tokenId: n.tokenId ?? null,
    seriesId: n.seriesId ?? null,
    amount: n.amount ?? null,
    currency: n.currency ?? null,
    royalty: n.royalty ?? null,
    fee: n.fee ?? null,
    code: n.code ?? null,
    args: Object.fromEntries(Object.entries(args).map(([k, v]) => [k, toArgValue(v)])),
  };
}

/**
 * Decodes one log of the program into a ledger entry, or undefined if the log is not from one of
 * its contracts. `blockTime` comes from the caller (one block read serves many logs).
 *
 * @example
 * const entry = decodeLedgerEntry(log, { chainId: 31337, contracts: ledgerContracts(program), blockTime: 1_700_000_000 });
 */
export function decodeLedgerEntry(
  log: Log,
  context: { chainId: number; contracts: Map<string, LedgerContract>; blockTime: number },
): LedgerEntry | undefined {
  const contract = context.contracts.get(log.address.toLowerCase());
  if (!contract || log.blockNumber === null || log.transactionHash === null || log.logIndex === null) return undefined;
  const decoded = decodeEventLog({ abi: abiForLog(contract, log.topics[0]), data: log.data, topics: log.topics, strict: true });
  return ledgerEntryFromEvent(contract, String(decoded.eventName), (decoded.args ?? {}) as Args, {
    chainId: context.chainId,
    blockNumber: log.blockNumber,
    blockTime: context.blockTime,
    txHash: log.transactionHash,
    logIndex: log.logIndex,
  });
}
