/**
 * The `punchcard` command: one entry, one file per command (deploy, ledger, serve, demo), each with a --help
 * generated from its declared options.
 */
import { campaignCommand } from "./campaign.js";
import { accountsCommand } from "./deployAccounts.js";
import { checkCommand } from "./check.js";
import { helpOf, runCommand, type Command } from "./command.js";
import { demoCommand } from "./demo/index.js";
import { deployCommand } from "./deploy.js";
import { ledgerCommand } from "./ledger.js";
import { rolesCommand } from "./roles.js";
import { serveCommand } from "./serve.js";

/** Every command, by name, in the order --help lists them. */
export const commands: Record<string, Command> = {
  deploy: deployCommand as unknown as Command,
  ledger: ledgerCommand as unknown as Command,
  serve: serveCommand as unknown as Command,
  accounts: accountsCommand as unknown as Command,
  roles: rolesCommand as unknown as Command,
  check: checkCommand as unknown as Command,
  demo: demoCommand as unknown as Command,
  campaign: campaignCommand as unknown as Command,
};

/**
 * The top-level help: what each command does.
 *
 * @example
 * console.log(mainHelp());
 */
export function mainHelp(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length)) + 2;
  return [
    "punchcard: run an open loyalty program on an EVM chain.",
    "",
    "Usage: punchcard <command> [options]",
    "",
    "Commands:",
    ...Object.values(commands).map((c) => `  ${c.name.padEnd(width)} ${c.summary}`),
    "",
    "Run punchcard <command> --help for a command's options.",
  ].join("\n");
}

/**
 * Runs the command line and returns the exit code.
 *
 * @example
 * process.exitCode = await main(["ledger", "stats", "--program", "deployments/localhost/example.json"]);
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    (name ? process.stdout : process.stderr).write(`${mainHelp()}\n`);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${mainHelp()}\n`);
    return 2;
  }
  return runCommand(command, rest);
}

export { helpOf };
