import hre from "hardhat";
import type { Address } from "viem";
import { generatePrivateKey } from "viem/accounts";
import { fundBundlerKeys, installDeterministicDeployer, startBundler, type StartBundlerReturnType } from "../../scripts/bundler";
import { installEntryPoint } from "../account/entryPoint";
import { serveInProcessChain } from "./rpcServer";
import { clientFor } from "./viem";

/**
 * The in-process chain served over HTTP with the EntryPoint v0.8 at its canonical address and the deterministic
 * deployer, and Alto started against it with fresh executor and utility keys funded from Hardhat's first account.
 * `close` stops the bundler, then the chain's server.
 */
export async function startTestBundler(): Promise<{
  rpcUrl: string;
  bundler: StartBundlerReturnType;
  close: () => Promise<void>;
}> {
  await installEntryPoint();
  await installDeterministicDeployer(hre.network.provider);
  const [funder] = (await hre.network.provider.request({ method: "eth_accounts" })) as Address[];
  if (!funder) throw new Error("no Hardhat account");
  const keys = { executorKey: generatePrivateKey(), utilityKey: generatePrivateKey() };
  await fundBundlerKeys(clientFor(funder), keys);
  const chain = await serveInProcessChain();
  let bundler: StartBundlerReturnType;
  try {
    bundler = await startBundler({ rpcUrl: chain.url, ...keys, ...(process.env.ALTO_LOG ? { log: console.log } : {}) });
  } catch (error) {
    await chain.close();
    throw error;
  }
  return {
    rpcUrl: chain.url,
    bundler,
    close: async () => {
      await bundler.stop();
      await chain.close();
    },
  };
}
