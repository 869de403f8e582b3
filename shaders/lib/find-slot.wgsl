// lib/find-slot.wgsl (included by the kernels that read the colour table: lut, pixel-labels, recolor-*): the slot
// of a colour key in the colour table (color-table.ts). Direct table: the key itself. Hashed table: where linear
// probing from the key's Fibonacci hash finds `key | KEY_TAG` in `keys` (every key looked up was counted, so it is
// there; the probe is bounded all the same). The including kernel declares `keys` (array<u32>), `table_params`
// (TableParams) and the override KEY_TAG.
fn find_slot(key: u32) -> u32 {
  if (table_params.direct != 0u) {
    return key;
  }
  let mask = (1u << table_params.bits) - 1u;
  var h = (key * 0x9e3779b1u) >> (32u - table_params.bits);
  for (var i = 0u; i <= mask; i++) {
    if (keys[h] == (key | KEY_TAG)) {
      return h;
    }
    h = (h + 1u) & mask;
  }
  return 0u;
}
