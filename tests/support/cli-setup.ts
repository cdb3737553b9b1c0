// Before the integration and e2e projects: the account and team commands bundled from the current
// sources (server/cli/server-build.ts CLI_BUNDLES), which the tests run many times over.
import { buildCliBundles } from '../../server/cli/server-build';

export default async function setup(): Promise<void> {
  await buildCliBundles((m) => process.stdout.write(`[cli] ${m}\n`));
}
