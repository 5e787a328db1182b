// Preloaded (--import) into every test file's process by scripts/run-tests.mjs, which does not use
// --test-force-exit: on Node 22.x (22.23) and 24.x that flag sometimes ends a file's process while
// some of its tests have not started yet, and those tests silently never run.
//
// Without --test-force-exit, a file whose tests left a socket or timer open would keep its process
// alive until its limit (Node 20 and 22 apply --test-timeout to the file), or forever on Node 24,
// which applies it to each test, not to each file. This timer is the file's limit there: unref'd,
// it never keeps a finished process alive, but if the process is still running 10 s past
// TEST_FILE_TIMEOUT_MS after it started (the 10 s let a hung test's own timeout report it first),
// it says so and exits with a failure, which the runner reports as a failed file. A file whose
// tests pass but leave a handle open fails too: fixtures must close what they open.
//
// It arms only in a file's process (node:test sets NODE_TEST_CONTEXT there), not in the runner
// process itself, and not in children that tests spawn (they drop NODE_TEST_CONTEXT).
if (process.env.NODE_TEST_CONTEXT) {
  const limitMs = Number(process.env.TEST_FILE_TIMEOUT_MS ?? 240_000);
  const graceMs = 10_000;
  const file = process.argv[1] ?? '(unknown file)';
  const timer = setTimeout(() => {
    process.stderr.write(
      `\n${file}: still running ${(limitMs + graceMs) / 1000} s after it started ` +
        '(TEST_FILE_TIMEOUT_MS + 10 s): a test hung, or left a socket, timer or child process open; ' +
        'failing the file\n',
    );
    process.exit(1);
  }, limitMs + graceMs);
  timer.unref();
}
