#!/usr/bin/env node
// The executable: only calls run() and sets the exit code.
import { run } from './cli.js';

process.exitCode = await run(process.argv.slice(2));
