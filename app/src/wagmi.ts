import { createConfig, createConnector, http, injected, mock, type Config, type CreateConnectorFn } from "wagmi";
import { defineChain } from "viem";
import type { LoadedConfig, TestAccount } from "./appConfig.js";

/**
 * The developer mode: one connector per account the local chain unlocks. It is wagmi's `mock` connector,
 * which answers the account questions itself and forwards everything else (transactions, signatures) to
 * the node, which signs for its unlocked accounts. Offered only when program.json lists test accounts.
 */
function testAccountConnector(account: TestAccount, index: number): CreateConnectorFn {
  const id = `test-account-${index}`;
  const base = mock({ accounts: [account.address], features: { reconnect: true } });
  return createConnector((config) => ({
    ...base(config),
    id,
    // The account's name only: the Connect view words it in the member's language ("Ada (test account)").
    name: account.name,
    // After a reload only the account last chosen comes back (wagmi remembers it), not every test account.
    isAuthorized: async () => (await config.storage?.getItem("recentConnectorId")) === id,
  }));
}

/** The wagmi config for the program's chain: any injected wallet, plus the developer mode on a local chain. */
export function wagmiConfigFor(app: LoadedConfig): Config {
  const chain = defineChain({
    id: app.record.chainId,
    name: app.record.network,
    nativeCurrency: { name: app.units.nativeSymbol, symbol: app.units.nativeSymbol, decimals: app.units.nativeDecimals },
    rpcUrls: { default: { http: [app.rpcUrl] } },
  });
  const connectors = [injected(), ...(app.testAccounts ?? []).map(testAccountConnector)];
  return createConfig({
    chains: [chain],
    connectors,
    // Reads asked together (a page's stamps' owners, then their URIs) go as one JSON-RPC batch, at most 100 a request.
    transports: { [chain.id]: http(app.rpcUrl, { retryCount: 0, batch: { batchSize: 100 } }) },
    pollingInterval: 500,
  });
}
