// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {MemberAccount} from "./MemberAccount.sol";
import {IMemberAccountFactory} from "./interfaces/IMemberAccountFactory.sol";

/// @title MemberAccountFactory
/// @notice Creates members' passkey accounts ({MemberAccount}) as EIP-1167 clones at CREATE2 addresses, and
/// predicts them before they exist.
/// @dev The CREATE2 salt hashes every initialization argument, so the address commits to the first passkey and the
/// recoverer: nobody can deploy, at a member's predicted address, an account with another key or recoverer.
/// A clone costs about a tenth of a full account to deploy; each call through it pays a `DELEGATECALL` more. The
/// clone's code ends with the first passkey's id (an immutable argument), where the account reads it: a storage
/// slot less to write at creation.
contract MemberAccountFactory is IMemberAccountFactory {
    /// @inheritdoc IMemberAccountFactory
    address public immutable implementation;

    /// @notice Deploys the factory and the one account implementation its clones run.
    constructor() {
        implementation = address(new MemberAccount());
    }

    /// @inheritdoc IMemberAccountFactory
    function createAccount(bytes32 qx, bytes32 qy, address recoverer, bytes32 salt) external returns (address account) {
        bytes32 cloneSalt = _cloneSalt(qx, qy, recoverer, salt);
        bytes memory args = abi.encode(keccak256(abi.encode(qx, qy)));
        account = Clones.predictDeterministicAddressWithImmutableArgs(implementation, args, cloneSalt);
        if (account.code.length != 0) return account;
        Clones.cloneDeterministicWithImmutableArgs(implementation, args, cloneSalt);
        MemberAccount(payable(account)).initialize(qx, qy, recoverer);
        emit MemberAccountCreated(account, keccak256(abi.encode(qx, qy)), recoverer);
    }

    /// @inheritdoc IMemberAccountFactory
    function predict(bytes32 qx, bytes32 qy, address recoverer, bytes32 salt) external view returns (address) {
        bytes memory args = abi.encode(keccak256(abi.encode(qx, qy)));
        return Clones.predictDeterministicAddressWithImmutableArgs(implementation, args, _cloneSalt(qx, qy, recoverer, salt));
    }

    function _cloneSalt(bytes32 qx, bytes32 qy, address recoverer, bytes32 salt) private pure returns (bytes32) {
        return keccak256(abi.encode(qx, qy, recoverer, salt));
    }
}
