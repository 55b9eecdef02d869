// Runs the `toc` command from source (what bin/toc.mjs runs from the build), for CLI tests that need real
// stdout, stderr and exit codes without building first: node --import tsx test/helpers/run-toc.ts ARGS...
import { main } from '../../electron/cli/toc';

process.exitCode = await main(process.argv.slice(2));
