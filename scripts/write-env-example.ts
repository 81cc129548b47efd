// `npm run env:example`: regenerates .env.example from the settings table in src/config.ts
// (a test fails when the committed file is stale).
import { writeFileSync } from 'node:fs';
import { renderEnvExample } from '../src/config.js';

writeFileSync(new URL('../.env.example', import.meta.url), renderEnvExample());
