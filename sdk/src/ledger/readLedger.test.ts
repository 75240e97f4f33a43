import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { createPublicClient, custom, isAddressEqual, type Address, type EIP1193RequestFn } from "viem";
import { getLogs } from "viem/actions";
import {
  creditPurchase,
  mintStamps,
  programAddresses,
  readLedger,
  receiptIdOf,
  redeemPoints,
  redeemVoucher,
  signVoucher,
  rewardPoints,
  stampsAbi,
  unmappedEvents,
  watchLedger,
  type LedgerEntry,
} from "../index.js";
import { sdkProgram } from "../../../test/helpers/sdkProgram.js";

async function history() {
  const f = await sdkProgram();
  const [alice, bob] = f.members;
  await mintStamps(f.backend, { program: f.program, seriesId: 1n, to: [alice!.account.address] });
  await rewardPoints(f.backend, {
    program: f.program,
    reason: "welcome",
    rewards: [{ member: alice!.account.address, amount: 100n }],
  });
  await creditPurchase(f.backend, {
    program: f.program,
    member: bob!.account.address,
    amount: 500n,
    receiptId: receiptIdOf("r-1", "s"),
  });
  await redeemPoints(alice!, { program: f.program, amount: 30n, rewardId: "free-coffee" });
  await alice!.writeContract({
    address: f.program.stamps,
    abi: stampsAbi,
    functionName: "transferFrom",
    args: [alice!.account.address, bob!.account.address, 1_000_000_001n],
  });
  return f;
}

/** The history, then more members' activity: a journey, a third member's points, a points gift. */
async function busyProgram() {
  const f = await history();
  const [alice, bob, carol] = f.members;
  const voucher = await signVoucher(f.backend, {
    program: f.program,
    member: bob!.account.address,
    journeyId: "first-visit",
    stamps: 1n,
    points: 10n,
  });
  await redeemVoucher(bob!, { program: f.program, voucher });
  await rewardPoints(f.backend, {
    program: f.program,
    reason: "hello",
    rewards: [{ member: carol!.account.address, amount: 5n }],
  });
  await mintStamps(f.backend, { program: f.program, seriesId: 1n, to: [carol!.account.address, alice!.account.address] });
  return f;
}

const concerns = (member: Address) => (entry: LedgerEntry) =>
  [entry.actor, entry.counterparty].some((who) => who !== null && isAddressEqual(who, member));

describe("sdk: readLedger and watchLedger", () => {
  it("reads one member's entries by topic: the same entries as the whole ledger filtered, from fewer logs", async () => {
    const { program, brand, backend, members } = await loadFixture(busyProgram);
    let logsRead = 0;
    const request = brand.request as EIP1193RequestFn;
    const counting = createPublicClient({
      chain: brand.chain,
      transport: custom({
        request: async (args: Parameters<EIP1193RequestFn>[0]) => {
          const result: unknown = await request(args);
          if (args.method === "eth_getLogs") logsRead += (result as unknown[]).length;
          return result;
        },
      }),
    });
    const all = await readLedger(counting, { program });
    const allLogs = logsRead;
    expect(allLogs).to.equal(all.length);
    const wallets = [...members.map((m) => m.account.address), backend.account.address, brand.account!.address];
    for (const member of wallets) {
      logsRead = 0;
      const mine = await readLedger(counting, { program, member });
      expect(mine, member).to.deep.equal(all.filter(concerns(member)));
      expect(logsRead, member).to.be.lessThan(allLogs);
    }
    // A member with activity has entries; a stranger has none.
    expect((await readLedger(counting, { program, member: members[1]!.account.address })).map((e) => e.kind)).to.include.members([
      "points.credited",
      "stamp.transferred",
      "journey.completed",
    ]);
    expect(await readLedger(counting, { program, member: "0x000000000000000000000000000000000000dEaD" })).to.deep.equal([]);
  });

  it("a member read finds an entry whose member is not an indexed topic (the pauser of Stamps)", async () => {
    const { program, brand } = await loadFixture(busyProgram);
    const pauser = brand.account!.address;
    await brand.writeContract({ address: program.stamps, abi: stampsAbi, functionName: "pause", args: [1n] });
    const paused = (await readLedger(brand, { program, member: pauser })).filter((e) => e.event === "Paused");
    expect(paused.map((e) => [e.kind, e.actor])).to.deep.equal([["setting.changed", pauser]]);
    expect(await readLedger(brand, { program, member: "0x000000000000000000000000000000000000dEaD" })).to.deep.equal([]);
  });

  it("every event of every contract of the program has a ledger kind", () => {
    for (const contract of ["stamps", "points", "market", "consent", "rewards"] as const) {
      expect(unmappedEvents(contract), contract).to.deep.equal([]);
    }
  });

  it("reads every log of the program once, in chain order, typed and timed", async () => {
    const { program, brand, members } = await loadFixture(history);
    const [alice, bob] = members.map((m) => m.account.address.toLowerCase());
    const raw = await getLogs(brand, { address: programAddresses(program), fromBlock: program.deployBlock });
    const entries = await readLedger(brand, { program });
    expect(entries.length).to.equal(raw.length);
    expect(new Set(entries.map((e) => `${e.txHash}:${e.logIndex}`)).size).to.equal(entries.length);
    for (let i = 1; i < entries.length; i++) {
      const [a, b] = [entries[i - 1]!, entries[i]!];
      expect(a.blockNumber < b.blockNumber || (a.blockNumber === b.blockNumber && a.logIndex < b.logIndex)).to.equal(true);
      expect(a.blockTime <= b.blockTime).to.equal(true);
    }

    const setUp = ["role.changed", "setting.changed", "points.terms", "series.created", "journey.set", "tiers.set", "perk.set"];
    const business = entries.filter((e) => !setUp.includes(e.kind));
    const view = (e: LedgerEntry) => [e.kind, e.actor?.toLowerCase() ?? null, e.amount, e.tokenId];
    expect(business.map(view)).to.deep.equal([
      ["stamp.minted", alice, null, 1_000_000_001n],
      ["points.minted", alice, 100n, null],
      ["points.rewarded", alice, 100n, null],
      ["points.minted", bob, 500n, null],
      ["points.credited", bob, 500n, null],
      ["points.burned", alice, 30n, null],
      ["points.redeemed", alice, 30n, null],
      ["stamp.transferred", bob, null, 1_000_000_001n],
    ]);
    const redeemed = business.find((e) => e.kind === "points.redeemed")!;
    expect(redeemed.args).to.deep.equal({ member: members[0]!.account.address, amount: "30", rewardId: redeemed.code });
    expect(entries.filter((e) => e.kind === "series.created").map((e) => e.seriesId)).to.deep.equal([1n, 2n]);
    // The config's journey, tiers and perk, set up at deployment, are in the ledger too.
    // The Points lifecycle terms, announced once at deployment: no expiry in this config.
    expect(entries.filter((e) => e.kind === "points.terms").map((e) => e.amount)).to.deep.equal([0n]);
    expect(entries.filter((e) => setUp.slice(4).includes(e.kind)).map((e) => e.kind)).to.deep.equal([
      "journey.set",
      "tiers.set",
      "perk.set",
    ]);
  });

  it("reads a block range only", async () => {
    const { program, brand } = await loadFixture(history);
    const head = await brand.getBlockNumber();
    const last = await readLedger(brand, { program, fromBlock: head, toBlock: head });
    expect(last.map((e) => e.kind)).to.deep.equal(["stamp.transferred"]);
  });

  it("follows new blocks live and stops when asked", async () => {
    const { program, brand, backend, members } = await loadFixture(history);
    const seen: LedgerEntry[] = [];
    const stop = watchLedger(brand, { program, pollingInterval: 20, onEntries: (entries) => void seen.push(...entries) });
    await new Promise((resolve) => setTimeout(resolve, 60));
    await rewardPoints(backend, { program, reason: "live", rewards: [{ member: members[2]!.account.address, amount: 7n }] });
    const deadline = Date.now() + 5_000;
    while (seen.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    stop();
    expect(seen.map((e) => [e.kind, e.amount])).to.deep.equal([
      ["points.minted", 7n],
      ["points.rewarded", 7n],
    ]);
  });
});
