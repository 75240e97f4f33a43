/**
 * The ledger benchmark's chain: a program on Hardhat's in-process network with at least `events` program events of
 * the four kinds a loyalty program writes most (stamp mints, point rewards, trades on the Market, consent links and
 * changes), and a writer that keeps mining blocks with events for the head-latency race.
 */
import hre from "hardhat";
import { createWalletClient, publicActions, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import {
  approveMarket,
  attestLink,
  buyStamp,
  commitmentOf,
  listStamp,
  mintStamps,
  randomSalt,
  rewardPoints,
  signConsentChange,
  signConsentLink,
  submitConsentChange,
  submitLink,
  type Program,
} from "@punchcard/sdk";
import { deployProgram } from "@punchcard/sdk/deploy";
import { inProcessTransport } from "../../sdk/src/cli/inProcess";
import { clientFor, type TestClient } from "../../test/helpers/viem";

/** Members of the batches: addresses nobody holds a key to (mints and rewards need none). */
function members(count: number, offset = 0): Address[] {
  return Array.from({ length: count }, (_, i) => `0x${(0x100000 + offset + i).toString(16).padStart(40, "0")}` as Address);
}

export interface Fixture {
  program: Program;
  brand: TestClient;
  /** Program events on the chain (logs of the five contracts) after the deploy's own. */
  events: number;
  /** The last block with a program event; 32 empty blocks follow it. */
  lastEventBlock: bigint;
  transactions: number;
  mix: { mints: number; rewards: number; trades: number; consent: number };
}

const BATCH = 300;
const SERIES = 1n;
/** The trading members: Hardhat's unlocked accounts 1-10. */
const TRADERS = 10;

/**
 * Deploys a program and writes at least `target` events: `trades` stamp sales in Points between ten members,
 * `consents` wallets linked then changing their purposes, and the rest as reward (2 logs per member) and
 * mint (1 log per member) batches of 300.
 */
export async function buildFixture(
  target: number,
  options: { trades: number; consents: number; log: (line: string) => void },
): Promise<Fixture> {
  const accounts = (await hre.network.provider.request({ method: "eth_accounts" })) as Address[];
  const [brand, ...others] = accounts.map(clientFor);
  if (!brand || others.length < TRADERS) throw new Error(`the fixture needs ${TRADERS + 1} Hardhat accounts`);
  const traders = others.slice(0, TRADERS);
  const { program } = await deployProgram(brand, {
    config: {
      brand: "Bench Coffee",
      stamps: { name: "Bench Stamps", symbol: "BST" },
      points: { name: "Bench Points", symbol: "BPT" },
      treasury: brand.account.address,
      royaltyBps: 500,
      transferPolicy: "open",
      series: [{ name: "Bench Cup", maxSupply: 999_999_999 }],
    },
  });
  const mix = { mints: 0, rewards: 0, trades: 0, consent: 0 };
  let transactions = 0;
  const events = () => mix.mints + mix.rewards + mix.trades + mix.consent;

  // Trades: each trader gets stamps and points, approves the Market, then sells to the next trader.
  const perTrader = Math.ceil(options.trades / TRADERS);
  const owners: Address[] = [];
  for (let k = 0; k < perTrader; k++) for (const t of traders) owners.push(t.account.address);
  for (let i = 0; i < owners.length; i += BATCH) {
    const r = await mintStamps(brand, { program, seriesId: SERIES, to: owners.slice(i, i + BATCH) });
    mix.mints += r.receipt.logs.length;
    transactions++;
  }
  const funded = await rewardPoints(brand, {
    program,
    reason: "bench-traders",
    rewards: traders.map((t) => ({ member: t.account.address, amount: 1_000_000n })),
  });
  mix.rewards += funded.receipt.logs.length;
  transactions++;
  for (const t of traders) {
    const r = await approveMarket(t, { program });
    if (r) {
      mix.trades += r.receipt.logs.length;
      transactions++;
    }
  }
  for (let i = 0; i < options.trades; i++) {
    // Edition i+1 went to owners[i] = traders[i % TRADERS].
    const seller = traders[i % TRADERS]!;
    const buyer = traders[(i + 1) % TRADERS]!;
    const listing = await listStamp(seller, {
      program,
      tokenId: SERIES * 1_000_000_000n + BigInt(i + 1),
      price: 100n,
      currency: program.points,
    });
    const bought = await buyStamp(buyer, { program, listing });
    mix.trades += bought.receipt.logs.length;
    transactions++;
    if ((i + 1) % 100 === 0) options.log(`fixture: ${i + 1} trades`);
  }

  // Consent: wallets (keys made here) sign a link the brand attests and submits, then a change of purposes.
  for (let i = 0; i < options.consents; i++) {
    const wallet = createWalletClient({
      account: privateKeyToAccount(generatePrivateKey()),
      chain: hardhat,
      transport: inProcessTransport(),
    }).extend(publicActions);
    const commitment = commitmentOf(randomSalt(), `bench-${i}`);
    const consent = await signConsentLink(wallet, { program, commitment, purposes: ["rewards"] });
    const attestation = await attestLink(brand, { program, wallet: wallet.account.address, commitment });
    const linked = await submitLink(brand, { program, consent, attestation });
    const change = await signConsentChange(wallet, { program, purposes: ["rewards", "analytics"] });
    const changed = await submitConsentChange(brand, { program, change });
    mix.consent += linked.receipt.logs.length + changed.receipt.logs.length;
    transactions += 2;
    if ((i + 1) % 100 === 0) options.log(`fixture: ${i + 1} consent links`);
  }

  // The bulk: reward batches (Transfer + PointsRewarded per member) and every fourth a mint batch.
  const to = members(BATCH);
  let batches = 0;
  while (events() < target) {
    if (batches % 4 === 3) {
      const r = await mintStamps(brand, { program, seriesId: SERIES, to });
      mix.mints += r.receipt.logs.length;
    } else {
      const r = await rewardPoints(brand, {
        program,
        reason: `bench-${batches}`,
        rewards: to.map((member) => ({ member, amount: 10n })),
      });
      mix.rewards += r.receipt.logs.length;
    }
    batches++;
    transactions++;
    if (batches % 20 === 0) options.log(`fixture: ${events()} events in ${transactions} transactions`);
  }
  const lastEventBlock = await brand.getBlockNumber({ cacheTime: 0 });
  // Empty blocks after the events put them all beyond Ponder's finality depth on this chain (30 blocks), so its
  // historical sync, not its block-by-block realtime sync, backfills them: the backfill compared is a backfill.
  // One evm_mine each: hardhat_mine reserves its blocks lazily and their hashes change when they are made,
  // which Ponder rightly takes for a reorg past its finality depth.
  for (let i = 0; i < 32; i++) await hre.network.provider.request({ method: "evm_mine", params: [] });
  return { program, brand, events: events(), lastEventBlock, transactions, mix };
}

/**
 * Mines one block with events every `intervalMs` until stopped (a reward to 5 members: 10 events), and
 * records when each block was mined. The head-latency race reads these times.
 */
export function startWriter(fixture: Fixture, intervalMs: number) {
  const mined = new Map<bigint, number>();
  let running = true;
  let round = 0;
  const done = (async () => {
    const to = members(5, 1_000_000);
    while (running) {
      const next = performance.now() + intervalMs;
      const { receipt } = await rewardPoints(fixture.brand, {
        program: fixture.program,
        reason: `head-${round++}`,
        rewards: to.map((member) => ({ member, amount: 1n })),
      });
      mined.set(receipt.blockNumber, performance.now());
      const wait = next - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  return {
    mined,
    stop: async () => {
      running = false;
      await done;
    },
  };
}
