// `npm run docs:settings`: regenerates .env.example and the README's configuration table from
// the settings table in src/config.ts (tests fail when either is stale).
import { readFileSync, writeFileSync } from 'node:fs';
import { renderEnvExample, renderSettingsTable } from '../src/config.js';

writeFileSync(new URL('../.env.example', import.meta.url), renderEnvExample());

const readmeUrl = new URL('../README.md', import.meta.url);
const readme = readFileSync(readmeUrl, 'utf8');
const start = '<!-- settings:start -->';
const end = '<!-- settings:end -->';
const before = readme.slice(0, readme.indexOf(start) + start.length);
const after = readme.slice(readme.indexOf(end));
if (!readme.includes(start) || !readme.includes(end)) throw new Error('README.md has no settings markers');
writeFileSync(readmeUrl, `${before}\n${renderSettingsTable()}\n${after}`);
