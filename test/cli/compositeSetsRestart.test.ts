// Issue 16 item 3: `lwm2m server` keeps the named composite sets in its data file, so a set made
// over REST is there after a restart with the SQLite store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUiServer } from '../ui/support/uiServer.js';

test('a composite set put over REST is listed again after a restart on the same SQLite data file', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lwm2m-sets-'));
  try {
    const first = await startUiServer({ extra: { store: 'sqlite', dataDir, bootstrapPort: undefined } });
    try {
      const put = await fetch(`${first.baseUrl}/api/composite-sets/battery`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ paths: ['/3/0/9', '/3/0/20'], description: 'level and status' }),
      });
      assert.equal(put.status, 201);
    } finally {
      await first.close();
    }
    const second = await startUiServer({ extra: { store: 'sqlite', dataDir, bootstrapPort: undefined } });
    try {
      const res = await fetch(`${second.baseUrl}/api/composite-sets`);
      const { items } = (await res.json()) as { items: unknown[] };
      assert.deepEqual(items, [
        { name: 'battery', paths: ['/3/0/9', '/3/0/20'], description: 'level and status' },
      ]);
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
