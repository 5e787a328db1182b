// The REST API's start-up URL (issue 12 item 6): on a wildcard bind it names an address clients
// can use, chosen as the devices' public URI is (publicUri.ts), never a link-local one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reachableHttpUrl } from '../../src/cli/httpAccess.js';
import type { InterfaceTable } from '../../src/cli/publicUri.js';

const nic = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({
  address,
  family,
  internal,
  netmask: family === 'IPv4' ? '255.255.255.0' : 'ffff:ffff:ffff:ffff::',
  mac: '00:00:00:00:00:00',
  cidr: null,
  ...(family === 'IPv6' ? { scopeid: 0 } : {}),
});

test('a wildcard bind is shown as a usable interface address, skipping loopback and link-local', () => {
  const table = {
    lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)],
    eth0: [
      nic('fe80::1', 'IPv6'),
      nic('169.254.3.4', 'IPv4'),
      nic('192.0.2.10', 'IPv4'),
      nic('2001:db8::5', 'IPv6'),
    ],
  } as unknown as InterfaceTable;
  assert.equal(
    reachableHttpUrl({ address: '::', family: 'IPv6', port: 8080 }, table),
    'http://192.0.2.10:8080',
  );
  assert.equal(
    reachableHttpUrl({ address: '0.0.0.0', family: 'IPv4', port: 8080 }, table),
    'http://192.0.2.10:8080',
  );
  const v6only = { eth0: [nic('fe80::1', 'IPv6'), nic('2001:db8::5', 'IPv6')] } as unknown as InterfaceTable;
  assert.equal(
    reachableHttpUrl({ address: '::', family: 'IPv6', port: 1 }, v6only),
    'http://[2001:db8::5]:1',
  );
  assert.equal(reachableHttpUrl({ address: '::', family: 'IPv6', port: 1 }, {}), 'http://127.0.0.1:1');
  assert.equal(reachableHttpUrl({ address: '::1', family: 'IPv6', port: 2 }, table), 'http://[::1]:2');
});
