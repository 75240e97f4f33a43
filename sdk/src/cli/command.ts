import { parseArgs } from "node:util";
import { PunchcardError } from "../errors.js";

/** One option of a command: its type, what it is for, and its default (shown in --help). */
export interface OptionDeclaration {
  type: "string" | "boolean";
  description: string;
  /** Placeholder shown in --help, e.g. "<file>". */
  value?: string;
  default?: string | boolean;
  required?: boolean;
  short?: string;
}

/** The --program option of each command that reads a deployed program: one wording in every --help. */
export const PROGRAM_RECORD_OPTION = {
  type: "string",
  value: "<file>",
  required: true,
  description: "deployment record written by punchcard deploy",
} as const satisfies OptionDeclaration;

/** The --rpc option of a command that falls back on RPC_URL, then a local node. */
export const RPC_URL_OPTION = {
  type: "string",
  value: "<url>",
  description: "JSON-RPC endpoint (default: RPC_URL, or http://127.0.0.1:8545)",
} as const satisfies OptionDeclaration;

type Values<Options extends Record<string, OptionDeclaration>> = {
  [K in keyof Options]: Options[K]["type"] extends "boolean"
    ? boolean
    : Options[K]["required"] extends true
      ? string
      : Options[K]["default"] extends string
        ? string
        : string | undefined;
};

/** What a command's `run` receives: parsed options, positionals, and where to write. */
export interface CommandContext<Options extends Record<string, OptionDeclaration>> {
  values: Values<Options>;
  positionals: string[];
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * A `punchcard` command, declared once: its --help is generated from these declarations, and its
 * arguments are parsed and checked against them before `run` is called.
 */
export interface Command<Options extends Record<string, OptionDeclaration> = Record<string, OptionDeclaration>> {
  name: string;
  summary: string;
  /** Usage line after "punchcard <name>", e.g. "--config <file> [options]". */
  usage: string;
  /** Subcommands or positionals, shown under "Commands:" in --help. */
  subcommands?: Record<string, string>;
  options: Options;
  /** Environment variables the command reads, shown under "Environment:". */
  environment?: Record<string, string>;
  /** Paragraphs after the options. */
  notes?: string;
  /** Returns the process exit code. */
  run(context: CommandContext<Options>): Promise<number>;
}

/**
 * Declares a command with its options typed from the declaration.
 *
 * @example
 * export const hello = defineCommand({ name: "hello", summary: "Say hello.", usage: "[--name <n>]",
 *   options: { name: { type: "string", description: "who", default: "world" } },
 *   async run({ values, out }) { out(`hello ${values.name}\n`); return 0; } });
 */
export function defineCommand<const Options extends Record<string, OptionDeclaration>>(
  command: Command<Options>,
): Command<Options> {
  return command;
}

/** A usage mistake: printed with the command's help, exit code 2. */
export class UsageError extends PunchcardError {
  override name = "UsageError";
}

const HELP_OPTION: OptionDeclaration = { type: "boolean", short: "h", description: "show this help" };

/**
 * The command's --help text, generated from its declaration.
 *
 * @example
 * console.log(helpOf(deployCommand));
 */
export function helpOf(command: Command): string {
  const lines = [command.summary, "", `Usage: punchcard ${command.name} ${command.usage}`];
  if (command.subcommands) {
    lines.push("", "Commands:");
    const width = Math.max(...Object.keys(command.subcommands).map((k) => k.length)) + 2;
    for (const [name, text] of Object.entries(command.subcommands)) lines.push(`  ${name.padEnd(width)} ${text}`);
  }
  const options = { ...command.options, help: HELP_OPTION };
  const flags = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ""}--${name}${o.value ? ` ${o.value}` : ""}`;
    const extra = o.required ? " (required)" : o.default !== undefined && o.default !== false ? ` (default: ${o.default})` : "";
    return [flag, `${o.description}${extra}`] as const;
  });
  const width = Math.max(...flags.map(([f]) => f.length)) + 2;
  lines.push("", "Options:", ...flags.map(([flag, text]) => `  ${flag.padEnd(width)} ${text}`));
  if (command.environment) {
    lines.push("", "Environment:");
    const envWidth = Math.max(...Object.keys(command.environment).map((k) => k.length)) + 2;
    for (const [name, text] of Object.entries(command.environment)) lines.push(`  ${name.padEnd(envWidth)} ${text}`);
  }
  if (command.notes) lines.push("", command.notes);
  return lines.join("\n");
}

/**
 * Parses argv against the command's declarations and runs it. Usage mistakes print the problem and
 * the help (exit 2); a PunchcardError prints its message and hint (exit 1); nothing else is caught.
 *
 * @example
 * process.exitCode = await runCommand(deployCommand, process.argv.slice(3));
 */
export async function runCommand(
  command: Command,
  argv: string[],
  io: { out?: (text: string) => void; err?: (text: string) => void } = {},
): Promise<number> {
  const out = io.out ?? ((text: string) => process.stdout.write(text));
  const err = io.err ?? ((text: string) => process.stderr.write(text));
  const declared = { ...command.options, help: HELP_OPTION };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: command.subcommands !== undefined,
      strict: true,
      options: Object.fromEntries(
        Object.entries(declared).map(([name, o]) => [
          name,
          { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.default !== undefined ? { default: o.default } : {}) },
        ]),
      ),
    }) as typeof parsed;
  } catch (error) {
    err(`${(error as Error).message}\n\n${helpOf(command)}\n`);
    return 2;
  }
  if (parsed.values.help) {
    out(`${helpOf(command)}\n`);
    return 0;
  }
  for (const [name, o] of Object.entries(command.options)) {
    if (o.required && parsed.values[name] === undefined) {
      err(`--${name} is required.\n\n${helpOf(command)}\n`);
      return 2;
    }
  }
  try {
    return await command.run({ values: parsed.values as never, positionals: parsed.positionals, out, err });
  } catch (error) {
    if (error instanceof UsageError) {
      err(`${error.shortMessage}\n\n${helpOf(command)}\n`);
      return 2;
    }
    if (error instanceof PunchcardError) {
      err(`Error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
