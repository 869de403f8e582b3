// assign.wgsl: the E-step of exact k-means (docs/ARITHMETIC.md) over an image's distinct colours, each weighted by
// its count, for every seeding of the pass at once (the workgroup's z is the run). Every colour gets the nearest
// centre of its run (squared distance in fixed point, exact in u32, ties to the lowest index). Weighted, this is the
// same integer arithmetic as over every pixel.
//
// The Lloyd loop keeps each run's per-cluster totals (weight, and Σ w·P per channel as u64) from one iteration to
// the next and changes them by the colours that moved: a colour whose label changed is taken from its old cluster and
// added to its new one (the first iteration adds every colour). The changes are accumulated in workgroup memory, then
// added to the run's totals, modulo 2^32 for the weight word and 2^64 for the channel sums (two u32 words, the
// carry detected from atomicAdd's returned old value): every total is a true sum far below either, so the modular
// result is the exact one, whatever order the threads run in. The final E-step writes each cluster's weight afresh
// (no channel sums) and the inertia Σ w · d.
//
// Bindings
//   group 0 (the runs): 0 run: RunParams (uniform)   1 status: Status per run (read: `done`)
//                       2 centres: k vec4u per run (xyz = fixed-point centre, w unused), run r at r · k;
//                         `status.drift` is the run's drift (the sum of each update's largest centre move)
//                       3 sums: CLUSTER_SUM_WORDS u32 per cluster: [weight, 0, Σw·P0 lo, hi, Σw·P1 lo, hi, Σw·P2 lo,
//                         hi]; the loop's totals of cluster j of run r at r · k + j, the final E-step's weights after
//                         those of every run of the pass, at (runs + r) · k + j
//                       4 counters: Counters per run (`changed` += colours whose label changed; with FINAL_E_STEP,
//                         `inertia` += Σ w · d(P, c_label))
//   group 1 (the colours): 0 positions: vec2u per colour (P0 | P1 << 15, P2: positions.wgsl)
//                          1 weights: vec4u per 4 colours (0 = padding)
//                          2 labels: per run `run.label_words` u32, 8-bit labels packed little-endian
//                          3 expiry: f32, per run `run.label_words` (one per quad: its expiry), then per run
//                            `run.group_words`, one per 32 quads of an invocation (the lowest expiry of those quads)
//
// Bounds (after Hamerly, 2010), in the Lloyd loop only. When a quad is compared with every centre, each colour's
// distance u to its nearest centre and l to the next are known; until its centres have together moved by more than
// (l − u) / 2, the nearest stays strictly the nearest. The run's drift M (`status.drift`) is the sum of each
// update's largest centre move, so between two iterations no centre moves by more than the growth of M: a quad keeps
// its four labels while 2 · M < its expiry, 2 · M_then + min over its colours of (l − u − margin), the margin far above
// f32's rounding (a few units of the fixed point's 32,640 per channel unit, plus relative parts). A kept quad costs
// nothing more: each colour's centre is strictly its nearest, so the exact test gives the same label, and an unmoved
// colour changes no total. An invocation's group of 32 quads is kept at once while 2 · M is below the lowest of their
// expiries. The other quads have their four colours compared with every centre, which sets their expiries again (the
// first iteration does that for all). Labels, sums and stops are the plain loop's; only the work differs.
//
// Skipping work, on every adapter: a software one (SwiftShader) runs both sides of each branch, and the code after
// a `return`, with its lanes masked off, and only a loop's trip count really skips work. So the work that is often
// not needed sits in loops whose trip count is the number of items that need it: the groups and quads not kept by
// their expiries (32 quads tested at a time, their marks in a bit mask), the moved colours of a quad, and the colours
// of a run the pass no longer serves (none).
//
// One invocation: COLORS_PER_THREAD colours as COLORS_PER_THREAD / 4 quads. In the Lloyd loop each four
// invocations (one SIMD group on a software adapter) share a block of 4 · COLORS_PER_THREAD / 4 neighbouring quads
// and take them in turn (`loop_quad`), so that the lanes of a group visit neighbouring quads together (neighbours in
// the list are neighbours in colour: compact.wgsl) and mostly agree on whether their bounds hold. In the final E-step
// an invocation takes COLORS_PER_THREAD consecutive colours, (t · WORKGROUP_SIZE + local_index) · COLORS_PER_THREAD /
// 4 + q, so that its runs of equal labels are long and it touches the shared atomics only when the label changes.
//
// Dispatch: (x, y, runs) workgroups, one per tile of WORKGROUP_SIZE · COLORS_PER_THREAD colours (`run.tiles`, laid
// out as x + y · num_workgroups.x with x ≤ maxComputeWorkgroupsPerDimension) and run; spare ones return. The colour
// loops cover the list's `run.colors` colours only (the list is padded to whole quads, not tiles). In the Lloyd loop
// the dispatch is indirect (control.wgsl zeroes it once every run is done), and a workgroup whose run is done has no
// colour to visit. With FINAL_E_STEP the kernel serves only the runs that are done: it writes their labels against
// the final centres and adds each cluster's weight (no channel sums) and the inertia Σ w · d.

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
@group(0) @binding(1) var<storage, read> status: array<Status>;
@group(0) @binding(2) var<storage, read> centres: array<vec4u>;
@group(0) @binding(3) var<storage, read_write> sums: array<atomic<u32>>;
@group(0) @binding(4) var<storage, read_write> counters: array<Counters>;
@group(1) @binding(0) var<storage, read> positions: array<vec2u>;
@group(1) @binding(1) var<storage, read> weights: array<vec4u>;
@group(1) @binding(2) var<storage, read_write> labels: array<u32>;
@group(1) @binding(3) var<storage, read_write> expiry: array<f32>;

var<workgroup> wg_centres: array<vec4u, MAX_K>;
// Per cluster of this tile and run, as u64 (low, high): [weight, Σw·p0, Σw·p1, Σw·p2].
var<workgroup> wg_sums: array<atomic<u32>, MAX_K * 8u>;
var<workgroup> wg_changed: atomic<u32>;
var<workgroup> wg_inertia: array<atomic<u32>, 2>;
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

// The final E-step: this invocation's run of colours with one label (the label and its weight), and its Σ w · d.
var<private> run_label: u32;
var<private> run_weight: u32;
var<private> inertia: vec2u;

// Adds a colour of weight w, labelled j at squared distance d, to the final E-step's run and inertia.
fn take_final(j: u32, w: u32, d: u32) {
  if (j != run_label && run_weight > 0u) {
    atomicAdd(&wg_sums[8u * run_label], run_weight);
    run_weight = 0u;
  }
  run_label = j;
  // A cluster's weight is at most the image's points (< 2^30): no overflow in u32.
  run_weight += w;
  inertia = add64(inertia, mul_wide(w, d));
}

// The loop's E-step moves colours between clusters: a colour whose label changed is added to its new cluster's sums
// and taken from its old one's (the first iteration only adds), in workgroup memory: modulo 2^32 for the weight word
// and modulo 2^64 for the channel sums, which is exact, since every total is a true sum far below either.
fn move_colour(old: u32, new_label: u32, w: u32, p: vec3u, first: bool) {
  let s0 = mul_coordinate(w, p.x);
  let s1 = mul_coordinate(w, p.y);
  let s2 = mul_coordinate(w, p.z);
  let i = 8u * new_label;
  atomicAdd(&wg_sums[i], w);
  add_wg(i + 2u, s0);
  add_wg(i + 4u, s1);
  add_wg(i + 6u, s2);
  if (!first) {
    let o = 8u * old;
    atomicAdd(&wg_sums[o], 0u - w);
    add_wg(o + 2u, neg64(s0));
    add_wg(o + 4u, neg64(s1));
    add_wg(o + 6u, neg64(s2));
  }
}

// The centres that may be nearest to some colour of the tile, in index order, into wg_candidates (their number is
// returned): the tile's box first (colours listed together are near each other, compact.wgsl), then every centre
// that the centre nearest the box's middle dominates on the box is dropped.
fn filter_centres(tile_base: u32, quads_per_thread: u32, quads: u32, lid: u32, k: u32) -> u32 {
  var lo = vec3u(0x7fffu);
  var hi = vec3u(0u);
  for (var q = 0u; q < quads; q++) {
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

// The final E-step over a thread's quads: every colour labelled against the tile's candidate centres, its weight and
// Σ w · d added.
fn label_final(first_quad: u32, quads: u32, m: u32, label_base: u32) {
  for (var q = 0u; q < quads; q++) {
    let quad = first_quad + q;
    let w4 = weights[quad];
    let c0 = 4u * quad;
    var dist: vec4u;
    let nearest = nearest4(position(c0), position(c0 + 1u), position(c0 + 2u), position(c0 + 3u), m, &dist);
    let valid = w4 != vec4u(0u);
    let labels4 = select(vec4u(0u), nearest, valid);
    let out = labels4.x | (labels4.y << 8u) | (labels4.z << 16u) | (labels4.w << 24u);
    if (valid.x) { take_final(labels4.x, w4.x, dist.x); }
    if (valid.y) { take_final(labels4.y, w4.y, dist.y); }
    if (valid.z) { take_final(labels4.z, w4.z, dist.z); }
    if (valid.w) { take_final(labels4.w, w4.w, dist.w); }
    if (out != labels[label_base + quad]) {
      labels[label_base + quad] = out;
    }
  }
}

// Quad `quad` compared with every centre: its labels, its bound set again, its moved colours taken from their old
// clusters and added to their new ones. Returns how many of its colours changed label.
fn relabel_quad(quad: u32, label_base: u32, first: bool, drift: f32, expiry_out: ptr<function, f32>) -> u32 {
  let w4 = weights[quad];
  let c0 = 4u * quad;
  let p0 = position(c0);
  let p1 = position(c0 + 1u);
  let p2 = position(c0 + 2u);
  let p3 = position(c0 + 3u);
  var dist: vec4u;
  var second: vec4u;
  let nearest = nearest4_all(p0, p1, p2, p3, run.k, &dist, &second);
  // Each colour's slack l − u less a margin far above f32's rounding (a few units of the fixed point's 32,640 per
  // channel unit, plus a relative part); padding (weight 0) has no say.
  let l = sqrt(vec4f(second));
  let slack = select(vec4f(3.0e38), l - sqrt(vec4f(dist)) - 4.0 - 1e-4 * l, w4 != vec4u(0u));
  let e = min(min(slack.x, slack.y), min(slack.z, slack.w)) + 2.0 * drift;
  expiry[label_base + quad] = e;
  *expiry_out = e;

  let old = labels[label_base + quad];
  let old4 = vec4u(old & 0xffu, (old >> 8u) & 0xffu, (old >> 16u) & 0xffu, old >> 24u);
  let valid = w4 != vec4u(0u);
  let labels4 = select(vec4u(0u), nearest, valid);
  // The first iteration moves every colour (from no cluster); later ones those whose label changed.
  let moved = valid & (vec4<bool>(first) | (labels4 != old4));
  // One trip per moved colour: a loop's trip count, unlike a branch, skips work on a software adapter.
  var todo = dot(select(vec4u(0u), vec4u(1u, 2u, 4u, 8u), moved), vec4u(1u));
  loop {
    if (todo == 0u) {
      break;
    }
    let c = firstTrailingBit(todo);
    todo &= todo - 1u;
    let p = select(select(select(p0, p1, c == 1u), p2, c == 2u), p3, c == 3u);
    let w = select(select(select(w4.x, w4.y, c == 1u), w4.z, c == 2u), w4.w, c == 3u);
    let from_label = select(select(select(old4.x, old4.y, c == 1u), old4.z, c == 2u), old4.w, c == 3u);
    let to_label = select(select(select(labels4.x, labels4.y, c == 1u), labels4.z, c == 2u), labels4.w, c == 3u);
    move_colour(from_label, to_label, w, p, first);
  }
  let out = labels4.x | (labels4.y << 8u) | (labels4.z << 16u) | (labels4.w << 24u);
  if (out != old) {
    labels[label_base + quad] = out;
  }
  return dot(select(vec4u(0u), vec4u(1u), valid & (labels4 != old4)), vec4u(1u));
}

// Quad q (0 .. quads_per_thread − 1) of invocation `lid` in the Lloyd loop: each four invocations (a SIMD group on a
// software adapter) share a block of 4 · quads_per_thread neighbouring quads, taking them in turn, so that the lanes
// of a group visit neighbouring quads together and each invocation's quads stay in one small part of colour space.
fn loop_quad(tile_base: u32, lid: u32, quads_per_thread: u32, q: u32) -> u32 {
  return tile_base + (lid / 4u) * 4u * quads_per_thread + 4u * q + lid % 4u;
}

// The loop's E-step over a thread's quads, 32 at a time. A group of 32 whose expiry (the lowest of its quads') the
// run's drift has not reached keeps all its labels; otherwise its quads are tested one by one, those their bounds do
// not prove marked (all of them in the first iteration), and only those compared with the centres. Each stage is a
// loop whose trip count is the number of items that need it: on a software adapter, which runs both sides of a
// branch with lanes masked off, that is the only way to skip work. A kept quad costs nothing more: its colours stay
// where the totals have them. Returns how many colours changed label.
fn relabel(tile_base: u32, lid: u32, quads_per_thread: u32, quads: u32, group_base: u32, label_base: u32, first: bool, drift: f32) -> u32 {
  var changed = 0u;
  let reach = drift * (2.0 + 1e-5);
  for (var g = 0u; g < quads; g += 32u) {
    let group = group_base + g / 32u;
    let kept = !first && reach < expiry[group];
    let n = select(min(32u, quads - g), 0u, kept);
    var todo = 0u;
    var lowest = 3.0e38;
    for (var i = 0u; i < n; i++) {
      let quad = loop_quad(tile_base, lid, quads_per_thread, g + i);
      let e = expiry[label_base + quad];
      let keep = !first && reach < e;
      todo |= select(1u << i, 0u, keep);
      lowest = select(lowest, min(lowest, e), keep);
    }
    loop {
      if (todo == 0u) {
        break;
      }
      let i = firstTrailingBit(todo);
      todo &= todo - 1u;
      var e: f32;
      changed += relabel_quad(loop_quad(tile_base, lid, quads_per_thread, g + i), label_base, first, drift, &e);
      lowest = min(lowest, e);
    }
    if (!kept) {
      expiry[group] = lowest;
    }
  }
  return changed;
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
  // The loop's E-step serves the runs still going; the final one only the runs that are done (a run still going
  // keeps the labels its next iteration compares with). A workgroup whose run is not served still goes through its
  // two barriers, but its colour loops have no trip: cheaper on a software adapter than a uniform early return, whose
  // broadcast costs two more barriers (a barrier switches between the workgroup's SIMD groups there).
  let serve = (status[r].done != 0u) == FINAL_E_STEP;

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
  // A loop's trip count is the only thing that skips work on a software adapter (see above): the colour loops run
  // over the quads that hold colours of the list (none when the run is not served), never over the padding after it.
  let list_quads = select(0u, (run.colors + 3u) / 4u, serve);
  // The final E-step filters the centres per tile (the loop's E-step has its bounds instead).
  let first_quad = tile_base + lid * quads_per_thread;
  let quads = min(quads_per_thread, list_quads - min(first_quad, list_quads));
  var m = k;
  if (FINAL_E_STEP) {
    m = filter_centres(tile_base, quads_per_thread, quads, lid, k);
  }

  let label_base = r * run.label_words;
  if (FINAL_E_STEP) {
    label_final(first_quad, quads, m, label_base);
    if (run_weight > 0u) {
      atomicAdd(&wg_sums[8u * run_label], run_weight);
    }
    let old = atomicAdd(&wg_inertia[0], inertia.x);
    atomicAdd(&wg_inertia[1], inertia.y + select(0u, 1u, old > 0xffffffffu - inertia.x));
  } else {
    // The groups' expiries follow the quads' of every run of the pass (`expiry`), `run.group_words` a run.
    let groups_per_thread = (quads_per_thread + 31u) / 32u;
    let group_base = run.runs * run.label_words + r * run.group_words + (tile * WORKGROUP_SIZE + lid) * groups_per_thread;
    // In the loop's layout (`loop_quad`) an invocation's quads are every fourth of its block's, from lid % 4.
    let block_first = tile_base + (lid / 4u) * 4u * quads_per_thread + lid % 4u;
    let loop_quads = min(quads_per_thread, (list_quads - min(block_first, list_quads) + 3u) / 4u);
    let changed = relabel(tile_base, lid, quads_per_thread, loop_quads, group_base, label_base, status[r].iteration == 0u, status[r].drift);
    if (changed > 0u) {
      atomicAdd(&wg_changed, changed);
    }
  }
  workgroupBarrier();

  // The loop's totals of run r come first in `sums` (cluster j at r · k + j); the final E-step's weights follow
  // those of every run of the pass (at (runs + r) · k + j), so that a batch's final E-step leaves the totals of the
  // runs still going as they were.
  let base = select(r * k, (run.runs + r) * k, FINAL_E_STEP);
  for (var j = lid; j < k; j += WORKGROUP_SIZE) {
    let at = CLUSTER_SUM_WORDS * (base + j);
    let weight = atomicLoad(&wg_sums[8u * j]);
    if (weight != 0u) {
      atomicAdd(&sums[at], weight);
    }
    if (!FINAL_E_STEP) {
      for (var c = 0u; c < 3u; c++) {
        let s = vec2u(atomicLoad(&wg_sums[8u * j + 2u + 2u * c]), atomicLoad(&wg_sums[8u * j + 3u + 2u * c]));
        if (any(s != vec2u(0u))) {
          add_global(at + 2u + 2u * c, s);
        }
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
