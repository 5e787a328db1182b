// Shared set-up of the REST API tests: a FakeServer with one client "dev1" and the app over it.
import type { FastifyInstance } from 'fastify';
import { createHttpApi } from '../../src/http/createHttpApi.js';
import { FakeServer } from './FakeServer.js';

/** A ready app over a FakeServer holding client "dev1". */
export async function setup(): Promise<{ app: FastifyInstance; fake: FakeServer }> {
  const fake = new FakeServer();
  fake.addClient('dev1');
  const app = createHttpApi(fake);
  await app.ready();
  return { app, fake };
}

/** The JSON body of an injected response. */
export function body(res: { body: string }): Record<string, unknown> {
  return JSON.parse(res.body) as Record<string, unknown>;
}
