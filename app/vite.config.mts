import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// A static app: `base: "./"` so the built folder works from any path (npm run app serves it at /).
// The program it shows is read at run time from ./program.json, written by whoever serves it.
export default defineConfig({
  base: "./",
  plugins: [react()],
  // One chunk of about 750 kB (210 kB gzip): viem, wagmi, React and the SDK (with zod); the bench report tracks it.
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1000 },
});
