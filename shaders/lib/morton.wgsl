// lib/morton.wgsl (included by points, lut and compact): the 24-bit Morton key of an sRGB colour and back. Bit
// 3i + c of the key is bit i of channel c, so keys close together are colours close together (the colour table and
// the colour list are in this order).

// The low byte's bits spread to every third bit.
fn spread8(v: u32) -> u32 {
  var x = v & 0xffu;
  x = (x | (x << 8u)) & 0x00f00fu;
  x = (x | (x << 4u)) & 0x0c30c3u;
  x = (x | (x << 2u)) & 0x249249u;
  return x;
}

// The key of the colour r | g << 8 | b << 16 (higher bits, an alpha byte, are ignored).
fn morton(word: u32) -> u32 {
  return spread8(word) | (spread8(word >> 8u) << 1u) | (spread8(word >> 16u) << 2u);
}

// Every third bit gathered into the low byte.
fn squeeze8(v: u32) -> u32 {
  var x = v & 0x249249u;
  x = (x | (x >> 2u)) & 0x0c30c3u;
  x = (x | (x >> 4u)) & 0x00f00fu;
  x = (x | (x >> 8u)) & 0x0000ffu;
  return x;
}

// The colour (r, g, b) of a key.
fn unmorton(key: u32) -> vec3u {
  return vec3u(squeeze8(key), squeeze8(key >> 1u), squeeze8(key >> 2u));
}
