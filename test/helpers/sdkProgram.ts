import { ethers, network } from "hardhat";
import { createWalletClient, keccak256, publicActions, stringToHex, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { approveMarket, configureMarket, mintStamps, rewardPoints, setMinRoyalty } from "@punchcard/sdk";
import { deployProgram } from "@punchcard/sdk/deploy";
import { inProcessTransport } from "../../sdk/src/cli/inProcess";
import { testConfig, viemActors } from "./viem";

/** A program deployed through the SDK with testConfig: series 1 tradable (3 editions), series 2 soulbound. */
export async function sdkProgram() {
  const actors = await viemActors();
  const config = testConfig(actors.treasury.account.address, actors.backend.account.address);
  const { program } = await deployProgram(actors.brand, { config });
  return { ...actors, program };
}

const CUP = 1n;
const JOURNEY = 2n;
const cup = (edition: bigint) => CUP * 1_000_000_000n + edition;
/** Series of marketProgram: 1 tradable "Autumn Cup" (100), 2 soulbound "First Visit" (100). */
export const stampIds = { CUP, JOURNEY, cup };
/** The least royalty of a trade in Points in marketProgram, which a swap's taker pays. */
export const MIN_POINTS_ROYALTY = 5n;

/**
 * A market-only program (gifts off): Ada, Ben and Cleo hold Autumn Cups #1-#3, 1,000 points and 10,000 mUSD (an
 * allowed stablecoin), and have approved the Market; Ada also holds a soulbound First Visit. Every trade in Points,
 * and so every swap, pays the brand at least MIN_POINTS_ROYALTY.
 */

export async function marketProgram() {
  const actors = await viemActors();
  const config = {
    ...testConfig(actors.treasury.account.address, actors.backend.account.address),
    transferPolicy: "market-only" as const,
  };
  config.series = [
    { name: "Autumn Cup", maxSupply: 100, imageURI: "ipfs://cup.png" },
    { name: "First Visit", maxSupply: 100, soulbound: true },
  ];
  const { program } = await deployProgram(actors.brand, { config });
  const [ada, ben, cleo] = actors.members;
  const stablecoin = await ethers.deployContract("MockStablecoin");
  const usd = (await stablecoin.getAddress()) as Address;
  await configureMarket(actors.brand, { program, currencies: [{ currency: usd, allowed: true }] });
  await setMinRoyalty(actors.brand, { program, currency: program.points, minRoyalty: MIN_POINTS_ROYALTY });
  for (const m of [ada!, ben!, cleo!]) await stablecoin.mint(m.account.address, 10_000n);
  await mintStamps(actors.backend, {
    program,
    seriesId: CUP,
    to: [ada!.account.address, ben!.account.address, cleo!.account.address],
  });
  await mintStamps(actors.backend, { program, seriesId: JOURNEY, to: [ada!.account.address] });
  await rewardPoints(actors.backend, {
    program,
    reason: "welcome",
    rewards: [ada!, ben!, cleo!].map((m) => ({ member: m.account.address, amount: 1_000n })),
  });
  for (const m of [ada!, ben!, cleo!]) await approveMarket(m, { program });
  return { ...actors, program, usd, ada: ada!, ben: ben!, cleo: cleo! };
}

/** The market fee of zeroCoinProgram, in basis points. */
export const ZERO_COIN_FEE_BPS = 250n;

/** A member whose key lives in their own wallet (a viem local account), never funded: the chain has never seen it. */
function localMember(name: string) {
  return createWalletClient({
    account: privateKeyToAccount(keccak256(stringToHex(`punchcard zero-coin member ${name}`))),
    chain: hardhat,
    transport: inProcessTransport(),
    pollingInterval: 10,
  }).extend(publicActions);
}

/**
 * marketProgram with a market fee of ZERO_COIN_FEE_BPS, and two more members who never held a wei of native coin,
 * Dan and Eve, each with a cup (#4, #5) and 1,000 points: what the brand's relayer sends for. The relayer is the
 * fourth of marketProgram's members, a key with no role.
 */
export async function zeroCoinProgram() {
  const base = await marketProgram();
  const [, , , relayer, feeRecipient] = base.members;
  if (!relayer || !feeRecipient) throw new Error("need 5 members");
  const dan = localMember("dan");
  const eve = localMember("eve");
  const { program, brand, backend } = base;
  await configureMarket(brand, { program, fee: { recipient: feeRecipient.account.address, feeBps: ZERO_COIN_FEE_BPS } });
  await mintStamps(backend, { program, seriesId: CUP, to: [dan.account.address, eve.account.address] });
  await rewardPoints(backend, {
    program,
    reason: "welcome",
    rewards: [dan, eve].map((m) => ({ member: m.account.address, amount: 1_000n })),
  });
  for (const m of [dan, eve]) await network.provider.send("hardhat_setBalance", [m.account.address, "0x0"]);
  return { ...base, dan, eve, relayer, feeRecipient, danCup: cup(4n), eveCup: cup(5n) };
}
