import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** Debian's Postgres binaries (initdb, pg_ctl), newest version first; undefined when not installed. */
function postgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return undefined;
  const versions = fs.readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => path.join(root, v, "bin")).find((bin) => fs.existsSync(path.join(bin, "initdb")));
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A throw-away Postgres cluster of its own (initdb + pg_ctl on a free loopback port in a temp dir, as
 * the postgres user when run as root), so a test can restart the server without touching the shared
 * one. Undefined, with the reason, when the binaries are missing.
 */
export async function startPrivatePostgres(): Promise<
  { url: string; restart: () => void; stop: () => void } | { skipped: string }
> {
  const bin = postgresBin();
  if (!bin) return { skipped: "no Postgres binaries under /usr/lib/postgresql/*/bin" };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-pg-"));
  const data = path.join(dir, "data");
  const root = process.getuid?.() === 0;
  if (root) execFileSync("chown", ["postgres", dir]);
  const run = (args: string[]) => {
    const command = [path.join(bin, args[0]!), ...args.slice(1)].map((a) => `'${a}'`).join(" ");
    return root
      ? execFileSync("su", ["postgres", "-s", "/bin/sh", "-c", command], { stdio: "pipe" })
      : execFileSync("sh", ["-c", command], { stdio: "pipe" });
  };
  const port = await freePort();
  run(["initdb", "-D", data, "-U", "punchcard", "--auth=trust", "--no-sync"]);
  const start = () =>
    run([
      "pg_ctl",
      "-D",
      data,
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      "-l",
      path.join(dir, "log"),
      "-w",
      "start",
    ]);
  start();
  return {
    url: `postgres://punchcard@127.0.0.1:${port}/postgres`,
    // An immediate stop is a crash: no checkpoint, recovery from the WAL on start.
    restart: () => {
      run(["pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]);
      start();
    },
    stop: () => {
      try {
        run(["pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
