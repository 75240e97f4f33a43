/* global require */
// Loaded into the bundler's process (`node --require`, see startBundler in bundler.ts): every TCP server it opens
// listens on 127.0.0.1. Alto 0.0.20 binds its JSON-RPC to 0.0.0.0 with no option to change it, which on a laptop in a
// café puts a bundler holding a funded executor key on the network. A path (a Unix socket) or a loopback host asked
// for is left as it is; any other host, or none, becomes 127.0.0.1.
"use strict";
const net = require("node:net");

const LOOPBACK = "127.0.0.1";
const loopback = (host) => host === LOOPBACK || host === "localhost" || host === "::1";
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first] = args;
  if (first !== null && typeof first === "object" && first.path === undefined && !loopback(first.host)) {
    args[0] = { ...first, host: LOOPBACK };
  } else if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    if (typeof args[1] === "string") {
      if (!loopback(args[1])) args[1] = LOOPBACK;
    } else {
      args.splice(1, 0, LOOPBACK);
    }
  }
  return listen.apply(this, args);
};
