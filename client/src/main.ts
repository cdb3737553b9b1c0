import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router';
import { i18n } from './i18n';
import './styles/base.css';
import { UI_FONT } from './lib/fonts';
import { reloadOnStaleBuild, watchServedBuild } from './lib/stale-build';

// The page's font, named face by face (lib/fonts.ts).
document.documentElement.style.fontFamily = UI_FONT;

// A page left open through an upgrade loads afresh when it asks for a chunk of the build before.
reloadOnStaleBuild();
// And one that asks for nothing (a desk at rest) hears of it within a minute.
watchServedBuild();

createApp(App).use(createPinia()).use(router).use(i18n).mount('#app');
