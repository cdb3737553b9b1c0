// The map draws fewer pixels only where WebGL runs on the CPU.
import { describe, expect, it } from 'vitest';
import { isSoftwareRenderer, mapPixelRatio } from '../../../client/src/lib/renderer';

describe('software renderer', () => {
  it.each([
    'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
    'llvmpipe (LLVM 15.0.6, 256 bits)',
    'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)',
  ])('recognises %s', (r) => expect(isSoftwareRenderer(r)).toBe(true));

  it.each([
    'ANGLE (Intel, Intel(R) UHD Graphics 630 Direct3D11 vs_5_0 ps_5_0, D3D11)',
    'ANGLE (NVIDIA, NVIDIA GeForce GTX 1650 Direct3D11 vs_5_0 ps_5_0, D3D11)',
    'Mali-G78',
  ])('leaves a GPU alone: %s', (r) => expect(isSoftwareRenderer(r)).toBe(false));

  it('keeps the display pixel ratio on a GPU, a share of at most 1 without one', () => {
    expect(mapPixelRatio(2, false, 0.5)).toBe(2);
    expect(mapPixelRatio(1, true, 0.5)).toBe(0.5);
    expect(mapPixelRatio(2, true, 0.5)).toBe(0.5);
    // The big screen on a 4K wall (the 1920 canvas at ×2): twice the pixels with a GPU, so the map
    // is as sharp as the text over it; never fewer than the display's when it is drawn smaller.
    expect(mapPixelRatio(1, false, 0.5, 2)).toBe(2);
    expect(mapPixelRatio(1, false, 0.5, 0.71)).toBe(1);
    expect(mapPixelRatio(1, true, 0.5, 2)).toBe(0.5);
  });
});
