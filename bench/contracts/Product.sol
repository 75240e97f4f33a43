// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// The stablecoin our Market and Seaport are paid in during the trade benchmark. Our own contracts are not compiled
// here: the benchmark deploys them with the SDK's deployProgram, from the bytecode a brand deploys.
import {MockStablecoin} from "../../contracts/test/MockStablecoin.sol";
