// The big screen's scale (ScreenFrame: the 1920×1080 canvas fitted to the window), for what is
// drawn at the window's scale over it (the photo viewer) to size its controls as the canvas's are.
import type { InjectionKey, Ref } from 'vue';

export const SCREEN_SCALE: InjectionKey<Ref<number>> = Symbol('screen-scale');
