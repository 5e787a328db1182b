#!/usr/bin/env node
// Builds the web UI (issue 16): src/ui/app/main.tsx bundled by esbuild (Preact TSX, minified, one
// ES module) with its stylesheet into dist/ui/static/, beside an index.html that loads them. The
// server (src/ui/serveUi.ts) serves that folder. Runs before `npm start`, `npm test` and in
// `npm run build`; about 0.2 s. Prints the gzip size of what a browser downloads.
// `node scripts/build-ui.mjs [--quiet]`; importable: `buildUi({ quiet })`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const UI_OUT_DIR = join(root, 'dist', 'ui', 'static');

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>LwM2M server</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/ui/app.css">
<script type="module" src="/ui/app.js"></script>
</head>
<body>
<div id="app"></div>
</body>
</html>
`;

/** Bundles the UI; returns the output files and their gzip sizes. */
export async function buildUi({ quiet = false } = {}) {
  const { build } = await import('esbuild');
  mkdirSync(UI_OUT_DIR, { recursive: true });
  await build({
    entryPoints: { app: join(root, 'src', 'ui', 'app', 'main.tsx') },
    outdir: UI_OUT_DIR,
    bundle: true,
    format: 'esm',
    minify: true,
    sourcemap: false,
    target: ['chrome110', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  writeFileSync(join(UI_OUT_DIR, 'index.html'), INDEX_HTML);
  const files = ['index.html', 'app.js', 'app.css'].map((name) => {
    const bytes = readFileSync(join(UI_OUT_DIR, name));
    return { name, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  if (!quiet) {
    const total = files.reduce((s, f) => s + f.gzip, 0);
    console.log(
      `ui: ${files.map((f) => `${f.name} ${f.bytes} B (${f.gzip} gzip)`).join(', ')}; ${total} B gzip in all`,
    );
  }
  return files;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildUi({ quiet: process.argv.includes('--quiet') });
}
