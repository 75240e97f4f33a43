import fs from "node:fs";
import path from "node:path";
import { network } from "hardhat";
import type { Address, Hex, WalletClient } from "viem";
import { getCode, sendTransaction, waitForTransactionReceipt } from "viem/actions";

/** Multicall3's canonical address, the same on nearly every public chain. */
export const MULTICALL3: Address = "0xcA11bde05977b3631167028862bE2a173976CA11";

/**
 * Puts Multicall3 at its canonical address on the in-process Hardhat chain, as on nearly every public chain: its
 * creation code (viem's copy, which viem does not export) deployed by `deployer`, its runtime code set there.
 */
export async function installMulticall3(deployer: WalletClient): Promise<void> {
  const constants = fs.readFileSync(
    path.join(__dirname, "..", "..", "node_modules", "viem", "_cjs", "constants", "contracts.js"),
    "utf8",
  );
  const creation = /multicall3Bytecode = '(0x[0-9a-f]+)'/.exec(constants)![1] as Hex;
  const hash = await sendTransaction(deployer, { account: deployer.account!, chain: deployer.chain, data: creation });
  const deployed = await waitForTransactionReceipt(deployer, { hash });
  await network.provider.send("hardhat_setCode", [MULTICALL3, await getCode(deployer, { address: deployed.contractAddress! })]);
}
