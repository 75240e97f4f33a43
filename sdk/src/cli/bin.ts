#!/usr/bin/env node
// The `punchcard` executable: runs the command line and exits with its code.
import { main } from "./main.js";

main(process.argv.slice(2)).then(
  // Exit at once: a client of a remote chain may keep a polling timer alive after the command is done.
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
