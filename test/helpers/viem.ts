import hre from "hardhat";
import { createWalletClient, publicActions, type Address } from "viem";
import { hardhat } from "viem/chains";
import type { ProgramConfigInput } from "@punchcard/sdk";
import { inProcessTransport } from "../../sdk/src/cli/inProcess";

/** A viem wallet client (with public actions) for one of Hardhat's unlocked accounts, on the in-process network. */
export function clientFor(account: Address) {
  return createWalletClient({
    account,
    chain: hardhat,
    transport: inProcessTransport(),
    pollingInterval: 10,
  }).extend(publicActions);
}

export type TestClient = ReturnType<typeof clientFor>;

/** The brand (admin), its backend (minter), a treasury and members, as viem clients. */
export async function viemActors() {
  const accounts = (await hre.network.provider.request({ method: "eth_accounts" })) as Address[];
  const [brand, backend, treasury, ...members] = accounts.map(clientFor);
  if (!brand || !backend || !treasury || members.length < 5) throw new Error("need 8 Hardhat accounts");
  return { brand, backend, treasury, members };
}

/**
 * A small program config whose backend mints and rewards, with one tradable and one soulbound series, a journey
 * (first-visit: a First Visit stamp and 10 points, once), a Silver tier at 10 status points and a perk for Silver.
 */
export function testConfig(treasury: Address, minter: Address): ProgramConfigInput {
  return {
    brand: "Test Coffee",
    stamps: { name: "Test Stamps", symbol: "TST", contractURI: "ipfs://collection.json" },
    points: { name: "Test Points", symbol: "TPT" },
    treasury,
    royaltyBps: 500,
    transferPolicy: "open",
    roles: { minter, adminDelaySeconds: 0 },
    series: [
      { name: "Autumn Cup", maxSupply: 3, imageURI: "ipfs://autumn.png" },
      { name: "First Visit", maxSupply: 1000, soulbound: true, imageURI: "ipfs://first.png" },
    ],
    journeys: [{ id: "first-visit", name: "First Visit", reward: { seriesId: 2, stamps: 1, points: 10 } }],
    tiers: [{ name: "Silver", threshold: 10 }],
    perks: [{ id: "silver-coffee", name: "Silver Coffee", requires: { tier: "Silver" } }],
  };
}
