#!/usr/bin/env node
// The `punchcard` executable. A committed shim rather than the built file itself: npm links a package's
// bins when it installs, before a workspace is built, and skips a bin whose file does not exist yet.
require("../dist/cjs/cli/bin.js");
