import hre from "hardhat";
import { JsonRpcServer } from "hardhat/internal/hardhat-network/jsonrpc/server";

/**
 * Serves the in-process Hardhat chain over HTTP on a free loopback port, as `npx hardhat node` would,
 * so a test can drive the CLIs (which take an --rpc URL) against the same chain as the SDK calls.
 */
export async function serveInProcessChain(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = new JsonRpcServer({ hostname: "127.0.0.1", port: 0, provider: hre.network.provider });
  const { address, port } = await server.listen();
  return { url: `http://${address}:${port}`, close: () => server.close() };
}
