// Whether WebGL is drawn by the CPU (no usable GPU: a VM, a locked-down government PC, headless
// Chromium). There the whole map is rasterised in software and, because the compositor is software
// too, every frame is read back to the main thread: a redraw costs about as much per pixel as the
// rest of the screen together, so the map draws fewer pixels.
const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render/i;

export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE.test(renderer);
}

/** The renderer string of a WebGL context (the unmasked one where the browser offers it). */
export function rendererOf(gl: WebGLRenderingContext | WebGL2RenderingContext): string {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
}

/**
 * The map's pixel ratio: the display's, times the big screen's scale where it is drawn larger than
 * designed (a 4K wall draws the 1920 canvas at ×2: a canvas at the display's ratio alone was
 * stretched to twice its pixels, its lines and numbers soft beside the sharp text). On a software
 * renderer it draws at `softwareRatio` of the display's, unscaled (every pixel costs CPU; the
 * browser scales the canvas up, a little softer).
 */
export function mapPixelRatio(
  devicePixelRatio: number,
  software: boolean,
  softwareRatio: number,
  screenScale = 1,
): number {
  return software
    ? Math.min(devicePixelRatio, 1) * softwareRatio
    : screenPixelRatio(devicePixelRatio, screenScale);
}

/**
 * A canvas's pixel ratio on the big screen: the display's, times the screen's scale where it is
 * drawn larger than designed (never fewer than the display's). The charts' and, with a GPU, the map's.
 */
export function screenPixelRatio(devicePixelRatio: number, screenScale = 1): number {
  return devicePixelRatio * Math.max(1, screenScale);
}
