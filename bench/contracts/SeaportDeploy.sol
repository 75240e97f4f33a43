// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// Seaport 1.6 and its ConduitController from the npm package seaport-core, built via-IR at maximum optimizer
// runs (hardhat.bench.config.ts overrides this file and every Seaport file). Importing them is all this file does.
import {Seaport} from "seaport-core/src/Seaport.sol";
import {ConduitController} from "seaport-core/src/conduit/ConduitController.sol";
