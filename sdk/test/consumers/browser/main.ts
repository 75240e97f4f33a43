// A member's page: reads a program with the browser-safe entry only. Bundled by esbuild for a browser.
import { createPublicClient, http, type Address } from "viem";
import { createProgramServerClient, getBalances, getProgramInfo, type Program } from "@punchcard/sdk";

const query = new URLSearchParams(location.search);
const program = JSON.parse(query.get("program") ?? "{}") as Program;
program.deployBlock = BigInt(program.deployBlock);
const member = query.get("member") as Address;
const client = createPublicClient({ transport: http(query.get("rpc") ?? "") });

Promise.all([getProgramInfo(client, { program }), getBalances(client, { program, member })]).then(
  ([info, balances]) => {
    // The typed client of the program server is browser-safe (fetch only); the server is not in the bundle.
    const server = typeof createProgramServerClient(location.origin).listings === "function";
    document.body.dataset.result = JSON.stringify({ points: info.points.name, balance: String(balances.points), server });
  },
  (error: unknown) => {
    document.body.dataset.result = JSON.stringify({ error: String(error) });
  },
);
