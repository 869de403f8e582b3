// update.wgsl: the M-step and the stopping rules of exact k-means (docs/ARITHMETIC.md), for one Lloyd iteration of
// every run of the pass (one workgroup a run). Each non-empty cluster moves to its members' mean in fixed point,
// rounded half up:
//   c' = floor((2 · S + n) / (2 · n)), S the cluster's weighted sum of fixed-point positions,
// computed from the u64 sums with a 64-by-32-bit division in u32 words; an empty cluster keeps its centre, and so do
// the locked clusters j < run.fixed_count (the `fixed` colours: centres that never move). Then the
// squared shift Σ (c' − c)² (u64), the strict test (no label changed, from the second iteration on), the tol test
// (shift ≤ tolFixed), and maxIter decide `status.done`. The change counter is cleared for the next iteration; the
// sums are the run's totals, which the next E-step changes by the colours that move (assign.wgsl). Once `done` is
// set, later iterations batched into the same submission return at once.
//
// Bindings (group 0, the runs): 0 run: RunParams (uniform)   1 status: Status per run (read_write)
//   2 centres: k vec4u per run (read_write: xyz the centre, w unused; `status.drift`, the sum of each update's largest
//   move, is what assign.wgsl's bounds read)   3 sums: CLUSTER_SUM_WORDS u32 per cluster per run (see assign.wgsl;
//   read: cluster j of run r at r · k + j)   4 counters: Counters per run (`changed` read, then cleared)
//
// One invocation: the clusters j ≡ local_index (mod WORKGROUP_SIZE) of run workgroup_id.x; invocation 0 then
// decides the step.
// Dispatch: one workgroup per run (`run.runs`), indirect in the Lloyd loop (control.wgsl zeroes it once all are done).

override WORKGROUP_SIZE: u32;
override MAX_K: u32;
override CLUSTER_SUM_WORDS: u32;

// Values of `status.done`: why the run stopped (0 while it runs). Read back by the host (see gpu-kmeans.ts).
override DONE_STRICT: u32;
override DONE_TOL: u32;
override DONE_MAX_ITER: u32;

struct RunParams {
  k: u32,
  max_iter: u32,
  tol_lo: u32,
  tol_hi: u32,
  tiles: u32,
  label_words: u32,
  runs: u32,
  grid_x: u32,
  grid_y: u32,
  fixed_count: u32,
  colors: u32,
  group_words: u32,
}

struct Status {
  done: u32,
  iteration: u32,
  shift_lo: u32,
  shift_hi: u32,
  drift: f32,
}

struct Counters {
  changed: atomic<u32>,
  inertia_lo: atomic<u32>,
  inertia_hi: atomic<u32>,
  _pad: atomic<u32>,
}

@group(0) @binding(0) var<uniform> run: RunParams;
@group(0) @binding(1) var<storage, read_write> status: array<Status>;
@group(0) @binding(2) var<storage, read_write> centres: array<vec4u>;
@group(0) @binding(3) var<storage, read_write> sums: array<atomic<u32>>;
@group(0) @binding(4) var<storage, read_write> counters: array<Counters>;

var<workgroup> wg_shift: array<u32, MAX_K>;
var<workgroup> wg_done: u32;

// floor((hi · 2^32 + lo) / d), low 32 bits, for 0 < d ≤ 2^31: restoring long division, one numerator bit a step.
// The remainder stays below d ≤ 2^31, so shifting it left by one never overflows.
fn div_u64_u32(hi: u32, lo: u32, d: u32) -> u32 {
  var r = 0u;
  var q = 0u;
  for (var b = 0u; b < 64u; b++) {
    var bit: u32;
    if (b < 32u) {
      bit = (hi >> (31u - b)) & 1u;
    } else {
      bit = (lo >> (63u - b)) & 1u;
    }
    r = (r << 1u) | bit;
    q = q << 1u;
    if (r >= d) {
      r -= d;
      q |= 1u;
    }
  }
  return q;
}

// S / n rounded half up, S = hi · 2^32 + lo: the numerator 2 · S + n < 2^64 for any image that fits (S < 2^45).
fn rounded_mean(hi: u32, lo: u32, n: u32) -> u32 {
  let num_hi = (hi << 1u) | (lo >> 31u);
  let num_lo = lo << 1u;
  let sum_lo = num_lo + n;
  let carry = select(0u, 1u, sum_lo < num_lo);
  return div_u64_u32(num_hi + carry, sum_lo, 2u * n);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = wid.x;
  if (r >= run.runs) {
    return;
  }
  if (lid == 0u) {
    wg_done = status[r].done;
  }
  if (workgroupUniformLoad(&wg_done) != 0u) {
    return;
  }

  let k = run.k;
  for (var j = lid; j < k; j += WORKGROUP_SIZE) {
    let base = CLUSTER_SUM_WORDS * (r * k + j);
    // A cluster holds fewer than 2^32 points, so the weight's high word is always zero.
    let n = atomicLoad(&sums[base]);
    var shift = 0u;
    let old = centres[r * k + j];
    var next = old;
    if (n > 0u && j >= run.fixed_count) {
      for (var c = 0u; c < 3u; c++) {
        next[c] = rounded_mean(atomicLoad(&sums[base + 3u + 2u * c]), atomicLoad(&sums[base + 2u + 2u * c]), n);
        let d = select(old[c] - next[c], next[c] - old[c], next[c] > old[c]);
        // Each term is below 2^30, so a cluster's three add up to less than 2^32.
        shift += d * d;
      }
    }
    centres[r * k + j] = next;
    wg_shift[j] = shift;
  }
  workgroupBarrier();

  if (lid != 0u) {
    return;
  }
  var shift_lo = 0u;
  var shift_hi = 0u;
  var largest = 0u;
  for (var j = 0u; j < k; j++) {
    largest = max(largest, wg_shift[j]);
    let s = shift_lo + wg_shift[j];
    shift_hi += select(0u, 1u, s < shift_lo);
    shift_lo = s;
  }
  status[r].drift += sqrt(f32(largest));
  let changed = atomicLoad(&counters[r].changed);
  atomicStore(&counters[r].changed, 0u);

  let i = status[r].iteration;
  let strict = i > 0u && changed == 0u;
  let within_tol = shift_hi < run.tol_hi || (shift_hi == run.tol_hi && shift_lo <= run.tol_lo);
  var done = 0u;
  if (strict) {
    done = DONE_STRICT;
  } else if (within_tol) {
    done = DONE_TOL;
  } else if (i + 1u >= run.max_iter) {
    done = DONE_MAX_ITER;
  }
  status[r].iteration = i + 1u;
  status[r].shift_lo = shift_lo;
  status[r].shift_hi = shift_hi;
  status[r].done = done;
}
