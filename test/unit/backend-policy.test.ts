import { describe, expect, it } from 'vitest';
import { adapterName, decideBackend } from '../../src/core/backend-policy.js';

const hardware = { software: false, name: 'NVIDIA H200' };
const software = { software: true, name: 'SwiftShader Device (Subzero) (fallback)' };

describe('the one backend policy (extractPalette, the element, the command line)', () => {
  it.each([
    ['cpu', hardware, { kind: 'cpu', reason: 'asked' }],
    ['auto', hardware, { kind: 'gpu' }],
    ['gpu', hardware, { kind: 'gpu' }],
    ['auto', null, { kind: 'cpu', reason: 'no-gpu' }],
    ['gpu', null, { kind: 'cpu', reason: 'no-gpu' }],
    ['auto', software, { kind: 'cpu', reason: 'software' }],
    ['gpu', software, { kind: 'gpu' }],
    ['auto', { ...hardware, fits: false }, { kind: 'cpu', reason: 'too-large' }],
    ['gpu', { ...software, fits: false }, { kind: 'cpu', reason: 'too-large' }],
    ['gpu', { ...hardware, fits: true }, { kind: 'gpu' }],
  ] as const)('runs backend=%s with %o on %o', (asked, gpu, expected) => {
    expect(decideBackend(asked, gpu)).toEqual(expected);
  });

  it('names an adapter without the "(fallback)" some implementations append', () => {
    expect(adapterName(software.name)).toBe('SwiftShader Device (Subzero)');
    expect(adapterName(hardware.name)).toBe('NVIDIA H200');
  });
});
