// assign.wgsl: the E-step of exact k-means (docs/ARITHMETIC.md) over an image's distinct colours, each weighted by
// its count, for every seeding of the pass at once (the workgroup's z is the run). Every colour gets the nearest
// centre of its run (squared distance in fixed point, exact in u32, ties to the lowest index); the per-cluster
// weights and weighted fixed-point sums are accumulated exactly as u64 (two u32 words, the carry detected from atomicAdd's
// returned old value), first in workgroup memory, then in the run's global sums, so the result does not depend on
// the order threads run in. Weighted, this is the same integer arithmetic as over every pixel.
//
// Bindings
//   group 0 (the runs): 0 run: RunParams (uniform)   1 status: Status per run (read: `done`)
//                       2 centres: k vec4u per run (xyz = fixed-point centre, w = the f32 bits of its drift, how far
//                         it has moved in this run), run r at r · k; `status.drift` is the run's drift
//                       3 sums: CLUSTER_SUM_WORDS u32 per cluster per run, cluster j of run r at (r · k + j) ·
//                         CLUSTER_SUM_WORDS: [weight lo, hi, Σw·P0 lo, hi, Σw·P1 lo, hi, Σw·P2 lo, hi]
//                       4 counters: Counters per run (`changed` += colours whose label changed; with FINAL_E_STEP,
//                         `inertia` += Σ w · d(P, c_label))
//   group 1 (the colours): 0 positions: vec2u per colour (P0 | P1 << 15, P2: positions.wgsl)
//                          1 weights: vec4u per 4 colours (0 = padding)
//                          2 labels: per run `run.label_words` u32, 8-bit labels packed little-endian
//                          3 bounds: per run 4 · `run.label_words` vec2f, each colour's (upper, lower) bound
//
// Bounds (Hamerly, 2010), in the Lloyd loop only: `upper` is at least the distance from the colour to its centre,
// `lower` at most its distance to any other centre. Each update moves a centre by √shift; its drift D_j (the sum of
// its moves in this run, the centres' spare lane) and the run's drift M (the sum of each update's largest move,
// `status.drift`) grow with them, and a colour's bounds are stored relative to them (upper − D_j, lower + M, at the
// time they were computed), so they hold without being rewritten: upper = stored + D_j, lower = stored − M. A colour
// whose upper bound is below its lower bound by a safety margin (for float rounding: far more than f32 can be off)
// keeps its label without a distance being computed: its centre is strictly the nearest, so the exact test gives
// the same label. Any other colour of the quad has its four colours compared with every centre, which sets both
// bounds again (the first iteration does that for all). Labels, sums and stops are the plain loop's; only the work
// differs.
//
// One invocation: COLORS_PER_THREAD consecutive colours as COLORS_PER_THREAD / 4 quads, quad `q` of workgroup `t`
// at index (t · WORKGROUP_SIZE + local_index) · COLORS_PER_THREAD / 4 + q: neighbours in the list are neighbours in
// colour (compact.wgsl), so a thread's colours mostly share a label and its runs of equal labels are long.
//
// Dispatch: (x, y, runs) workgroups, one per tile of WORKGROUP_SIZE · COLORS_PER_THREAD colours (`run.tiles`, laid
// out as x + y · num_workgroups.x with x ≤ maxComputeWorkgroupsPerDimension) and run; spare ones return. In the
// Lloyd loop the dispatch is indirect (control.wgsl zeroes it once every run is done), and a workgroup whose run is
// done returns at once. With FINAL_E_STEP the kernel serves only the runs that are done: it writes their labels
// against the final centres and adds each cluster's weight (no channel sums) and the inertia Σ w · d.

override WORKGROUP_SIZE: u32;
override COLORS_PER_THREAD: u32;
override MAX_K: u32;
override CLUSTER_SUM_WORDS: u32;
override FINAL_E_STEP: bool;

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
  _pad0: u32,
  _pad1: u32,
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
@group(0) @binding(1) var<storage, read> status: array<Status>;
@group(0) @binding(2) var<storage, read> centres: array<vec4u>;
@group(0) @binding(3) var<storage, read_write> sums: array<atomic<u32>>;
@group(0) @binding(4) var<storage, read_write> counters: array<Counters>;
@group(1) @binding(0) var<storage, read> positions: array<vec2u>;
@group(1) @binding(1) var<storage, read> weights: array<vec4u>;
@group(1) @binding(2) var<storage, read_write> labels: array<u32>;
@group(1) @binding(3) var<storage, read_write> bounds: array<vec2f>;

var<workgroup> wg_centres: array<vec4u, MAX_K>;
// Per cluster of this tile and run, as u64 (low, high): [weight, Σw·p0, Σw·p1, Σw·p2].
var<workgroup> wg_sums: array<atomic<u32>, MAX_K * 8u>;
var<workgroup> wg_changed: atomic<u32>;
var<workgroup> wg_inertia: array<atomic<u32>, 2>;
var<workgroup> wg_done: u32;
// The tile's bounding box (fixed point, per channel) and the centres that may be nearest to some colour in it.
var<workgroup> wg_lo: array<atomic<u32>, 3>;
var<workgroup> wg_hi: array<atomic<u32>, 3>;
var<workgroup> wg_nearest_mid: u32;
var<workgroup> wg_keep: array<u32, MAX_K>;
var<workgroup> wg_candidates: array<u32, MAX_K>;
var<workgroup> wg_m: u32;

// Colour i's position in fixed point (positions.wgsl).
fn position(i: u32) -> vec3u {
  let w = positions[i];
  return vec3u(w.x & 0x7fffu, w.x >> 15u, w.y);
}

// The nearest of the tile's candidate centres (in index order) to each of four points, its distance in `dist_out`;
// a tie keeps the lower index. Squared distances are
// exact in u32: a difference taken modulo 2^32 squares to the true square (below 2^30), and three of them sum to
// less than 3 · (255 · 128)² < 2^32 - 1, so the first centre always replaces the initial `best`.
fn nearest4(x0: vec3u, x1: vec3u, x2: vec3u, x3: vec3u, m: u32, dist_out: ptr<function, vec4u>) -> vec4u {
  var best = vec4u(0xffffffffu);
  var best_j = vec4u(0u);
  for (var t = 0u; t < m; t++) {
    let j = wg_candidates[t];
    let c = wg_centres[j].xyz;
    let d0 = x0 - c;
    let d1 = x1 - c;
    let d2 = x2 - c;
    let d3 = x3 - c;
    let dist = vec4u(dot(d0, d0), dot(d1, d1), dot(d2, d2), dot(d3, d3));
    let closer = dist < best;
    best = select(best, dist, closer);
    best_j = select(best_j, vec4u(j), closer);
  }
  *dist_out = best;
  return best_j;
}

// The nearest of all k centres (in index order, ties to the lower index) to each of four points, its distance in
// `dist_out` and the distance to the nearest other centre in `second_out` (a tie leaves them equal).
fn nearest4_all(x0: vec3u, x1: vec3u, x2: vec3u, x3: vec3u, k: u32, dist_out: ptr<function, vec4u>, second_out: ptr<function, vec4u>) -> vec4u {
  var best = vec4u(0xffffffffu);
  var second = vec4u(0xffffffffu);
  var best_j = vec4u(0u);
  for (var j = 0u; j < k; j++) {
    let c = wg_centres[j].xyz;
    let d0 = x0 - c;
    let d1 = x1 - c;
    let d2 = x2 - c;
    let d3 = x3 - c;
    let dist = vec4u(dot(d0, d0), dot(d1, d1), dot(d2, d2), dot(d3, d3));
    let closer = dist < best;
    second = select(min(second, dist), best, closer);
    best = select(best, dist, closer);
    best_j = select(best_j, vec4u(j), closer);
  }
  *dist_out = best;
  *second_out = second;
  return best_j;
}

// A margin far above f32's rounding of the bounds (a few units of the fixed point's 32,640 per channel unit, plus a
// relative part for the accumulated updates), so that a skipped colour's centre is strictly its nearest.
fn separated(upper: vec4f, lower: vec4f, drift: vec4f) -> vec4<bool> {
  return upper + 4.0 + 1e-4 * lower + 1e-5 * drift < lower;
}

// Whether centre `a` is strictly nearer than centre `b` to every point of the box [lo, hi] (fixed point): the
// maximum over the box of d(x, a) − d(x, b) = Σ_i (b_i − a_i)(2 x_i − a_i − b_i) is negative. It is reached at a
// corner; each term is below 2^31 in magnitude (32640 · 65280), and the sum of three is taken exactly in 16-bit
// limbs. (The filtering of Kanungo et al., 2002, per tile: a centre dropped here is never a colour's minimiser.)
fn dominated(a: vec3u, b: vec3u, lo: vec3u, hi: vec3u) -> bool {
  var high = 0i;
  var low = 0i;
  for (var i = 0u; i < 3u; i++) {
    let ai = i32(a[i]);
    let bi = i32(b[i]);
    let x = select(i32(lo[i]), i32(hi[i]), bi > ai);
    let term = (bi - ai) * (2i * x - ai - bi);
    high += term >> 16u;
    low += term & 0xffff;
  }
  high += low >> 16u;
  return high < 0i;
}

// @include u64

// Adds the u64 `v` to wg_sums[i] (low) and wg_sums[i + 1] (high).
fn add_wg(i: u32, v: vec2u) {
  let old = atomicAdd(&wg_sums[i], v.x);
  let hi = v.y + select(0u, 1u, old > 0xffffffffu - v.x);
  if (hi != 0u) {
    atomicAdd(&wg_sums[i + 1u], hi);
  }
}

// Adds the u64 `v` to sums[i] (low) and sums[i + 1] (high).
fn add_global(i: u32, v: vec2u) {
  let old = atomicAdd(&sums[i], v.x);
  let hi = v.y + select(0u, 1u, old > 0xffffffffu - v.x);
  if (hi != 0u) {
    atomicAdd(&sums[i + 1u], hi);
  }
}

// This invocation's run of colours with one label: the label, its weight, and its sums Σw·P (u64 per channel).
var<private> run_label: u32;
var<private> run_weight: u32;
var<private> run_s0: vec2u;
var<private> run_s1: vec2u;
var<private> run_s2: vec2u;
// With FINAL_E_STEP, this invocation's Σ w · d.
var<private> inertia: vec2u;

fn add_to_tile(j: u32, weight: u32) {
  add_wg(8u * j, vec2u(weight, 0u));
  if (!FINAL_E_STEP) {
    add_wg(8u * j + 2u, run_s0);
    add_wg(8u * j + 4u, run_s1);
    add_wg(8u * j + 6u, run_s2);
  }
}

// Adds a colour of weight w at position p, labelled j at squared distance d, to the invocation's run.
fn take(j: u32, w: u32, p: vec3u, d: u32) {
  if (j != run_label && run_weight > 0u) {
    add_to_tile(run_label, run_weight);
    run_weight = 0u;
    run_s0 = vec2u(0u);
    run_s1 = vec2u(0u);
    run_s2 = vec2u(0u);
  }
  run_label = j;
  // A cluster's weight is at most the image's points (< 2^30): no overflow in u32.
  run_weight += w;
  if (FINAL_E_STEP) {
    inertia = add64(inertia, mul_wide(w, d));
  } else {
    run_s0 = add64(run_s0, mul_wide(w, p.x));
    run_s1 = add64(run_s1, mul_wide(w, p.y));
    run_s2 = add64(run_s2, mul_wide(w, p.z));
  }
}

// The centres that may be nearest to some colour of the tile, in index order, into wg_candidates (their number is
// returned): the tile's box first (colours listed together are near each other, compact.wgsl), then every centre
// that the centre nearest the box's middle dominates on the box is dropped.
fn filter_centres(tile_base: u32, quads_per_thread: u32, lid: u32, k: u32) -> u32 {
  var lo = vec3u(0x7fffu);
  var hi = vec3u(0u);
  for (var q = 0u; q < quads_per_thread; q++) {
    let quad = tile_base + lid * quads_per_thread + q;
    let w4 = weights[quad];
    for (var i = 0u; i < 4u; i++) {
      if (w4[i] != 0u) {
        let p = position(4u * quad + i);
        lo = min(lo, p);
        hi = max(hi, p);
      }
    }
  }
  if (lo.x <= hi.x) {
    for (var c = 0u; c < 3u; c++) {
      atomicMin(&wg_lo[c], lo[c]);
      atomicMax(&wg_hi[c], hi[c]);
    }
  }
  workgroupBarrier();
  let box_lo = vec3u(atomicLoad(&wg_lo[0]), atomicLoad(&wg_lo[1]), atomicLoad(&wg_lo[2]));
  let box_hi = vec3u(atomicLoad(&wg_hi[0]), atomicLoad(&wg_hi[1]), atomicLoad(&wg_hi[2]));
  if (lid == 0u) {
    // The centre nearest the box's middle: the likeliest to rule others out (any choice keeps the result exact).
    let mid = (box_lo + box_hi) / 2u;
    var best = 0xffffffffu;
    var nearest = 0u;
    for (var j = 0u; j < k; j++) {
      let d = wg_centres[j].xyz - mid;
      let dist = dot(d, d);
      if (dist < best) {
        best = dist;
        nearest = j;
      }
    }
    wg_nearest_mid = nearest;
  }
  let a = workgroupUniformLoad(&wg_nearest_mid);
  for (var j = lid; j < k; j += WORKGROUP_SIZE) {
    let dropped = j != a && box_lo.x <= box_hi.x && dominated(wg_centres[a].xyz, wg_centres[j].xyz, box_lo, box_hi);
    wg_keep[j] = select(1u, 0u, dropped);
  }
  workgroupBarrier();
  if (lid == 0u) {
    var m = 0u;
    for (var j = 0u; j < k; j++) {
      if (wg_keep[j] != 0u) {
        wg_candidates[m] = j;
        m += 1u;
      }
    }
    wg_m = m;
  }
  return workgroupUniformLoad(&wg_m);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) lid: u32,
) {
  let tile = wid.x + wid.y * groups.x;
  let r = wid.z;
  if (tile >= run.tiles || r >= run.runs) {
    return;
  }
  if (lid == 0u) {
    wg_done = status[r].done;
  }
  // The loop's E-step serves the runs still going; the final one only the runs that are done (a run still going
  // keeps the labels its next iteration compares with).
  if ((workgroupUniformLoad(&wg_done) != 0u) != FINAL_E_STEP) {
    return;
  }

  let k = run.k;
  for (var j = lid; j < k; j += WORKGROUP_SIZE) {
    wg_centres[j] = centres[r * k + j];
    for (var w = 0u; w < 8u; w++) {
      atomicStore(&wg_sums[8u * j + w], 0u);
    }
  }
  if (lid == 0u) {
    atomicStore(&wg_changed, 0u);
    atomicStore(&wg_inertia[0], 0u);
    atomicStore(&wg_inertia[1], 0u);
    for (var c = 0u; c < 3u; c++) {
      atomicStore(&wg_lo[c], 0x7fffu);
      atomicStore(&wg_hi[c], 0u);
    }
  }
  workgroupBarrier();

  let quads_per_thread = COLORS_PER_THREAD / 4u;
  let tile_base = tile * quads_per_thread * WORKGROUP_SIZE;
  // The final E-step filters the centres per tile (the loop's E-step has its bounds instead).
  var m = k;
  if (FINAL_E_STEP) {
    m = filter_centres(tile_base, quads_per_thread, lid, k);
  }

  // A thread's colours are neighbours in colour, so they often share a label: a thread sums its run of equal labels
  // (`take`) and touches the shared atomics only when the label changes. Lanes of a quad are named (.x ... .w), never
  // indexed by a variable: a dynamically indexed vector costs a trip through memory on some implementations.
  var changed = 0u;
  let label_base = r * run.label_words;
  let bound_base = 4u * label_base;
  let first_iteration = status[r].iteration == 0u;
  let drift_all = status[r].drift;
  for (var q = 0u; q < quads_per_thread; q++) {
    let quad = tile_base + lid * quads_per_thread + q;
    let w4 = weights[quad];
    let c0 = 4u * quad;
    let p0 = position(c0);
    let p1 = position(c0 + 1u);
    let p2 = position(c0 + 2u);
    let p3 = position(c0 + 3u);
    var dist: vec4u;
    var nearest: vec4u;
    let old = labels[label_base + quad];
    if (FINAL_E_STEP) {
      nearest = nearest4(p0, p1, p2, p3, m, &dist);
    } else {
      // The loop's E-step: keep the labels whose bounds prove them, else compare the quad with every centre.
      let old4 = vec4u(old & 0xffu, (old >> 8u) & 0xffu, (old >> 16u) & 0xffu, old >> 24u);
      let b = bound_base + c0;
      let b0 = bounds[b];
      let b1 = bounds[b + 1u];
      let b2 = bounds[b + 2u];
      let b3 = bounds[b + 3u];
      let own_drift = vec4f(
        bitcast<f32>(wg_centres[old4.x].w),
        bitcast<f32>(wg_centres[old4.y].w),
        bitcast<f32>(wg_centres[old4.z].w),
        bitcast<f32>(wg_centres[old4.w].w),
      );
      let upper = vec4f(b0.x, b1.x, b2.x, b3.x) + own_drift;
      let lower = vec4f(b0.y, b1.y, b2.y, b3.y) - vec4f(drift_all);
      let proven = (w4 == vec4u(0u)) | separated(upper, lower, own_drift + drift_all);
      if (!first_iteration && all(proven)) {
        // The stored bounds stay valid as they are: nothing to write.
        nearest = old4;
      } else {
        var second: vec4u;
        nearest = nearest4_all(p0, p1, p2, p3, run.k, &dist, &second);
        // Stored relative to the drifts now: upper − D(own centre), lower + M.
        let u = sqrt(vec4f(dist)) - vec4f(
          bitcast<f32>(wg_centres[nearest.x].w),
          bitcast<f32>(wg_centres[nearest.y].w),
          bitcast<f32>(wg_centres[nearest.z].w),
          bitcast<f32>(wg_centres[nearest.w].w),
        );
        let l = sqrt(vec4f(second)) + vec4f(drift_all);
        bounds[b] = vec2f(u.x, l.x);
        bounds[b + 1u] = vec2f(u.y, l.y);
        bounds[b + 2u] = vec2f(u.z, l.z);
        bounds[b + 3u] = vec2f(u.w, l.w);
      }
    }
    let valid = w4 != vec4u(0u);
    let labels4 = select(vec4u(0u), nearest, valid);
    let out = labels4.x | (labels4.y << 8u) | (labels4.z << 16u) | (labels4.w << 24u);
    if (valid.x) { take(labels4.x, w4.x, p0, dist.x); }
    if (valid.y) { take(labels4.y, w4.y, p1, dist.y); }
    if (valid.z) { take(labels4.z, w4.z, p2, dist.z); }
    if (valid.w) { take(labels4.w, w4.w, p3, dist.w); }
    if (!FINAL_E_STEP) {
      let valid_mask = dot(select(vec4u(0u), vec4u(1u), valid), vec4u(0xffu, 0xff00u, 0xff0000u, 0xff000000u));
      let differs = (old ^ out) & valid_mask;
      let bytes = vec4u(differs & 0xffu, (differs >> 8u) & 0xffu, (differs >> 16u) & 0xffu, differs >> 24u);
      changed += dot(select(vec4u(0u), vec4u(1u), bytes != vec4u(0u)), vec4u(1u));
    }
    if (out != old) {
      labels[label_base + quad] = out;
    }
  }
  if (run_weight > 0u) {
    add_to_tile(run_label, run_weight);
  }
  if (changed > 0u) {
    atomicAdd(&wg_changed, changed);
  }
  if (FINAL_E_STEP) {
    let old = atomicAdd(&wg_inertia[0], inertia.x);
    atomicAdd(&wg_inertia[1], inertia.y + select(0u, 1u, old > 0xffffffffu - inertia.x));
  }
  workgroupBarrier();

  let base = r * k;
  for (var j = lid; j < k; j += WORKGROUP_SIZE) {
    let weight = atomicLoad(&wg_sums[8u * j]);
    if (weight == 0u) {
      continue;
    }
    let at = CLUSTER_SUM_WORDS * (base + j);
    add_global(at, vec2u(weight, 0u));
    if (!FINAL_E_STEP) {
      for (var c = 0u; c < 3u; c++) {
        let s = vec2u(atomicLoad(&wg_sums[8u * j + 2u + 2u * c]), atomicLoad(&wg_sums[8u * j + 3u + 2u * c]));
        add_global(at + 2u + 2u * c, s);
      }
    }
  }
  if (lid == 0u) {
    let n = atomicLoad(&wg_changed);
    if (n > 0u) {
      atomicAdd(&counters[r].changed, n);
    }
    if (FINAL_E_STEP) {
      let lo = atomicLoad(&wg_inertia[0]);
      let hi = atomicLoad(&wg_inertia[1]);
      let old = atomicAdd(&counters[r].inertia_lo, lo);
      atomicAdd(&counters[r].inertia_hi, hi + select(0u, 1u, old > 0xffffffffu - lo));
    }
  }
}
