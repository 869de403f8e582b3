// count.wgsl: counts the colours of an image's points into a table of counters, once per image and alpha threshold
// (both colour spaces share it). The table (color-table.ts) is sized to the image: 2^24 counters indexed by the colour's
// 24-bit Morton key (lib/morton.wgsl) for a large image (direct), or 2^bits slots, at least twice the pixels, where a
// colour's slot is found by linear probing from its key's Fibonacci hash and claimed in `keys` with a compare-exchange
// (hashed). It also totals n (points) and U (distinct colours: a counter that goes from 0 to 1). Atomic additions
// only, so the counts and totals are independent of the order threads run in (a hashed colour's slot is not: nothing
// downstream depends on it).
//
// Bindings
//   group 0: 0 table: 2^bits atomic u32 counters (cleared before the first segment)
//            1 stats: ColorStats (n, u +=)
//            2 occupied: one u32 per compact.wgsl tile of the table, set to 1 where a colour falls (cleared before)
//            3 keys: 2^bits atomic u32, key | KEY_TAG of the colour in each slot, 0 if none (hashed; cleared before)
//            4 table_params: TableParams (uniform: bits, direct)
//   group 1 (the segment): 0 segment: SegmentParams (uniform)   1 pixels: vec4u per 4 pixels (RGBA8, r in the low byte)
//
// One invocation: PIXELS_PER_THREAD pixels as PIXELS_PER_THREAD / 4 quads, quad `q` of workgroup `t` at index
// (t · PIXELS_PER_THREAD / 4 + q) · WORKGROUP_SIZE + local_index (consecutive threads read consecutive 16-byte quads;
// the other per-pixel kernels use the same layout). A pixel is a point when its alpha is at least the list's
// threshold (`table_params.alpha_threshold`) and it is not padding (lib/pixel-key.wgsl); its key is its sRGB colour's
// Morton key (lib/morton.wgsl). Dispatch: one workgroup per tile of WORKGROUP_SIZE · PIXELS_PER_THREAD pixels,
// `segment.tiles` in all, laid out as (x, y) with x ≤ maxComputeWorkgroupsPerDimension; tile = id.x + id.y ·
// num_workgroups.x, spare ones return.

override WORKGROUP_SIZE: u32;
override PIXELS_PER_THREAD: u32;
override TABLE_QUADS_PER_THREAD: u32;
override KEY_TAG: u32;

struct ColorStats {
  n: atomic<u32>,
  u: atomic<u32>,
  appended: atomic<u32>,
  _pad: atomic<u32>,
}

struct TableParams {
  bits: u32,
  direct: u32,
  alpha_threshold: u32,
  _pad1: u32,
}

struct SegmentParams {
  pixel_count: u32,
  first_pixel: u32,
  tiles: u32,
  width: u32,
}

@group(0) @binding(0) var<storage, read_write> table: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read_write> stats: ColorStats;
@group(0) @binding(2) var<storage, read_write> occupied: array<atomic<u32>>;
@group(0) @binding(3) var<storage, read_write> keys: array<atomic<u32>>;
@group(0) @binding(4) var<uniform> table_params: TableParams;
@group(1) @binding(0) var<uniform> segment: SegmentParams;
@group(1) @binding(1) var<storage, read> pixels: array<vec4u>;

// @include morton
// @include pixel-key

// The slot of `key`, claimed in `keys` by the first thread to see the colour (hashed), or the key itself (direct).
fn claim_slot(key: u32) -> u32 {
  if (table_params.direct != 0u) {
    return key;
  }
  let mask = (1u << table_params.bits) - 1u;
  let tagged = key | KEY_TAG;
  var h = (key * 0x9e3779b1u) >> (32u - table_params.bits);
  // The table has at least twice as many slots as pixels, so a free slot is always found.
  for (var i = 0u; i <= mask; ) {
    let seen = atomicCompareExchangeWeak(&keys[h], 0u, tagged);
    if (seen.exchanged || seen.old_value == tagged) {
      return h;
    }
    if (seen.old_value != 0u) {
      h = (h + 1u) & mask;
      i++;
    }
    // old_value 0 without the exchange: a spurious failure of the weak exchange; try the same slot again.
  }
  return h;
}

// The tile's n and u.
var<workgroup> wg: array<atomic<u32>, 2>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) lid: u32,
) {
  let tile = wid.x + wid.y * groups.x;
  if (tile >= segment.tiles) {
    return;
  }
  if (lid < 2u) {
    atomicStore(&wg[lid], 0u);
  }
  workgroupBarrier();

  var n = 0u;
  var u = 0u;
  let quads_per_thread = PIXELS_PER_THREAD / 4u;
  let tile_base = tile * quads_per_thread * WORKGROUP_SIZE;
  for (var i = 0u; i < quads_per_thread; i++) {
    let quad = tile_base + i * WORKGROUP_SIZE + lid;
    let rgba = pixels[quad];
    for (var c = 0u; c < 4u; c++) {
      let key = pixel_key(rgba[c], 4u * quad + c);
      if (key != NOT_A_POINT) {
        let slot = claim_slot(key);
        if (atomicAdd(&table[slot], 1u) == 0u) {
          u += 1u;
          // compact.wgsl skips the tiles of the table no colour fell in.
          atomicStore(&occupied[slot / (4u * TABLE_QUADS_PER_THREAD * WORKGROUP_SIZE)], 1u);
        }
        n += 1u;
      }
    }
  }
  if (n > 0u) {
    atomicAdd(&wg[0], n);
    atomicAdd(&wg[1], u);
  }
  workgroupBarrier();

  if (lid == 0u) {
    atomicAdd(&stats.n, atomicLoad(&wg[0]));
    atomicAdd(&stats.u, atomicLoad(&wg[1]));
  }
}
