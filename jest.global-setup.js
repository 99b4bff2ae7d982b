// Runs once in Jest's parent process, before any worker starts. Jest gives each test file a
// sandboxed copy of process.env, so the node's own ORT_DISABLE_TELEMETRY default (which must
// reach the real environment) cannot take effect inside tests; set it here so workers inherit it
// and test runs leave no mat-debug-<pid>.log files behind.
module.exports = async function globalSetup() {
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
};
