import { useMemo } from "react";
import { useAppConfig } from "../context.js";
import { programServerClient } from "../programServer.js";
import type { ProgramServerClient } from "@punchcard/sdk";

/** The typed client of the program server in program.json, or undefined when the wallet was started without one. */
export function useProgramServer(): ProgramServerClient | undefined {
  const { serverUrl } = useAppConfig();
  return useMemo(() => (serverUrl ? programServerClient(serverUrl) : undefined), [serverUrl]);
}
