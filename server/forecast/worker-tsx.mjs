// Boots the TypeScript worker (worker.ts) under tsx when the engine runs from sources (CLI, scripts, tests).
import { register } from 'tsx/esm/api';

register();
await import(new URL('./worker.ts', import.meta.url).href);
