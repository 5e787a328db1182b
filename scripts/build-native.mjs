#!/usr/bin/env node
// Builds the optional native AES-128-CCM_8 record cipher (native/ccm8.c) into
// build/native/ccm8.node with the C compiler ($CC, else cc, else gcc) and the headers the running
// Node ships (include/node, which holds node_api.h and the OpenSSL headers of the OpenSSL Node is
// built with). It runs on `npm install` (postinstall) and never fails the install: without a
// compiler or headers it says so and the DTLS records go through node:crypto instead (slower,
// same bytes). Node-API is ABI-stable, so one build serves every Node version >= 20.
//
//   node scripts/build-native.mjs          build (quietly skipped when impossible)
//   node scripts/build-native.mjs --strict exit 1 when the build fails (CI)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'native', 'ccm8.c');
const target = join(root, 'build', 'native', 'ccm8.node');
const strict = process.argv.includes('--strict');

function skip(why) {
  const message = `lwm2m-ts: native AES-CCM record cipher not built (${why}); DTLS uses node:crypto`;
  if (strict) {
    console.error(message);
    process.exit(1);
  }
  console.warn(message);
  process.exit(0);
}

if (process.env.LWM2M_NATIVE_CRYPTO === '0') skip('LWM2M_NATIVE_CRYPTO=0');
if (!existsSync(source)) skip(`${source} missing`);
const includes = [join(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node'].filter((d) =>
  existsSync(join(d, 'node_api.h')),
);
const include = includes.find((d) => existsSync(join(d, 'openssl', 'evp.h')));
if (!include) skip('no include/node with node_api.h and openssl/evp.h beside this Node');
const compilers = [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean);
const compiler = compilers.find((c) => spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0);
if (!compiler) skip(`no C compiler (${compilers.join(', ')})`);

mkdirSync(dirname(target), { recursive: true });
// macOS: the N-API and OpenSSL symbols resolve against the node binary when the addon loads
const lookup = process.platform === 'darwin' ? ['-undefined', 'dynamic_lookup'] : [];
const args = [
  '-O2',
  '-shared',
  '-fPIC',
  '-std=c11',
  '-Wall',
  ...lookup,
  `-I${include}`,
  source,
  '-o',
  target,
];
const built = spawnSync(compiler, args, { encoding: 'utf8' });
if (built.status !== 0) skip(`${compiler} failed: ${(built.stderr || built.error?.message || '').trim()}`);
console.log(`lwm2m-ts: built ${target} (${compiler}, headers ${include})`);
