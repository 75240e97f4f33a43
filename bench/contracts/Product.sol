// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Our contracts, compiled here with exactly the product's compiler settings so one in-process network runs
// them beside the peers. Importing them is what makes Hardhat build their artifacts under bench/artifacts.
import {Stamps} from "../../contracts/Stamps.sol";
import {Points} from "../../contracts/Points.sol";
import {Market} from "../../contracts/Market.sol";
import {MockStablecoin} from "../../contracts/test/MockStablecoin.sol";
