// The server alone, without the client build step (used by `npm run dev`).
import { main } from '../main';

await main();
