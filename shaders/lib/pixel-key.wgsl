// lib/pixel-key.wgsl (included, after lib/morton.wgsl, by the kernels that read pixels: count, pixel-labels,
// recolor-*): a pixel's colour key, or NOT_A_POINT for a pixel that is not a point (alpha below the threshold, or
// padding past the segment's last pixel). The including kernel declares `segment` (SegmentParams) and
// `table_params` (TableParams, whose alpha_threshold is the colour list's).
const NOT_A_POINT: u32 = 0xffffffffu;

fn pixel_key(word: u32, pixel: u32) -> u32 {
  if (pixel >= segment.pixel_count || (word >> 24u) < table_params.alpha_threshold) {
    return NOT_A_POINT;
  }
  return morton(word);
}
