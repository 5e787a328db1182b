#!/usr/bin/env node
// Builds the optional native addons with the C compiler ($CC, else cc, else gcc) and the headers
// the running Node ships (include/node: node_api.h, uv.h, and the OpenSSL headers of the OpenSSL
// Node is built with):
//  - native/ccm8.c -> build/native/ccm8.node, the AES-128-CCM_8 DTLS record cipher (issue 13);
//  - native/udp.c  -> build/native/udp.node, the batched recvmmsg/sendmmsg UDP socket (issue 17,
//    Linux only).
// It runs on `npm install` (postinstall) and never fails the install: an addon that cannot be
// built is named with the reason, and its JavaScript fallback is used (node:crypto for the cipher,
// node:dgram for the socket: slower, same bytes). Node-API is ABI-stable, so one build serves
// every Node version >= 20.
//
//   node scripts/build-native.mjs          build (each addon quietly skipped when impossible)
//   node scripts/build-native.mjs --strict exit 1 when an addon that this platform supports fails (CI)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const strict = process.argv.includes('--strict');
let failed = false;

const addons = [
  {
    name: 'ccm8',
    what: 'native AES-CCM record cipher',
    fallback: 'DTLS uses node:crypto',
    disabled: process.env.LWM2M_NATIVE_CRYPTO === '0' ? 'LWM2M_NATIVE_CRYPTO=0' : undefined,
    headers: ['node_api.h', join('openssl', 'evp.h')],
    flags: ['-std=c11'],
  },
  {
    name: 'udp',
    what: 'native batched UDP socket',
    fallback: 'servers use node:dgram',
    disabled:
      process.env.LWM2M_NATIVE_UDP === '0'
        ? 'LWM2M_NATIVE_UDP=0'
        : process.platform !== 'linux'
          ? 'recvmmsg/sendmmsg are Linux calls'
          : undefined,
    headers: ['node_api.h', 'uv.h'],
    flags: ['-std=gnu11', '-pthread'],
  },
];

const includeDirs = [join(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node'];
const compilers = [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean);
const compiler = compilers.find((c) => spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0);
// macOS: the N-API and OpenSSL symbols resolve against the node binary when the addon loads
const lookup = process.platform === 'darwin' ? ['-undefined', 'dynamic_lookup'] : [];

for (const addon of addons) {
  const skip = (why, platformSupported = true) => {
    console.warn(`lwm2m-ts: ${addon.what} not built (${why}); ${addon.fallback}`);
    if (strict && platformSupported) failed = true;
  };
  if (addon.disabled) {
    skip(addon.disabled, false);
    continue;
  }
  const source = join(root, 'native', `${addon.name}.c`);
  const target = join(root, 'build', 'native', `${addon.name}.node`);
  if (!existsSync(source)) {
    skip(`${source} missing`);
    continue;
  }
  const include = includeDirs.find((d) => addon.headers.every((h) => existsSync(join(d, h))));
  if (!include) {
    skip(`no include/node with ${addon.headers.join(' and ')} beside this Node`);
    continue;
  }
  if (!compiler) {
    skip(`no C compiler (${compilers.join(', ')})`);
    continue;
  }
  mkdirSync(dirname(target), { recursive: true });
  const args = [
    '-O2',
    '-shared',
    '-fPIC',
    ...addon.flags,
    '-Wall',
    ...lookup,
    `-I${include}`,
    source,
    '-o',
    target,
  ];
  const built = spawnSync(compiler, args, { encoding: 'utf8' });
  if (built.status !== 0) {
    skip(`${compiler} failed: ${(built.stderr || built.error?.message || '').trim()}`);
    continue;
  }
  console.log(`lwm2m-ts: built ${target} (${compiler}, headers ${include})`);
}
if (failed) process.exit(1);
