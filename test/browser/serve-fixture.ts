/**
 * A server with the browser tests' data, for working on the UI by hand:
 *   npx tsx test/browser/serve-fixture.ts [port]      (then `vite --config web/vite.config.ts`
 * for hot reload against it with API_PROXY_TARGET=http://127.0.0.1:<port>)
 */
import { startUiServer } from './harness.js';

const port = process.argv[2] ?? '7861';
const server = await startUiServer({ env: { PORT: port } });
// startTestApp listens on a random port; report it.
process.stdout.write(`browser-test fixture server at ${server.url}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
