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

/**
 * The zoom (scipy's `zoom`, order 1): output pixel (ox, oy) from the filtered values at its two rows and two columns,
 * `0 + v(y0,x0)·wy0·wx0 + v(y0,x1)·wy0·wx1 + v(y1,x0)·wy1·wx0 + v(y1,x1)·wy1·wx1` in that order, for `lanes` values
 * of each pixel (`channels` apart in `out`; a lane past the pixel's channels is overwritten by the next pixel, or
 * lands in the slack). `rows`: per output row, the value offsets of its two filtered rows (int32) and `wy` their
 * weights (float64); `cols`, `wx` likewise per output column (offsets within a filtered row).
 */
export function zoom(
  filtered: usize, rows: usize, wy: usize, cols: usize, wx: usize, width: i32, height: i32, channels: i32, lanes: i32,
  out: usize,
): void {
  const zero = f64x2.splat(0.0);
  let o = out;
  const step = <usize>channels << 3;
  for (let oy: i32 = 0; oy < height; oy++) {
    const r0 = filtered + (<usize>load<i32>(rows + (<usize>oy << 3)) << 3);
    const r1 = filtered + (<usize>load<i32>(rows + (<usize>oy << 3), 4) << 3);
    const wy0 = v128.load64_splat(wy + (<usize>oy << 4));
    const wy1 = v128.load64_splat(wy + (<usize>oy << 4) + 8);
    for (let ox: i32 = 0; ox < width; ox++, o += step) {
      const c0 = <usize>load<i32>(cols + (<usize>ox << 3)) << 3;
      const c1 = <usize>load<i32>(cols + (<usize>ox << 3), 4) << 3;
      const wx0 = v128.load64_splat(wx + (<usize>ox << 4));
      const wx1 = v128.load64_splat(wx + (<usize>ox << 4) + 8);
      for (let j: i32 = 0; j < lanes; j += 2) {
        const lane = <usize>j << 3;
        let t = zero;
        t = f64x2.add(t, f64x2.mul(f64x2.mul(v128.load(r0 + c0 + lane), wy0), wx0));
        t = f64x2.add(t, f64x2.mul(f64x2.mul(v128.load(r0 + c1 + lane), wy0), wx1));
        t = f64x2.add(t, f64x2.mul(f64x2.mul(v128.load(r1 + c0 + lane), wy1), wx0));
        t = f64x2.add(t, f64x2.mul(f64x2.mul(v128.load(r1 + c1 + lane), wy1), wx1));
        v128.store(o + lane, t);
      }
    }
  }
}

/**
 * Widens the per-channel byte range `lo`/`hi` (u8 each, `channels` of them) to the `values` bytes at `at`
 * (whole pixels). Four channels sixteen bytes at a time.
 */
export function byteRange(at: usize, values: i32, channels: i32, lo: usize, hi: usize): void {
  let i: usize = 0;
  const end = <usize>values;
  if (channels == 4 && end >= 16) {
    let vlo = i32x4.splat(<i32>load<u32>(lo));
    let vhi = i32x4.splat(<i32>load<u32>(hi));
    for (; i + 16 <= end; i += 16) {
      const v = v128.load(at + i);
      vlo = i8x16.min_u(vlo, v);
      vhi = i8x16.max_u(vhi, v);
    }
    // Lanes 0, 4, 8, 12 hold channel 0's, and so on: fold the four pixels into one.
    vlo = i8x16.min_u(vlo, i32x4.shuffle(vlo, vlo, 2, 3, 0, 1));
    vlo = i8x16.min_u(vlo, i32x4.shuffle(vlo, vlo, 1, 0, 3, 2));
    vhi = i8x16.max_u(vhi, i32x4.shuffle(vhi, vhi, 2, 3, 0, 1));
    vhi = i8x16.max_u(vhi, i32x4.shuffle(vhi, vhi, 1, 0, 3, 2));
    store<u32>(lo, i32x4.extract_lane(vlo, 0));
    store<u32>(hi, i32x4.extract_lane(vhi, 0));
  }
  for (let ch: i32 = 0; ch < channels; ch++) {
    let l = load<u8>(lo + <usize>ch);
    let h = load<u8>(hi + <usize>ch);
    for (let p = i + <usize>ch; p < end; p += <usize>channels) {
      const v = load<u8>(at + p);
      if (v < l) l = v;
      if (v > h) h = v;
    }
    store<u8>(lo + <usize>ch, l);
    store<u8>(hi + <usize>ch, h);
  }
}

/** Whether each of the first `planes` values of the n pixels (`channels` apart) lies within its channel's min .. max. */
export function within(data: usize, n: i32, channels: i32, planes: i32, min: usize, max: usize): i32 {
  for (let p: i32 = 0; p < n; p++) {
    const at = data + (<usize>(p * channels) << 3);
    for (let ch: i32 = 0; ch < planes; ch++) {
      const t = load<f64>(at + (<usize>ch << 3));
      if (t < load<f64>(min + (<usize>ch << 3)) || t > load<f64>(max + (<usize>ch << 3))) return 0;
    }
  }
  return 1;
}

/** `Math.round` for a value in 0 .. 255: the floor, plus one when the fraction (exact) is at least a half. */
@inline function roundHalfUp(x: f64): u8 {
  const f = Math.floor(x);
  return <u8>(<i32>f + <i32>(x - f >= 0.5));
}

/**
 * The resize's last steps for the palette engines: the first `planes` values of each of the n pixels clipped to
 * their channel's min .. max (`t < min ? min : t > max ? max : t`), a fourth channel that was not filtered set to
 * `alpha`, then each pixel as RGBA float64 (`float4`, which may be `data` when channels is 4; an RGB pixel gets alpha 1)
 * and as RGBA bytes, each `Math.round(v × 255)` (`bytes4`).
 */
export function clipAndRound(
  data: usize, n: i32, channels: i32, planes: i32, min: usize, max: usize, alpha: f64, float4: usize, bytes4: usize,
): void {
  for (let p: i32 = 0; p < n; p++) {
    const at = data + (<usize>(p * channels) << 3);
    const to = float4 + (<usize>p << 5);
    const b = bytes4 + (<usize>p << 2);
    for (let ch: i32 = 0; ch < 4; ch++) {
      let t: f64 = 1;
      if (ch < planes) {
        t = load<f64>(at + (<usize>ch << 3));
        const lo = load<f64>(min + (<usize>ch << 3));
        const hi = load<f64>(max + (<usize>ch << 3));
        t = t < lo ? lo : t > hi ? hi : t;
      } else if (ch < channels) {
        t = alpha;
      }
      store<f64>(to + (<usize>ch << 3), t);
      store<u8>(b + <usize>ch, roundHalfUp(t * 255));
    }
  }
}
