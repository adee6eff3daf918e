// Builds the extension bundle (dist/extension.js), and on request the unit tests (out/test) and
// the end-to-end driver (out/e2e). One bundler for all three, so no ts-node or loader at run time.
import { build, context } from 'esbuild';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

function filesIn(dir, suffix) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

if (args.has('--tests')) {
  // `vscode` is deliberately not external: a unit test that imports it fails to build.
  await build({ ...common, entryPoints: filesIn('test', '.test.ts'), outdir: 'out/test', outbase: 'test' });
} else if (args.has('--e2e')) {
  await build({ ...common, entryPoints: ['e2e/run.ts', 'e2e/install.ts'], outdir: 'out/e2e', external: ['playwright-core'] });
} else {
  const options = {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    minify: production,
    sourcemap: !production,
  };
  if (args.has('--watch')) {
    await (await context(options)).watch();
  } else {
    await build(options);
  }
}
