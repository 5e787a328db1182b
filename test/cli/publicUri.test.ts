// The URI devices are told (issue 12 item 13): --public-uri, else the bound address, else a
// non-loopback interface address for a wildcard bind; the built-in Bootstrap-Server uses it and
// the start-up log says which and why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { choosePublicUri, publicUriOption, type InterfaceTable } from '../../src/cli/publicUri.js';
import { runServer, type ServerCliOptions } from '../../src/cli/serverCommand.js';
import { captureLog } from '../support/captureLog.js';
import { localServer } from './localServer.js';

function nic(address: string, internal = false): NetworkInterfaceInfo {
  const family = address.includes(':') ? 'IPv6' : 'IPv4';
  return family === 'IPv4'
    ? { address, family, internal, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null }
    : { address, family, internal, netmask: 'ffff::', mac: '00:00:00:00:00:00', cidr: null, scopeid: 0 };
}

const machine: InterfaceTable = {
  lo: [nic('127.0.0.1', true), nic('::1', true)],
  eth0: [nic('fe80::1'), nic('169.254.3.4'), nic('2001:db8::5'), nic('192.0.2.10')],
};

test('the default URI for a wildcard bind is a non-loopback, non-link-local interface address, IPv4 first', () => {
  const cases: Array<[string, InterfaceTable, string, string]> = [
    ['::', machine, 'coap://192.0.2.10:5683', 'interface'],
    ['0.0.0.0', machine, 'coap://192.0.2.10:5683', 'interface'],
    ['::', { lo: machine.lo, eth0: [nic('2001:db8::5')] }, 'coap://[2001:db8::5]:5683', 'interface'],
    ['0.0.0.0', { lo: machine.lo, eth0: [nic('2001:db8::5')] }, 'coap://127.0.0.1:5683', 'loopback fallback'],
    ['::', { lo: machine.lo }, 'coap://127.0.0.1:5683', 'loopback fallback'],
    ['10.9.8.7', machine, 'coap://10.9.8.7:5683', 'bind address'],
    ['::1', machine, 'coap://[::1]:5683', 'bind address'],
  ];
  for (const [bind, nics, uri, source] of cases)
    assert.deepEqual(choosePublicUri({ bind, port: 5683 }, nics), { uri, source }, bind);
  assert.deepEqual(
    choosePublicUri({ publicUri: 'coap://lwm2m.example.com', bind: '::', port: 5683 }, machine),
    {
      uri: 'coap://lwm2m.example.com',
      source: 'option',
    },
  );
});

test('--public-uri takes coap://HOST[:PORT] only', () => {
  assert.equal(publicUriOption('coap://lwm2m.example.com:5683'), 'coap://lwm2m.example.com:5683');
  assert.equal(publicUriOption('coap://[2001:db8::1]:5683/'), 'coap://[2001:db8::1]:5683');
  for (const bad of [
    'lwm2m.example.com',
    'coaps://h:5684',
    'coap://h/rd',
    'coap://h?x',
    `coap://${'h'.repeat(250)}`,
  ])
    assert.throws(() => publicUriOption(bad), bad);
});

const options = (extra: Partial<ServerCliOptions>): ServerCliOptions =>
  localServer({ bootstrapPort: 0, ...extra });

async function bootstrapUri(running: Awaited<ReturnType<typeof runServer>>): Promise<string> {
  const config = await running.bootstrap!.server.config.configStore.get('*');
  return Object.values(config!.security ?? {})[0]!.uri!;
}

test('the built-in Bootstrap-Server tells devices the --public-uri, and the start-up log says so', async () => {
  const { log, entries } = captureLog('info');
  const running = await runServer(options({ publicUri: 'coap://lwm2m.example.com:15683' }), { log });
  try {
    assert.equal(running.publicUri, 'coap://lwm2m.example.com:15683');
    assert.equal(await bootstrapUri(running), 'coap://lwm2m.example.com:15683');
    const line = entries().find((e) => e.publicUri !== undefined);
    assert.deepEqual([line?.level, line?.from], ['info', 'option']);
  } finally {
    await running.stop();
  }
});

test('on a wildcard bind without --public-uri, devices are told an interface address, not 127.0.0.1', async () => {
  const { log, entries } = captureLog('info');
  const running = await runServer(options({ coapAddress: '0.0.0.0' }), { log, interfaces: machine });
  try {
    const port = running.server.address().port;
    assert.equal(await bootstrapUri(running), `coap://192.0.2.10:${port}`);
    const line = entries().find((e) => e.publicUri !== undefined);
    assert.equal(line?.from, 'interface');
    assert.match(String(line?.msg), /--public-uri/);
  } finally {
    await running.stop();
  }
});

test('with only loopback interfaces, the start-up log warns that other hosts cannot reach the server', async () => {
  const { log, entries } = captureLog('info');
  const running = await runServer(options({ coapAddress: '0.0.0.0', bootstrapPort: undefined }), {
    log,
    interfaces: { lo: machine.lo },
  });
  try {
    const line = entries().find((e) => e.publicUri !== undefined);
    assert.equal(line?.level, 'warn');
    assert.match(String(line?.msg), /cannot reach.*--public-uri/);
  } finally {
    await running.stop();
  }
});
