import hre from "hardhat";
import { createProvider } from "hardhat/internal/core/providers/construction";
import { JsonRpcServer } from "hardhat/internal/hardhat-network/jsonrpc/server";
import type { HardhatConfig } from "hardhat/types";
import { toHex, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

/**
 * A second Hardhat chain, apart from the in-process one, served over HTTP on a free loopback port with a chain id
 * that is NOT a development chain's (Base Sepolia's by default): what `punchcard deploy` sees of a public chain (it
 * plans, checks the deployer's coin, asks before sending, waits confirmations). Blocks come every `intervalMs` as
 * well as with each transaction, so waiting for several confirmations ends.
 */
export async function serveLiveChain({ chainId = 84532, intervalMs = 50 } = {}) {
  const base = hre.config.networks.hardhat;
  const config: HardhatConfig = {
    ...hre.config,
    networks: {
      ...hre.config.networks,
      hardhat: { ...base, chainId, mining: { ...base.mining, auto: true, interval: intervalMs } },
    },
  };
  const provider = await createProvider(config, "hardhat", hre.artifacts);
  const server = new JsonRpcServer({ hostname: "127.0.0.1", port: 0, provider });
  const { address, port } = await server.listen();
  const request = (method: string, params: unknown[] = []) => provider.request({ method, params });
  return {
    url: `http://${address}:${port}`,
    chainId,
    request,
    /** A fresh deployer key holding `wei` on this chain (nonce 0, so its contracts' addresses are its own). */
    async fundedKey(wei: bigint): Promise<{ key: `0x${string}`; address: Address }> {
      const key = generatePrivateKey();
      const { address } = privateKeyToAccount(key);
      await request("hardhat_setBalance", [address, toHex(wei)]);
      return { key, address };
    },
    close: () => server.close(),
  };
}
