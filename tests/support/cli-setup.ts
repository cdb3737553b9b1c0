// Before the integration and e2e projects: the account and team commands bundled from the current
// sources (server/cli/server-build.ts CLI_BUNDLES), which the tests run many times over; in watch
// mode again before each re-run, so an edited command is never tested from its old bundle.
import type { TestProject } from 'vitest/node';
import { buildCliBundles } from '../../server/cli/server-build';

const build = () => buildCliBundles((m) => process.stdout.write(`[cli] ${m}\n`));

export default async function setup(project: TestProject): Promise<void> {
  await build();
  project.onTestsRerun(build);
}
