/**
 * The resampler's two Gaussian passes (src/core/resample.ts) in WebAssembly SIMD: scipy's `correlate1d` on
 * `img_as_float` values, two float64 lanes at a time. Each lane does the scalar code's operations in its order (a
 * multiply, then for d from the radius down to 1 an add of the pair and a multiply-then-add, never fused), so every
 * value has the same bits as `filterPair` and `filterColumns` give in JavaScript.
 *
 * Memory (laid out by the caller, src/core/wasm/resample.ts): the image's bytes as rows of `stride` bytes with the
 * mirrored rows above and below already written, so a window never meets an edge; float64 lines; the kernel as
 * radius + 1 float64s, outermost weight first and the centre's last. Every buffer has 16 bytes of slack after it,
 * because the loops run in whole vectors of four values.
 */

/** `img_as_float` for bytes: numpy multiplies by the reciprocal. */
const UNIT: f64 = 1.0 / 255.0;

/** The four bytes at `p` as unsigned 32-bit lanes. */
@inline function bytes4(p: usize): v128 {
  return i32x4.extend_low_i16x8_u(v128.load8x8_u(p));
}

/** Lanes 0 and 1 of `w` as float64s, each × (1/255): `BYTE_TO_UNIT` of them. */
@inline function low2(w: v128, unit: v128): v128 {
  return f64x2.mul(f64x2.convert_low_i32x4_u(w), unit);
}

/** Lanes 2 and 3 of `w`, likewise. */
@inline function high2(w: v128, unit: v128): v128 {
  return f64x2.mul(f64x2.convert_low_i32x4_u(i32x4.shuffle(w, w, 2, 3, 0, 1)), unit);
}

/**
 * Rows `row` and `row + 1` filtered along axis 0: `x[r]·w[R] + Σ (x[r−d] + x[r+d])·w[R−d]`, d from R down to 1, for
 * `values` bytes of each (rounded up to whole vectors of four). `top` is row − R's first byte; the window holds the
 * 2R + 2 rows row − R .. row + 1 + R. A single row is a pair whose second output is ignored.
 */
export function filterRowPair(top: usize, stride: usize, values: i32, kernel: usize, radius: i32, out0: usize, out1: usize): void {
  const unit = f64x2.splat(UNIT);
  const wc = v128.load64_splat(kernel + (<usize>radius << 3));
  const centre = top + <usize>radius * stride;
  const bottom = top + 2 * <usize>radius * stride;
  for (let s: usize = 0; s < <usize>values; s += 4) {
    let w = bytes4(centre + s);
    let v0a = f64x2.mul(low2(w, unit), wc);
    let v0b = f64x2.mul(high2(w, unit), wc);
    w = bytes4(centre + stride + s);
    let v1a = f64x2.mul(low2(w, unit), wc);
    let v1b = f64x2.mul(high2(w, unit), wc);
    // row − d (for row) and row + 1 + d (for row + 1), carried from one distance to the next.
    w = bytes4(top + s);
    let aboveA = low2(w, unit);
    let aboveB = high2(w, unit);
    w = bytes4(bottom + stride + s);
    let belowA = low2(w, unit);
    let belowB = high2(w, unit);
    let up = top + stride + s;
    let down = bottom + s;
    for (let k: i32 = 0; k < radius; k++) {
      const weight = v128.load64_splat(kernel + (<usize>k << 3));
      const wd = bytes4(down); // row + d
      const downA = low2(wd, unit);
      const downB = high2(wd, unit);
      const wu = bytes4(up); // row + 1 − d
      const upA = low2(wu, unit);
      const upB = high2(wu, unit);
      v0a = f64x2.add(v0a, f64x2.mul(f64x2.add(aboveA, downA), weight));
      v0b = f64x2.add(v0b, f64x2.mul(f64x2.add(aboveB, downB), weight));
      v1a = f64x2.add(v1a, f64x2.mul(f64x2.add(upA, belowA), weight));
      v1b = f64x2.add(v1b, f64x2.mul(f64x2.add(upB, belowB), weight));
      aboveA = upA;
      aboveB = upB;
      belowA = downA;
      belowB = downB;
      up += stride;
      down -= stride;
    }
    const o = s << 3;
    v128.store(out0 + o, v0a);
    v128.store(out0 + o, v0b, 16);
    v128.store(out1 + o, v1a);
    v128.store(out1 + o, v1b, 16);
  }
}

/**
 * A filtered line (float64, `channels` values per pixel, pixel 0 being column x0) filtered along axis 1 at `count`
 * columns (`cols`, int32), into `out`: `lanes` values per column (the channels filtered, rounded up to an even count).
 * A column within `radius` of the image's edge (`width`) reads its neighbours at the mirrored offsets `neighbours`
 * gives (int32 value offsets, two per distance, d from the radius down); any other reads the line on both sides.
 */
export function filterColumns(
  line: usize, x0: i32, width: i32, channels: i32, lanes: i32, cols: usize, count: i32,
  kernel: usize, radius: i32, neighbours: usize, out: usize,
): void {
  const wc = v128.load64_splat(kernel + (<usize>radius << 3));
  const step = <usize>channels << 3;
  for (let c: i32 = 0; c < count; c++) {
    const col = load<i32>(cols + (<usize>c << 2));
    const centre = line + (<usize>(col - x0) * step);
    const to = out + (<usize>(c * lanes) << 3);
    const edge = col < radius || col + radius >= width;
    for (let j: i32 = 0; j < lanes; j += 2) {
      const lane = <usize>j << 3;
      let v = f64x2.mul(v128.load(centre + lane), wc);
      if (edge) {
        let n = neighbours + (<usize>(c * radius * 2) << 2);
        for (let k: i32 = 0; k < radius; k++, n += 8) {
          const a = v128.load(line + (<usize>load<i32>(n) << 3) + lane);
          const b = v128.load(line + (<usize>load<i32>(n, 4) << 3) + lane);
          v = f64x2.add(v, f64x2.mul(f64x2.add(a, b), v128.load64_splat(kernel + (<usize>k << 3))));
        }
      } else {
        let p = centre - <usize>radius * step + lane;
        let q = centre + <usize>radius * step + lane;
        for (let k: i32 = 0; k < radius; k++, p += step, q -= step) {
          v = f64x2.add(v, f64x2.mul(f64x2.add(v128.load(p), v128.load(q)), v128.load64_splat(kernel + (<usize>k << 3))));
        }
      }
      v128.store(to + lane, v);
    }
  }
}
