//! SHAKE256 (FIPS 202), written out so that GitLab fingerprints can equal
//! Buf's byte for byte without pulling a hashing crate into every binary that
//! links the diagnostics. Buf fingerprints a Code Quality issue with a 64-byte
//! SHAKE256 digest; only that one use needs to be fast enough, which a plain
//! Keccak-f\[1600\] is by a wide margin.

/// Bytes absorbed per permutation: 1600 bits of state minus the 512-bit
/// capacity that gives SHAKE256 its security level.
const RATE: usize = 136;

const ROUND_CONSTANTS: [u64; 24] = [
    0x0000_0000_0000_0001,
    0x0000_0000_0000_8082,
    0x8000_0000_0000_808a,
    0x8000_0000_8000_8000,
    0x0000_0000_0000_808b,
    0x0000_0000_8000_0001,
    0x8000_0000_8000_8081,
    0x8000_0000_0000_8009,
    0x0000_0000_0000_008a,
    0x0000_0000_0000_0088,
    0x0000_0000_8000_8009,
    0x0000_0000_8000_000a,
    0x0000_0000_8000_808b,
    0x8000_0000_0000_008b,
    0x8000_0000_0000_8089,
    0x8000_0000_0000_8003,
    0x8000_0000_0000_8002,
    0x8000_0000_0000_0080,
    0x0000_0000_0000_800a,
    0x8000_0000_8000_000a,
    0x8000_0000_8000_8081,
    0x8000_0000_0000_8080,
    0x0000_0000_8000_0001,
    0x8000_0000_8000_8008,
];

/// Rotation offsets of the rho step, in the order the pi step visits lanes.
const RHO: [u32; 24] = [
    1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44,
];

/// Lane visiting order of the pi step, starting after lane 1.
const PI: [usize; 24] = [
    10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1,
];

fn keccak_f(state: &mut [u64; 25]) {
    for round_constant in ROUND_CONSTANTS {
        // Theta: mix each column's parity into its neighbours.
        let mut parity = [0u64; 5];
        for (x, p) in parity.iter_mut().enumerate() {
            *p = state[x] ^ state[x + 5] ^ state[x + 10] ^ state[x + 15] ^ state[x + 20];
        }
        for x in 0..5 {
            let d = parity[(x + 4) % 5] ^ parity[(x + 1) % 5].rotate_left(1);
            for y in 0..5 {
                state[x + 5 * y] ^= d;
            }
        }
        // Rho and pi: rotate every lane and move it to its new position.
        let mut carried = state[1];
        for (&to, &by) in PI.iter().zip(RHO.iter()) {
            let next = state[to];
            state[to] = carried.rotate_left(by);
            carried = next;
        }
        // Chi: the only non-linear step, row by row.
        for row in state.chunks_exact_mut(5) {
            let copy = [row[0], row[1], row[2], row[3], row[4]];
            for x in 0..5 {
                row[x] = copy[x] ^ (!copy[(x + 1) % 5] & copy[(x + 2) % 5]);
            }
        }
        // Iota: break the symmetry between rounds.
        state[0] ^= round_constant;
    }
}

fn xor_block(state: &mut [u64; 25], block: &[u8]) {
    for (lane, bytes) in state.iter_mut().zip(block.chunks(8)) {
        let mut buf = [0u8; 8];
        buf[..bytes.len()].copy_from_slice(bytes);
        *lane ^= u64::from_le_bytes(buf);
    }
}

/// The first `N` bytes of SHAKE256's output for `data` (`N` at most one rate
/// block, which is all a fingerprint needs).
pub(super) fn shake256<const N: usize>(data: &[u8]) -> [u8; N] {
    const { assert!(N <= RATE) };
    let mut state = [0u64; 25];
    let mut blocks = data.chunks_exact(RATE);
    for block in &mut blocks {
        xor_block(&mut state, block);
        keccak_f(&mut state);
    }
    // Pad the tail: the SHAKE domain bits (1111) then pad10*1.
    let tail = blocks.remainder();
    let mut last = [0u8; RATE];
    last[..tail.len()].copy_from_slice(tail);
    last[tail.len()] ^= 0x1f;
    last[RATE - 1] ^= 0x80;
    xor_block(&mut state, &last);
    keccak_f(&mut state);

    let mut out = [0u8; N];
    for (chunk, lane) in out.chunks_mut(8).zip(state.iter()) {
        chunk.copy_from_slice(&lane.to_le_bytes()[..chunk.len()]);
    }
    out
}

pub(super) fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex16(data: &[u8]) -> String {
        to_hex(&shake256::<16>(data))
    }

    /// Reference values from Python's `hashlib.shake_256`, covering the empty
    /// input and both sides of a block boundary.
    #[test]
    fn matches_reference_digests() {
        assert_eq!(hex16(b""), "46b9dd2b0ba88d13233b3feb743eeb24");
        assert_eq!(hex16(b"abc"), "483366601360a8771c6863080cc4114d");
        assert_eq!(hex16(&[b'a'; 135]), "55b991ece1e567b6e7c2c714444dd201");
        assert_eq!(hex16(&[b'a'; 136]), "8fcc5a08f0a1f6827c9cf64ee8d16e04");
        assert_eq!(hex16(&[b'a'; 137]), "a44e1a438dad6273d540be65ee26386c");
        assert_eq!(hex16(&[b'a'; 300]), "542e4338ca18e43776834307a2b6158f");
    }
}
