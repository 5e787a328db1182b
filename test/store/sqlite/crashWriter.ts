// Child process of crash.test.ts: registers, updates and de-registers through a
// SqliteRegistrationStore, 32 writes in flight, and prints one line per acknowledged write
// ("A id", "U id", "D id") once its promise has settled, i.e. once it is durable. The parent kills
// it with SIGKILL at a random moment. Stdout is a pipe, written synchronously on Linux, so a line
// the parent read was printed after its write was acknowledged.
import { SqliteDatabase } from '../../../src/store/sqlite/SqliteDatabase.js';
import { SqliteRegistrationStore } from '../../../src/store/sqlite/SqliteRegistrationStore.js';
import { makeRegistration } from '../storeFixtures.js';

const [file, prefix] = process.argv.slice(2) as [string, string];
const MAX_WRITES = 20_000;
const store = await SqliteRegistrationStore.open(SqliteDatabase.open(file));
process.stdout.write('ready\n');
let next = 0;
const worker = async (): Promise<void> => {
  while (next < MAX_WRITES) {
    const n = next++;
    const id = `${prefix}-${n}`;
    await store.add(makeRegistration({ id, endpoint: id, port: n % 60_000 }));
    process.stdout.write(`A ${id}\n`);
    if (n % 3 === 1) {
      await store.update(id, (cur) => ({ ...cur, lifetime: 777 }));
      process.stdout.write(`U ${id}\n`);
    } else if (n % 3 === 2) {
      await store.remove(id);
      process.stdout.write(`D ${id}\n`);
    }
  }
};
await Promise.all(Array.from({ length: 32 }, worker));
