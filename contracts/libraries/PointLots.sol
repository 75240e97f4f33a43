// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title PointLots
/// @notice A member's points held in lots, oldest first, each with the second its state changes: pending lots
/// ({Pending}) become spendable at their release time, dated lots ({Dated}) expire at theirs.
/// @dev Two queue types with a few functions each, in the shape of OpenZeppelin's `Checkpoints`: the fields are
/// private to this library (`_`-prefixed), so {Points} keeps the policy (how many days, which lot a point joins) and
/// this library the bookkeeping. Each queue's header (a sum and the live lots `[head, tail)`) fits one slot, read and
/// written once per call. No function ever walks a whole history: released and expired lots are deleted from the head
/// as they are found, and the caller bounds how many live lots a queue holds (lots are merged by time).
///
/// Amounts are unchecked where the caller's invariant makes an overflow impossible: every lot and every sum is at most
/// one member's balance, itself at most the points' total supply (a uint128, {Points-MAX_SUPPLY}). A caller without
/// that bound must not use {lock} or {add}.
library PointLots {
    /// @dev Points of one lot and the second it changes state (released, or expired).
    struct Lot {
        uint128 amount;
        uint64 time;
    }

    /// @dev A queue's header: a sum whose meaning is the queue type's, and its live lots `[head, tail)`.
    struct Header {
        uint128 sum;
        uint64 head;
        uint64 tail;
    }

    /// @notice Points credited and not yet spendable: one lot per release time. The header's sum is every point
    /// still queued (lots already released count until the next {lock} or {release} drops them).
    struct Pending {
        Header _header;
        mapping(uint256 index => Lot) _lots;
    }

    /// @notice Points earned, in one lot per expiry time, and the sum of the lots found expired (moved out of the
    /// queue by {sweep}, still the member's until the caller burns them with {clearExpired}).
    struct Dated {
        Header _header;
        mapping(uint256 index => Lot) _lots;
    }

    /// @notice Locks `amount` until `releaseAt`, in the newest lot when it releases then, else in a new lot, after
    /// dropping the lots already released.
    /// @param self The member's pending lots.
    /// @param amount Points to lock; with the points queued, at most a uint128 (see the library's @dev).
    /// @param releaseAt Second from which the points are spendable; never earlier than the newest lot's.
    /// @return index The lot's index, for {unlock}.
    function lock(Pending storage self, uint256 amount, uint256 releaseAt) internal returns (uint256 index) {
        release(self);
        Header memory current = self._header;
        unchecked {
            if (current.tail > current.head && self._lots[current.tail - 1].time == releaseAt) {
                index = current.tail - 1;
                self._lots[index].amount += uint128(amount);
            } else {
                index = current.tail;
                self._lots[index] = Lot(uint128(amount), uint64(releaseAt));
                self._header.tail = current.tail + 1;
            }
            self._header.sum = current.sum + uint128(amount);
        }
    }

    /// @notice Takes `amount` out of lot `index`, still pending (a credit reversed before its release).
    /// @dev Checked arithmetic: reverts if the lot or the queue holds less.
    /// @param self The member's pending lots.
    /// @param index The lot {lock} returned; the caller knows it is not released yet, hence still queued.
    /// @param amount Points to take out.
    function unlock(Pending storage self, uint256 index, uint256 amount) internal {
        self._lots[index].amount -= uint128(amount);
        self._header.sum -= uint128(amount);
    }

    /// @notice Drops the lots released by now from the head of the queue.
    /// @param self The member's pending lots.
    /// @return The points still pending.
    function release(Pending storage self) internal returns (uint256) {
        Header memory current = self._header;
        uint256 head = current.head;
        uint256 queued = current.sum;
        while (head < current.tail) {
            Lot memory lot = self._lots[head];
            if (lot.time > block.timestamp) break;
            queued -= lot.amount;
            delete self._lots[head];
            ++head;
        }
        if (head != current.head) {
            self._header.head = uint64(head);
            self._header.sum = uint128(queued);
        }
        return queued;
    }

    /// @notice Points still pending now, as {release} would leave them, without writing.
    /// @param self The member's pending lots.
    /// @return amount The points queued less those of the lots released by now.
    function pending(Pending storage self) internal view returns (uint256 amount) {
        Header memory queue = self._header;
        amount = queue.sum;
        for (uint256 i = queue.head; i < queue.tail; ++i) {
            Lot memory lot = self._lots[i];
            if (lot.time > block.timestamp) break;
            amount -= lot.amount;
        }
    }

    /// @notice Adds `amount` to the lot expiring at `expiresAt` (the newest lot when it expires then, else a new one),
    /// after sweeping the expired lots.
    /// @param self The member's dated lots.
    /// @param amount Points earned; with the member's other lots, at most a uint128 (see the library's @dev).
    /// @param expiresAt Second at which the points expire; never earlier than the newest lot's.
    function add(Dated storage self, uint256 amount, uint256 expiresAt) internal {
        Header memory queue = _sweep(self);
        uint256 tail = queue.tail;
        unchecked {
            if (tail > queue.head && self._lots[tail - 1].time == expiresAt) {
                self._lots[tail - 1].amount += uint128(amount);
            } else {
                self._lots[tail] = Lot(uint128(amount), uint64(expiresAt));
                self._header.tail = uint64(tail + 1);
            }
        }
    }

    /// @notice Takes `amount` from the live lots, oldest first (a spend), deleting the lots it empties.
    /// @param self The member's dated lots.
    /// @param amount Points to take; the caller checked that the live lots hold them (the rest is not taken).
    function spend(Dated storage self, uint256 amount) internal {
        Header storage queue = self._header;
        uint256 head = queue.head;
        uint256 tail = queue.tail;
        while (amount != 0 && head < tail) {
            Lot storage lot = self._lots[head];
            uint256 held = lot.amount;
            if (held > amount) {
                lot.amount = uint128(held - amount);
                break;
            }
            amount -= held;
            delete self._lots[head];
            ++head;
        }
        queue.head = uint64(head);
    }

    /// @notice Takes `amount` from the live lot expiring at `expiresAt` first (a purchase reversed takes its own
    /// lot), then what that lot lacks from the oldest live lots, as {spend}; every other lot keeps its date.
    /// @dev The lot it empties stays queued with no points (deleting it from the middle would leave a gap): its date
    /// still counts for no point, and the next sweep or spend reaching it drops it, or the next earn of its date
    /// fills it again. The lots stay one per date, so the caller's bound on live lots holds.
    /// @param self The member's dated lots.
    /// @param amount Points to take; the caller checked that the live lots hold them (the rest is not taken).
    /// @param expiresAt The date of the lot to take from first; when no live lot has it, all come from the oldest.
    function spendFrom(Dated storage self, uint256 amount, uint256 expiresAt) internal {
        Header memory queue = self._header;
        for (uint256 i = queue.head; i < queue.tail; ++i) {
            Lot storage lot = self._lots[i];
            uint256 time = lot.time;
            if (time < expiresAt) continue;
            if (time == expiresAt) {
                uint256 held = lot.amount;
                uint256 taken = held < amount ? held : amount;
                unchecked {
                    lot.amount = uint128(held - taken);
                    amount -= taken;
                }
            }
            break;
        }
        if (amount != 0) spend(self, amount);
    }

    /// @notice Moves the lots past their time from the head of the queue into the expired sum.
    /// @param self The member's dated lots.
    /// @return The expired sum: points no longer spendable, still to be burned with {clearExpired}.
    function sweep(Dated storage self) internal returns (uint256) {
        return _sweep(self).sum;
    }

    /// @notice Sweeps, then empties the expired sum, for the caller to burn what it held.
    /// @param self The member's dated lots.
    /// @return expired The points that were expired.
    function clearExpired(Dated storage self) internal returns (uint256 expired) {
        expired = _sweep(self).sum;
        self._header.sum = 0;
    }

    /// @notice Points expired or expiring by `timestamp`, and the earliest time among them, without writing.
    /// @param self The member's dated lots.
    /// @param timestamp The time to look up to (inclusive).
    /// @return amount The expired sum plus the lots expiring by `timestamp`.
    /// @return at The earliest expiry among them (now for the expired sum, as it may not be swept yet); 0 if none.
    function expiringBy(Dated storage self, uint256 timestamp) internal view returns (uint256 amount, uint256 at) {
        Header memory queue = self._header;
        amount = queue.sum;
        if (amount != 0) at = block.timestamp;
        for (uint256 i = queue.head; i < queue.tail; ++i) {
            Lot memory lot = self._lots[i];
            if (lot.time > timestamp) break;
            // A lot a reversal emptied ({spendFrom}) holds nothing: its date is no one's.
            if (lot.amount == 0) continue;
            if (at == 0 || lot.time < at) at = lot.time;
            amount += lot.amount;
        }
        if (amount == 0) at = 0;
    }

    /// @dev {sweep}, returning the whole header for {add}. At most the caller's bound of live lots plus one are ever
    /// queued: every add sweeps first.
    function _sweep(Dated storage self) private returns (Header memory queue) {
        queue = self._header;
        uint256 head = queue.head;
        uint256 expired = queue.sum;
        while (head < queue.tail) {
            Lot memory lot = self._lots[head];
            if (lot.time > block.timestamp) break;
            expired += lot.amount;
            delete self._lots[head];
            ++head;
        }
        if (head != queue.head) {
            queue.head = uint64(head);
            queue.sum = uint128(expired);
            self._header = queue;
        }
    }
}
