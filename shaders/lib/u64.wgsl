// lib/u64.wgsl (included by assign and positions): unsigned 64-bit integers as vec2u (low, high), for exact sums.

// a · b as a u64 (low, high), from 16-bit halves; one multiplication when a < 2^17 (b < 2^15: a weight times a
// coordinate, the common case).
fn mul_wide(a: u32, b: u32) -> vec2u {
  if (a < 0x20000u && b < 0x8000u) {
    return vec2u(a * b, 0u);
  }
  let al = a & 0xffffu;
  let ah = a >> 16u;
  let bl = b & 0xffffu;
  let bh = b >> 16u;
  let ll = al * bl;
  let lh = al * bh;
  let hl = ah * bl;
  let mid = lh + hl;
  let mid_carry = select(0u, 1u, mid < lh);
  let lo = ll + (mid << 16u);
  let carry = select(0u, 1u, lo < ll);
  return vec2u(lo, ah * bh + (mid >> 16u) + (mid_carry << 16u) + carry);
}

fn add64(a: vec2u, b: vec2u) -> vec2u {
  let lo = a.x + b.x;
  return vec2u(lo, a.y + b.y + select(0u, 1u, lo < a.x));
}

// −a modulo 2^64 (two's complement): adding it takes a away, exactly, in modular sums.
fn neg64(a: vec2u) -> vec2u {
  return vec2u(0u - a.x, 0u - a.y - select(0u, 1u, a.x != 0u));
}

// w · p as a u64 (low, high) for p < 2^15 (a fixed-point coordinate), any w, without a branch: w = wh · 2^16 + wl,
// and both wl · p and wh · p are below 2^31.
fn mul_coordinate(w: u32, p: u32) -> vec2u {
  let a = (w & 0xffffu) * p;
  let b = (w >> 16u) * p;
  let lo = a + (b << 16u);
  return vec2u(lo, (b >> 16u) + select(0u, 1u, lo < a));
}
