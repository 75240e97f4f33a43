/**
 * `npm run app`'s member accounts: the EntryPoint v0.8 at its canonical address on the app's node, the demo program's
 * MemberAccountFactory and BrandPaymaster (deployed by the brand for a fresh sponsor key the program server holds),
 * and a bundler (Alto) started against the node. What the wallet reads of it is `accounts` in program.json.
 */
import hre from "hardhat";
import { parseEther, type Address, type LocalAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Program } from "@punchcard/sdk";
import { deployMemberAccounts } from "../sdk/src/deploy";
import type { CliClient } from "../sdk/src/cli/clients";
import { installEntryPoint } from "../test/account/entryPoint";
import { fundBundlerKeys, installDeterministicDeployer, startBundler, type StartBundlerReturnType } from "./bundler";

/** What program.json says of accounts: exactly what the wallet's passkey pages read. */
export interface AppAccounts {
  factory: Address;
  paymaster: Address;
  bundlerUrl: string;
}

/** The demo paymaster's EntryPoint deposit: far more than a development session's UserOps cost. */
const DEMO_PAYMASTER_DEPOSIT = parseEther("10");

/**
 * Sets up member accounts for the demo program on the app's node (`rpcUrl`, served from this process's Hardhat
 * network) and starts the bundler. The caller stops `bundler` at exit.
 */
export async function startAppAccounts(
  rpcUrl: string,
  { program, brand, log }: { program: Program; brand: CliClient; log: (line: string) => void },
): Promise<{ accounts: AppAccounts; sponsor: LocalAccount; bundler: StartBundlerReturnType }> {
  await installEntryPoint();
  await installDeterministicDeployer(hre.network.provider);
  const sponsor = privateKeyToAccount(generatePrivateKey());
  const { factory, paymaster } = await deployMemberAccounts(brand, {
    program,
    sponsor: sponsor.address,
    deposit: DEMO_PAYMASTER_DEPOSIT,
    onStep: log,
  });
  const keys = { executorKey: generatePrivateKey(), utilityKey: generatePrivateKey() };
  await fundBundlerKeys(brand, keys);
  const bundler = await startBundler({ rpcUrl, ...keys });
  return { accounts: { factory, paymaster, bundlerUrl: bundler.url }, sponsor, bundler };
}
