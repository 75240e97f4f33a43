import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { WagmiProvider } from "wagmi";
import { App } from "./App.js";
import { loadConfig, type LoadedConfig } from "./appConfig.js";
import { AppConfigContext } from "./context.js";
import { startI18n } from "./i18n/i18n.js";
import { PasskeyProvider } from "./passkey/session.js";
import "./styles.css";
import { wagmiConfigFor } from "./wagmi.js";

const root = createRoot(document.getElementById("root")!);

function start(app: LoadedConfig) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 0, refetchOnWindowFocus: false } } });
  root.render(
    <StrictMode>
      <WagmiProvider config={wagmiConfigFor(app)}>
        <QueryClientProvider client={queryClient}>
          <AppConfigContext.Provider value={app}>
            <PasskeyProvider>
              <App />
            </PasskeyProvider>
          </AppConfigContext.Provider>
        </QueryClientProvider>
      </WagmiProvider>
    </StrictMode>,
  );
}

startI18n()
  .then(() => loadConfig())
  .then(start, (error: unknown) => {
    root.render(
      <main className="page">
        <h1>Punchcard wallet</h1>
        <p role="alert" className="message failed">
          {error instanceof Error ? error.message : String(error)}
        </p>
      </main>,
    );
  });
