import { createContext, useContext } from "react";
import type { LoadedConfig } from "./appConfig.js";

export const AppConfigContext = createContext<LoadedConfig | null>(null);

/** The program and units the app was started with (program.json). */
export function useAppConfig(): LoadedConfig {
  const config = useContext(AppConfigContext);
  if (!config) throw new Error("useAppConfig outside the app's provider");
  return config;
}
