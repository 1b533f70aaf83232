#!/usr/bin/env node
import { runCli } from './run-cli';

// Exit explicitly: open keep-alive sockets (model APIs, the Docker socket) must not hold a finished command.
process.exit(await runCli(process.argv.slice(2)));
