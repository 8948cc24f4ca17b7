#!/usr/bin/env python3
"""An independent implementation of the draw's random procedure (draw/src/random.rs),
written from its documentation alone, in plain Python: it gives the known answers that
tests/tests/draw_known_answers.rs pins, and lets anyone recompute a published record's seed.

    python3 tests/data/draw/reference.py                 # the known answers
    python3 tests/data/draw/reference.py draw.json       # a record's seed from its inputs
"""
import hashlib
import json
import struct
import sys


def seed(*parts):
    """SHA-256 of `yitu-draw/1`, the three input hashes and the entropy, each after its length."""
    h = hashlib.sha256()
    for p in [b"yitu-draw/1"] + [x.encode() for x in parts]:
        h.update(struct.pack("<Q", len(p)))
        h.update(p)
    return h.digest()


def _rotl(v, c):
    return ((v << c) & 0xFFFFFFFF) | (v >> (32 - c))


def _quarter(x, a, b, c, d):
    x[a] = (x[a] + x[b]) & 0xFFFFFFFF; x[d] = _rotl(x[d] ^ x[a], 16)
    x[c] = (x[c] + x[d]) & 0xFFFFFFFF; x[b] = _rotl(x[b] ^ x[c], 12)
    x[a] = (x[a] + x[b]) & 0xFFFFFFFF; x[d] = _rotl(x[d] ^ x[a], 8)
    x[c] = (x[c] + x[d]) & 0xFFFFFFFF; x[b] = _rotl(x[b] ^ x[c], 7)


def _block(key, counter, stream):
    """The ChaCha20 block function with a 64-bit counter (words 12-13) and stream (14-15)."""
    state = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574] + list(struct.unpack("<8I", key))
    state += [counter & 0xFFFFFFFF, counter >> 32, stream & 0xFFFFFFFF, stream >> 32]
    x = state[:]
    for _ in range(10):
        _quarter(x, 0, 4, 8, 12); _quarter(x, 1, 5, 9, 13)
        _quarter(x, 2, 6, 10, 14); _quarter(x, 3, 7, 11, 15)
        _quarter(x, 0, 5, 10, 15); _quarter(x, 1, 6, 11, 12)
        _quarter(x, 2, 7, 8, 13); _quarter(x, 3, 4, 9, 14)
    return [(a + b) & 0xFFFFFFFF for a, b in zip(x, state)]


class Stream:
    """Stream 0 draws the firms, stream 1 the inspectors."""

    def __init__(self, key, stream):
        self.key, self.stream, self.counter, self.words = key, stream, 0, []

    def _u64(self):
        if len(self.words) < 2:
            self.words += _block(self.key, self.counter, self.stream)
            self.counter += 1
        lo, hi = self.words.pop(0), self.words.pop(0)
        return lo | (hi << 32)

    def below(self, n):
        """A number in 0..n by rejection of outputs at or above the largest multiple of n."""
        top = 2**64 - 1
        limit = top - top % n
        while True:
            v = self._u64()
            if v < limit:
                return v % n

    def choose(self, n, k):
        """k of 0..n by a partial Fisher-Yates shuffle, in the order drawn."""
        items = list(range(n))
        for i in range(min(k, n)):
            j = i + self.below(n - i)
            items[i], items[j] = items[j], items[i]
        return items[: min(k, n)]


def main():
    if len(sys.argv) > 1:
        record = json.load(open(sys.argv[1], encoding="utf-8"))
        i = record["inputs"]
        s = seed(i["sources_sha256"], i["inspectors_sha256"], i["plan_sha256"], i["entropy"])
        print(s.hex(), "matches" if s.hex() == record["seed"] else "differs from", record["seed"])
        return
    s = seed("sources-hash", "roster-hash", "plan-hash", "18 07 33 52")
    firms, inspectors = Stream(s, 0), Stream(s, 1)
    print("seed", s.hex())
    print("firms below(1000) x6", [firms.below(1000) for _ in range(6)], "then choose(20, 5)", firms.choose(20, 5))
    print("inspectors below(7) x6", [inspectors.below(7) for _ in range(6)])


if __name__ == "__main__":
    main()
